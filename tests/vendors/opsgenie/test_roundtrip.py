"""``write`` then ``read`` gives the setup back; what Opsgenie cannot say is listed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from engine.policy.model import (
    HandOff,
    Method,
    NotifyRule,
    OnCallSetup,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Step,
    Target,
    Window,
)
from engine.scenario.yamlsource import parse_source
from engine.vendors import opsgenie

UTC = dt.UTC


def _reread(setup: OnCallSetup) -> tuple[OnCallSetup, list[str]]:
    document, lost = opsgenie.write(setup)
    text = json.dumps(document, indent=2)
    return opsgenie.read(parse_source(text, "written.json"), dict(setup.settings)), lost


def test_the_acme_export_comes_back_unchanged(acme: OnCallSetup) -> None:
    again, lost = _reread(acme)
    # The one approximation: a round-robin step is written as a random member of a team.
    assert lost == [
        "policy platform: step 3 is round robin; written as a random member of team Platform "
        "step 3 (Opsgenie picks at random, not in turn)"
    ]
    # Everything the model holds comes back; the notes about rules that were passed over do
    # not, as those rules are not part of the model and so are not written.
    assert dataclasses.replace(again, notes=()) == dataclasses.replace(acme, notes=())
    # (the note on the random team member names the team written for the step).
    assert all(note in acme.notes for note in again.notes if "random member" not in note)


def test_writing_is_deterministic(acme: OnCallSetup) -> None:
    first = json.dumps(opsgenie.write(acme)[0], sort_keys=False)
    assert json.dumps(opsgenie.write(acme)[0], sort_keys=False) == first


def test_written_escalation_counts_delays_from_creation(acme: OnCallSetup) -> None:
    document, _ = opsgenie.write(acme)
    escalations = document["escalations"]
    assert isinstance(escalations, list)
    payments = escalations[0]
    delays = [(r["delay"]["timeAmount"], r["condition"]) for r in payments["rules"]]
    assert delays == [
        (0, "if-not-acked"),
        (10, "if-not-acked"),
        (10, "if-not-closed"),
        (60, "if-not-acked"),
        (60, "if-not-acked"),
    ]
    assert payments["repeat"]["waitInterval"] == 15 and payments["repeat"]["count"] == 2
    platform = escalations[1]
    assert [r["delay"]["timeAmount"] for r in platform["rules"]] == [5, 20, 20]
    assert platform["rules"][1]["notifyType"] == "random"
    teams = document["teams"]
    assert isinstance(teams, list)
    assert [t["id"] for t in teams] == ["9e1f0c2a-aaaa-4bbb-8ccc-000000000002-step-3"]


def _foreign() -> OnCallSetup:
    """A setup with constructs from other products (AWS, PagerDuty, GoAlert)."""
    ann = Person(
        "arn:ann",
        "ann",
        "Ann",
        (
            Method("ann-sms", "SMS", "+15550100"),
            Method("ann-chat", "CHAT", "slack:U1"),
        ),
        (NotifyRule("ann-sms", 0, "high", retry=5), NotifyRule("ann-chat", 1)),
        span=10,
    )
    ben = Person("arn:ben", "ben", "", (Method("ben-mail", "EMAIL", "ben@corp.example"),))
    cat = Person("arn:cat", "cat", "Cat", (Method("cat-mail", "EMAIL", "cat@corp.example"),))
    rotation = Rotation(
        "rot-1",
        "primary",
        ("arn:ann", "arn:ben", "arn:cat"),
        dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
        "Europe/London",
        "day",
        (HandOff(dt.time(9)), HandOff(dt.time(17))),
        1,
        on_call=2,
        windows=(Window(dt.time(9), 480, 0),),
        overrides=(
            Override(
                dt.datetime(2026, 3, 10, tzinfo=UTC),
                dt.datetime(2026, 3, 11, tzinfo=UTC),
                ("arn:ann",),
                "add",
            ),
        ),
    )
    monthly = Rotation(
        "rot-2",
        "monthly",
        ("arn:ben",),
        dt.datetime(2026, 3, 1, tzinfo=UTC),
        "UTC",
        "month",
        (HandOff(dt.time(0), 1),),
    )
    uneven = dataclasses.replace(rotation, id="rot-3", every=2, on_call=1, windows=None)
    uneven = dataclasses.replace(uneven, overrides=())
    schedule = Schedule("sch-1", "layers", "Layers", ("rot-1", "rot-2", "rot-3"), layered=True)
    policy = Policy(
        "pol-1",
        "payments",
        "Payments",
        (
            Step(5, (Target("person", "arn:ann"), Target("person", "arn:ben")), round_robin=True),
            Step(5, (Target("policy", "pol-2"), Target("schedule", "sch-1"))),
        ),
        repeat=25,
    )
    rotations = (rotation, monthly, uneven)
    return OnCallSetup("pagerduty", (ann, ben, cat), (policy,), rotations, (schedule,))


def test_constructs_opsgenie_lacks_are_listed() -> None:
    _, lost = opsgenie.write(_foreign())
    text = "\n".join(lost)
    assert "person ann: CHAT method ann-chat has no Opsgenie contact kind" in text
    assert "person ann: retries every 5 min; Opsgenie has none: left out" in text
    assert "person ann: a plan lasting 10 min after its last rule" in text
    assert "schedule layers: layered" in text
    assert "hand-offs at 09:00, 17:00 are not evenly spaced" in text
    assert "rot-1 (primary): 2 hand-offs a day; written as 2 rotations, one per stretch" in text
    assert "adds people; Opsgenie overrides replace: left out" in text
    assert "monthly hand-offs have no Opsgenie rotation type" in text
    assert "policy payments: step 1 is round robin" in text
    assert "step 2 targets policy pol-2" in text
    assert "policy payments: 25 repeats; Opsgenie allows 20" in text


def test_a_foreign_setup_reads_back_as_close_as_opsgenie_allows() -> None:
    setup = _foreign()
    again, _ = _reread(setup)
    assert [p.handle for p in again.people] == ["ann", "ben", "cat"]
    ann = again.people[0]
    assert [(m.kind, m.address) for m in ann.methods] == [("SMS", "+15550100")]
    assert ann.rules == (NotifyRule("ann-sms", 0),)
    # Hand-offs at 09:00 and 17:00, two on call, on call Mondays 09:00-17:00 only: the 09:00
    # stretch, once per person on call (the 17:00 one lies outside the window), members of
    # shifts 0, 2, 4... interleaved as the engine takes them.
    firsts = [r for r in again.rotations if r.id.startswith("rot-1-")]
    assert [r.members for r in firsts] == [
        ("arn:ann", "arn:ben", "arn:cat"),
        ("arn:ben", "arn:cat", "arn:ann"),
    ]
    assert all(r.windows == (Window(dt.time(9), 480, 0),) for r in firsts)
    assert all((r.period, r.hand_offs) == ("day", (HandOff(dt.time(9)),)) for r in firsts)
    (policy,) = again.policies
    assert policy.repeat == 20
    assert policy.steps == (
        # Round robin survives as a random member of a team written for the step.
        Step(5, (Target("person", "arn:ann"), Target("person", "arn:ben")), round_robin=True),
        Step(0, (Target("schedule", "sch-1"),)),
    )


def test_a_start_off_the_hand_off_is_moved_to_the_turn_before() -> None:
    late = Rotation(
        "rot-late",
        "late",
        ("arn:ben", "arn:cat"),
        dt.datetime(2026, 3, 4, 12, tzinfo=UTC),  # Wednesday noon; hand-offs Mondays 09:00
        "Europe/London",
        "week",
        (HandOff(dt.time(9), 0),),
    )
    setup = dataclasses.replace(
        _foreign(),
        rotations=(late,),
        schedules=(Schedule("sch-late", "late", "Late", ("rot-late",)),),
        policies=(),
    )
    document, lost = opsgenie.write(setup)
    schedules = document["schedules"]
    assert isinstance(schedules, list)
    (rotation,) = schedules[0]["rotations"]
    # The first shift ends Monday 9 March 09:00 GMT, so the Opsgenie turn starts a week before.
    assert (rotation["startDate"], rotation["type"], rotation["length"]) == (
        "2026-03-02T09:00:00Z",
        "weekly",
        1,
    )
    assert any("starts 2026-03-02T09:00:00+00:00 (a hand-off) instead of" in line for line in lost)


def test_an_aws_style_setup_keeps_who_is_paged_when() -> None:
    def person(alias: str, number: str) -> Person:
        methods = (
            Method(f"{alias}-sms", "SMS", number),
            Method(f"{alias}-voice", "VOICE", number),
            Method(f"{alias}-email", "EMAIL", f"{alias}@example.com"),
        )
        rules = tuple(NotifyRule(m.id, 5 * n, retry=1) for n, m in enumerate(methods))
        return Person(f"arn:{alias}", alias, alias.title(), methods, rules, span=5)

    akuam, alejr = person("akuam", "+15005550100"), person("alejr", "+15005550101")
    plan = Policy(
        "arn:escalation",
        "example_escalation",
        "Example Escalation",
        (
            Step(5, (Target("person", akuam.id),)),
            Step(5, (Target("person", alejr.id, stops_on_ack=False),)),
        ),
    )
    setup = OnCallSetup("aws", (akuam, alejr), (plan,))
    document, lost = opsgenie.write(setup)
    escalations = document["escalations"]
    assert isinstance(escalations, list)
    rules = [
        (r["delay"]["timeAmount"], r["condition"], r["recipient"]["username"])
        for r in escalations[0]["rules"]
    ]
    assert rules == [
        (0, "if-not-acked", "akuam@example.com"),  # the e-mail whose local part is the handle
        (5, "if-not-closed", "alejr@example.com"),
    ]
    assert lost == [
        "person akuam: retries every 1 min; Opsgenie has none: left out",
        "person akuam: a plan lasting 5 min after its last rule; not written",
        "person alejr: retries every 1 min; Opsgenie has none: left out",
        "person alejr: a plan lasting 5 min after its last rule; not written",
    ]
    again = opsgenie.read(parse_source(json.dumps(document)), {})
    assert [p.handle for p in again.people] == ["akuam", "alejr"]
    assert [(r.method, r.delay) for r in again.people[0].rules] == [
        ("akuam-sms", 0),
        ("akuam-voice", 5),
        ("akuam-email", 10),
    ]
    # The last step's 5 minutes end the escalation; with no repeat Opsgenie has nothing after
    # the last rule, so it reads back as lasting no time.
    assert again.policies[0].steps == (
        Step(5, (Target("person", akuam.id),)),
        Step(0, (Target("person", alejr.id, stops_on_ack=False),)),
    )
