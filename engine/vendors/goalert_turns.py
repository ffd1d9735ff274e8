"""GoAlert rotation turns (type, shiftLength, start) in the engine's wall-clock hand-off form.

GoAlert (``schedule/rotation/rotation.go``) ends a shift ``shiftLength`` hours, days, weeks or
months of *clock time* after it starts (``timeutil.AddClock`` / ``ClockDiff``), counted from the
rotation's ``start`` in its zone; months with Go's ``AddDate``. So hand-offs are wall-clock times
on a fixed grid through the start's wall time, which is the engine's rule (docs/semantics.md
S1-S5) once written as daily, weekly or monthly hand-offs:

* hourly, n hours: daily hand-offs on the gcd(n, 24)-hour grid through the start's wall time,
  every n / gcd(n, 24) of them;
* daily, weekly, monthly, n: one hand-off a day, week or month at the start's wall time (and
  weekday, day of the month), every n.

The two rules part in three corners, reported by :func:`differences`: an hourly rotation of one
hour whose hand-off lands on a spring-forward gap (GoAlert makes one hand-off at the end of the
gap; the engine counts two, one shift of no length, so its turn order moves one member on), a
monthly rotation starting after the 28th (Go's ``AddDate`` rolls 31 January on to 3 March; the
engine skips months without that day), and a monthly hand-off that falls in a spring-forward gap
(Go's ``time.Date`` picks an offset; the engine the end of the gap).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math

from engine.oncall.zones import load_zone, utc_to_wall, wall_to_utc
from engine.policy.model import HandOff, Period

__all__ = ["MAX_EVERY", "Turn", "differences", "shift_number", "turn_of"]

MAX_EVERY = 100
"""The engine's largest ``every`` (AWS RecurrenceMultiplier)."""

UNIT_HOURS = {"hourly": 1, "daily": 24, "weekly": 24 * 7}


@dataclasses.dataclass(frozen=True, slots=True)
class Turn:
    """A rotation's hand-offs in the neutral form."""

    period: Period
    hand_offs: tuple[HandOff, ...]
    every: int


def turn_of(kind: str, length: int, start: dt.datetime, zone_id: str) -> Turn:
    """The neutral hand-offs of a GoAlert rotation of ``kind`` and ``length`` from ``start``."""
    wall = utc_to_wall(start, load_zone(zone_id))
    time = dt.time(wall.hour, wall.minute)
    if kind == "hourly":
        grid = math.gcd(length, 24)
        times = sorted(
            dt.time((wall.hour + step * grid) % 24, wall.minute) for step in range(24 // grid)
        )
        return Turn("day", tuple(HandOff(t) for t in times), length // grid)
    if kind == "daily":
        return Turn("day", (HandOff(time),), length)
    if kind == "weekly":
        return Turn("week", (HandOff(time, wall.weekday()),), length)
    return Turn("month", (HandOff(time, wall.day),), length)


def shift_number(
    kind: str, length: int, start: dt.datetime, hand_off: dt.datetime, zone_id: str
) -> int:
    """The number of the shift that ends at ``hand_off`` (0 ends at the first hand-off after
    ``start``), counting shifts in wall-clock time as both GoAlert and the engine do; negative
    when ``hand_off`` is at or before ``start``."""
    zone = load_zone(zone_id)
    first, last = utc_to_wall(start, zone), utc_to_wall(hand_off, zone)
    if kind == "monthly":
        months = (last.year - first.year) * 12 + last.month - first.month
        if (last.day, last.time()) < (first.day, first.time()):
            months -= 1
        return months // length - 1
    minutes = (last - first) // dt.timedelta(minutes=1)
    return minutes // (UNIT_HOURS[kind] * 60 * length) - 1


def differences(kind: str, length: int, start: dt.datetime, zone_id: str) -> list[str]:
    """How GoAlert's rule and the engine's part for this rotation (empty when they agree),
    looking ten years ahead of ``start``."""
    found: list[str] = []
    wall = utc_to_wall(start, load_zone(zone_id))
    if kind == "monthly" and wall.day > 28:
        found.append(
            f"it hands off on day {wall.day} of the month: GoAlert (Go's AddDate) rolls a month "
            "without that day over into the next month, the engine skips that month's hand-off"
        )
    for gap_start, gap_end in _spring_gaps(zone_id, start):
        if kind == "hourly" and length == 1 and _two_hand_offs_in(gap_start, gap_end, wall.minute):
            found.append(
                f"it hands off every hour and the clocks skip from {gap_start:%Y-%m-%d %H:%M} to "
                f"{gap_end:%H:%M}: GoAlert makes one hand-off at the end of the gap, the engine "
                "two (its turn order moves one member on from then)"
            )
            break
        hand_off = wall.time().replace(second=0, microsecond=0)
        in_gap = gap_start.time() <= hand_off < gap_end.time()
        if kind == "monthly" and gap_start.day == wall.day and in_gap:
            found.append(
                f"its {hand_off:%H:%M} hand-off on {gap_start:%Y-%m-%d} falls in the hour the "
                "clocks skip: GoAlert (Go's time.Date) places it by one of the two offsets "
                "around the change, the engine at the end of the gap"
            )
            break
    return found


def _two_hand_offs_in(gap_start: dt.datetime, gap_end: dt.datetime, minute: int) -> bool:
    """Whether hourly hand-offs at ``minute`` past the hour put two in [gap_start, gap_end]."""
    first = gap_start.replace(minute=minute)
    if first < gap_start:
        first += dt.timedelta(hours=1)
    return first + dt.timedelta(hours=1) <= gap_end


# Reading walks ten years of a zone per rotation; rotations share zones and starts.
@functools.lru_cache(maxsize=256)
def _spring_gaps(zone_id: str, start: dt.datetime) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """The wall-clock times the clocks skip in the ten years from ``start``: (first skipped
    minute, first wall time after the gap), earliest first."""
    zone = load_zone(zone_id)
    day = dt.timedelta(days=1)
    gaps: list[tuple[dt.datetime, dt.datetime]] = []
    instant = start
    offset = instant.astimezone(zone).utcoffset()
    for _ in range(3660):
        later = instant + day
        later_offset = later.astimezone(zone).utcoffset()
        if offset is not None and later_offset is not None and later_offset > offset:
            low, high = instant, later  # the change lies in (low, high]
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == later_offset:
                    high = middle
                else:
                    low = middle
            change = high.replace(microsecond=0)
            if change.astimezone(zone).utcoffset() != later_offset:
                change += dt.timedelta(seconds=1)
            before = (change + offset).replace(tzinfo=None)
            gaps.append((before, before + (later_offset - offset)))
        instant, offset = later, later_offset
    return tuple(gaps)


def wall_instant(wall: dt.datetime, zone_id: str) -> dt.datetime:
    """The UTC instant of a wall-clock time in the zone, by the engine's DST rule."""
    return wall_to_utc(wall, load_zone(zone_id))
