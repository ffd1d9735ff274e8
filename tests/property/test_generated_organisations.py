"""Random organisations, settings, responders and scripts, and the runner the properties share.

A ``Case`` is everything a run depends on: seed, knobs, an organisation (personal contacts with
channels and plans, escalation plans with essential flags), responder models and a script of
operations. ``run_case`` builds the organisation through the client and plays the script; the
tests here check that every organisation the strategies can produce is one the API accepts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Simulator
from engine.sim.responders import (
    Exponential,
    Fixed,
    LogNormal,
    ProbabilisticResponder,
    Responder,
    ScriptedResponder,
    Uniform,
)
from tests.builders import REGION, START

CHANNEL_TYPES = ("SMS", "VOICE", "EMAIL")
SECRET = "SECRET"  # only the secure Subject and Content ever contain this word

# Settings shared by the property tests; the slow variants raise max_examples.
FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- specifications -----------------------------------------------------------------------------

ChannelStage = tuple[int, tuple[tuple[int, int | None], ...]]  # minutes, ((channel, retry), ...)
ContactStage = tuple[int, tuple[tuple[int, bool], ...]]  # minutes, ((person, essential), ...)


@dataclasses.dataclass(frozen=True)
class PersonSpec:
    """A personal contact: its channels (type, activated) and its plan over them."""

    channels: tuple[tuple[str, bool], ...]
    stages: tuple[ChannelStage, ...]


@dataclasses.dataclass(frozen=True)
class EscalationSpec:
    """An escalation plan over the people (by index), each target essential or not."""

    stages: tuple[ContactStage, ...]


@dataclasses.dataclass(frozen=True)
class OrgSpec:
    people: tuple[PersonSpec, ...]
    escalations: tuple[EscalationSpec, ...]


@dataclasses.dataclass(frozen=True)
class Case:
    """Everything one run depends on."""

    seed: int
    knobs: dict[str, Any]
    org: OrgSpec
    responders: tuple[tuple[int, Responder], ...]  # (person index, model)
    script: tuple[tuple[Any, ...], ...]


# -- strategies ---------------------------------------------------------------------------------

minutes = st.one_of(st.sampled_from([0, 1, 5, 30]), st.integers(0, 30))
retries = st.one_of(st.none(), st.sampled_from([0, 1, 2, 60]), st.integers(0, 60))


def _stage(targets: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    # A 0-minute stage needs a target (docs/semantics.md R2).
    return st.tuples(minutes, targets).map(lambda s: (s[0] or (0 if s[1] else 1), s[1]))


@st.composite
def people(draw: st.DrawFn) -> PersonSpec:
    channels = tuple(
        draw(
            st.lists(
                st.tuples(st.sampled_from(CHANNEL_TYPES), st.booleans()), min_size=1, max_size=3
            )
        )
    )
    indexes = st.sampled_from(range(len(channels)))
    targets = st.lists(st.tuples(indexes, retries), max_size=3, unique_by=lambda t: t[0])
    stages = draw(st.lists(_stage(targets.map(tuple)), max_size=3))
    return PersonSpec(channels, tuple(stages))


@st.composite
def organisations(draw: st.DrawFn) -> OrgSpec:
    persons = tuple(draw(st.lists(people(), min_size=1, max_size=4)))
    indexes = st.sampled_from(range(len(persons)))
    targets = st.lists(st.tuples(indexes, st.booleans()), max_size=3, unique_by=lambda t: t[0])
    escalation = st.lists(_stage(targets.map(tuple)), min_size=1, max_size=3).map(
        lambda stages: EscalationSpec(tuple(stages))
    )
    escalations = tuple(draw(st.lists(escalation, max_size=2)))
    return OrgSpec(persons, escalations)


probability = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0, 1))
per_type = st.fixed_dictionaries({}, optional={t: probability for t in CHANNEL_TYPES})
latency = st.one_of(st.integers(0, 120), st.floats(0, 120))

knob_values = st.fixed_dictionaries(
    {},
    optional={
        "fail_probability": st.one_of(probability, per_type),
        "latency": st.fixed_dictionaries({}, optional={t: latency for t in CHANNEL_TYPES}),
        "max_retries": st.integers(0, 4),
        "retry_mode": st.sampled_from(["on_failure", "until_ack"]),
        "essential_ack": st.sampled_from(["stop_progression", "stop_all"]),
        "repeat": st.integers(0, 2),
        "dedupe_contacts": st.booleans(),
    },
)

seconds = st.one_of(st.integers(0, 1800), st.floats(0, 1800))
delays = st.one_of(
    st.builds(Fixed, seconds),
    st.builds(Exponential, st.floats(0, 900)),
    st.builds(LogNormal, st.floats(1, 600), st.floats(0, 1.5)),
    st.tuples(seconds, st.floats(0, 600)).map(lambda t: Uniform(t[0], t[0] + t[1])),
)
accept_types = st.sampled_from(["READ", "READ", "DELIVERED"])
via = st.one_of(st.none(), st.sampled_from(CHANNEL_TYPES))
responder_models: st.SearchStrategy[Responder] = st.one_of(
    st.builds(ScriptedResponder, seconds, accept_types, via),
    st.builds(ProbabilisticResponder, probability, delays, accept_types, via),
)

pick = st.integers(0, 63)
texts = st.sampled_from(["none", "subject", "content", "both"])
start_step = st.tuples(st.just("start"), pick, texts, st.booleans())
steps = st.one_of(
    st.tuples(st.just("advance"), seconds),
    start_step,
    st.tuples(st.just("accept"), pick, accept_types, st.booleans(), st.booleans()),
    st.tuples(st.just("stop"), pick),
    st.tuples(st.just("deactivate"), pick),
    st.tuples(st.just("activate"), pick),
)


@st.composite
def cases(draw: st.DrawFn, max_steps: int = 12) -> Case:
    org = draw(organisations())
    responders = draw(
        st.lists(
            st.tuples(st.sampled_from(range(len(org.people))), responder_models),
            max_size=len(org.people),
            unique_by=lambda r: r[0],
        )
    )
    script = (draw(start_step), *draw(st.lists(steps, max_size=max_steps)))
    return Case(draw(st.integers(0, 2**32)), draw(knob_values), org, tuple(responders), script)


# -- building and running -----------------------------------------------------------------------


@dataclasses.dataclass
class Built:
    """The ARNs of a built organisation."""

    people: list[str]
    channels: list[list[str]]
    escalations: list[str]

    @property
    def engageable(self) -> list[str]:
        return [*self.people, *self.escalations]

    @property
    def all_channels(self) -> list[str]:
        return [c for owned in self.channels for c in owned]


def address(person: int, index: int, kind: str) -> str:
    if kind == "EMAIL":
        return f"p{person}c{index}@example.com"
    return f"+1555{person:03d}{index:04d}"


def last_code(sim: Simulator, channel: str) -> str:
    return str(
        [
            m["Code"]
            for m in sim.outbox
            if m.get("ContactChannelArn") == channel and m["Kind"] == "ACTIVATION"
        ][-1]
    )


def build(sim: Simulator, spec: OrgSpec) -> Built:
    """Create the organisation through the client, activating channels with their codes."""
    client = sim.client()
    built = Built([], [], [])
    for p, person in enumerate(spec.people):
        arn = client.create_contact(Alias=f"p{p}", Type="PERSONAL", Plan={"Stages": []})[
            "ContactArn"
        ]
        built.people.append(arn)
        owned = []
        for c, (kind, activated) in enumerate(person.channels):
            channel = client.create_contact_channel(
                ContactId=arn,
                Name=f"c{c}",
                Type=kind,
                DeliveryAddress={"SimpleAddress": address(p, c, kind)},
            )["ContactChannelArn"]
            owned.append(channel)
            if activated:
                client.activate_contact_channel(
                    ContactChannelId=channel, ActivationCode=last_code(sim, channel)
                )
        built.channels.append(owned)
        client.update_contact(ContactId=arn, Plan=personal_plan(person, owned))
    for e, escalation in enumerate(spec.escalations):
        plan = escalation_plan(escalation, built.people)
        built.escalations.append(
            client.create_contact(Alias=f"e{e}", Type="ESCALATION", Plan=plan)["ContactArn"]
        )
    return built


def personal_plan(person: PersonSpec, channels: list[str]) -> dict[str, Any]:
    stages = []
    for duration, targets in person.stages:
        infos = []
        for index, retry in targets:
            info: dict[str, Any] = {"ContactChannelId": channels[index]}
            if retry is not None:
                info["RetryIntervalInMinutes"] = retry
            infos.append({"ChannelTargetInfo": info})
        stages.append({"DurationInMinutes": duration, "Targets": infos})
    return {"Stages": stages}


def escalation_plan(escalation: EscalationSpec, people: list[str]) -> dict[str, Any]:
    return {
        "Stages": [
            {
                "DurationInMinutes": duration,
                "Targets": [
                    {"ContactTargetInfo": {"ContactId": people[i], "IsEssential": essential}}
                    for i, essential in targets
                ],
            }
            for duration, targets in escalation.stages
        ]
    }


def new_simulator(case: Case) -> Simulator:
    return Simulator(seed=case.seed, start=START, region=REGION, **case.knobs)


def prepare(case: Case) -> tuple[Simulator, Built]:
    """A simulator with the case's organisation and responders, before the script runs."""
    sim = new_simulator(case)
    built = build(sim, case.org)
    for person, model in case.responders:
        sim.set_responder(built.people[person], model)
    return sim, built


