"""Who the fixture's rotations put on call, across the DST changes, by the engine's own rules.

Each neutral rotation is handed to the engine's shift algorithm (``engine.oncall``) in its AWS
recurrence form; the expected people are worked out by hand from GoAlert's rules (comments).
"""

from __future__ import annotations

import datetime as dt

import pytest

from engine.oncall.rotation import Rotation as EngineRotation
from engine.oncall.shifts import on_call
from engine.policy.model import OnCallSetup, Rotation
from engine.vocabulary import DAYS_OF_WEEK

from .test_read import (
    ALEJR,
    ALEJR2,
    BOB,
    CHEN,
    DANA,
    EVE,
    LONDON,
    NEW_YORK,
    NIGHT,
    PRIMARY,
    SECONDARY,
)

UTC = dt.UTC


def _time(value: dt.time) -> dict[str, int]:
    return {"HourOfDay": value.hour, "MinuteOfHour": value.minute}


def engine_rotation(rotation: Rotation) -> EngineRotation:
    """The neutral rotation as the engine's shift algorithm takes it."""
    recurrence: dict[str, object] = {
        "NumberOfOnCalls": rotation.on_call,
        "RecurrenceMultiplier": rotation.every,
    }
    if rotation.period == "day":
        recurrence["DailySettings"] = [_time(h.time) for h in rotation.hand_offs]
    elif rotation.period == "week":
        recurrence["WeeklySettings"] = [
            {"DayOfWeek": DAYS_OF_WEEK[h.day or 0], "HandOffTime": _time(h.time)}
            for h in rotation.hand_offs
        ]
    else:
        recurrence["MonthlySettings"] = [
            {"DayOfMonth": h.day, "HandOffTime": _time(h.time)} for h in rotation.hand_offs
        ]
    if rotation.windows is not None:
        coverage: dict[str, list[dict[str, object]]] = {}
        for window in rotation.windows:
            end_minute = (window.start.hour * 60 + window.start.minute + window.minutes) % 1440
            end = dt.time(end_minute // 60, end_minute % 60)
            days = range(7) if window.weekday is None else (window.weekday,)
            for day in days:
                coverage.setdefault(DAYS_OF_WEEK[day], []).append(
                    {"Start": _time(window.start), "End": _time(end)}
                )
        recurrence["ShiftCoverages"] = coverage
    return EngineRotation(rotation.members, rotation.start, rotation.time_zone, recurrence)


def _who(org: OnCallSetup, rotation_id: str, instant: dt.datetime) -> tuple[str, ...]:
    rotation = next(r for r in org.rotations if r.id == rotation_id)
    return on_call(engine_rotation(rotation), instant)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Shift 10 (Chen, activeUserIndex 2) ends 25 March 20:00; shift 11 is the next user,
        # Alejandra.
        (dt.datetime(2026, 3, 25, 19, 59, tzinfo=UTC), (CHEN,)),
        (dt.datetime(2026, 3, 25, 21, 0, tzinfo=UTC), (ALEJR,)),
        # 29 March: London moves to BST at 01:00 UTC. Hand-offs stay at 08:00 and 20:00 wall
        # clock (GoAlert's AddClock), so the morning hand-off comes at 07:00 UTC: shift 17
        # (Alejandra)
        # until then, shift 18 (Bob) after. A turn counted in real hours would still be Alejandra.
        (dt.datetime(2026, 3, 29, 6, 30, tzinfo=UTC), (ALEJR,)),
        (dt.datetime(2026, 3, 29, 7, 30, tzinfo=UTC), (BOB,)),
        (dt.datetime(2026, 3, 29, 19, 30, tzinfo=UTC), (CHEN,)),
    ],
)
def test_london_twelve_hour_rotation_across_spring_forward(
    org: OnCallSetup, instant: dt.datetime, expected: tuple[str, ...]
) -> None:
    assert _who(org, LONDON, instant) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Monday 2 March 09:00 EST (14:00 UTC) starts Dana's week.
        (dt.datetime(2026, 3, 3, 15, tzinfo=UTC), (DANA,)),
        # New York moves to EDT on 8 March: Monday 9 March 09:00 is 13:00 UTC, so Eve's week
        # has begun at 13:30 UTC.
        (dt.datetime(2026, 3, 9, 12, 30, tzinfo=UTC), (DANA,)),
        (dt.datetime(2026, 3, 9, 13, 30, tzinfo=UTC), (EVE,)),
        (dt.datetime(2026, 3, 16, 13, 30, tzinfo=UTC), (ALEJR2,)),
    ],
)
def test_new_york_weekly_rotation_across_spring_forward(
    org: OnCallSetup, instant: dt.datetime, expected: tuple[str, ...]
) -> None:
    assert _who(org, NEW_YORK, instant) == expected


