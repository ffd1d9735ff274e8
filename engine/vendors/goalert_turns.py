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

The two rules part in two corners, reported by :func:`differences`: an hourly rotation of one
hour whose hand-off lands on a spring-forward gap (GoAlert makes one hand-off at the end of the
gap; the engine counts two, one shift of no length, so its turn order moves one member on), and a
monthly rotation starting after the 28th (Go's ``AddDate`` rolls 31 January on to 3 March; the
engine skips months without that day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
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
    """How GoAlert's rule and the engine's part for this rotation (empty when they agree)."""
    found: list[str] = []
    wall = utc_to_wall(start, load_zone(zone_id))
    if kind == "monthly" and wall.day > 28:
        found.append(
            f"it hands off on day {wall.day} of the month: GoAlert (Go's AddDate) rolls a month "
            "without that day over into the next month, the engine skips that month's hand-off"
        )
    if kind == "hourly" and length == 1:
        gap = _gap_on_the_minute(zone_id, start, wall.minute)
        if gap is not None:
            found.append(
                f"it hands off every hour and the clocks skip an hour at {gap:%Y-%m-%d %H:%M}: "
                "GoAlert makes one hand-off at the end of the gap, the engine two (the turn "
                "order moves one member on from then)"
            )
    return found


def _gap_on_the_minute(zone_id: str, start: dt.datetime, minute: int) -> dt.datetime | None:
    """The first spring-forward change (local wall time) in the ten years from ``start`` whose
    skipped hour begins on ``minute`` past the hour, or None."""
    zone = load_zone(zone_id)
    day = dt.timedelta(days=1)
    instant = start
    offset = instant.astimezone(zone).utcoffset()
    for _ in range(3660):
        later = instant + day
        later_offset = later.astimezone(zone).utcoffset()
        if offset is not None and later_offset is not None and later_offset > offset:
            low, high = instant, later  # the change lies in (low, high]
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == later_offset:
                    high = middle
                else:
                    low = middle
            change = utc_to_wall(low, zone) + dt.timedelta(minutes=1)
            change = change.replace(second=0, microsecond=0)
            if later_offset - offset == dt.timedelta(hours=1) and change.minute == minute:
                return change
        instant, offset = later, later_offset
    return None


def hand_off_wall(start: dt.datetime, zone_id: str) -> dt.datetime:
    """The wall-clock time of ``start`` in the zone (helper for writers)."""
    return utc_to_wall(start, load_zone(zone_id))


def wall_instant(wall: dt.datetime, zone_id: str) -> dt.datetime:
    """The UTC instant of a wall-clock time in the zone, by the engine's DST rule."""
    return wall_to_utc(wall, load_zone(zone_id))
