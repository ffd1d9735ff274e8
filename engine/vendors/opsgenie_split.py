"""A rotation with several hand-offs a day or a week, written as one Opsgenie rotation per slot.

An Opsgenie rotation hands over at one time of day or week (or on an even hourly grid). A
neutral rotation handing over at, say, Monday 09:00 and Thursday 09:00, shift by shift, is the
same as two weekly rotations: one on call from Monday 09:00 to Thursday 09:00 with the people of
the even shifts, one from Thursday to Monday with those of the odd shifts. Each slot between two
hand-offs becomes a rotation of turns one period long, restricted to that slot (and to the
neutral rotation's own windows), whose participants are the people of the shifts falling in it,
in order. This holds when every hand-off ends a shift (``every`` = 1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from engine.oncall.zones import utc_to_wall, wall_to_utc
from engine.policy.model import Rotation, Window
from engine.vendors.opsgenie_time import RotationType, Turn

__all__ = ["Slot", "split_rotation"]

_DAY = 1440
_WEEK = 7 * _DAY


@dataclasses.dataclass(frozen=True, slots=True)
class Slot:
    """One rotation written for a slot: its turn, on-call windows and participants in order."""

    turn: Turn
    windows: tuple[Window, ...]
    members: tuple[str, ...]


def split_rotation(rotation: Rotation, zone: dt.tzinfo) -> list[Slot] | None:
    """The slots of a rotation with several daily or weekly hand-offs, every hand-off ending a
    shift; None when that does not hold (one hand-off, a monthly period, ``every`` above 1)."""
    if rotation.period == "month" or rotation.every != 1 or len(rotation.hand_offs) < 2:
        return None
    period = _DAY if rotation.period == "day" else _WEEK
    marks = sorted(
        {(h.day or 0) * _DAY + h.time.hour * 60 + h.time.minute for h in rotation.hand_offs}
    )
    count = len(marks)
    walls = _hand_offs_after(rotation.start, zone, marks, rotation.period, count + 1)
    first = marks.index(_mark(walls[0], rotation.period))  # slot of the first hand-off after start
    members, on_call = rotation.members, min(rotation.on_call, len(rotation.members))
    cycle = len(members) // math.gcd(len(members), count * on_call)
    unit = dt.timedelta(days=1) if rotation.period == "day" else dt.timedelta(weeks=1)
    slots: list[Slot] = []
    for slot in range(count):
        # The shift that begins at this slot's first hand-off after start, and that instant;
        # the slot holding start also covers shift 0, so its turns begin one period earlier.
        shift = (slot - first) % count + 1
        begin = walls[shift - 1]
        if shift == count:
            shift, begin = 0, begin - unit
        length = (marks[(slot + 1) % count] - marks[slot]) % period or period
        windows = _windows(marks[slot], length, rotation.period, rotation.windows)
        if not windows:
            continue
        for j in range(on_call):
            order = tuple(
                members[((shift + q * count) * on_call + j) % len(members)] for q in range(cycle)
            )
            kind: RotationType = "daily" if rotation.period == "day" else "weekly"
            slots.append(Slot(Turn(kind, 1, wall_to_utc(begin, zone)), windows, order))
    return slots


def _mark(wall: dt.datetime, period: str) -> int:
    minute = wall.hour * 60 + wall.minute
    return minute if period == "day" else wall.weekday() * _DAY + minute


def _hand_offs_after(
    start: dt.datetime, zone: dt.tzinfo, marks: list[int], period: str, wanted: int
) -> list[dt.datetime]:
    """The first ``wanted`` hand-offs strictly after ``start``, as local wall times."""
    day = utc_to_wall(start, zone).date() - dt.timedelta(days=1)
    found: list[dt.datetime] = []
    while len(found) < wanted:
        for mark in marks:
            if period == "week" and mark // _DAY != day.weekday():
                continue
            minute = mark % _DAY
            wall = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
            if wall_to_utc(wall, zone) > start and len(found) < wanted:
                found.append(wall)
        day += dt.timedelta(days=1)
    return found


def _windows(
    mark: int, minutes: int, period: str, limits: tuple[Window, ...] | None
) -> tuple[Window, ...]:
    """The slot [mark, mark + minutes) of each period, within ``limits`` when given."""
    if limits is None:
        if period == "day":
            return (Window(_clock(mark), minutes),)
        return (Window(_clock(mark % _DAY), minutes, mark // _DAY),)
    days = range(7) if period == "day" else (0,)
    slot = [(day * _DAY + mark, day * _DAY + mark + minutes) for day in days]
    limit = [
        (begin, begin + w.minutes)
        for w in limits
        for day in (range(7) if w.weekday is None else (w.weekday,))
        for begin in (day * _DAY + w.start.hour * 60 + w.start.minute,)
    ]
    pieces = _intersect(_unwrap(slot), _unwrap(limit))
    return tuple(Window(_clock(a % _DAY), b - a, (a // _DAY) % 7) for a, b in _join_around(pieces))


def _clock(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def _unwrap(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Intervals in minutes of the week, cut at the week's end, sorted and merged."""
    cut: list[tuple[int, int]] = []
    for a, b in intervals:
        b = min(b, a + _WEEK)
        a, b = a % _WEEK, a % _WEEK + (b - a)
        if b > _WEEK:
            cut.extend([(a, _WEEK), (0, b - _WEEK)])
        else:
            cut.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(cut):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _intersect(left: list[tuple[int, int]], right: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = [(max(a, c), min(b, d)) for a, b in left for c, d in right if max(a, c) < min(b, d)]
    return sorted(out)


def _join_around(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces in week order, one running to the week's end joined with one from its start."""
    if len(pieces) > 1 and pieces[-1][1] == _WEEK and pieces[0][0] == 0:
        last = pieces.pop()
        first = pieces.pop(0)
        pieces.append((last[0], _WEEK + first[1]))
    return pieces
