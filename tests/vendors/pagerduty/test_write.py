"""Writing the neutral model as a PagerDuty export: a setup read from PagerDuty comes back
unchanged; constructs PagerDuty lacks are written as the nearest thing and each is listed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

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
from engine.vendors import pagerduty
from tests.vendors.pagerduty.conftest import read_document

UTC = dt.UTC
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_read_write_read_gives_the_same_setup(acme: OnCallSetup) -> None:
    document, lines = pagerduty.write(acme)
    assert lines == []
    again = read_document(document)
    # Notes say how the input was read; the written layer starts on its turn's hand-off, so
    # the note about a start in the middle of a turn is the only one that goes.
    assert dataclasses.replace(again, notes=()) == dataclasses.replace(acme, notes=())
    assert set(again.notes) == {n for n in acme.notes if "middle of a turn" not in n}


def test_the_written_document_is_the_api_shape(acme: OnCallSetup) -> None:
    document, _ = pagerduty.write(acme)
    assert pagerduty.looks_like(document)
    users: list[dict[str, Any]] = document["users"]  # type: ignore[assignment]
    alice = users[0]
    assert alice["email"] == "alice.okafor@acme.example"
    assert alice["contact_methods"][1] == {
        "id": "PCMA002",
        "type": "phone_contact_method",
        "label": "Mobile",
        "country_code": 44,
        "address": "7700900101",
    }
    assert alice["notification_rules"][2]["contact_method"] == {
        "id": "PCMA002",
        "type": "phone_contact_method_reference",
    }
    carla = users[2]
    # No e-mail method gives her handle: <handle>@<her e-mail's domain>, read back the same.
    assert carla["email"] == "carla-ruiz-oncall@acme.example"
    schedules: list[dict[str, Any]] = document["schedules"]  # type: ignore[assignment]
    layers = schedules[0]["schedule_layers"]
    assert [layer["id"] for layer in layers] == ["PLPAY02", "PLPAY01"]  # the top layer first
    assert layers[0]["restrictions"] == [
        {
            "type": "weekly_restriction",
            "start_time_of_day": "00:00:00",
            "duration_seconds": 172800,
            "start_day_of_week": 6,
        }
    ]
    policies: list[dict[str, Any]] = document["escalation_policies"]  # type: ignore[assignment]
    strategy = policies[0]["escalation_rules"][1]["escalation_rule_assignment_strategy"]
    assert strategy == {"type": "round_robin"}
    assert policies[0]["num_loops"] == 2


def test_writing_is_deterministic(acme: OnCallSetup) -> None:
    first, _ = pagerduty.write(acme)
    second, _ = pagerduty.write(acme)
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)


def _person(
    ident: str, handle: str, *methods: Method, rules: tuple[NotifyRule, ...] = ()
) -> Person:
    return Person(ident, handle, handle.title(), methods, rules)


def _foreign() -> OnCallSetup:
    """An organisation from another product with what PagerDuty cannot say directly."""
    ana = _person(
        "arn:contact/ana",
        "ana",
        Method("ana-sms", "SMS", "+15550100001"),
        Method("ana-mail", "EMAIL", "ana@corp.example"),
        Method("ana-hook", "WEBHOOK", "https://hooks.example/ana"),
        rules=(NotifyRule("ana-sms", 0, "any", retry=5), NotifyRule("ana-hook", 1, "any")),
    )
    ana = dataclasses.replace(ana, span=10)
    ben = _person("arn:contact/ben", "ben", Method("ben-voice", "VOICE", "+447700900777"))
    cy = _person("arn:contact/cy", "cy", Method("cy-mail", "EMAIL", "cy@corp.example"))
    pair = Rotation(
        "arn:rotation/pair",
        "pair",
        ("arn:contact/ana", "arn:contact/ben", "arn:contact/cy"),
        START,
        "Europe/London",
        "day",
        (HandOff(dt.time(9)),),
        on_call=2,
        windows=(Window(dt.time(8), 600, None),),
        overrides=(
            Override(
                dt.datetime(2026, 3, 4, tzinfo=UTC),
                dt.datetime(2026, 3, 5, tzinfo=UTC),
                ("arn:contact/cy", "arn:contact/ana"),
            ),
        ),
    )
    monthly = Rotation(
        "arn:rotation/month",
        "month",
        ("arn:contact/cy",),
        START,
        "Europe/London",
        "month",
        (HandOff(dt.time(9), 1),),
    )
    schedule = Schedule(
        "arn:contact/oncall",
        "oncall",
        "On call",
        ("arn:rotation/pair", "arn:rotation/month"),
        overrides=(
            Override(
                dt.datetime(2026, 3, 6, tzinfo=UTC),
                dt.datetime(2026, 3, 7, tzinfo=UTC),
                ("arn:contact/ben",),
                "add",
            ),
        ),
    )
    policy = Policy(
        "arn:contact/escalate",
        "escalate",
        "Escalate",
        (
            Step(0, (Target("schedule", "arn:contact/oncall"),)),
            Step(5, ()),
            Step(10, (Target("person", "arn:contact/ben", stops_on_ack=False),)),
            Step(3, (Target("policy", "arn:contact/other"),)),
        ),
        repeat=1,
        repeat_wait=7,
    )
    return OnCallSetup(
        "aws",
        (ana, ben, cy),
        (policy,),
        (pair, monthly),
        (schedule,),
    )


def test_constructs_pagerduty_lacks_are_listed() -> None:
    _, lines = pagerduty.write(_foreign())
    text = "\n".join(lines)
    for fragment in (
        "person ana: a rule retries every 5 minutes",
        "person ana: rules without urgency written as both a high- and a low-urgency rule",
        "person ana: personal rules run 10 minutes after the last one",
        "person ana: WEBHOOK method ana-hook has no PagerDuty contact method type",
        "schedule oncall: 3 people on call at once (its rotations add up)",
        "written as 3 schedules, each step targeting all of them",
        "schedule oncall rotation month: monthly hand-offs that are not evenly spaced",
        "PagerDuty overrides also apply outside the layer's restrictions",
        "schedule oncall: add override from 2026-03-06T00:00:00+00:00; PagerDuty overrides "
        "only replace: left out",
        "policy escalate: step 1 lasts 0 minutes; written as 1",
        "policy escalate: step 2 reaches nobody",
        "policy escalate: step 3 keeps paging after person arn:contact/ben acknowledges",
        "policy escalate: step 4 targets a policy, which PagerDuty rules cannot: left out",
        "policy escalate: waits 7 minutes between passes",
    ):
        assert fragment in text, fragment


def test_foreign_constructs_become_a_valid_export_with_the_same_on_call_order() -> None:
    document, _ = pagerduty.write(_foreign())
    setup = read_document(document)
    ids = [s.id for s in setup.schedules]
    assert ids == ["arn:contact/oncall", "arn:contact/oncall-2", "arn:contact/oncall-3"]
    rotations = {r.id: r for r in setup.rotations}
    # Two on call of (ana, ben, cy): shift i has members 2i and 2i+1 (mod 3); each slot is a
    # schedule of its own whose users repeat that pattern.
    assert rotations["arn:rotation/pair"].members == (
        "arn:contact/ana",
        "arn:contact/cy",
        "arn:contact/ben",
    )
    assert rotations["arn:rotation/pair-2"].members == (
        "arn:contact/ben",
        "arn:contact/ana",
        "arn:contact/cy",
    )
    assert rotations["arn:rotation/pair"].windows == (Window(dt.time(8), 600, None),)
    assert rotations["arn:rotation/pair"].start == START
    assert rotations["arn:rotation/month"].hand_offs == (HandOff(dt.time(9)),)
    assert rotations["arn:rotation/month"].every == 30  # a month written as 30 days
    # The rotation override gives each slot its own person.
    by_id = {s.id: s for s in setup.schedules}
    assert by_id["arn:contact/oncall"].overrides[0].people == ("arn:contact/cy",)
    assert by_id["arn:contact/oncall-2"].overrides[0].people == ("arn:contact/ana",)
    (policy,) = setup.policies
    first = policy.steps[0]
    assert [t.id for t in first.targets] == ids
    assert policy.steps[0].delay == 1 + 5  # the empty step's 5 minutes join the step before
    assert policy.steps[1].targets == (Target("person", "arn:contact/ben"),)
    assert policy.repeat == 1
    ana = setup.people[0]
    assert ana.handle == "ana"
    assert {(r.method, r.urgency) for r in ana.rules} == {("ana-sms", "high"), ("ana-sms", "low")}
    assert [m.kind for m in ana.methods] == ["SMS", "EMAIL"]
    assert setup.people[1].methods[0].address == "+447700900777"


def test_people_without_email_get_handle_at_domain() -> None:
    ben = _person("b", "ben", Method("m", "SMS", "+15550100002"))
    odd = _person("o", "o-brien", Method("e", "EMAIL", "Sean.OBrien@corp.example"))
    setup = OnCallSetup("goalert", (ben, odd))
    document, _ = pagerduty.write(setup)
    users: list[dict[str, Any]] = document["users"]  # type: ignore[assignment]
    assert [u["email"] for u in users] == ["ben@example.com", "o-brien@corp.example"]
    assert [p.handle for p in read_document(document).people] == ["ben", "o-brien"]


def test_a_single_rotation_schedule_round_trips_its_timing() -> None:
    rotation = Rotation(
        "r",
        "weekday mornings",
        ("a", "b"),
        dt.datetime(2026, 3, 4, 15, 0, tzinfo=UTC),
        "America/New_York",
        "day",
        (HandOff(dt.time(9)),),
        every=3,
    )
    people = tuple(_person(i, i, Method(f"{i}-m", "EMAIL", f"{i}@x.example")) for i in "ab")
    setup = OnCallSetup("aws", people, (), (rotation,), (Schedule("s", "s", "S", ("r",)),))
    document, lines = pagerduty.write(setup)
    assert lines == []
    back = read_document(document).rotations[0]
    # Mar 4 10:00 EST: the 3-day turn is the one from Mar 4 09:00, so the layer starts inside
    # its first hand-off step and the rotation keeps its start and order.
    assert (back.start, back.members, back.hand_offs, back.every) == (
        rotation.start,
        ("a", "b"),
        (HandOff(dt.time(9)),),
        3,
    )
