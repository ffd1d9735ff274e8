"""Rotations, on-call schedules and overrides in scenario files: both forms, and their errors."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from engine.cli.exits import BAD_FILE
from engine.cli.main import scenario_exit
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import Scenario, load_text
from engine.scenario.organisation import ROTATION_NAMESPACE
from engine.scenario.runner import build_simulator, run_scenario

FILE = "oncall.scenario.yaml"
PREFIX = "arn:aws:ssm-contacts:us-east-2:111122223333:"
UTC = dt.UTC
PRIMARY_ARN = f"{PREFIX}rotation/{uuid.uuid5(ROTATION_NAMESPACE, 'primary')}"

SHORT = """\
version: 1
name: short
start: 2026-01-01T00:00:00Z
region: us-east-2
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  alejr:
    channels: {sms: {type: SMS, address: "+15550101"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  primary_oncall:
    rotations: [primary]
rotations:
  primary:
    members: [akuam, alejr]
    zone: America/New_York
    daily: [09:00, 21:00]
    every: 2
    on_calls: 1
    coverage: {MON: [["08:00", "18:00"]], SAT: [[22:30, "02:00"]]}
    overrides:
      - {id: cover, start: 2026-01-05T14:00:00Z, end: 2026-01-05T16:00:00Z, members: [alejr]}
      - {start: 2026-01-06T14:00:00Z, end: 2026-01-06T15:00:00Z, members: []}
"""

AWS = f"""\
version: 1
name: aws
start: 2026-01-01T00:00:00Z
region: us-east-2
contacts:
  - ContactArn: {PREFIX}contact/akuam
    Alias: akuam
    Type: PERSONAL
    Plan:
      Stages:
        - DurationInMinutes: 5
          Targets:
            - ChannelTargetInfo:
                ContactChannelId: {PREFIX}contact-channel/akuam/0b8d7a52-3f0c-4c39-9d8e-7b1a2c3d4e5f
    channels:
      - ContactChannelArn: {PREFIX}contact-channel/akuam/0b8d7a52-3f0c-4c39-9d8e-7b1a2c3d4e5f
        Name: sms
        Type: SMS
        DeliveryAddress: {{SimpleAddress: "+15550100"}}
        ActivationStatus: ACTIVATED
  - ContactArn: {PREFIX}contact/primary_oncall
    Alias: primary_oncall
    Type: ONCALL_SCHEDULE
    Plan:
      RotationIds: [{PREFIX}rotation/11111111-2222-3333-4444-555555555555]
rotations:
  - RotationArn: {PREFIX}rotation/11111111-2222-3333-4444-555555555555
    Name: primary
    ContactIds: [{PREFIX}contact/akuam]
    StartTime: "2026-01-01T09:00:00+00:00"
    TimeZoneId: Europe/London
    Recurrence:
      NumberOfOnCalls: 1
      RecurrenceMultiplier: 1
      WeeklySettings:
        - DayOfWeek: MON
          HandOffTime: {{HourOfDay: 9, MinuteOfHour: 0}}
      ShiftCoverages:
        MON:
          - Start: {{HourOfDay: 9, MinuteOfHour: 0}}
            End: {{HourOfDay: 17, MinuteOfHour: 0}}
overrides:
  - RotationOverrideId: 22222222-2222-3333-4444-555555555555
    RotationArn: {PREFIX}rotation/11111111-2222-3333-4444-555555555555
    NewContactIds: []
    StartTime: "2026-01-05T10:00:00Z"
    EndTime: "2026-01-05T11:00:00Z"
    CreateTime: "2025-12-01T00:00:00Z"
"""


def load(text: str) -> Scenario:
    (scenario,) = load_text(text, FILE)
    return scenario


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        scenario = load(text)
        build_simulator(scenario)
    assert scenario_exit(caught.value) == BAD_FILE
    return caught.value.lines()


def test_the_short_form_compiles_to_get_rotation_shapes() -> None:
    organisation = load(SHORT).organisation
    assert organisation.rotations == [
        {
            "RotationArn": PRIMARY_ARN,
            "Name": "primary",
            "ContactIds": [f"{PREFIX}contact/akuam", f"{PREFIX}contact/alejr"],
            "StartTime": dt.datetime(2026, 1, 1, tzinfo=UTC),
            "TimeZoneId": "America/New_York",
            "Recurrence": {
                "NumberOfOnCalls": 1,
                "RecurrenceMultiplier": 2,
                "DailySettings": [
                    {"HourOfDay": 9, "MinuteOfHour": 0},
                    {"HourOfDay": 21, "MinuteOfHour": 0},
                ],
                "ShiftCoverages": {
                    "MON": [
                        {
                            "Start": {"HourOfDay": 8, "MinuteOfHour": 0},
                            "End": {"HourOfDay": 18, "MinuteOfHour": 0},
                        }
                    ],
                    "SAT": [
                        {
                            "Start": {"HourOfDay": 22, "MinuteOfHour": 30},
                            "End": {"HourOfDay": 2, "MinuteOfHour": 0},
                        }
                    ],
                },
            },
        }
    ]


def test_a_short_form_schedule_names_its_rotations() -> None:
    organisation = load(SHORT).organisation
    schedule = organisation.contacts[-1]
    assert schedule == {
        "ContactArn": f"{PREFIX}contact/primary_oncall",
        "Alias": "primary_oncall",
        "Type": "ONCALL_SCHEDULE",
        "Plan": {"RotationIds": [PRIMARY_ARN]},
    }


def test_short_form_overrides_keep_their_order_and_get_stable_ids() -> None:
    organisation = load(SHORT).organisation
    cover = str(uuid.uuid5(ROTATION_NAMESPACE, "primary/override/cover"))
    second = str(uuid.uuid5(ROTATION_NAMESPACE, "primary/override/1"))
    assert [o["RotationOverrideId"] for o in organisation.overrides] == [cover, second]
    assert organisation.overrides[1]["NewContactIds"] == []
    assert organisation.override_ids == {"cover": cover}


def test_weekly_and_monthly_hand_offs_compile() -> None:
    text = SHORT.replace(
        "    daily: [09:00, 21:00]\n",
        '    weekly: [{day: MON, at: "09:00"}, {day: THU, at: 17:30}]\n',
    )
    recurrence = load(text).organisation.rotations[0]["Recurrence"]
    assert recurrence["WeeklySettings"] == [
        {"DayOfWeek": "MON", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}},
        {"DayOfWeek": "THU", "HandOffTime": {"HourOfDay": 17, "MinuteOfHour": 30}},
    ]
    text = SHORT.replace("    daily: [09:00, 21:00]\n", '    monthly: [{day: 31, at: "10:00"}]\n')
    recurrence = load(text).organisation.rotations[0]["Recurrence"]
    assert recurrence["MonthlySettings"] == [
        {"DayOfMonth": 31, "HandOffTime": {"HourOfDay": 10, "MinuteOfHour": 0}}
    ]


def test_the_short_form_runs_a_schedule_engagement() -> None:
    text = SHORT + (
        "script:\n"
        "  - at: 2026-01-05T13:30:00Z\n"
        "    id: page\n"
        "    StartEngagement: {ContactId: primary_oncall, Sender: s, Subject: s, Content: c}\n"
    )
    outcome = run_scenario(load(text))
    assert not outcome.failures
    pages = outcome.result()["engagements"][0]["Pages"]
    # Monday 08:30 in New York: the shift from Saturday 21:00 (every second hand-off), akuam's.
    assert [p["ContactArn"] for p in pages] == [f"{PREFIX}contact/akuam"]


def test_the_aws_form_imports_rotations_and_overrides_as_written() -> None:
    scenario = load(AWS)
    assert scenario.organisation.rotation_names == {
        "primary": f"{PREFIX}rotation/11111111-2222-3333-4444-555555555555"
    }
    sim, _ = build_simulator(scenario)
    shifts = sim.client().list_rotation_shifts(
        RotationId=f"{PREFIX}rotation/11111111-2222-3333-4444-555555555555",
        StartTime=dt.datetime(2026, 1, 5, tzinfo=UTC),
        EndTime=dt.datetime(2026, 1, 6, tzinfo=UTC),
    )["RotationShifts"]
    assert [(s["StartTime"].hour, s["EndTime"].hour, s["Type"]) for s in shifts] == [
        (9, 10, "REGULAR"),
        (10, 11, "OVERRIDDEN"),
        (11, 17, "REGULAR"),
    ]


def test_an_aws_form_schedule_may_name_a_rotation_of_the_file() -> None:
    text = AWS.replace(
        f"RotationIds: [{PREFIX}rotation/11111111-2222-3333-4444-555555555555]",
        "RotationIds: [primary]",
    )
    schedule = load(text).organisation.contacts[1]
    assert schedule["Plan"]["RotationIds"] == [
        f"{PREFIX}rotation/11111111-2222-3333-4444-555555555555"
    ]


def test_script_steps_name_rotations_and_overrides_created_by_earlier_steps() -> None:
    text = SHORT + (
        "script:\n"
        "  - at: 0m\n"
        "    CreateRotation:\n"
        "      Name: backup\n"
        "      ContactIds: [alejr]\n"
        "      StartTime: 2026-01-01T00:00:00Z\n"
        "      TimeZoneId: UTC\n"
        "      Recurrence: {NumberOfOnCalls: 1, RecurrenceMultiplier: 1,\n"
        "                   DailySettings: [{HourOfDay: 9, MinuteOfHour: 0}]}\n"
        "  - at: 1m\n"
        "    id: extra\n"
        "    CreateRotationOverride: {RotationId: backup, NewContactIds: [alejr],\n"
        "      StartTime: 2026-01-02T00:00:00Z, EndTime: 2026-01-02T01:00:00Z}\n"
        "  - at: 2m\n"
        "    id: fetched\n"
        "    GetRotationOverride: {RotationId: backup, RotationOverrideId: extra}\n"
        "  - at: 3m\n"
        "    CreateContact: {Alias: backup_oncall, Type: ONCALL_SCHEDULE,\n"
        "      Plan: {RotationIds: [primary, backup]}}\n"
        "  - at: 4m\n"
        "    DeleteRotationOverride: {RotationId: primary, RotationOverrideId: cover}\n"
        "  - at: 5m\n"
        "    GetRotationOverride: {RotationId: primary, RotationOverrideId: cover}\n"
        "    expect_error: ResourceNotFoundException\n"
    )
    outcome = run_scenario(load(text))
    assert [step.failure() for step in outcome.failures] == []
    fetched = outcome.steps[2]
    assert fetched.request is not None and fetched.response is not None
    assert fetched.request["RotationId"].startswith(f"{PREFIX}rotation/")
    assert fetched.response["NewContactIds"] == [f"{PREFIX}contact/alejr"]
    plan = outcome.steps[3].request
    assert plan is not None
    assert plan["Plan"]["RotationIds"][0] == PRIMARY_ARN


def test_rotations_at_the_top_of_a_multi_scenario_file_are_shared() -> None:
    text = SHORT.replace("name: short\n", "") + (
        "scenarios:\n  - name: one\n  - name: two\n    rotations: {}\n"
        "    contacts: {akuam: {channels: {sms: {type: SMS, address: '+1555'}}}}\n"
    )
    one, two = load_text(text, FILE)
    assert [r["Name"] for r in one.organisation.rotations] == ["primary"]
    assert two.organisation.rotations == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "members: [akuam, alejr]",
            "members: [akuam, bob]",
            "oncall.scenario.yaml:16: rotations.primary.members[1]: no contact named 'bob' in "
            "this scenario (known: akuam, alejr, primary_oncall)",
        ),
        (
            "rotations: [primary]",
            "rotations: [primery]",
            "oncall.scenario.yaml:13: contacts.primary_oncall.rotations[0]: no rotation named "
            "'primery' in this scenario (known: primary)",
        ),
        (
            "    daily: [09:00, 21:00]\n",
            "    daily: [09:00, 21:00]\n    weekly: [{day: MON, at: '09:00'}]\n",
            "oncall.scenario.yaml:15: rotations.primary: a rotation hands off on exactly one of "
            "daily, weekly or monthly (found: daily, weekly)",
        ),
        (
            "daily: [09:00, 21:00]",
            'daily: [09:00, "25:00"]',
            'oncall.scenario.yaml:18: rotations.primary.daily[1]: write a time of day as "HH:MM", '
            'e.g. "09:00" or "21:30" (got \'25:00\')',
        ),
        (
            "    members: [akuam, alejr]\n",
            "    memebers: [akuam, alejr]\n",
            "oncall.scenario.yaml:15: rotations.primary: missing required key 'members'\n"
            "oncall.scenario.yaml:16: rotations.primary.memebers: unknown key 'memebers' (did "
            "you mean 'members'?)",
        ),
        (
            "members: [alejr]}",
            "members: [akuam, ghost]}",
            "oncall.scenario.yaml:23: rotations.primary.overrides[0].members[1]: no contact "
            "named 'ghost' in this scenario (known: akuam, alejr, primary_oncall)",
        ),
        (
            "      - {start: 2026-01-06T14:00:00Z",
            "      - {id: cover, start: 2026-01-06T14:00:00Z",
            "oncall.scenario.yaml:24: rotations.primary.overrides[1].id: override id 'cover' is "
            "used twice",
        ),
        (
            "  primary_oncall:\n    rotations: [primary]\n",
            "  primary_oncall:\n    type: ESCALATION\n    rotations: [primary]\n",
            "oncall.scenario.yaml:14: contacts.primary_oncall.rotations: contact "
            "'primary_oncall' is ESCALATION; only an on-call schedule (type ONCALL_SCHEDULE) "
            "lists rotations",
        ),
        (
            "  primary_oncall:\n    rotations: [primary]\n",
            "  primary_oncall:\n    rotations: [primary]\n"
            "    plan: [{duration: 5, targets: [{contact: akuam}]}]\n",
            "oncall.scenario.yaml:14: contacts.primary_oncall.plan: contact 'primary_oncall' is "
            "an on-call schedule: it pages through its rotations and has no channels or plan of "
            "its own",
        ),
    ],
)
def test_a_malformed_short_form_names_file_line_and_path(old: str, new: str, expected: str) -> None:
    assert old in SHORT
    assert problems(SHORT.replace(old, new)) == expected.split("\n")


def test_a_rotation_without_a_start_needs_the_scenario_start() -> None:
    lines = problems(SHORT.replace("start: 2026-01-01T00:00:00Z\n", "", 1))
    assert lines == [
        "oncall.scenario.yaml:14: rotations.primary: rotation 'primary' needs 'start:' (an ISO "
        "8601 instant) when the scenario has no start"
    ]


@pytest.mark.parametrize(
    ("old", "new", "where", "part"),
    [
        (
            "zone: America/New_York",
            "zone: Mars/Base",
            "oncall.scenario.yaml:17: rotations.primary.zone: ",
            "Mars/Base",
        ),
        (
            "members: []}\n",
            "members: []}\n  backup:\n    members: [alejr]\n    daily: ['09:00']\n"
            "    overrides: [{start: 2026-01-05T14:00:00Z, end: 2026-01-05T16:00:00Z, "
            "members: [akuam]}]\n",
            "oncall.scenario.yaml:28: rotations.backup.overrides[0].members[0]: ",
            "is not a member of",
        ),
        (
            "every: 2",
            "every: 0",
            "oncall.scenario.yaml:19: rotations.primary.every: ",
            "greater than or equal to 1",
        ),
    ],
)
def test_the_import_rules_point_into_the_short_form(
    old: str, new: str, where: str, part: str
) -> None:
    text = SHORT.replace(old, new)
    (line,) = problems(text)
    assert line.startswith(where)
    assert part in line


def test_the_import_rules_point_into_the_aws_form() -> None:
    text = AWS.replace(
        "HandOffTime: {HourOfDay: 9, MinuteOfHour: 0}\n      Shift",
        "HandOffTime: {HourOfDay: 24, MinuteOfHour: 0}\n      Shift",
    )
    (line,) = problems(text)
    assert line.startswith(
        "oncall.scenario.yaml:37: rotations[0].Recurrence.WeeklySettings[0].HandOffTime.HourOfDay: "
    )


def test_an_aws_form_override_of_an_unknown_rotation_is_refused() -> None:
    ours = "rotation/11111111-2222-3333-4444-555555555555\n    NewContactIds"
    text = AWS.replace(ours, ours.replace("11111111", "99999999"))
    (line,) = problems(text)
    assert line.startswith("oncall.scenario.yaml:44: overrides[0].RotationArn: ")
    assert "names no rotation" in line


def test_a_bare_number_is_not_a_time_of_day() -> None:
    (line,) = problems(SHORT.replace("daily: [09:00, 21:00]", "daily: [9]"))
    assert line.startswith("oncall.scenario.yaml:18: rotations.primary.daily[0]: write a time")


def test_the_schema_offers_rotations_and_overrides_in_both_forms() -> None:
    from engine.scenario.schema import scenario_schema

    schema = scenario_schema()
    assert {"rotations", "overrides"} <= set(schema["properties"])
    defs = schema["$defs"]
    assert set(defs["ShortRotation"]["properties"]) == {
        "members",
        "start",
        "zone",
        "daily",
        "weekly",
        "monthly",
        "every",
        "on_calls",
        "coverage",
        "overrides",
    }
    assert defs["AwsRotation"]["additionalProperties"] is False
    assert "rotations" in defs["ShortContact"]["properties"]