def play(sim: Simulator, built: Built, script: tuple[tuple[Any, ...], ...], first: int = 0) -> None:
    """Run script steps; ``first`` numbers the engagements' texts so twins can share a suffix."""
    client = sim.client()
    for n, step in enumerate(script, start=first):
        kind = step[0]
        if kind == "advance":
            sim.advance(step[1])
        elif kind == "start":
            client.start_engagement(**engagement_request(built, step, n))
        elif kind == "accept":
            accept(sim, built, step)
        elif kind == "stop":
            engagements = [e["EngagementArn"] for e in events(sim, "ENGAGEMENT_STARTED")]
            client.stop_engagement(EngagementId=engagements[step[1] % len(engagements)])
        elif kind in ("deactivate", "activate"):
            channels = built.all_channels
            channel = channels[step[1] % len(channels)]
            if kind == "deactivate":
                client.deactivate_contact_channel(ContactChannelId=channel)
            else:
                client.activate_contact_channel(
                    ContactChannelId=channel, ActivationCode=last_code(sim, channel)
                )


def engagement_request(built: Built, step: tuple[Any, ...], n: int) -> dict[str, Any]:
    _, target, public, incident = step
    targets = built.engageable
    request: dict[str, Any] = {
        "ContactId": targets[target % len(targets)],
        "Sender": "prop",
        "Subject": f"{SECRET} subject {n}",
        "Content": f"{SECRET} content {n}",
    }
    if public in ("subject", "both"):
        request["PublicSubject"] = f"public subject {n}"
    if public in ("content", "both"):
        request["PublicContent"] = f"public content {n}"
    if incident:
        request["IncidentId"] = f"incident-{n % 3}"
    return request


