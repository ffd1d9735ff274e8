"""Reading the Acme Opsgenie export gives the neutral model worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.policy.model import HandOff, NotifyRule, OnCallSetup, Override, Step, Target, Window
from engine.scenario.errors import ScenarioError
from engine.scenario.yamlsource import parse_source
from engine.vendors import opsgenie
from tests.vendors.opsgenie.conftest import Reader

UTC = dt.UTC
ALEJR = "4513b7ea-3b91-438f-b7e4-e3e54af9147c"
BEA = "b2f3c9a0-5d8e-4f1a-9c3b-7e6d5a4b3c2d"
CHEN = "c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
DARA = "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a"
ELI = "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9"
FARAH = "f9a8b7c6-d5e4-4f3a-b2c1-d0e9f8a7b6c5"
LONDON = "a1b2c3d4-0001-4000-8000-000000000001"
NYC = "a1b2c3d4-0002-4000-8000-000000000002"


def _person(setup: OnCallSetup, person_id: str) -> Any:
    return next(p for p in setup.people if p.id == person_id)


def test_people_get_handles_from_the_username_local_part(acme: OnCallSetup) -> None:
    assert [(p.id, p.handle) for p in acme.people] == [
        (ALEJR, "alejr"),
        (BEA, "bea-kowalski"),  # Bea.Kowalski: lower case, "." -> "-"
        (CHEN, "chen-li"),
        (DARA, "dara"),
        (ELI, "eli-oncall"),  # eli+oncall: "+" -> "-"
        (FARAH, "farah"),
    ]
    assert _person(acme, ALEJR).name == "Alejandro Ruiz"
    assert _person(acme, CHEN).time_zone == "America/New_York"


def test_contact_methods_keep_their_kind_address_and_status(acme: OnCallSetup) -> None:
    methods = {m.id: m for p in acme.people for m in p.methods}
    assert (methods["c-alejr-sms"].kind, methods["c-alejr-sms"].address) == (
        "SMS",
        "+447700900101",  # Opsgenie's 44-7700900101, as E.164
    )
    assert methods["c-alejr-voice"].kind == "VOICE"
    assert methods["c-alejr-email"].kind == "EMAIL"
    assert methods["c-alejr-mobile"].kind == "PUSH"  # kept, not paged by the engine
    assert methods["c-chen-mobile"].active is False  # status.enabled false
    assert all(m.active for m in methods.values() if m.id != "c-chen-mobile")


def test_the_first_new_alert_rule_that_applies_gives_the_steps(acme: OnCallSetup) -> None:
    # alejr's P1 rule (criteria) and Nights rule (time restriction) are passed over by default;
    # the Default rule's enabled steps apply, the disabled e-mail step does not.
    assert _person(acme, ALEJR).rules == (
        NotifyRule("c-alejr-mobile", 0),
        NotifyRule("c-alejr-sms", 1),
        NotifyRule("c-alejr-voice", 5),
    )
    assert _person(acme, BEA).rules == (
        NotifyRule("c-bea-email", 0),
        NotifyRule("c-bea-sms", 2),
        NotifyRule("c-bea-voice", 10),
    )
    # farah's first rule is disabled; her second sends the SMS one hour after.
    assert _person(acme, FARAH).rules == (
        NotifyRule("c-farah-email", 0),
        NotifyRule("c-farah-sms", 60),
    )
    assert _person(acme, ELI).rules == (NotifyRule("c-eli-voice", 1),)


def test_delays_from_creation_become_step_durations(acme: OnCallSetup) -> None:
    payments, platform = acme.policies
    assert (payments.handle, payments.name) == ("payments-critical", "Payments critical")
    # Rules at 0, 10, 10, 60 and 60 minutes: steps lasting 10 and 50 minutes, then the last
    # (the next on-call of NYC, read as its on-call, and the admins of team Payments: alejr).
    assert payments.steps == (
        Step(10, (Target("schedule", LONDON),)),
        Step(50, (Target("person", BEA), Target("person", ALEJR, stops_on_ack=False))),
        Step(0, (Target("schedule", NYC), Target("person", ALEJR))),
    )
    assert (payments.repeat, payments.repeat_wait) == (2, 15)
    # Rules listed out of order (20, 5, 20 minutes): an empty first step waits 5 minutes. At
    # 20 minutes a random member of team Platform is a round-robin step lasting no time, then
    # eli's rule.
    assert platform.steps == (
        Step(5, ()),
        Step(15, (Target("schedule", NYC),)),
        Step(0, (Target("person", CHEN), Target("person", DARA)), round_robin=True),
        Step(0, (Target("person", ELI, stops_on_ack=False),)),
    )
    assert (platform.repeat, platform.repeat_wait) == (0, 0)


def test_rotation_turns_become_wall_clock_hand_offs(acme: OnCallSetup) -> None:
    rotations = {r.id: r for r in acme.rotations}
    week = rotations["r-ldn-week"]
    assert (week.period, week.hand_offs, week.every) == ("week", (HandOff(dt.time(9), 0),), 1)
    assert week.members == (ALEJR, BEA, FARAH)
    assert week.start == dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert (week.time_zone, week.on_call, week.windows) == ("Europe/London", 1, None)
    nights = rotations["r-ldn-nights"]
    assert (nights.period, nights.hand_offs, nights.every) == ("day", (HandOff(dt.time(19)),), 1)
    # time-of-day 19:00 to 07:00 runs past midnight: 12 hours every day.
    assert nights.windows == (Window(dt.time(19), 720),)
    # 12-hour turns from 08:00 New York time: daily hand-offs at 08:00 and 20:00.
    twelve = rotations["r-nyc-12h"]
    assert (twelve.period, twelve.every) == ("day", 1)
    assert twelve.hand_offs == (HandOff(dt.time(8)), HandOff(dt.time(20)))
    # Two-week turns from Saturday 09:00, on call Saturday 09:00 to Sunday 21:00 (36 hours).
    weekend = rotations["r-nyc-weekend"]
    assert (weekend.period, weekend.hand_offs, weekend.every) == (
        "week",
        (HandOff(dt.time(9), 5),),
        2,
    )
    assert weekend.windows == (Window(dt.time(9), 2160, 5),)


def test_schedules_add_their_rotations_and_carry_overrides(acme: OnCallSetup) -> None:
    london, nyc = acme.schedules
    assert (london.handle, london.layered, london.time_zone) == (
        "london-primary",
        False,
        "Europe/London",
    )
    assert london.rotations == ("r-ldn-week", "r-ldn-nights")
    assert nyc.handle == "nyc-follow-the-sun"
    # An override naming no rotation covers the schedule (dara named by username).
    assert london.overrides == (
        Override(
            dt.datetime(2026, 3, 28, 12, tzinfo=UTC),
            dt.datetime(2026, 3, 29, 12, tzinfo=UTC),
            (DARA,),
            "replace",
            None,
            "ovr-ldn-dara",
        ),
    )
    rotations = {r.id: r for r in acme.rotations}
    # An override naming rotations replaces those rotations' on-call (times with offsets).
    assert rotations["r-ldn-nights"].overrides == (
        Override(
            dt.datetime(2026, 3, 31, 18, tzinfo=UTC),
            dt.datetime(2026, 4, 1, 6, tzinfo=UTC),
            (BEA,),
            "replace",
            None,
            "ovr-ldn-bea-night",
        ),
    )
    assert rotations["r-ldn-week"].overrides == ()
    assert [o.id for o in rotations["r-nyc-12h"].overrides] == ["ovr-nyc-dara"]


def test_notes_name_what_was_read_a_particular_way(acme: OnCallSetup) -> None:
    notes = "\n".join(acme.notes)
    assert "nr-alejr-p1 (P1 by phone): has criteria" in notes
    assert "nr-alejr-night (Nights): has a time restriction; passed over" in notes
    assert "nr-chen-default repeats its steps" in notes
    assert "rotation r-nyc-12h (Twelve hours): hourly turns are read on the wall clock" in notes
    assert f"next on-call of schedule {NYC}; simulated as the current on-call" in notes
    assert "resetRecipientStates" in notes and "closeAlertAfterAll" in notes
    assert "a random member of team t-platform; simulated as round robin" in notes
    assert f"user {BEA} (Bea.Kowalski@acme.example): Re-Notified Alert rules" in notes
    assert acme.product == "opsgenie"
    assert acme.settings == {
        "notification-criteria": "skip",
        "notification-time-restriction": "skip",
        "absent-enabled": "enabled",
    }


def test_settings_change_which_rule_applies(acme_doc: dict[str, Any], read_doc: Reader) -> None:
    matched = read_doc(acme_doc, {"notification-criteria": "match"})
    assert _person(matched, ALEJR).rules == (NotifyRule("c-alejr-voice", 0),)
    assert any("criteria are taken to match every alert" in n for n in matched.notes)
    timed = read_doc(acme_doc, {"notification-time-restriction": "apply"})
    assert _person(timed, ALEJR).rules == (NotifyRule("c-alejr-voice", 0),)
    assert any("read as applying at all times" in n for n in timed.notes)
    assert timed.settings["notification-time-restriction"] == "apply"


def test_absent_enabled_follows_its_setting(acme_doc: dict[str, Any], read_doc: Reader) -> None:
    dara = acme_doc["users"][3]
    del dara["contacts"][0]["status"]
    del dara["notificationRules"][0]["enabled"]
    assert _person(read_doc(acme_doc), DARA).methods[0].active is True
    disabled = read_doc(acme_doc, {"absent-enabled": "disabled"})
    assert _person(disabled, DARA).methods[0].active is False
    assert _person(disabled, DARA).rules == ()
    assert any(f"user {DARA} (dara@acme.example): no New Alert" in n for n in disabled.notes)


def test_looks_like_tells_an_opsgenie_export_from_others(acme_doc: dict[str, Any]) -> None:
    assert opsgenie.looks_like(acme_doc)
    assert opsgenie.looks_like({"escalations": [{"name": "x", "rules": []}]})
    pagerduty = {
        "users": [{"id": "PXPGF42", "name": "Earline Greenholt", "email": "e@example.com"}],
        "escalation_policies": [],
        "schedules": [{"id": "PI7DH85", "time_zone": "Europe/London"}],
    }
    assert not opsgenie.looks_like(pagerduty)
    assert not opsgenie.looks_like({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}})
    assert not opsgenie.looks_like({"contacts": {}, "scenarios": []})
    assert not opsgenie.looks_like({"users": [{"id": "u1", "name": "no username"}]})
    assert not opsgenie.looks_like([acme_doc])
    assert not opsgenie.looks_like({})


def test_absent_condition_and_notify_type_take_the_stated_defaults(
    acme_doc: dict[str, Any], read_doc: Reader
) -> None:
    rule = acme_doc["escalations"][1]["rules"][0]  # if-not-closed to eli at 20 minutes
    del rule["condition"], rule["notifyType"]
    platform = read_doc(acme_doc).policies[1]
    assert platform.steps[-1] == Step(0, (Target("person", ELI, stops_on_ack=True),))


_YAML = """\
users:
  - id: u1
    username: kim@acme.example
    contacts:
      - {id: c1, method: voice, to: 1-2025550100}
    notificationRules:
      - id: r1
        actionType: create-alert
        steps:
          - contact: {method: voice, to: 1-2025550100}
            sendAfter: {timeAmount: 2}
