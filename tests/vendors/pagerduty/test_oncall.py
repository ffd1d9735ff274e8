"""Who the Acme schedules put on call at hand-computed instants, across the DST changes of
Europe/London (2026-03-29) and America/New_York (2026-03-08).

Each neutral rotation is handed to the engine's own shift algorithm (``engine.oncall``) as the
AWS-shaped rotation it stands for; the layering (the last rotation with someone on call wins)
and the schedule's overrides are applied on top, as docs/vendors/pagerduty.md says.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from engine.oncall import rotation as engine_rotation
from engine.oncall.shifts import on_call
from engine.oncall.zones import load_zone, utc_to_wall
from engine.policy.model import OnCallSetup, Rotation, Schedule, Window
from engine.vocabulary import DAYS_OF_WEEK
from tests.vendors.pagerduty.conftest import read_document


def _clock(minutes: int) -> dict[str, int]:
    return {"HourOfDay": minutes // 60 % 24, "MinuteOfHour": minutes % 60}


def _coverages(windows: tuple[Window, ...]) -> dict[str, list[dict[str, dict[str, int]]]]:
    """Windows as AWS ShiftCoverages: each cut at midnight into one window per day."""
    by_day: dict[str, list[dict[str, dict[str, int]]]] = {}
    for window in windows:
        days = range(7) if window.weekday is None else (window.weekday,)
        for first_day in days:
            day, begin, left = (
                first_day,
                window.start.hour * 60 + window.start.minute,
                window.minutes,
            )
            while left > 0:
                piece = min(left, 1440 - begin)
                entry = {"Start": _clock(begin), "End": _clock(begin + piece)}
                by_day.setdefault(DAYS_OF_WEEK[day % 7], []).append(entry)
                day, begin, left = day + 1, 0, left - piece
    return by_day


def _engine(rotation: Rotation) -> engine_rotation.Rotation:
    recurrence: dict[str, object] = {
        "NumberOfOnCalls": rotation.on_call,
        "RecurrenceMultiplier": rotation.every,
    }
    times = [h.time.hour * 60 + h.time.minute for h in rotation.hand_offs]
    if rotation.period == "day":
        recurrence["DailySettings"] = [_clock(t) for t in times]
    else:
        recurrence["WeeklySettings"] = [
            {"DayOfWeek": DAYS_OF_WEEK[h.day or 0], "HandOffTime": _clock(t)}
            for h, t in zip(rotation.hand_offs, times, strict=True)
        ]
    if rotation.windows is not None:
        recurrence["ShiftCoverages"] = _coverages(rotation.windows)
    return engine_rotation.Rotation(
        rotation.members, rotation.start, rotation.time_zone, recurrence
    )


def _who(setup: OnCallSetup, schedule: Schedule, instant: dt.datetime) -> tuple[str, ...]:
    rotations = {r.id: r for r in setup.rotations}
    found: tuple[str, ...] = ()
    for rotation_id in schedule.rotations:
        rotation = rotations[rotation_id]
        if rotation.end is not None and instant >= rotation.end:
            continue
        people = on_call(_engine(rotation), instant)
        if people:
            found = people  # a later layer with someone on call wins
    for override in schedule.overrides:
        if override.start <= instant < override.end:
            found = override.people
    return found


ALICE, BOB, CARLA, DAN, EVE, EVE_BROWN = (
    "PAL1CE1",
    "PB0B002",
    "PCAR003",
    "PDAN004",
    "PEVE005",
    "PEVE006",
)


@pytest.mark.parametrize(
    ("instant", "expected", "why"),
    [
        ("2026-03-08T23:00:00Z", DAN, "Sun: weekend layer, 2 hand-offs after Fri 18:00"),
        ("2026-03-09T00:00:00Z", ALICE, "Mon 00:00: weekend window over; weekly turn 0"),
        ("2026-03-11T12:00:00Z", EVE_BROWN, "the override, over bob's weekly turn"),
        ("2026-03-12T09:00:00Z", BOB, "the override ends (exclusive): weekly turn 1"),
        ("2026-03-28T12:00:00Z", EVE, "Sat: 21 daily hand-offs since Mar 6"),
        ("2026-03-29T00:30:00Z", DAN, "Sun 00:30 GMT, just before clocks go forward"),
        ("2026-03-29T17:30:00Z", EVE, "18:00 BST is 17:00Z: the hand-off keeps local time"),
        ("2026-03-30T07:30:00Z", ALICE, "Mon 08:30 BST: weekly turn 3 (3 mod 3) until 09:00"),
        ("2026-03-30T08:30:00Z", BOB, "Mon 09:30 BST: turn 4 began at 08:00Z, not 09:00Z"),
    ],
)
def test_payments_primary(acme: OnCallSetup, instant: str, expected: str, why: str) -> None:
    moment = dt.datetime.fromisoformat(instant)
    assert _who(acme, acme.schedules[0], moment) == (expected,), why


@pytest.mark.parametrize(
    ("instant", "expected", "why"),
    [
        ("2026-03-04T12:00:00Z", None, "before either layer starts"),
        ("2026-03-07T17:00:00Z", BOB, "Sat 12:00 EST: day half 6 (turn 12 from Mar 1)"),
        ("2026-03-08T06:30:00Z", ALICE, "the override across the DST change"),
        ("2026-03-09T02:00:00Z", DAN, "22:00 EDT: outside 07-21, backstop turn 1"),
        ("2026-03-09T05:00:00Z", ALICE, "01:00 EDT: backstop turn 2 from 00:00 EDT"),
        ("2026-03-09T11:30:00Z", BOB, "07:30 EDT: the 07:00 restriction keeps local time"),
        ("2026-03-09T12:30:00Z", CARLA, "08:30 EDT: the 08:00 hand-off keeps local time"),
        ("2026-12-31T06:00:00Z", None, "01:00 EST after the backstop ended"),
    ],
)
def test_secondary(acme: OnCallSetup, instant: str, expected: str | None, why: str) -> None:
    moment = dt.datetime.fromisoformat(instant)
    want = () if expected is None else (expected,)
    assert _who(acme, acme.schedules[1], moment) == want, why


LENGTHS = (3600, 5400, 4 * 3600, 6 * 3600, 8 * 3600, 43200, 129600, 86400, 172800, 604800, 1209600)
ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC")


def test_layers_hand_off_where_pagerduty_counts_turns_on_the_wall_clock() -> None:
    """For seeded random layers, the rotation read from a layer has, at every instant after the
    layer's start, the user PagerDuty's turn count gives: the whole turns of the layer's length
    between the virtual start and the instant, both on the schedule zone's wall clock."""
    rng = random.Random(18)
    for _ in range(60):
        length = rng.choice(LENGTHS)
        zone_name = rng.choice(ZONES)
        zone = load_zone(zone_name)
        virtual = dt.datetime(2026, 1, 10, tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randint(0, 80), minutes=15 * rng.randint(0, 95)
        )
        start = virtual + dt.timedelta(minutes=rng.randint(-30 * 1440, 30 * 1440))
        users = ["a", "b", "c", "d"][: rng.randint(1, 4)]
        document = {
            "users": [{"id": u, "name": u, "email": f"{u}@x.example"} for u in "abcd"],
            "schedules": [
                {
                    "id": "S",
                    "name": "S",
                    "time_zone": zone_name,
                    "schedule_layers": [
                        {
                            "start": start.isoformat(),
                            "rotation_virtual_start": virtual.isoformat(),
                            "rotation_turn_length_seconds": length,
                            "users": [{"user": {"id": u}} for u in users],
                        }
                    ],
                }
            ],
        }
        rotation = _engine(read_document(document).rotations[0])
        for _ in range(20):
            instant = start + dt.timedelta(minutes=rng.randint(0, 200 * 1440))
            turns = (utc_to_wall(instant, zone) - utc_to_wall(virtual, zone)) // dt.timedelta(
                seconds=length
            )
            expected = (users[turns % len(users)],)
            assert on_call(rotation, instant) == expected, (zone_name, length, virtual, start)