def test_schedule_rules_limit_the_secondary_rotation_to_weekday_office_hours(
    org: OnCallSetup,
) -> None:
    restricted = f"{NEW_YORK}@{SECONDARY}"
    assert _who(org, restricted, dt.datetime(2026, 3, 3, 15, tzinfo=UTC)) == (DANA,)  # Tue 10:00
    assert _who(org, restricted, dt.datetime(2026, 3, 3, 23, tzinfo=UTC)) == ()  # Tue 18:00
    assert _who(org, restricted, dt.datetime(2026, 3, 7, 15, tzinfo=UTC)) == ()  # Saturday
    # Monday 9 March 09:30 EDT is 13:30 UTC, inside the rule and Eve's week.
    assert _who(org, restricted, dt.datetime(2026, 3, 9, 13, 30, tzinfo=UTC)) == (EVE,)
    assert _who(org, NEW_YORK, dt.datetime(2026, 3, 7, 15, tzinfo=UTC)) == (DANA,)  # unrestricted


def test_user_target_rule_crossing_midnight_and_the_dst_change(org: OnCallSetup) -> None:
    weekend_nights = f"{ALEJR2}@{PRIMARY}"
    assert _who(org, weekend_nights, dt.datetime(2026, 3, 28, 21, 30, tzinfo=UTC)) == ()
    assert _who(org, weekend_nights, dt.datetime(2026, 3, 28, 23, tzinfo=UTC)) == (ALEJR2,)
    # Sunday 29 March: 05:30 BST (04:30 UTC) is inside the Saturday rule, 06:30 BST is not.
    assert _who(org, weekend_nights, dt.datetime(2026, 3, 29, 4, 30, tzinfo=UTC)) == (ALEJR2,)
    assert _who(org, weekend_nights, dt.datetime(2026, 3, 29, 5, 30, tzinfo=UTC)) == ()
    assert _who(org, weekend_nights, dt.datetime(2026, 3, 30, 0, 0, tzinfo=UTC)) == (
        ALEJR2,
    )  # Sun 01:00
    assert _who(org, weekend_nights, dt.datetime(2026, 3, 31, 0, 0, tzinfo=UTC)) == ()  # Mon 01:00


def test_hourly_rotation_counts_the_skipped_hour_as_the_engine_does(org: OnCallSetup) -> None:
    assert _who(org, NIGHT, dt.datetime(2026, 3, 1, 0, 30, tzinfo=UTC)) == (EVE,)
    assert _who(org, NIGHT, dt.datetime(2026, 3, 1, 1, 30, tzinfo=UTC)) == (ALEJR,)
    # 672 hours after the start: shift 672, Eve. At 01:00 UTC the 01:00 and 02:00 hand-offs
    # both happen; the engine counts two (shift 674, Eve again), GoAlert one (shift 673,
    # Alejandra). The reader notes this difference (test_read).
    assert _who(org, NIGHT, dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == (EVE,)
    assert _who(org, NIGHT, dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == (EVE,)
    assert _who(org, NIGHT, dt.datetime(2026, 3, 29, 2, 30, tzinfo=UTC)) == (ALEJR,)