def accept(sim: Simulator, built: Built, step: tuple[Any, ...]) -> None:
    _, index, accept_type, enforce, through_channel = step
    pages = events(sim, "PAGE_CREATED")
    if not pages:
        return
    page = pages[index % len(pages)]
    request: dict[str, Any] = {"PageId": page["PageArn"], "AcceptType": accept_type}
    codes = [m["Code"] for m in sim.outbox if m.get("PageArn") == page["PageArn"]]
    if enforce and codes:
        request["AcceptCode"] = codes[0]
        request["AcceptCodeValidation"] = "ENFORCE"
    else:
        request["AcceptCode"] = "000000"
    if through_channel:
        owned = built.channels[built.people.index(page["ContactArn"])]
        request["ContactChannelId"] = owned[index % len(owned)]
    sim.client().accept_page(**request)


def events(sim: Simulator, kind: str) -> list[dict[str, Any]]:
    return [e for e in sim.events if e["Type"] == kind]


def run_case(case: Case, *, finish: bool = True) -> tuple[Simulator, Built]:
    """Build, play the whole script and, with ``finish``, run until every engagement is over."""
    sim, built = prepare(case)
    play(sim, built, case.script)
    if finish:
        sim.run()
    return sim, built


# -- the generators themselves ------------------------------------------------------------------


@FAST
@given(spec=organisations())
def test_every_generated_organisation_is_accepted_and_reads_back_as_built(spec: OrgSpec) -> None:
    sim = Simulator(seed=0, start=START, region=REGION)
    built = build(sim, spec)
    client = sim.client()
    for person, arn, owned in zip(spec.people, built.people, built.channels, strict=True):
        assert client.get_contact(ContactId=arn)["Plan"] == personal_plan(person, owned)
        listed = client.list_contact_channels(ContactId=arn)["ContactChannels"]
        assert [(c["Type"], c["ActivationStatus"] == "ACTIVATED") for c in listed] == list(
            person.channels
        )
    for escalation, arn in zip(spec.escalations, built.escalations, strict=True):
        assert client.get_contact(ContactId=arn)["Plan"] == escalation_plan(
            escalation, built.people
        )


@FAST
@given(case=cases())
def test_every_generated_script_plays_without_an_error(case: Case) -> None:
    sim, _ = run_case(case)
    assert events(sim, "ENGAGEMENT_STARTED")
