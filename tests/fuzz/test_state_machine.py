"""Random operation sequences with random clock advances keep every invariant after every step.

A hypothesis state machine drives the in-process client: people with SMS, voice and email
channels (activated with the right code, a wrong one, or not at all), personal plans over them,
escalation plans with essential and non-essential targets, rotations and on-call schedules,
engagements (with and without public texts, with reused idempotency tokens), acknowledgements
(READ or DELIVERED, right or wrong codes, IGNORE or ENFORCE, through the paged contact's channel
or another's), stops, channel changes and deletions, and clock advances, under random settings.
After every step :func:`engine.check.check_records` must find nothing, and at the end, once the
run has gone quiet, every engagement must have ended. On top of the log's own account, the
machine keeps the plans each engagement started with and checks that every READ of an essential
target's page stopped the escalation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from engine import Simulator
from engine.check import check_records
from engine.errors import InternalServerException, ServiceError, ValidationException
from tests.builders import REGION, START
from tests.fuzz.shapes import CASES

CHANNEL_TYPES = ("SMS", "VOICE", "EMAIL")
ADDRESSES = {"SMS": "+1555010{}", "VOICE": "+1555020{}", "EMAIL": "p{}@example.com"}

knob_settings = st.fixed_dictionaries(
    {},
    optional={
        "repeat": st.integers(0, 2),
        "fail_probability": st.sampled_from([0.0, 0.3, 1.0]),
        "max_retries": st.integers(0, 3),
        "retry_mode": st.sampled_from(["on_failure", "until_ack"]),
        "essential_ack": st.sampled_from(["stop_progression", "stop_all"]),
        "dedupe_contacts": st.booleans(),
        "empty_schedule": st.sampled_from(["continue", "skip_wait"]),
        "latency.SMS": st.sampled_from([0, 5, 600]),
        "delivery_receipts": st.sampled_from(["accept", "carrier"]),
    },
)
advances = st.one_of(st.sampled_from([0, 1, 5, 30, 60, 300, 600, 1800]), st.integers(0, 7200))


class EngineMachine(RuleBasedStateMachine):
    """The in-process API under random use; the invariants are checked after every step."""

    engagements = Bundle("engagements")

    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator(seed=0, start=START, region=REGION)
        self.client = self.sim.client()
        self.count = 0
        self.channels_of: dict[str, list[str]] = {}  # person ARN -> channel ARNs
        self.plans: dict[str, dict[str, Any]] = {}  # escalation or schedule ARN -> its plan
        self.started_with: dict[str, dict[str, Any]] = {}  # engagement ARN -> plan read then
        self.stopped: set[str] = set()

    # -- plumbing ----------------------------------------------------------------------------------

    def call(self, method: str, **params: Any) -> dict[str, Any] | None:
        """Call the client; an AWS error is an answer (None), an internal error is a bug."""
        CASES[("state-machine", method)] += 1
        try:
            response: dict[str, Any] = getattr(self.client, method)(**params)
        except InternalServerException as exc:
            raise AssertionError(f"{method} crashed: {exc}") from exc
        except ServiceError:
            return None
        return response

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def codes_sent(self, channel: str, kind: str) -> list[str]:
        return [
            m["Code"]
            for m in self.sim.outbox
            if m["Kind"] == kind and m["ContactChannelArn"] == channel
        ]

    # -- set-up ------------------------------------------------------------------------------------

    @property
    def people(self) -> list[str]:
        return list(self.channels_of)

    @property
    def all_channels(self) -> list[str]:
        return [channel for owned in self.channels_of.values() for channel in owned]

    @initialize(knobs=knob_settings, seed=st.integers(0, 3))
    def configure(self, knobs: dict[str, Any], seed: int) -> None:
        """Settings, and an organisation to start from: two people paged by SMS, then voice,
        then email, and an escalation plan whose first target is essential."""
        self.sim = Simulator(seed=seed, start=START, region=REGION, **knobs)
        self.client = self.sim.client()
        for _ in range(2):
            person = self.create_person()
            for kind in CHANNEL_TYPES:
                self.add_channel_to(person, kind, "right")
            self.set_plan(person, [(5, [(0, 1)]), (5, [(1, 0)]), (5, [(2, 5)])])
        first, second = self.people
        self.add_escalation([(first, True)], 5, [(second, False)], 5)

    def add_escalation(self, *stages: Any) -> str | None:
        plan = {
            "Stages": [
                {
                    "DurationInMinutes": minutes if targets else max(minutes, 1),
                    "Targets": [
                        {"ContactTargetInfo": {"ContactId": target, "IsEssential": essential}}
                        for target, essential in targets
                    ],
                }
                for targets, minutes in zip(stages[::2], stages[1::2], strict=True)
            ]
        }
        response = self.call(
            "create_contact", Alias=self.fresh("esc"), Type="ESCALATION", Plan=plan
        )
        if response is None:  # a target was deleted meanwhile
            return None
        arn = str(response["ContactArn"])
        self.plans[arn] = plan
        return arn

    @rule()
    def add_person(self) -> None:
        self.create_person()

    def create_person(self) -> str:
        response = self.call(
            "create_contact", Alias=self.fresh("p"), Type="PERSONAL", Plan={"Stages": []}
        )
        assert response is not None, "a fresh alias is always accepted"
        arn = str(response["ContactArn"])
        self.channels_of[arn] = []
        return arn

    @precondition(lambda self: self.people)
    @rule(
        data=st.data(),
        kind=st.sampled_from(CHANNEL_TYPES),
        activation=st.sampled_from(["right", "wrong", "none", "deferred"]),
    )
    def add_channel(self, data: st.DataObject, kind: str, activation: str) -> None:
        self.add_channel_to(
            data.draw(st.sampled_from(self.people), label="person"), kind, activation
        )

    def add_channel_to(self, person: str, kind: str, activation: str) -> str | None:
        n = self.count
        response = self.call(
            "create_contact_channel",
            ContactId=person,
            Name=self.fresh(kind.lower()),
            Type=kind,
            DeliveryAddress={"SimpleAddress": ADDRESSES[kind].format(n)},
            DeferActivation=activation == "deferred",
        )
        if response is None:  # the person was deleted meanwhile
            return None
        arn = str(response["ContactChannelArn"])
        self.channels_of.setdefault(person, []).append(arn)
        codes = self.codes_sent(arn, "ACTIVATION")
        if activation == "right":
            activated = self.call(
                "activate_contact_channel", ContactChannelId=arn, ActivationCode=codes[-1]
            )
            assert activated is not None, "the code sent activates the channel"
        elif activation == "wrong":
            wrong = "1" + codes[-1][1:] if codes[-1][0] != "1" else "2" + codes[-1][1:]
            with pytest.raises(ValidationException):
                self.client.activate_contact_channel(ContactChannelId=arn, ActivationCode=wrong)
        return arn

    @precondition(lambda self: self.people)
    @rule(
        data=st.data(),
        stages=st.lists(
            st.tuples(
                st.integers(0, 15),
                st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0, 1, 5])), max_size=3),
            ),
            max_size=3,
        ),
    )
    def set_personal_plan(
        self, data: st.DataObject, stages: list[tuple[int, list[tuple[int, int]]]]
    ) -> None:
        self.set_plan(data.draw(st.sampled_from(self.people), label="person"), stages)

    def set_plan(self, person: str, stages: list[tuple[int, list[tuple[int, int]]]]) -> None:
        owned = self.channels_of.get(person) or []
        if not owned:
            return
        plan = {
            "Stages": [
                {
                    "DurationInMinutes": minutes if targets else max(minutes, 1),
                    "Targets": [
                        {
                            "ChannelTargetInfo": {
                                "ContactChannelId": owned[index % len(owned)],
                                "RetryIntervalInMinutes": retry,
                            }
                        }
                        for index, retry in dict(targets).items()
                    ],
                }
                for minutes, targets in stages
            ]
        }
        self.call("update_contact", ContactId=person, Plan=plan)

    @precondition(lambda self: self.people)
    @rule(
        data=st.data(),
        stages=st.lists(
            st.tuples(st.integers(0, 15), st.lists(st.booleans(), min_size=1, max_size=3)),
            min_size=1,
            max_size=3,
        ),
    )
    def create_escalation(self, data: st.DataObject, stages: list[tuple[int, list[bool]]]) -> None:
        schedules = [arn for arn, plan in self.plans.items() if "RotationIds" in plan]
        choices = self.people + schedules
        parts: list[Any] = []
        for minutes, flags in stages:
            picked = data.draw(
                st.lists(st.sampled_from(choices), unique=True, max_size=len(flags)),
                label="targets",
            )
            parts += [list(zip(picked, flags, strict=False)), minutes]
        self.add_escalation(*parts)

    @precondition(lambda self: self.people)
    @rule(data=st.data(), hour=st.integers(0, 23))
    def create_schedule(self, data: st.DataObject, hour: int) -> None:
        members = data.draw(
            st.lists(st.sampled_from(list(self.channels_of)), unique=True, min_size=1, max_size=3),
            label="members",
        )
        rotation = self.call(
            "create_rotation",
            Name=self.fresh("rota"),
            ContactIds=members,
            StartTime=dt.datetime(2025, 12, 31, hour, tzinfo=dt.UTC),
            TimeZoneId="UTC",
            Recurrence={
                "NumberOfOnCalls": 1,
                "RecurrenceMultiplier": 1,
                "DailySettings": [{"HourOfDay": hour, "MinuteOfHour": 0}],
            },
        )
        if rotation is None:
            return
        response = self.call(
            "create_contact",
            Alias=self.fresh("s"),
            Type="ONCALL_SCHEDULE",
            Plan={"RotationIds": [rotation["RotationArn"]]},
        )
        assert response is not None
        self.plans[str(response["ContactArn"])] = {"RotationIds": [rotation["RotationArn"]]}

    # -- engagements -------------------------------------------------------------------------------

    @rule(
        target=engagements,
        data=st.data(),
        public=st.booleans(),
        token=st.sampled_from([None, None, "t1", "t2"]),
    )
    def start_engagement(self, data: st.DataObject, public: bool, token: str | None) -> str:
        contact = data.draw(st.sampled_from(self.people + list(self.plans)), label="contact")
        params: dict[str, Any] = {
            "ContactId": contact,
            "Sender": "ops",
            "Subject": "SECRET subject",
            "Content": "SECRET content",
        }
        if public:
            params.update(PublicSubject="public subject", PublicContent="public content")
        if token is not None:
            params["IdempotencyToken"] = token
        plan = self.plans.get(contact)
        response = self.call("start_engagement", **params)
        if response is None:
            return self.fresh("arn:none:")
        arn = str(response["EngagementArn"])
        if plan is not None and arn not in self.started_with:
            self.started_with[arn] = plan
        return arn

    @precondition(lambda self: any(e["Type"] == "PAGE_CREATED" for e in self.sim.events))
    @rule(
        data=st.data(),
        accept_type=st.sampled_from(["READ", "READ", "DELIVERED"]),
        code=st.sampled_from(["right", "wrong"]),
        enforce=st.booleans(),
        via=st.sampled_from(["none", "own", "foreign"]),
    )
    def accept_page(
        self, data: st.DataObject, accept_type: str, code: str, enforce: bool, via: str
    ) -> None:
        self.accept(data, accept_type, code, enforce, via)

    @precondition(lambda self: any(e["Type"] == "PAGE_CREATED" for e in self.sim.events))
    @rule(data=st.data())
    def acknowledge_a_page(self, data: st.DataObject) -> None:
        """The common case, drawn more often: a READ with the right code."""
        self.accept(data, "READ", "right", False, "none")

    def accept(
        self, data: st.DataObject, accept_type: str, code: str, enforce: bool, via: str
    ) -> None:
        pages = [e for e in self.sim.events if e["Type"] == "PAGE_CREATED"]
        page = data.draw(st.sampled_from(pages), label="page")
        codes = [m["Code"] for m in self.sim.outbox if m.get("PageArn") == page["PageArn"]]
        right = bool(codes) and code == "right"
        params: dict[str, Any] = {
            "PageId": page["PageArn"],
            "AcceptType": accept_type,
            "AcceptCode": codes[0] if right else "999999",
            "AcceptCodeValidation": "ENFORCE" if enforce else "IGNORE",
        }
        own = self.channels_of.get(page["ContactArn"]) or []
        foreign = [c for p, cs in self.channels_of.items() if p != page["ContactArn"] for c in cs]
        if via == "own" and own:
            params["ContactChannelId"] = own[0]
        elif via == "foreign" and foreign:
            params["ContactChannelId"] = foreign[0]
        response = self.call("accept_page", **params)
        if enforce and not right and "999999" not in codes:
            assert response is None, "a wrong code under ENFORCE is refused"
        if response is not None and accept_type == "READ":
            self._check_essential_read(page)

    def _check_essential_read(self, page: dict[str, Any]) -> None:
        engagement = page["EngagementArn"]
        plan = self.started_with.get(engagement)
        if plan is None or engagement in self.stopped or "Stages" not in plan:
            return
        path = self.client.list_page_resolutions(PageId=page["PageArn"])["PageResolutions"]
        if len(path) < 2 or path[0]["Type"] != "ESCALATION":
            return
        stage = plan["Stages"][path[0]["StageIndex"]]
        engaged_through = path[1]["ContactArn"]
        essential = any(
            t["ContactTargetInfo"]["ContactId"] == engaged_through
            and t["ContactTargetInfo"]["IsEssential"]
            for t in stage["Targets"]
        )
        if essential:
            assert any(
                e["Type"] == "ESCALATION_STOPPED" and e["EngagementArn"] == engagement
                for e in self.sim.events
            ), f"a READ of essential page {page['PageArn']} did not stop the escalation"

    @rule(engagement=engagements, reason=st.sampled_from([None, "resolved"]))
    def stop_engagement(self, engagement: str, reason: str | None) -> None:
        params: dict[str, Any] = {"EngagementId": engagement}
        if reason is not None:
            params["Reason"] = reason
        if self.call("stop_engagement", **params) is not None:
            self.stopped.add(engagement)

    # -- channels changing under running engagements -----------------------------------------------

    @precondition(lambda self: self.all_channels)
    @rule(data=st.data(), change=st.sampled_from(["address", "deactivate", "resend"]))
    def change_channel(self, data: st.DataObject, change: str) -> None:
        channel = data.draw(st.sampled_from(self.all_channels), label="channel")
        if change == "address":
            self.call(
                "update_contact_channel",
                ContactChannelId=channel,
                DeliveryAddress={"SimpleAddress": f"+1555099{self.fresh('')[:4]}"},
            )
        elif change == "deactivate":
            self.call("deactivate_contact_channel", ContactChannelId=channel)
        else:
            self.call("send_activation_code", ContactChannelId=channel)

    @precondition(lambda self: self.all_channels)
    @rule(data=st.data())
    def delete_channel(self, data: st.DataObject) -> None:
        channel = data.draw(st.sampled_from(self.all_channels), label="channel")
        if self.call("delete_contact_channel", ContactChannelId=channel) is not None:
            for owned in self.channels_of.values():
                if channel in owned:
                    owned.remove(channel)

    # -- time --------------------------------------------------------------------------------------

    @rule(seconds=advances)
    def advance(self, seconds: int) -> None:
        CASES[("state-machine", "advance")] += 1
        self.sim.advance(seconds)

    @rule(seconds=st.integers(0, 120))
    def advance_a_little(self, seconds: int) -> None:
        CASES[("state-machine", "advance")] += 1
        self.sim.advance(seconds)

    # -- the invariants ----------------------------------------------------------------------------

    @invariant()
    def records_keep_every_invariant(self) -> None:
        findings = check_records(
            self.sim.events,
            self.sim.outbox,
            engagements=self.sim.result()["engagements"],
            finished=False,
        )
        assert not findings, [finding.as_dict() for finding in findings]

    def teardown(self) -> None:
        self.sim.run()
        findings = check_records(
            self.sim.events, self.sim.outbox, engagements=self.sim.result()["engagements"]
        )
        assert not findings, [finding.as_dict() for finding in findings]


FAST = settings(
    max_examples=100,  # about 4,000 steps; -m slow runs 1,000 sequences
    stateful_step_count=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

TestEngineMachine = EngineMachine.TestCase
TestEngineMachine.settings = FAST


@pytest.mark.slow
def test_the_state_machine_in_a_long_run() -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        EngineMachine,
        settings=settings(FAST, max_examples=1000, stateful_step_count=60, derandomize=False),
    )
