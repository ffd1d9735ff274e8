"""Opsgenie rotation turns and time restrictions in the neutral model's wall-clock terms, and back.

An Opsgenie rotation hands over every ``length`` hours, days or weeks from its ``startDate``. The
neutral :class:`~engine.policy.model.Rotation` lists wall-clock hand-offs and takes every
``every``-th of them as a shift boundary, so a turn of N days is a daily hand-off at the start's
wall time with every = N, a turn of N weeks a weekly one, and a turn of N hours a daily grid of
hand-offs gcd(N, 24) hours apart through the start's wall time with every = N / gcd(N, 24).

Restrictions: ``time-of-day`` is one window every day, ``weekday-and-time-of-day`` one window per
entry from its start day and time to its end day and time (a window may run past midnight, and
into a later day of the week).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from typing import Literal

from engine.oncall.zones import utc_to_wall, wall_to_utc
from engine.policy.model import HandOff, Period, Window

__all__ = [
    "DAYS",
    "RotationType",
    "Turn",
    "even_grid",
    "restriction_minutes",
    "turn_from_neutral",
    "turn_to_neutral",
    "windows_to_restriction",
]

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Opsgenie's day names, Monday first as ``date.weekday()`` counts."""

RotationType = Literal["hourly", "daily", "weekly"]
MAX_EVERY = 100
_DAY = 1440
_WEEK = 7 * _DAY


@dataclasses.dataclass(frozen=True, slots=True)
class Turn:
    """An Opsgenie rotation's timing: ``type`` and ``length`` from ``start`` (aware UTC)."""

    type: RotationType
    length: int
    start: dt.datetime


