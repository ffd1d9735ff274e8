"""engine.coverage.gaps on hand-computed cases: rotations, schedules, escalation plans, people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine import Simulator
from engine.coverage import (
    NO_ACTIVATED_CHANNEL,
    NO_ROTATIONS,
    NOBODY_ON_CALL,
    NOT_STARTED,
    CoverageError,
    Gap,
    can_be_paged,
    coverage,
    find_subject,
    gaps,
    subjects,
)
from tests.builders import REGION, START, Org, contact_arn

UTC = dt.UTC
DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def at(day: int, hour: int = 0, minute: int = 0, month: int = 1, zone: Any = UTC) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=zone)


def hand_off(hour: int, minute: int = 0) -> dict[str, int]:
    return {"HourOfDay": hour, "MinuteOfHour": minute}


def covering(*windows: tuple[int, int], days: tuple[str, ...] = DAYS) -> dict[str, Any]:
    """ShiftCoverages with the same (start hour, end hour) windows on every listed day."""
    return {
        day: [{"Start": hand_off(low), "End": hand_off(high % 24)} for low, high in windows]
        for day in days
    }


def spans(found: list[Gap]) -> list[tuple[dt.datetime, dt.datetime, str]]:
    return [(gap.start, gap.end, gap.reason) for gap in found]


@pytest.fixture
def people(org: Org) -> Org:
    """akuam and alejr, reachable; mute, whose channels are not activated."""
    org.person("akuam")
    org.person("alejr")
    org.person("mute", activate=())
    return org


def nightless(org: Org, name: str = "days", start: str = "2025-12-31T08:00:00Z") -> str:
    """A rotation of akuam and alejr with someone on call from 08:00 to 20:00 UTC only."""
    return org.rotation(
        name, ["akuam", "alejr"], start=start, daily=(8, 0), ShiftCoverages=covering((8, 20))
    )


def test_a_planted_hour_without_coverage_is_one_gap_per_day(people: Org) -> None:
    rotation = people.rotation(
        "primary",
        ["akuam", "alejr"],
        start="2025-12-31T09:00:00Z",
        ShiftCoverages=covering((0, 12), (13, 24)),
    )
    found = gaps(people.sim, rotation, at(1), at(4))
    assert spans(found) == [(at(d, 12), at(d, 13), NOBODY_ON_CALL) for d in (1, 2, 3)]
    assert {gap.subject for gap in found} == {rotation}


def test_the_time_before_a_rotation_starts_is_not_started(people: Org) -> None:
    rotation = people.rotation("primary", ["akuam"], start="2026-01-02T09:00:00Z")
    assert spans(gaps(people.sim, rotation, at(1), at(3))) == [(at(1), at(2, 9), NOT_STARTED)]
    assert gaps(people.sim, rotation, at(2, 9), at(3)) == []


def test_a_window_wholly_before_the_start_is_one_not_started_gap(people: Org) -> None:
    rotation = people.rotation("primary", ["akuam"], start="2026-02-01T00:00:00Z")
    assert spans(gaps(people.sim, rotation, at(1), at(8))) == [(at(1), at(8), NOT_STARTED)]


def test_an_override_naming_nobody_is_a_gap(people: Org) -> None:
    rotation = people.rotation("primary", ["akuam", "alejr"], start="2025-12-31T09:00:00Z")
    people.client.create_rotation_override(
        RotationId=rotation, NewContactIds=[], StartTime=at(2, 10), EndTime=at(2, 12)
    )
    assert spans(gaps(people.sim, rotation, at(1), at(4))) == [
        (at(2, 10), at(2, 12), NOBODY_ON_CALL)
    ]


def test_an_override_naming_a_member_fills_a_coverage_hole_only_inside_coverage(
    people: Org,
) -> None:
    rotation = nightless(people)
    people.client.create_rotation_override(
        RotationId=rotation,
        NewContactIds=[contact_arn("alejr")],
        StartTime=at(1, 6),
        EndTime=at(1, 10),
    )
    # Overrides apply inside covered time only (S6): the night stays uncovered.
    assert spans(gaps(people.sim, rotation, at(1), at(2))) == [
        (at(1), at(1, 8), NOBODY_ON_CALL),
        (at(1, 20), at(2), NOBODY_ON_CALL),
    ]


def test_shifts_of_a_member_without_an_activated_channel_are_gaps(people: Org) -> None:
    rotation = people.rotation("primary", ["akuam", "mute"], start="2026-01-01T09:00:00Z")
    found = gaps(people.sim, rotation, at(1, 9), at(5, 9))
    assert spans(found) == [
        (at(2, 9), at(3, 9), NO_ACTIVATED_CHANNEL),
        (at(4, 9), at(5, 9), NO_ACTIVATED_CHANNEL),
    ]


def test_a_reachable_member_on_call_beside_one_without_channels_covers_the_shift(
    people: Org,
) -> None:
    rotation = people.rotation(
        "pair", ["akuam", "mute"], start="2026-01-01T09:00:00Z", NumberOfOnCalls=2
    )
    assert gaps(people.sim, rotation, at(1, 9), at(5, 9)) == []


def test_a_schedule_is_covered_wherever_any_of_its_rotations_is(people: Org) -> None:
    days = nightless(people)
    nights = people.rotation(
        "nights",
        ["alejr"],
        start="2025-12-31T20:00:00Z",
        daily=(20, 0),
        ShiftCoverages=covering((20, 24), (0, 2)),
    )
    schedule = people.schedule("both", [days, nights])
    assert spans(gaps(people.sim, schedule, at(1), at(3))) == [
        (at(1, 2), at(1, 8), NOBODY_ON_CALL),
        (at(2, 2), at(2, 8), NOBODY_ON_CALL),
    ]


def test_a_schedule_reason_prefers_someone_on_call_who_cannot_be_paged(people: Org) -> None:
    days = nightless(people)
    silent_nights = people.rotation(
        "silent",
        ["mute"],
        start="2025-12-31T20:00:00Z",
        daily=(20, 0),
        ShiftCoverages=covering((20, 24), (0, 8)),
    )
    schedule = people.schedule("both", [days, silent_nights])
    assert spans(gaps(people.sim, schedule, at(1), at(2))) == [
        (at(1), at(1, 8), NO_ACTIVATED_CHANNEL),
        (at(1, 20), at(2), NO_ACTIVATED_CHANNEL),
    ]


def test_a_schedule_whose_rotations_were_deleted_has_no_rotations(people: Org) -> None:
    rotation = nightless(people)
    schedule = people.schedule("primary_oncall", [rotation])
    people.client.delete_rotation(RotationId=rotation)
    assert spans(gaps(people.sim, schedule, at(1), at(2))) == [(at(1), at(2), NO_ROTATIONS)]


def test_first_stage_only_sees_the_schedule_nights_that_the_second_stage_covers(
    people: Org,
) -> None:
    schedule = people.schedule("days_oncall", [nightless(people)])
    plan = people.escalation("plan", [(10, [("days_oncall", True)]), (5, [("akuam", True)])])
    nights = [
        (at(1), at(1, 8), NOBODY_ON_CALL),
        (at(1, 20), at(2, 8), NOBODY_ON_CALL),
        (at(2, 20), at(3), NOBODY_ON_CALL),
    ]
    assert spans(gaps(people.sim, plan, at(1), at(3), first_stage_only=True)) == nights
    assert gaps(people.sim, plan, at(1), at(3)) == []
    assert spans(gaps(people.sim, schedule, at(1), at(3))) == nights


def test_a_later_stage_looks_at_who_is_on_call_when_it_starts(people: Org) -> None:
    people.schedule("days_oncall", [nightless(people)])
    plan = people.escalation("plan", [(30, [("mute", True)]), (5, [("days_oncall", True)])])
    # Engaged at t, stage 1 starts at t + 30m: the nights, 30 minutes earlier.
    assert spans(gaps(people.sim, plan, at(1, 12), at(2, 12))) == [
        (at(1, 19, 30), at(2, 7, 30), NO_ACTIVATED_CHANNEL)
    ]


def test_repeat_passes_count_for_coverage() -> None:
    sim = Simulator(seed=7, start=START, region=REGION, repeat=1)
    org = Org(sim, sim.client())
    org.person("akuam")
    org.person("alejr")
    org.schedule("days_oncall", [nightless(org)])
    plan = org.escalation("plan", [(30, [("days_oncall", True)])])
    # The second pass starts 30 minutes after the engagement: the last half hour of each night
    # is covered by it.
    assert spans(gaps(sim, plan, at(1, 12), at(2, 12))) == [
        (at(1, 20), at(2, 7, 30), NOBODY_ON_CALL)
    ]


@pytest.mark.parametrize(
    ("empty_schedule", "night_gap_start"), [("continue", (20, 30)), ("skip_wait", (21, 0))]
)
def test_skip_wait_moves_the_next_stage_forward_when_a_schedule_is_empty(
    empty_schedule: str, night_gap_start: tuple[int, int]
) -> None:
    sim = Simulator(seed=7, start=START, region=REGION, empty_schedule=empty_schedule)
    org = Org(sim, sim.client())
    org.person("akuam")
    org.person("alejr")
    org.schedule("days_oncall", [nightless(org)])
    late = org.rotation(
        "late",
        ["alejr"],
        start="2025-12-31T20:00:00Z",
        daily=(20, 0),
        ShiftCoverages=covering((20, 21)),
    )
    org.schedule("late_oncall", [late])
    plan = org.escalation("plan", [(30, [("days_oncall", True)]), (5, [("late_oncall", True)])])
    # continue: stage 1 runs at t + 30m and covers [19:30, 20:30); skip_wait: at t itself when
    # the days schedule is empty, covering [20:00, 21:00).
    assert spans(gaps(sim, plan, at(1, 12), at(2, 12))) == [
        (at(1, *night_gap_start), at(2, 8), NOBODY_ON_CALL)
    ]


def test_an_escalation_plan_naming_a_deleted_contact_reaches_nobody_through_it(
    people: Org,
) -> None:
    plan = people.escalation("plan", [(5, [("alejr", True)])])
    people.client.delete_contact(ContactId=contact_arn("alejr"))
    assert spans(gaps(people.sim, plan, at(1), at(2))) == [(at(1), at(2), NOBODY_ON_CALL)]


def test_an_escalation_plan_without_stages_reaches_nobody(people: Org) -> None:
    plan = people.escalation("plan", [])
    assert spans(gaps(people.sim, plan, at(1), at(2))) == [(at(1), at(2), NOBODY_ON_CALL)]


def test_a_person_is_a_gap_throughout_only_without_an_activated_channel(people: Org) -> None:
    assert gaps(people.sim, contact_arn("akuam"), at(1), at(2)) == []
    assert spans(gaps(people.sim, contact_arn("mute"), at(1), at(2))) == [
        (at(1), at(2), NO_ACTIVATED_CHANNEL)
    ]
    assert can_be_paged(people.sim, contact_arn("akuam"))
    assert not can_be_paged(people.sim, contact_arn("mute"))


def test_new_york_gaps_follow_the_wall_clock_across_the_spring_change(people: Org) -> None:
    new_york = _zone("America/New_York")
    rotation = people.rotation(
        "ny",
        ["akuam"],
        start="2026-03-01T14:00:00Z",
        zone="America/New_York",
        ShiftCoverages=covering((9, 17)),
    )
    # From noon EST on Saturday 7 March to 13:00 EDT on Monday 9 March.
    found = gaps(people.sim, rotation, at(7, 17, month=3), at(9, 17, month=3))
    assert spans(found) == [
        (at(7, 17, month=3, zone=new_york), at(8, 9, month=3, zone=new_york), NOBODY_ON_CALL),
        (at(8, 17, month=3, zone=new_york), at(9, 9, month=3, zone=new_york), NOBODY_ON_CALL),
    ]
    # 17:00 EST to 09:00 EDT lasts 15 hours; the next night 16.
    assert [gap.seconds / 3600 for gap in found] == [15, 16]
    assert found[0].start == at(7, 22, month=3) and found[0].end == at(8, 13, month=3)


def test_london_gaps_follow_the_wall_clock_across_the_autumn_change(people: Org) -> None:
    london = _zone("Europe/London")
    rotation = people.rotation(
        "ldn",
        ["akuam"],
        start="2026-10-01T08:00:00Z",
        zone="Europe/London",
        ShiftCoverages=covering((9, 17)),
    )
    found = gaps(people.sim, rotation, at(24, 12, month=10), at(26, 12, month=10))
    assert spans(found) == [
        (at(24, 17, month=10, zone=london), at(25, 9, month=10, zone=london), NOBODY_ON_CALL),
        (at(25, 17, month=10, zone=london), at(26, 9, month=10, zone=london), NOBODY_ON_CALL),
    ]
    # Clocks go back at 02:00 BST on 25 October: that night lasts 17 hours.
    assert [gap.seconds / 3600 for gap in found] == [17, 16]
    assert found[0].start == at(24, 16, month=10) and found[0].end == at(25, 9, month=10)


def _zone(name: str) -> Any:
    from engine.oncall import load_zone

    return load_zone(name)


def test_coverage_sums_the_gaps_by_reason(people: Org) -> None:
    rotation = people.rotation(
        "primary", ["akuam", "mute"], start="2026-01-01T12:00:00Z", daily=(12, 0)
    )
    summary = coverage(people.sim, rotation, at(1), at(3))
    # 12h not started, then akuam 12:00-12:00 (24h), then mute 12:00-00:00 (12h).
    assert summary.window_seconds == 48 * 3600
    assert summary.uncovered_seconds == 24 * 3600
    assert summary.covered_seconds == 24 * 3600
    assert summary.percent_covered == 50.0
    assert summary.seconds_by_reason() == {
        NOT_STARTED: 12 * 3600.0,
        NOBODY_ON_CALL: 0.0,
        NO_ACTIVATED_CHANNEL: 12 * 3600.0,
        NO_ROTATIONS: 0.0,
    }


def test_subjects_list_rotations_then_schedules_and_escalation_plans(people: Org) -> None:
    rotation = people.rotation("primary", ["akuam"], zone="Europe/London")
    people.schedule("primary_oncall", [rotation])
    people.escalation("plan", [(5, [("primary_oncall", True)])])
    found = [(s.kind, s.name, s.time_zone_id) for s in subjects(people.sim)]
    assert found == [
        ("rotation", "primary", "Europe/London"),
        ("schedule", "primary_oncall", "Europe/London"),
        ("escalation", "plan", "Europe/London"),
    ]
    assert find_subject(people.sim, "primary").arn == rotation
    assert find_subject(people.sim, "plan").arn == contact_arn("plan")
    assert find_subject(people.sim, contact_arn("akuam")).kind == "personal"


def test_find_subject_names_what_it_knows_when_a_name_is_unknown(people: Org) -> None:
    people.rotation("primary", ["akuam"])
    with pytest.raises(CoverageError, match=r"'nope' names no rotation.*known: primary"):
        find_subject(people.sim, "nope")


def test_find_subject_refuses_a_name_shared_by_a_rotation_and_a_contact(people: Org) -> None:
    people.rotation("akuam", ["akuam"])
    with pytest.raises(CoverageError, match="more than one thing"):
        find_subject(people.sim, "akuam")


@pytest.mark.parametrize(
    ("arn", "problem"),
    [
        ("not-an-arn", "not an ssm-contacts ARN"),
        (contact_arn("ghost"), "names no rotation or contact"),
        ("arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam", "holds nothing"),
    ],
)
def test_an_unknown_subject_is_a_coverage_error(people: Org, arn: str, problem: str) -> None:
    with pytest.raises(CoverageError, match=problem):
        gaps(people.sim, arn, at(1), at(2))


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (at(2), at(1), "must end after it starts"),
        (at(1), at(1), "must end after it starts"),
        (dt.datetime(2026, 1, 1), at(2), "timezone-aware"),
    ],
)
def test_a_bad_window_is_a_coverage_error(
    people: Org, start: dt.datetime, end: dt.datetime, problem: str
) -> None:
    with pytest.raises(CoverageError, match=problem):
        gaps(people.sim, contact_arn("akuam"), start, end)
