"""Reading the GoAlert fixture gives the hand-computed neutral model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine.policy.model import HandOff, OnCallSetup, Override, Target, Window
from engine.scenario.yamlsource import read_source
from engine.vendors import goalert

from .conftest import read_document

UTC = dt.UTC
ALEJR, BOB, CHEN, DANA, EVE, ALEJR2 = (
    f"a1000000-0000-4000-8000-00000000000{n}" for n in range(1, 7)
)
LONDON, NEW_YORK, NIGHT = (f"b2000000-0000-4000-8000-00000000000{n}" for n in range(1, 4))
PRIMARY, SECONDARY = "e3000000-0000-4000-8000-000000000001", "e3000000-0000-4000-8000-000000000002"
PAYMENTS, DATA = "90000000-0000-4000-8000-000000000001", "90000000-0000-4000-8000-000000000002"


def _method(n: int) -> str:
    return f"c1000000-0000-4000-8000-0000000000{n}"


def test_people_get_handles_from_their_email_local_part(org: OnCallSetup) -> None:
    assert [p.handle for p in org.people] == [
        "alejr",
        "bob-okafor",
        "chen",
        "dana",
        "eve",
        "alejr-2",
    ]
    assert [p.id for p in org.people] == [ALEJR, BOB, CHEN, DANA, EVE, ALEJR2]


def test_contact_methods_keep_kind_address_and_disabled_state(org: OnCallSetup) -> None:
    alejr, bob, chen, dana = org.people[:4]
    assert [(m.kind, m.address) for m in alejr.methods] == [
        ("SMS", "+447700900101"),
        ("VOICE", "+447700900101"),
        ("EMAIL", "alejr@example.com"),
    ]
    assert [m.kind for m in bob.methods] == ["SMS", "CHAT", "EMAIL"]
    assert [m.kind for m in chen.methods] == ["VOICE", "WEBHOOK"]
    assert [(m.kind, m.active) for m in dana.methods] == [("SMS", False), ("EMAIL", True)]


def test_notification_rules_keep_delay_and_method(org: OnCallSetup) -> None:
    alejr, bob = org.people[:2]
    assert [(r.method, r.delay, r.urgency) for r in alejr.rules] == [
        (_method(11), 0, "any"),
        (_method(12), 5, "any"),
        (_method(13), 0, "any"),
    ]
    assert [(r.method, r.delay) for r in bob.rules] == [
        (_method(21), 0),
        (_method(22), 0),
        (_method(23), 10),
    ]


def test_policies_keep_step_delays_targets_and_repeat(org: OnCallSetup) -> None:
    payments, data = org.policies
    assert (payments.id, payments.handle, payments.repeat, payments.repeat_wait) == (
        PAYMENTS,
        "payments-api",
        2,
        0,
    )
    assert [s.delay for s in payments.steps] == [5, 10, 15]
    assert payments.steps[0].targets == (Target("schedule", PRIMARY),)
    assert payments.steps[1].targets == (Target("schedule", SECONDARY), Target("person", ALEJR))
    # A rotation target reaches a schedule of that rotation alone; the Slack channel is a note.
    assert payments.steps[2].targets == (Target("schedule", NIGHT),)
    assert (data.handle, data.repeat, [s.delay for s in data.steps]) == (
        "data-platform",
        0,
        [10, 30],
    )
    assert data.steps[0].targets == (Target("person", CHEN),)


def test_hourly_rotation_of_twelve_hours_hands_off_twice_a_day(org: OnCallSetup) -> None:
    london = org.rotations[0]
    assert london.id == LONDON
    assert (london.period, london.every, london.on_call) == ("day", 1, 1)
    assert london.hand_offs == (HandOff(dt.time(8)), HandOff(dt.time(20)))
    assert london.start == dt.datetime(2026, 3, 20, 8, tzinfo=UTC)
    assert london.time_zone == "Europe/London"
    # activeUserIndex 2 (Chen) holds shift 10, which ends at nextHandoffTimes[0] (25 March
    # 20:00): members turn so that shift 10 -> members[10 % 3] is Chen.
    assert london.members == (BOB, CHEN, ALEJR)
    assert london.windows is None


def test_weekly_rotation_hands_off_on_the_start_weekday(org: OnCallSetup) -> None:
    new_york = org.rotations[1]
    assert (new_york.period, new_york.every) == ("week", 1)
    assert new_york.hand_offs == (HandOff(dt.time(9), 0),)  # Monday 09:00 New York
    assert new_york.members == (DANA, EVE, ALEJR2)


def test_hourly_rotation_of_one_hour_hands_off_every_hour(org: OnCallSetup) -> None:
    night = org.rotations[2]
    assert night.hand_offs == tuple(HandOff(dt.time(hour)) for hour in range(24))
    assert (night.period, night.every, night.members) == ("day", 1, (EVE, ALEJR))


def test_schedule_targets_become_rotations_with_rule_windows(org: OnCallSetup) -> None:
    primary, secondary, night = org.schedules
    one_member = f"{ALEJR2}@{PRIMARY}"
    assert (primary.handle, primary.layered, primary.time_zone) == (
        "primary-london",
        False,
        "Europe/London",
    )
    assert primary.rotations == (LONDON, one_member)
    user_rotation = next(r for r in org.rotations if r.id == one_member)
    assert user_rotation.members == (ALEJR2,)
    # Saturday and Sunday 22:00 to 06:00: a rule crossing midnight lasts 8 hours.
    assert user_rotation.windows == (Window(dt.time(22), 480, 5), Window(dt.time(22), 480, 6))
    restricted = next(r for r in org.rotations if r.id == f"{NEW_YORK}@{SECONDARY}")
    assert secondary.rotations == (restricted.id,)
    assert restricted.windows == tuple(Window(dt.time(9), 480, day) for day in range(5))
    assert restricted.hand_offs == org.rotations[1].hand_offs
    assert (night.id, night.handle, night.rotations) == (NIGHT, "night-hourly", (NIGHT,))


def test_user_overrides_become_add_remove_and_replace(org: OnCallSetup) -> None:
    primary, secondary, _ = org.schedules
    assert primary.overrides == (
        Override(
            dt.datetime(2026, 3, 28, 22, tzinfo=UTC),
            dt.datetime(2026, 3, 29, 10, tzinfo=UTC),
            (DANA,),
            "add",
            None,
            "f4000000-0000-4000-8000-000000000001",
        ),
        Override(
            dt.datetime(2026, 3, 30, 7, tzinfo=UTC),
            dt.datetime(2026, 3, 31, 7, tzinfo=UTC),
            (BOB,),
            "remove",
            None,
            "f4000000-0000-4000-8000-000000000002",
        ),
    )
    (swap,) = secondary.overrides
    assert (swap.mode, swap.people, swap.replaces) == ("replace", (ALEJR2,), EVE)


def test_notes_name_what_is_read_a_particular_way(org: OnCallSetup) -> None:
    notes = "\n".join(org.notes)
    assert "SLACK_DM contact method 'slack'" in notes
    assert "WEBHOOK contact method 'pager bridge'" in notes
    assert "slackChannel target #payments-oncall is kept but not simulated" in notes
    assert "chanWebhook target https://hooks.example.com/data" in notes
    assert "user Alejandro Reyes" in notes and "rotation of one member" in notes
    assert f"rotation Night hourly ({NIGHT})" in notes
    assert "the clocks skip from 2026-03-29 01:00 to 02:00" in notes
    assert org.settings == {
        "SMTP.Enable": "true",
        "Twilio.Enable": "true",
        "rotation-state": "active-user",
    }


def test_rotation_state_start_ignores_the_active_user(document: dict[str, object]) -> None:
    setup = read_document(document, {"rotation-state": "start"})
    assert setup.rotations[0].members == (ALEJR, BOB, CHEN)
    assert setup.settings["rotation-state"] == "start"


def test_twilio_disabled_makes_sms_and_voice_inactive(document: dict[str, object]) -> None:
    setup = read_document(document, {"Twilio.Enable": "false"})
    alejr = setup.people[0]
    assert [(m.kind, m.active) for m in alejr.methods] == [
        ("SMS", False),
        ("VOICE", False),
        ("EMAIL", True),
    ]
    assert any("Twilio.Enable is false" in note for note in setup.notes)


def test_monthly_rotation_after_the_28th_is_noted() -> None:
    document = {
        "users": [{"id": "u1", "name": "Ann", "email": "ann@example.com"}],
        "rotations": [
            {
                "id": "r1",
                "name": "Month end",
                "type": "monthly",
                "shiftLength": 2,
                "start": "2026-01-31T09:00:00Z",
                "timeZone": "UTC",
                "userIDs": ["u1"],
            }
        ],
    }
    setup = read_document(document)
    (rotation,) = setup.rotations
    assert (rotation.period, rotation.hand_offs, rotation.every) == (
        "month",
        (HandOff(dt.time(9), 31),),
        2,
    )
    assert any("day 31 of the month" in note for note in setup.notes)


def test_hourly_turn_of_36_hours_is_every_third_twelve_hour_hand_off() -> None:
    document = {
        "users": [{"id": "u1", "name": "Ann", "email": "ann@example.com"}],
        "rotations": [
            {
                "id": "r1",
                "name": "Long",
                "type": "hourly",
                "shiftLength": 36,
                "start": "2026-05-01T06:30:00Z",
                "timeZone": "UTC",
                "userIDs": ["u1"],
            }
        ],
    }
    (rotation,) = read_document(document).rotations
    assert rotation.hand_offs == (HandOff(dt.time(6, 30)), HandOff(dt.time(18, 30)))
    assert rotation.every == 3


def test_looks_like_claims_goalert_documents_only(document: dict[str, object]) -> None:
    assert goalert.looks_like(document)
    assert goalert.looks_like({"rotations": [{"id": "r", "shiftLength": 1}]})
    assert not goalert.looks_like({"escalation_policies": [], "users": [], "schedules": []})
    assert not goalert.looks_like({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}})
    assert not goalert.looks_like({"schedules": [{"rotations": [{"length": 1}]}], "users": []})
    assert not goalert.looks_like([document])


def test_rotation_without_users_is_left_out_with_a_note(document: dict[str, Any]) -> None:
    document["rotations"][2]["userIDs"] = []
    setup = read_document(document)
    assert NIGHT not in {r.id for r in setup.rotations}
    assert NIGHT not in {s.id for s in setup.schedules}
    assert setup.policies[0].steps[2].targets == ()
    notes = "\n".join(setup.notes)
    assert f"rotation Night hourly ({NIGHT}) has no users" in notes
    assert f"step 2: rotation {NIGHT} has no users: left out" in notes


def test_yaml_document_with_unquoted_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        "users:\n"
        "  - {id: u1, name: Ann Lee, email: ann.lee@example.com}\n"
        "rotations:\n"
        "  - id: r1\n"
        "    name: Daily\n"
        "    type: daily\n"
        "    shiftLength: 3\n"
        "    start: 2026-10-24T23:30:00+01:00\n"
        "    timeZone: Europe/London\n"
        "    userIDs: [u1]\n",
        encoding="utf-8",
    )
    setup = goalert.read(read_source(path), {})
    (rotation,) = setup.rotations
    assert setup.people[0].handle == "ann-lee"
    assert rotation.start == dt.datetime(2026, 10, 24, 22, 30, tzinfo=UTC)
    assert (rotation.hand_offs, rotation.every) == ((HandOff(dt.time(23, 30)),), 3)


def test_monthly_hand_off_in_a_spring_forward_gap_is_noted() -> None:
    document = {
        "users": [{"id": "u1", "name": "Ann", "email": "ann@example.com"}],
        "rotations": [
            {
                "id": "r1",
                "name": "Eighth",
                "type": "monthly",
                "shiftLength": 1,
                "start": "2026-01-08T02:30:00-05:00",
                "timeZone": "America/New_York",
                "userIDs": ["u1"],
            }
        ],
    }
    notes = read_document(document).notes
    assert any("02:30 hand-off on 2026-03-08 falls in the hour the clocks skip" in n for n in notes)


def test_contact_method_given_as_dest_only() -> None:
    document = {
        "users": [
            {
                "id": "u1",
                "name": "Ann",
                "email": "ann@example.com",
                "contactMethods": [
                    {
                        "id": "c1",
                        "name": "phone",
                        "dest": {
                            "type": "builtin-twilio-voice",
                            "args": {"phone_number": "+15550100"},
                        },
                        "disabled": False,
                    }
                ],
                "notificationRules": [{"id": "n1", "delayMinutes": 1, "contactMethodID": "c1"}],
            }
        ]
    }
    (person,) = read_document(document).people
    assert [(m.kind, m.address) for m in person.methods] == [("VOICE", "+15550100")]
