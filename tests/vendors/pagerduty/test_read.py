"""Reading the Acme PagerDuty export gives the hand-computed neutral model: people with their
handles, methods and urgency rules, policies with delays, loops and round robin, layered
schedules whose layers are rotations (top layer last), restrictions, overrides, and notes."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml

from engine.policy.model import (
    HandOff,
    Method,
    NotifyRule,
    OnCallSetup,
    Override,
    Step,
    Target,
    Window,
)
from engine.scenario.yamlsource import parse_source
from engine.vendors import pagerduty
from tests.vendors.pagerduty.conftest import FIXTURE, read_document

UTC = dt.UTC


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def test_people_get_the_shared_handle_rule(acme: OnCallSetup) -> None:
    handles = {p.id: p.handle for p in acme.people}
    assert handles == {
        "PAL1CE1": "alice-okafor",  # alice.okafor@: the dot becomes -
        "PB0B002": "bob",
        "PCAR003": "carla-ruiz-oncall",  # Carla.Ruiz+oncall@: lower case, + becomes -
        "PDAN004": "dan-o-neil",  # dan.o'neil@
        "PEVE005": "eve",
        "PEVE006": "eve-2",  # Eve@partner.example repeats eve: numbered in input order
    }


def test_contact_methods_map_to_kinds_with_e164_addresses(acme: OnCallSetup) -> None:
    alice = acme.people[0]
    assert alice.name == "Alice Okafor"
    assert alice.time_zone == "Europe/London"
    assert alice.methods == (
        Method("PCMA001", "EMAIL", "alice.okafor@acme.example", "Work"),
        Method("PCMA002", "VOICE", "+447700900101", "Mobile"),
        Method("PCMA003", "SMS", "+447700900101", "Mobile"),
        Method("PCMA004", "PUSH", "f1e2d3c4b5a6", "Pixel 8"),
    )
    carla = acme.people[2]
    assert [m.kind for m in carla.methods] == ["EMAIL", "VOICE", "CHAT"]
    assert carla.methods[1].address == "+34912345678"
    dan = acme.people[3]
    assert dan.methods[0].kind == "VOICE"
    assert dan.methods[0].active is False  # blacklisted by PagerDuty
    assert dan.methods[1].active is True


def test_notification_rules_keep_delay_and_urgency(acme: OnCallSetup) -> None:
    alice, bob = acme.people[0], acme.people[1]
    assert alice.rules == (
        NotifyRule("PCMA004", 0, "high"),
        NotifyRule("PCMA003", 0, "high"),
        NotifyRule("PCMA002", 5, "high"),
        NotifyRule("PCMA001", 0, "low"),
    )
    assert bob.rules == (
        NotifyRule("PCMB002", 0, "high"),
        NotifyRule("PCMB001", 2, "high"),
        NotifyRule("PCMB001", 0, "low"),
    )
    assert all(p.span is None for p in acme.people)


def test_policies_keep_delays_loops_and_round_robin(acme: OnCallSetup) -> None:
    payments, platform = acme.policies
    assert (payments.id, payments.handle, payments.name) == (
        "PPAYEP1",
        "payments-primary",
        "Payments — Primary",
    )
    assert payments.repeat == 2
    assert payments.repeat_wait == 0
    assert payments.steps == (
        Step(15, (Target("schedule", "PSCHPAY"),)),
        Step(10, (Target("person", "PB0B002"), Target("person", "PCAR003")), round_robin=True),
        Step(30, (Target("schedule", "PSCHSEC"), Target("person", "PAL1CE1"))),
    )
    assert (platform.handle, platform.repeat) == ("platform-escalation", 0)
    assert [s.delay for s in platform.steps] == [5, 20]


def test_layers_are_rotations_with_the_top_layer_last(acme: OnCallSetup) -> None:
    payments, secondary = acme.schedules
    assert payments.handle == "payments-primary"
    assert payments.layered is True
    assert payments.time_zone == "Europe/London"
    # GET lists the top layer first (PLPAY02); the neutral schedule lists it last, as it wins.
    assert payments.rotations == ("PLPAY01", "PLPAY02")
    assert secondary.handle == "secondary-follow-the-sun"
    assert secondary.rotations == ("PLSEC01", "PLSEC02")
    assert [r.id for r in acme.rotations] == ["PLPAY01", "PLPAY02", "PLSEC01", "PLSEC02"]


def test_weekly_and_daily_turns_become_hand_offs(acme: OnCallSetup) -> None:
    rotations = {r.id: r for r in acme.rotations}
    weekly = rotations["PLPAY01"]
    assert weekly.members == ("PAL1CE1", "PB0B002", "PCAR003")
    assert (weekly.period, weekly.hand_offs, weekly.every) == ("week", (HandOff(dt.time(9), 0),), 1)
    assert weekly.start == _at("2026-03-02T09:00:00Z")
    assert weekly.windows is None
    assert weekly.on_call == 1
    weekend = rotations["PLPAY02"]
    assert (weekend.period, weekend.hand_offs, weekend.every) == ("day", (HandOff(dt.time(18)),), 1)
    # weekly_restriction from Saturday (ISO day 6) 00:00 for 48 hours.
    assert weekend.windows == (Window(dt.time(0), 2880, 5),)


def test_twelve_hour_turns_hand_off_twice_a_day_from_a_mid_turn_start(acme: OnCallSetup) -> None:
    halves = {r.id: r for r in acme.rotations}["PLSEC02"]
    assert halves.time_zone == "America/New_York"
    assert halves.hand_offs == (HandOff(dt.time(8)), HandOff(dt.time(20)))
    assert halves.every == 1
    # Virtual start Mar 1 08:00 EST; the layer starts Mar 4 15:30, 7.5 h into turn 6 (bob's):
    # less than one 12-hour hand-off in, so the rotation starts at the layer's own start.
    assert halves.start == _at("2026-03-04T15:30:00-05:00")
    assert halves.members == ("PB0B002", "PCAR003", "PEVE005")
    assert halves.windows == (Window(dt.time(7), 840, None),)


def test_a_start_deep_in_a_multi_day_turn_moves_to_that_turns_hand_off(
    acme: OnCallSetup,
) -> None:
    backstop = {r.id: r for r in acme.rotations}["PLSEC01"]
    # 2-day turns from Feb 1 00:00 EST; the layer starts Mar 6 12:00, 36 h into turn 16
    # (Mar 5 00:00, alice's): the engine counts turns from the start, so it starts there.
    assert (backstop.period, backstop.every) == ("day", 2)
    assert backstop.hand_offs == (HandOff(dt.time(0)),)
    assert backstop.start == _at("2026-03-05T00:00:00-05:00")
    assert backstop.members == ("PAL1CE1", "PDAN004")
    assert backstop.end == _at("2026-12-31T00:00:00-05:00")
    assert any("PLSEC01" in note and "middle of a turn" in note for note in acme.notes)


def test_overrides_replace_whoever_is_on_call(acme: OnCallSetup) -> None:
    payments, secondary = acme.schedules
    assert payments.overrides == (
        Override(
            _at("2026-03-11T09:00:00Z"),
            _at("2026-03-12T09:00:00Z"),
            ("PEVE006",),
            "replace",
            None,
            "PQ0PAY1",
        ),
    )
    (across_dst,) = secondary.overrides
    assert (across_dst.start, across_dst.end) == (
        _at("2026-03-08T05:00:00Z"),
        _at("2026-03-08T16:00:00Z"),
    )
    assert across_dst.people == ("PAL1CE1",)


def test_notes_name_what_is_kept_but_not_simulated(acme: OnCallSetup) -> None:
    notes = "\n".join(acme.notes)
    assert "user PAL1CE1 (Alice Okafor): push_notification_contact_method PCMA004" in notes
    assert "user PCAR003 (Carla Ruiz): whatsapp_contact_method PCMC003" in notes
    assert "escalation policy PPAYEP1 (Payments — Primary) rule 2: assigns round robin" in notes
    assert "layer PLSEC02 (Day halves): turns of 720 minutes are read on the wall clock" in notes
    # Whole-day and whole-week turns follow the wall clock as PagerDuty documents: no note.
    assert "PLPAY01" not in notes
    assert "PLPAY02" not in notes


def test_settings_default_and_are_recorded(acme: OnCallSetup) -> None:
    assert dict(acme.settings) == {"urgency": "high", "turn_clock": "wall", "layer_order": "api"}
    assert dict(pagerduty.SETTINGS) == {
        "urgency": ("high", ("high", "low")),
        "turn_clock": ("wall", ("wall", "elapsed")),
        "layer_order": ("api", ("api", "created")),
    }


def test_urgency_low_keeps_rules_of_both_urgencies_and_does_not_escalate(
    document: dict[str, Any],
) -> None:
    setup = read_document(document, {"urgency": "low"})
    assert setup.settings["urgency"] == "low"
    assert {r.urgency for r in setup.people[0].rules} == {"high", "low"}
    payments, platform = setup.policies
    assert payments.steps == (Step(15, (Target("schedule", "PSCHPAY"),)),)
    assert (payments.repeat, len(platform.steps)) == (0, 1)
    assert any(
        "escalation policy PPAYEP1 (Payments — Primary): low-urgency incidents do not escalate"
        in note
        for note in setup.notes
    )


def test_layer_order_created_reads_the_first_layer_as_the_bottom_one(
    document: dict[str, Any],
) -> None:
    setup = read_document(document, {"layer_order": "created"})
    assert setup.schedules[0].rotations == ("PLPAY02", "PLPAY01")


def test_turn_clock_elapsed_reads_sub_day_turns_in_utc(document: dict[str, Any]) -> None:
    setup = read_document(document, {"turn_clock": "elapsed"})
    rotations = {r.id: r for r in setup.rotations}
    halves = rotations["PLSEC02"]
    assert halves.time_zone == "UTC"
    # Mar 1 08:00 EST is 13:00 UTC: hand-offs at 01:00 and 13:00 UTC all year.
    assert halves.hand_offs == (HandOff(dt.time(1)), HandOff(dt.time(13)))
    # The 07:00 restriction at the layer start's offset (-05:00).
    assert halves.windows == (Window(dt.time(12), 840, None),)
    assert rotations["PLSEC01"].time_zone == "America/New_York"  # whole days stay local
    assert any("turn_clock=elapsed" in note and "PLSEC02" in note for note in setup.notes)


def test_the_same_document_reads_to_the_same_setup(document: dict[str, Any]) -> None:
    assert read_document(document) == read_document(document)


def test_looks_like_claims_pagerduty_exports_only(document: dict[str, Any]) -> None:
    assert pagerduty.looks_like(document)
    assert pagerduty.looks_like({"schedules": document["schedules"]})
    assert pagerduty.looks_like({"users": document["users"]})
    assert not pagerduty.looks_like({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}})
    assert not pagerduty.looks_like({"contacts": {"akuam": {}}, "users": document["users"]})
    opsgenie_like = {
        "users": [{"username": "a@x.example", "fullName": "A"}],
        "schedules": [{"name": "s", "rotations": [{"type": "weekly"}]}],
        "escalations": [{"name": "e", "rules": [{"delay": {"timeAmount": 5}}]}],
    }
    assert not pagerduty.looks_like(opsgenie_like)
    assert not pagerduty.looks_like({"users": [], "schedules": []})
    assert not pagerduty.looks_like([document])
    assert not pagerduty.looks_like("users")


def test_yaml_with_unquoted_times_reads_like_the_json(acme: OnCallSetup) -> None:
    """YAML reads unquoted ISO times as dates and 17:00:00 as a sexagesimal number; both are
    taken for what they say."""
    text = FIXTURE.read_text(encoding="utf-8")
    as_yaml = yaml.safe_dump(json.loads(text), allow_unicode=True, sort_keys=False)
    unquoted = re.sub(r"'(\d{4}-\d\d-\d\dT[\d:]+[+-]\d\d:\d\d|\d\d:\d\d:\d\d)'", r"\1", as_yaml)
    assert unquoted != as_yaml
    assert "start_time_of_day: 07:00:00" in unquoted
    setup = pagerduty.read(parse_source(unquoted, "export.yaml"), {})
    assert setup == acme
    later = unquoted.replace("start_time_of_day: 07:00:00", "start_time_of_day: 17:00:00")
    assert (
        yaml.safe_load(later)["schedules"][1]["schedule_layers"][0]["restrictions"][0][
            "start_time_of_day"
        ]
        == 61200
    )  # what YAML makes of it
    halves = pagerduty.read(parse_source(later, "export.yaml"), {}).rotations[3]
    assert halves.windows == (Window(dt.time(17), 840, None),)
