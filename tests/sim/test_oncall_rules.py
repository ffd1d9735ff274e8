"""On-call schedules in engagements (docs/semantics.md E1a, E3, E10, E14, R1, R3b, S1b, S6, S7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from engine import Simulator
from engine.errors import ResourceNotFoundException, ValidationException
from engine.service import rotations
from tests.builders import START, Org, contact_arn, events_of, offset

UTC = dt.UTC


def at(hour: int, minute: int = 0, day: int = 1) -> dt.datetime:
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def paged(org: Org, engagement: str) -> list[str]:
    """Aliases paged, in the order they were paged (the list is newest first, L1)."""
    pages = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    return [p["ContactArn"].rsplit("/", 1)[1] for p in reversed(pages)]


@pytest.fixture
def team(org: Org) -> Org:
    """akuam, alejr and anasi in a daily 09:00 rotation from 2026-01-01 09:00 UTC."""
    for alias in ("akuam", "alejr", "anasi"):
        org.person(alias)
    org.schedule("primary_oncall", [org.rotation("primary", ["akuam", "alejr", "anasi"])])
    return org


def test_E1a_engaging_a_schedule_pages_whoever_is_on_call(team: Org) -> None:
    team.sim.advance_to(at(9, day=2))  # the second shift: alejr
    engagement = team.engage("primary_oncall")
    assert paged(team, engagement) == ["alejr"]
    page = team.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]["PageArn"]
    assert team.client.list_page_resolutions(PageId=page)["PageResolutions"] == [
        {"ContactArn": contact_arn("primary_oncall"), "Type": "ONCALL_SCHEDULE"},
        {"ContactArn": contact_arn("alejr"), "Type": "PERSONAL"},
    ]


def test_S1b_nobody_is_on_call_before_the_rotation_starts(team: Org) -> None:
    engagement = team.engage("primary_oncall")  # 00:00, the rotation starts at 09:00
    assert paged(team, engagement) == []
    (no_oncall,) = events_of(team.sim, "NO_ONCALL")
    assert no_oncall["ContactArn"] == contact_arn("primary_oncall")
    assert "StageIndex" not in no_oncall


def test_E3_a_schedule_target_engages_the_union_of_its_rotations(org: Org) -> None:
    for alias in ("akuam", "alejr", "anasi"):
        org.person(alias)
    day = org.rotation("day", ["akuam", "alejr"], NumberOfOnCalls=2)
    backup = org.rotation("backup", ["anasi", "alejr"], start="2026-01-01T08:00:00Z")
    org.schedule("both", [day, backup])
    org.escalation("plan", [(5, [("both", True)])])
    org.sim.advance_to(at(10))
    engagement = org.engage("plan")
    assert paged(org, engagement) == ["akuam", "alejr"]  # alejr is on call in both: paged once
    page = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][-1]["PageArn"]
    assert org.client.list_page_resolutions(PageId=page)["PageResolutions"] == [
        {"ContactArn": contact_arn("plan"), "Type": "ESCALATION", "StageIndex": 0},
        {"ContactArn": contact_arn("both"), "Type": "ONCALL_SCHEDULE"},
        {"ContactArn": contact_arn("akuam"), "Type": "PERSONAL"},
    ]


def test_E3_who_is_on_call_is_read_when_the_stage_starts(team: Org) -> None:
    team.escalation("plan", [(30, [("alejr", False)]), (5, [("primary_oncall", True)])])
    team.sim.advance_to(at(8, 45))
    engagement = team.engage("plan")
    team.sim.run()
    # Stage 1 starts at 09:15, after the 09:00 hand-off to akuam's first shift.
    assert paged(team, engagement) == ["alejr", "akuam"]


def test_E3_an_empty_schedule_is_recorded_and_the_stage_waits_by_default(team: Org) -> None:
    team.escalation("plan", [(5, [("primary_oncall", True)]), (5, [("anasi", False)])])
    engagement = team.engage("plan")  # before the rotation starts
    team.sim.run()
    (no_oncall,) = events_of(team.sim, "NO_ONCALL")
    assert no_oncall["StageIndex"] == 0
    anasi = [e for e in events_of(team.sim, "PAGE_CREATED") if e["EngagementArn"] == engagement]
    assert [offset(e) for e in anasi] == [300.0]


def test_E3_skip_wait_starts_the_next_stage_at_once_after_an_empty_schedule() -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", empty_schedule="skip_wait")
    org = Org(sim, sim.client())
    for alias in ("akuam", "anasi"):
        org.person(alias)
    org.schedule("primary_oncall", [org.rotation("primary", ["akuam"])])
    org.escalation("plan", [(5, [("primary_oncall", True)]), (5, [("anasi", False)])])
    org.engage("plan")
    assert [offset(e) for e in events_of(sim, "PAGE_CREATED")] == [0.0]


def test_E10_an_acknowledgement_by_anyone_engaged_through_an_essential_schedule_stops_it(
    team: Org,
) -> None:
    team.escalation("plan", [(5, [("primary_oncall", True)]), (5, [("anasi", False)])])
    team.sim.advance_to(at(10))
    engagement = team.engage("plan")
    page = team.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]["PageArn"]
    team.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="123456")
    team.sim.run()
    assert paged(team, engagement) == ["akuam"]
    assert events_of(team.sim, "ESCALATION_STOPPED")


def test_S6_an_override_changes_who_is_engaged(team: Org) -> None:
    rotation = team.client.list_rotations()["Rotations"][0]["RotationArn"]
    team.client.create_rotation_override(
        RotationId=rotation,
        NewContactIds=[contact_arn("anasi")],
        StartTime=at(10),
        EndTime=at(11),
    )
    team.sim.advance_to(at(10, 30))
    assert paged(team, team.engage("primary_oncall")) == ["anasi"]
    team.sim.advance_to(at(11))
    assert paged(team, team.engage("primary_oncall")) == ["akuam"]


def test_S6_an_override_names_members_only_and_lasts_30_minutes(team: Org) -> None:
    org = team
    org.person("outsider")
    rotation = org.client.list_rotations()["Rotations"][0]["RotationArn"]
    with pytest.raises(ValidationException) as caught:
        org.client.create_rotation_override(
            RotationId=rotation,
            NewContactIds=[contact_arn("outsider")],
            StartTime=at(10),
            EndTime=at(11),
        )
    assert caught.value.response["Fields"][0]["Name"] == "NewContactIds[0]"
    with pytest.raises(ValidationException, match="30"):
        org.client.create_rotation_override(
            RotationId=rotation,
            NewContactIds=[contact_arn("anasi")],
            StartTime=at(10),
            EndTime=at(10, 29),
        )
    assert (
        org.client.list_rotation_overrides(RotationId=rotation, StartTime=at(0), EndTime=at(23))[
            "RotationOverrides"
        ]
        == []
    )


def test_S7_rotation_shifts_are_listed_whole_with_overrides_as_their_own_shifts(team: Org) -> None:
    rotation = team.client.list_rotations()["Rotations"][0]["RotationArn"]
    override = team.client.create_rotation_override(
        RotationId=rotation, NewContactIds=[], StartTime=at(12), EndTime=at(13)
    )["RotationOverrideId"]
    shifts = team.client.list_rotation_shifts(
        RotationId=rotation, StartTime=at(11), EndTime=at(10, day=2)
    )["RotationShifts"]
    assert [(s["StartTime"], s["EndTime"], s["Type"]) for s in shifts] == [
        (at(9), at(12), "REGULAR"),
        (at(12), at(13), "OVERRIDDEN"),
        (at(13), at(9, day=2), "REGULAR"),
        (at(9, day=2), at(9, day=3), "REGULAR"),
    ]
    assert shifts[1]["ContactIds"] == []
    assert shifts[1]["ShiftDetails"] == {"OverriddenContactIds": [contact_arn("akuam")]}
    assert shifts[3]["ContactIds"] == [contact_arn("alejr")]
    team.client.delete_rotation_override(RotationId=rotation, RotationOverrideId=override)
    with pytest.raises(ResourceNotFoundException):
        team.client.get_rotation_override(RotationId=rotation, RotationOverrideId=override)


def test_S7_a_page_of_shifts_generates_only_that_page_of_a_long_window(
    team: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A millennium of daily shifts: one page is asked for, one page (and one more) is made."""
    generated = 0
    real = rotations.iter_shifts

    def counting(*args: Any) -> Iterator[Any]:
        nonlocal generated
        for shift in real(*args):
            generated += 1
            yield shift

    monkeypatch.setattr(rotations, "iter_shifts", counting)
    rotation = team.client.list_rotations()["Rotations"][0]["RotationArn"]
    window = {"RotationId": rotation, "StartTime": at(9), "EndTime": at(9).replace(year=3026)}
    first = team.client.list_rotation_shifts(**window, MaxResults=3)
    assert [s["StartTime"] for s in first["RotationShifts"]] == [at(9, day=d) for d in (1, 2, 3)]
    assert generated == 4
    generated = 0
    second = team.client.list_rotation_shifts(**window, MaxResults=3, NextToken=first["NextToken"])
    assert [s["StartTime"] for s in second["RotationShifts"]] == [at(9, day=d) for d in (4, 5, 6)]
    assert generated == 7


