"""Who the Acme schedules have on call, worked out by hand, across the 2026 DST changes.

The neutral rotations read from the export are run through the engine's own shift rules
(``engine.oncall``): each rotation as an ``engine.oncall.rotation.Rotation`` (hand-offs, every,
windows as ShiftCoverages, rotation overrides), schedule-wide overrides on top, rotations of a
schedule on call together. London changes to BST at 01:00 UTC on 2026-03-29, New York to EDT at
07:00 UTC on 2026-03-08.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engine.oncall.rotation import Rotation as EngineRotation
from engine.oncall.shifts import on_call
from engine.policy import model
from engine.vocabulary import DAYS_OF_WEEK
from tests.vendors.opsgenie.test_read import ALEJR, BEA, CHEN, DARA, ELI, FARAH, LONDON, NYC

_DAY = 1440


def _time(minute: int) -> dict[str, int]:
    return {"HourOfDay": minute // 60, "MinuteOfHour": minute % 60}


def _coverages(windows: tuple[model.Window, ...]) -> dict[str, list[dict[str, object]]]:
    """Neutral windows as ShiftCoverages: each window cut at local midnights."""
    days: dict[str, list[dict[str, object]]] = {}
    for window in windows:
        for weekday in range(7) if window.weekday is None else (window.weekday,):
            begin = weekday * _DAY + window.start.hour * 60 + window.start.minute
            left = window.minutes
            while left > 0:
                day, minute = divmod(begin, _DAY)
                piece = min(left, _DAY - minute)
                end = (minute + piece) % _DAY
                name = DAYS_OF_WEEK[day % 7]
                days.setdefault(name, []).append({"Start": _time(minute), "End": _time(end)})
                begin, left = begin + piece, left - piece
    return days


def _engine(rotation: model.Rotation) -> EngineRotation:
    recurrence: dict[str, object] = {
        "NumberOfOnCalls": rotation.on_call,
        "RecurrenceMultiplier": rotation.every,
    }
    times = [h.time.hour * 60 + h.time.minute for h in rotation.hand_offs]
    if rotation.period == "day":
        recurrence["DailySettings"] = [_time(t) for t in times]
    else:
        recurrence["WeeklySettings"] = [
            {"DayOfWeek": DAYS_OF_WEEK[h.day or 0], "HandOffTime": _time(t)}
            for h, t in zip(rotation.hand_offs, times, strict=True)
        ]
    if rotation.windows is not None:
        recurrence["ShiftCoverages"] = _coverages(rotation.windows)
    overrides = [(o.start, o.end, o.people, n) for n, o in enumerate(rotation.overrides)]
    members, zone = rotation.members, rotation.time_zone
    return EngineRotation(members, rotation.start, zone, recurrence, overrides)


def _on_call(setup: model.OnCallSetup, schedule_id: str, instant: dt.datetime) -> set[str]:
    schedule = next(s for s in setup.schedules if s.id == schedule_id)
    for override in schedule.overrides:
        if override.start <= instant < override.end:
            return set(override.people)
    rotations = {r.id: r for r in setup.rotations}
    found: set[str] = set()
    for rotation_id in schedule.rotations:
        found.update(on_call(_engine(rotations[rotation_id]), instant))
    return found


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Week 3 (Mon 23 Mar 09:00 GMT to Mon 30 Mar 09:00 BST) is alejr's again (3 members);
        # the nights turn that began Sun 29 Mar 19:00 BST is the 28th (index 27): farah.
        ("2026-03-29T23:00:00", {ALEJR, FARAH}),
        # Mon 30 Mar 08:59 BST: still alejr; the hand-off is at 09:00 wall time, 08:00 UTC
        # after the change (not 09:00 UTC as before it).
        ("2026-03-30T07:59:00", {ALEJR}),
        ("2026-03-30T08:30:00", {BEA}),
        # The schedule-wide override (dara, 28 Mar 12:00 to 29 Mar 12:00 UTC) spans the change.
        ("2026-03-29T01:30:00", {DARA}),
        # The override on Nights only: bea from 19:00 to 07:00 BST on 31 Mar; the weekly turn
        # is bea's too, and outside the nights window only the weekly turn is on call. The next
        # night (1 Apr 22:00 BST) is nights turn 30 again: eli.
        ("2026-03-31T22:00:00", {BEA}),
        ("2026-04-01T21:00:00", {BEA, ELI}),
        ("2026-03-31T12:00:00", {BEA}),
    ],
)
def test_london_primary(acme: model.OnCallSetup, instant: str, expected: set[str]) -> None:
    assert _on_call(acme, LONDON, _utc(instant)) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # 12-hour turns hand over at 08:00 and 20:00 New York wall time: Sun 8 Mar 07:30 EDT is
        # still turn 11 (dara), 08:30 EDT is turn 12 (chen); counting elapsed hours from the
        # EST start would move that hand-off to 09:00 EDT. The weekend turn (eli) covers Sunday.
        ("2026-03-08T11:30:00", {DARA, ELI}),
        ("2026-03-08T12:30:00", {CHEN, ELI}),
        # The override on the 12-hour rotation puts dara on chen's Tuesday turn (12:00-18:00 UTC).
        ("2026-03-10T15:00:00", {DARA}),
        ("2026-03-10T19:00:00", {CHEN}),
        # Two-week weekend turns: Sat 21 Mar 10:00 EDT is the second turn (alejr).
        ("2026-03-21T14:00:00", {CHEN, ALEJR}),
        # Sun 22 Mar 21:30 EDT is past the weekend window (Sun 21:00): only the 12-hour turn.
        ("2026-03-23T01:30:00", {DARA}),
    ],
)
def test_nyc_follow_the_sun(acme: model.OnCallSetup, instant: str, expected: set[str]) -> None:
    assert _on_call(acme, NYC, _utc(instant)) == expected
