"""PagerDuty layer turns (a length in seconds from a virtual start) as wall-clock hand-offs.

A PagerDuty schedule layer hands off every ``rotation_turn_length_seconds`` counted from its
``rotation_virtual_start`` and is live from its ``start``. The neutral model (and the engine)
hands off at wall-clock times of a day or week and counts every ``every``-th hand-off strictly
after the rotation's start (docs/semantics.md S2). This module converts one way and back:

* turns of whole weeks: a weekly hand-off at the virtual start's weekday and time;
* turns of whole days: a daily hand-off at the virtual start's time;
* other turns of whole minutes: daily hand-offs on the grid of ``gcd(turn, 24 h)`` through the
  virtual start's time, ``every`` = turn / grid.

The turn in force at the layer's start decides who comes first; when the layer starts later in
that turn than one grid step, the engine's counting cannot start there, and the rotation starts
at the turn's own hand-off instead (:attr:`Turns.moved`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math

from engine.oncall.zones import utc_to_wall, wall_to_utc
from engine.policy.model import HandOff, Period, Rotation

__all__ = ["MAX_EVERY", "Timing", "Turns", "layer_timing", "turns_of"]

MAX_EVERY = 100
DAY = 86_400
WEEK = 7 * DAY
#: Seconds of a period as written back to PagerDuty; a month is taken as 30 days (approximate).
_PERIOD_SECONDS: dict[str, int] = {"day": DAY, "week": WEEK, "month": 30 * DAY}


@dataclasses.dataclass(frozen=True, slots=True)
class Turns:
    """A layer's turns in neutral terms: hand-offs, the rotation's start and first member."""

    period: Period
    hand_offs: tuple[HandOff, ...]
    every: int
    start: dt.datetime
    first: int
    """How far the users list is rotated: users[first] is on call at ``start``."""
    moved: bool
    """True when ``start`` is the turn's hand-off before the layer's own start."""


def _grid(length: int, anchor: dt.datetime) -> tuple[Period, tuple[HandOff, ...], int, int] | str:
    """(period, hand-offs, every, grid seconds) of turns of ``length`` seconds through the wall
    time ``anchor``, or why they cannot be written so."""
    if length % WEEK == 0 and length // WEEK <= MAX_EVERY:
        return "week", (HandOff(anchor.time(), anchor.weekday()),), length // WEEK, WEEK
    if length % DAY == 0:
        if length // DAY > MAX_EVERY:
            return f"turns of {length // DAY} days are more than {MAX_EVERY} hand-offs long"
        return "day", (HandOff(anchor.time()),), length // DAY, DAY
    step = math.gcd(length, DAY)
    every = length // step
    if every > MAX_EVERY:
        return (
            f"turns of {length} seconds need hand-offs every {step} seconds and a turn of "
            f"{every} of them (at most {MAX_EVERY})"
        )
    base = anchor.hour * 3600 + anchor.minute * 60
    seconds = sorted((base + j * step) % DAY for j in range(DAY // step))
    times = tuple(HandOff(dt.time(s // 3600, s % 3600 // 60)) for s in seconds)
    return "day", times, every, step


def turns_of(
    length: int, virtual_start: dt.datetime, start: dt.datetime, zone: dt.tzinfo
) -> Turns | str:
    """The neutral form of turns of ``length`` seconds (a whole number of minutes) from
    ``virtual_start`` for a layer live from ``start`` in ``zone``, or why there is none."""
    anchor = utc_to_wall(virtual_start, zone)
    grid = _grid(length, anchor)
    if isinstance(grid, str):
        return grid
    period, hand_offs, every, step = grid
    turn = dt.timedelta(seconds=length)
    wall_start = utc_to_wall(start, zone)
    index = (wall_start - anchor) // turn
    began = wall_to_utc(anchor + index * turn, zone)
    if began > start:  # the layer starts inside a DST gap just before a hand-off
        index -= 1
        began = wall_to_utc(anchor + index * turn, zone)
    if wall_start - utc_to_wall(began, zone) < dt.timedelta(seconds=step):
        return Turns(period, hand_offs, every, start, index, moved=False)
    return Turns(period, hand_offs, every, began, index, moved=True)


@dataclasses.dataclass(frozen=True, slots=True)
class Timing:
    """A rotation as a layer's timing: virtual start, turn length, and whether that is exact."""

    virtual_start: dt.datetime
    length: int
    exact: bool


def _offsets(rotation: Rotation) -> list[int]:
    """Seconds of each hand-off from the start of its period (day, Monday, 1st of month)."""
    out = []
    for hand_off in rotation.hand_offs:
        seconds = hand_off.time.hour * 3600 + hand_off.time.minute * 60
        if rotation.period == "week":
            seconds += (hand_off.day or 0) * DAY
        elif rotation.period == "month":
            seconds += ((hand_off.day or 1) - 1) * DAY
        out.append(seconds)
    return sorted(set(out))


def layer_timing(rotation: Rotation, zone: dt.tzinfo) -> Timing:
    """The virtual start and turn length that make a layer live from ``rotation.start`` hand
    off where the rotation does; ``exact`` False when PagerDuty's fixed-length turns can only
    approximate it (unevenly spaced hand-offs, monthly periods)."""
    period = _PERIOD_SECONDS[rotation.period]
    offsets = _offsets(rotation)
    count = len(offsets)
    step = period // count
    even = (
        rotation.period != "month"
        and period % count == 0
        and all(b - a == step for a, b in itertools.pairwise(offsets))
    )
    wall = utc_to_wall(rotation.start, zone)
    if rotation.period == "day":
        origin = dt.datetime.combine(wall.date(), dt.time())
    elif rotation.period == "week":
        origin = dt.datetime.combine(wall.date() - dt.timedelta(days=wall.weekday()), dt.time())
    else:
        origin = dt.datetime.combine(wall.date().replace(day=1), dt.time())
    if not even:
        length = round(rotation.every * period / count / 60) * 60
        # The last listed hand-off at or before the start, looking back up to two periods.
        walls = [
            origin + dt.timedelta(seconds=offset - back * period)
            for back in (0, 1, 2)
            for offset in offsets
        ]
        earlier = [w for w in walls if w <= wall]
        begin = max(earlier) if earlier else wall
        return Timing(wall_to_utc(begin, zone), length, exact=False)
    first = origin + dt.timedelta(seconds=offsets[0])
    grid = dt.timedelta(seconds=step)
    begin = first + ((wall - first) // grid) * grid
    return Timing(wall_to_utc(begin, zone), rotation.every * step, exact=True)