def test_S7_walking_the_pages_of_shifts_lists_each_shift_once(team: Org) -> None:
    rotation = team.client.list_rotations()["Rotations"][0]["RotationArn"]
    window = {"RotationId": rotation, "StartTime": at(9), "EndTime": at(9, day=12)}
    whole = team.client.list_rotation_shifts(**window, MaxResults=1024)["RotationShifts"]
    walked, token = [], None
    while True:
        page = team.client.list_rotation_shifts(
            **window, MaxResults=4, **({"NextToken": token} if token else {})
        )
        walked += page["RotationShifts"]
        token = page.get("NextToken")
        if token is None:
            break
    assert len(whole) == 11
    assert walked == whole


def test_R1_a_schedule_names_one_to_eight_existing_rotations(team: Org) -> None:
    with pytest.raises(ValidationException, match="RotationIds"):
        team.client.create_contact(
            Alias="ghosts",
            Type="ONCALL_SCHEDULE",
            Plan={"RotationIds": ["arn:aws:ssm-contacts:us-east-2:111122223333:rotation/nope"]},
        )
    rotation = team.client.list_rotations()["Rotations"][0]["RotationArn"]
    with pytest.raises(ValidationException, match="RotationIds"):
        team.client.create_contact(
            Alias="too_many", Type="ONCALL_SCHEDULE", Plan={"RotationIds": [rotation] * 9}
        )