def turn_to_neutral(turn: Turn, zone: dt.tzinfo) -> tuple[Period, tuple[HandOff, ...], int] | str:
    """(period, hand-offs, every) for ``turn`` in ``zone``, or why it cannot be read."""
    wall = utc_to_wall(turn.start, zone)
    at = dt.time(wall.hour, wall.minute)
    period: Period = "day"
    hand_offs: tuple[HandOff, ...]
    if turn.type == "weekly":
        every, period, hand_offs = turn.length, "week", (HandOff(at, wall.weekday()),)
    elif turn.type == "daily":
        every, period, hand_offs = turn.length, "day", (HandOff(at),)
    else:
        grid = math.gcd(turn.length, 24)
        every = turn.length // grid
        base = wall.hour * 60 + wall.minute
        minutes = sorted((base + k * grid * 60) % _DAY for k in range(24 // grid))
        hand_offs = tuple(HandOff(dt.time(m // 60, m % 60)) for m in minutes)
    if every > MAX_EVERY:
        return (
            f"a turn of {turn.length} {turn.type.removesuffix('ly').replace('dai', 'day')}s is "
            f"{every} hand-offs long; the neutral model allows at most {MAX_EVERY}"
        )
    return period, hand_offs, every


def even_grid(period: Period, hand_offs: tuple[HandOff, ...]) -> bool:
    """Whether daily hand-offs lie on an even grid of whole hours (an hourly Opsgenie turn)."""
    minutes = sorted({h.time.hour * 60 + h.time.minute for h in hand_offs})
    if period != "day" or len(minutes) < 2 or _DAY % len(minutes):
        return False
    gap = _DAY // len(minutes)
    return gap % 60 == 0 and all(b - a == gap for a, b in itertools.pairwise(minutes))


def turn_from_neutral(
    period: Period,
    hand_offs: tuple[HandOff, ...],
    every: int,
    start: dt.datetime,
    zone: dt.tzinfo,
) -> tuple[Turn, list[str]]:
    """The Opsgenie turn nearest to the neutral timing, and what could not be kept as it is.

    The turn starts at the hand-off that begins the rotation's first whole shift, moved back by
    one turn, so every later hand-off falls where the neutral rotation has it."""
    lost: list[str] = []
    times = sorted({(h.day or 0, h.time) for h in hand_offs})
    anchors = [times[0][1]]
    weekday: int | None = None
    if period == "day" and len(times) > 1:
        if even_grid(period, hand_offs):
            kind: RotationType = "hourly"
            unit, length = dt.timedelta(hours=1), every * (24 // len(times))
            anchors = [t for _, t in times]
        else:
            shown = ", ".join(t.strftime("%H:%M") for _, t in times)
            lost.append(
                f"hand-offs at {shown} are not evenly spaced; written as a daily turn at "
                f"{anchors[0].strftime('%H:%M')}"
            )
            kind, unit, length = "daily", dt.timedelta(days=1), every
    elif period == "day":
        kind, unit, length = "daily", dt.timedelta(days=1), every
    elif period == "week":
        if len(times) > 1:
            lost.append(
                f"{len(times)} weekly hand-offs; written as a weekly turn at the first "
                f"({DAYS[times[0][0]]} {anchors[0].strftime('%H:%M')})"
            )
        kind, unit, length, weekday = "weekly", dt.timedelta(weeks=1), every, times[0][0]
    else:
        lost.append("monthly hand-offs have no Opsgenie rotation type; written as 4-week turns")
        return Turn("weekly", 4 * every, start), lost
    boundary = _first_boundary(start, zone, anchors, weekday, every)
    begin = wall_to_utc(utc_to_wall(boundary, zone) - unit * length, zone)
    if begin != start:
        lost.append(
            f"starts {begin.isoformat()} (a hand-off) instead of {start.isoformat()}: an "
            "Opsgenie turn begins at the rotation's start"
        )
    if any(t.minute not in (0, 30) for _, t in times):
        lost.append("hand-off minutes other than 0 and 30 are rounded by Opsgenie")
    return Turn(kind, length, begin), lost


def _first_boundary(
    start: dt.datetime, zone: dt.tzinfo, anchors: list[dt.time], weekday: int | None, every: int
) -> dt.datetime:
    """The end of the neutral rotation's first shift: the ``every``-th hand-off after start
    (hand-offs at ``anchors`` every day, or on ``weekday`` only)."""
    day = utc_to_wall(start, zone).date() - dt.timedelta(days=1)
    found: list[dt.datetime] = []
    while len(found) < every:
        for at in anchors:
            candidate = dt.datetime.combine(day, at)
            if weekday is not None and candidate.weekday() != weekday:
                continue
            if wall_to_utc(candidate, zone) > start:
                found.append(candidate)
        day += dt.timedelta(days=1)
    return wall_to_utc(found[every - 1], zone)


def restriction_minutes(start: int, end: int, span: int) -> int:
    """Minutes from ``start`` to ``end`` on a clock of ``span`` minutes; equal means all of it."""
    length = (end - start) % span
    return length or span


def windows_to_restriction(windows: tuple[Window, ...]) -> tuple[dict[str, object], list[str]]:
    """An Opsgenie ``timeRestriction`` for neutral windows, and what was changed on the way."""
    lost: list[str] = []
    if len(windows) == 1 and windows[0].weekday is None and windows[0].minutes <= _DAY:
        window = windows[0]
        end = (window.start.hour * 60 + window.start.minute + window.minutes) % _DAY
        restriction = {
            "startHour": window.start.hour,
            "startMin": window.start.minute,
            "endHour": end // 60,
            "endMin": end % 60,
        }
        return {"type": "time-of-day", "restriction": restriction}, lost
    entries: list[dict[str, object]] = []
    for window in windows:
        days = range(7) if window.weekday is None else (window.weekday,)
        for day in days:
            begin = day * _DAY + window.start.hour * 60 + window.start.minute
            minutes = min(window.minutes, _WEEK)
            finish = (begin + minutes) % _WEEK
            entries.append(
                {
                    "startDay": DAYS[day],
                    "startHour": window.start.hour,
                    "startMin": window.start.minute,
                    "endDay": DAYS[finish // _DAY],
                    "endHour": (finish % _DAY) // 60,
                    "endMin": finish % 60,
                }
            )
    if any(w.start.minute not in (0, 30) or w.minutes % 30 for w in windows):
        lost.append("restriction times off the half hour are rounded by Opsgenie")
    return {"type": "weekday-and-time-of-day", "restrictions": entries}, lost