teams:
  - id: t1
    name: Ops
    members:
      - {user: {username: kim@acme.example}, role: admin}
schedules:
  - id: s1
    name: Ops / Primary
    timezone: Europe/Berlin
    enabled: false
    rotations:
      - id: rot1
        startDate: 2026-03-23T08:00:00+01:00
        type: daily
        participants: [{type: user, username: kim@acme.example}]
escalations:
  - id: e1
    name: Ops!
    rules:
      - recipient: {type: team, name: Ops}
        notifyType: all
        delay: {timeAmount: 0}
"""


def test_yaml_with_unquoted_dates_and_defaults() -> None:
    setup = opsgenie.read(parse_source(_YAML, "ops.yaml"), {})
    (kim,) = setup.people
    assert (kim.handle, kim.rules) == ("kim", (NotifyRule("c1", 2),))  # minutes by default
    (rotation,) = setup.rotations
    # YAML reads the unquoted date as a datetime; 08:00+01:00 is 07:00 UTC, length 1 by default.
    assert rotation.start == dt.datetime(2026, 3, 23, 7, tzinfo=UTC)
    assert (rotation.hand_offs, rotation.every) == ((HandOff(dt.time(8)),), 1)
    (schedule,) = setup.schedules
    # A disabled schedule has nobody on call; its rotation is kept but in no schedule.
    assert (schedule.handle, schedule.rotations) == ("ops-primary", ())
    assert "schedule s1 (Ops / Primary) is disabled: read with nobody on call" in setup.notes
    (policy,) = setup.policies
    assert policy.handle == "ops"
    assert policy.steps == (Step(0, (Target("person", "u1"),)),)  # all members, if-not-acked


def test_yaml_dates_without_an_offset_are_refused() -> None:
    text = _YAML.replace("2026-03-23T08:00:00+01:00", "2026-03-23 08:00:00")
    with pytest.raises(ScenarioError) as caught:
        opsgenie.read(parse_source(text, "ops.yaml"), {})
    (problem,) = caught.value.problems
    assert problem.path == ("schedules", 0, "rotations", 0, "startDate")
    assert "must give its UTC offset" in problem.message
    assert problem.line == 24  # the startDate line of the YAML text