def test_deleting_a_rotation_removes_it_from_every_schedule(team: Org) -> None:
    rotation = team.client.list_rotations()["Rotations"][0]["RotationArn"]
    team.client.update_contact(
        ContactId=contact_arn("akuam"), Plan={"Stages": []}
    )  # unrelated change: plans are replaced whole
    team.client.delete_rotation(RotationId=rotation)
    plan = team.client.get_contact(ContactId=contact_arn("primary_oncall"))["Plan"]
    assert plan["RotationIds"] == []
    with pytest.raises(ResourceNotFoundException):
        team.client.get_rotation(RotationId=rotation)


def test_rotation_members_must_be_existing_personal_contacts(team: Org) -> None:
    with pytest.raises(ResourceNotFoundException):
        team.rotation("ghosts", ["nobody"])
    with pytest.raises(ValidationException, match="PERSONAL"):
        team.client.create_rotation(
            Name="wrong",
            ContactIds=[contact_arn("primary_oncall")],
            TimeZoneId="UTC",
            Recurrence={
                "NumberOfOnCalls": 1,
                "RecurrenceMultiplier": 1,
                "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
            },
        )


def test_a_zone_tzdata_does_not_know_is_a_validation_error(team: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        team.rotation("pst", ["akuam"], zone="PST")
    field = caught.value.response["Fields"][0]
    assert field["Name"] == "TimeZoneId" and "PST" in field["Message"]


def test_a_rotation_needs_exactly_one_settings_kind(team: Org) -> None:
    with pytest.raises(ValidationException, match="Recurrence"):
        team.rotation(
            "both",
            ["akuam"],
            WeeklySettings=[
                {"DayOfWeek": "MON", "HandOffTime": {"HourOfDay": 9, "MinuteOfHour": 0}}
            ],
        )


def test_rotation_start_defaults_to_now_and_update_keeps_overrides(team: Org) -> None:
    team.sim.advance_to(at(6))
    arn = team.client.create_rotation(
        Name="later",
        ContactIds=[contact_arn("akuam"), contact_arn("alejr")],
        TimeZoneId="Europe/London",
        Recurrence={
            "NumberOfOnCalls": 1,
            "RecurrenceMultiplier": 1,
            "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
        },
    )["RotationArn"]
    assert team.client.get_rotation(RotationId=arn)["StartTime"] == at(6)
    team.client.create_rotation_override(
        RotationId=arn, NewContactIds=[contact_arn("alejr")], StartTime=at(7), EndTime=at(8)
    )
    team.client.update_rotation(
        RotationId=arn,
        Recurrence={
            "NumberOfOnCalls": 2,
            "RecurrenceMultiplier": 1,
            "DailySettings": [{"HourOfDay": 10, "MinuteOfHour": 0}],
        },
    )
    overrides = team.client.list_rotation_overrides(RotationId=arn, StartTime=at(0), EndTime=at(23))
    assert len(overrides["RotationOverrides"]) == 1
    assert team.client.get_rotation(RotationId=arn)["Recurrence"]["NumberOfOnCalls"] == 2


def test_preview_shifts_come_from_settings_alone(org: Org) -> None:
    shifts = org.client.list_preview_rotation_shifts(
        RotationStartTime=at(9),
        StartTime=at(9),
        EndTime=at(9, day=3),
        Members=["first", "second"],
        TimeZoneId="Australia/Sydney",
        Recurrence={
            "NumberOfOnCalls": 1,
            "RecurrenceMultiplier": 1,
            "DailySettings": [{"HourOfDay": 20, "MinuteOfHour": 0}],
        },
        Overrides=[{"NewMembers": ["second"], "StartTime": at(9, 0, 2), "EndTime": at(10, 0, 2)}],
    )["RotationShifts"]
    # 20:00 in Sydney (UTC+11 in January) is 09:00 UTC.
    assert [s["ContactIds"] for s in shifts] == [["first"], ["second"], ["second"]]
    assert [s["Type"] for s in shifts] == ["REGULAR", "OVERRIDDEN", "REGULAR"]


def _foreign(kind: str, *parts: str) -> str:
    return f"arn:aws:ssm-contacts:eu-west-1:999999999999:{kind}/{'/'.join(parts)}"


def test_import_keeps_rotation_uuids_and_rewrites_account_and_region(org: Org) -> None:
    rotation_uuid = "0d9c0b3e-8f0e-4f39-9c1e-3f2f5a0c1e11"
    override_uuid = "5f0b7c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b"
    members = [_foreign("contact", "akuam"), _foreign("contact", "alejr")]
    contacts = [
        {"ContactArn": m, "Alias": m.rsplit("/", 1)[1], "Type": "PERSONAL", "Plan": {"Stages": []}}
        for m in members
    ] + [
        {
            "ContactArn": _foreign("contact", "oncall"),
            "Alias": "oncall",
            "Type": "ONCALL_SCHEDULE",
            "Plan": {"RotationIds": [_foreign("rotation", rotation_uuid)]},
        }
    ]
    rotations = [
        {
            "RotationArn": _foreign("rotation", rotation_uuid),
            "Name": "primary",
            "ContactIds": members,
            "StartTime": "2026-01-01T09:00:00Z",
            "TimeZoneId": "Europe/London",
            "Recurrence": {
                "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
                "NumberOfOnCalls": 1,
                "RecurrenceMultiplier": 1,
            },
        }
    ]
    overrides = [
        {
            "RotationArn": _foreign("rotation", rotation_uuid),
            "RotationOverrideId": override_uuid,
            "NewContactIds": [members[1]],
            "StartTime": "2026-01-01T10:00:00Z",
            "EndTime": "2026-01-01T11:00:00Z",
        }
    ]
    arns = org.sim.import_resources(contacts, [], rotations, overrides)
    local_rotation = f"arn:aws:ssm-contacts:us-east-2:111122223333:rotation/{rotation_uuid}"
    assert arns[_foreign("rotation", rotation_uuid)] == local_rotation
    assert org.client.get_contact(ContactId=contact_arn("oncall"))["Plan"] == {
        "RotationIds": [local_rotation]
    }
    got = org.client.get_rotation_override(
        RotationId=local_rotation, RotationOverrideId=override_uuid
    )
    assert got["NewContactIds"] == [contact_arn("alejr")]
    org.sim.advance_to(at(10, 30))
    assert paged(org, org.engage("oncall")) == ["alejr"]


def test_import_of_a_bad_rotation_changes_nothing_and_names_the_path(org: Org) -> None:
    org.person("akuam")
    rotations = [
        {
            "RotationArn": _foreign("rotation", "0d9c0b3e-8f0e-4f39-9c1e-3f2f5a0c1e11"),
            "Name": "primary",
            "ContactIds": [_foreign("contact", "akuam")],
            "StartTime": "2026-01-01T09:00:00Z",
            "TimeZoneId": "PST",
            "Recurrence": {
                "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
                "NumberOfOnCalls": 1,
                "RecurrenceMultiplier": 1,
            },
        }
    ]
    with pytest.raises(ValidationException) as caught:
        org.sim.import_resources([], [], rotations)
    assert [f["Name"] for f in caught.value.response["Fields"]] == [
        "organisation.rotations[0].TimeZoneId"
    ]
    assert org.client.list_rotations()["Rotations"] == []
