"""ShiftCoverages: the local time windows of each weekday in which a rotation has someone on call.

Reading of a CoverageTime {Start, End} on a given day (all wall-clock times in the rotation's
zone, placed on instants by the DST rule of ``zones.wall_to_utc``):

* a missing Start or End counts as 00:00;
* End 00:00 is midnight at the end of the day, so {00:00, 00:00} is the whole day;
* an End earlier than its Start wraps past midnight and ends on the next day; an End equal to
  its Start (other than 00:00) makes a window of a whole day from Start to Start.

A weekday missing from the map, or mapped to an empty list, has no coverage; an empty map
covers nothing at all. Overlapping or touching windows join into one covered stretch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping

from engine.oncall.handoffs import read_hand_off_time
from engine.oncall.zones import RotationError, utc_to_wall, wall_to_utc
from engine.vocabulary import DAYS_OF_WEEK

Interval = tuple[dt.datetime, dt.datetime]
_MIDNIGHT = dt.time(0, 0)
_ONE_DAY = dt.timedelta(days=1)
# Windows start on their own day and last at most a day (plus a DST change), so the windows
# that can touch an instant start at most two local days before it; one more day on each side
# keeps a zone whose clocks step back across midnight safe.
_DAYS_BEFORE = 2
_DAYS_AFTER = 1


@dataclasses.dataclass(frozen=True, slots=True)
class CoverageWindow:
    """One window of a weekday: from ``start`` on that day to ``end`` ``end_day`` days later."""

    start: dt.time
    end: dt.time
    end_day: int

    @classmethod
    def from_times(cls, start: dt.time, end: dt.time) -> CoverageWindow:
        """A window read by the rules of this module (00:00 ends the day, earlier ends wrap)."""
        return cls(start, end, 0 if start < end and end != _MIDNIGHT else 1)

    def on(self, day: dt.date, zone: dt.tzinfo) -> Interval:
        """The UTC instants this window spans when it starts on local ``day``."""
        start = wall_to_utc(dt.datetime.combine(day, self.start), zone)
        end_date = day + dt.timedelta(days=self.end_day)
        return start, wall_to_utc(dt.datetime.combine(end_date, self.end), zone)


@dataclasses.dataclass(frozen=True, slots=True)
class Coverage:
    """Coverage windows of each weekday (Monday first), in start order."""

    by_weekday: tuple[tuple[CoverageWindow, ...], ...]

    def _intervals_from(self, first: dt.date, last: dt.date, zone: dt.tzinfo) -> list[Interval]:
        intervals: list[Interval] = []
        day = first
        while day <= last:
            for window in self.by_weekday[day.weekday()]:
                start, end = window.on(day, zone)
                if start < end:
                    intervals.append((start, end))
            day += _ONE_DAY
        intervals.sort()
        return intervals

    def pieces(self, start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> list[Interval]:
        """The covered parts of [start, end), in time order, as few and as long as possible."""
        first = utc_to_wall(start, zone).date() - dt.timedelta(days=_DAYS_BEFORE)
        last = utc_to_wall(end, zone).date() + dt.timedelta(days=_DAYS_AFTER)
        merged: list[Interval] = []
        for low, high in self._intervals_from(first, last, zone):
            low, high = max(low, start), min(high, end)
            if low >= high:
                continue
            if merged and low <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], high))
            else:
                merged.append((low, high))
        return merged

    def covers(self, instant: dt.datetime, zone: dt.tzinfo) -> bool:
        """Whether ``instant`` lies inside a coverage window."""
        day = utc_to_wall(instant, zone).date()
        return any(low <= instant < high for low, high in _around(self, day, zone))


# Engagements ask about nearby instants one after another: the same days come back (bounded,
# so memory stays flat over a long run).
@functools.lru_cache(maxsize=1024)
def _around(coverage: Coverage, day: dt.date, zone: dt.tzinfo) -> tuple[Interval, ...]:
    """The coverage intervals of the days around ``day`` that can hold an instant of it."""
    first = day - dt.timedelta(days=_DAYS_BEFORE)
    return tuple(coverage._intervals_from(first, day + dt.timedelta(days=_DAYS_AFTER), zone))


def coverage_from_recurrence(recurrence: Mapping[str, object]) -> Coverage | None:
    """The Coverage of a RecurrenceSettings dict, or None without ShiftCoverages; raises
    RotationError naming the field."""
    given = recurrence.get("ShiftCoverages")
    if given is None:
        return None
    if not isinstance(given, Mapping):
        raise RotationError("Recurrence.ShiftCoverages", given, "must map days of the week")
    by_weekday: list[list[CoverageWindow]] = [[] for _ in DAYS_OF_WEEK]
    for day_name, windows in given.items():
        path = f"Recurrence.ShiftCoverages.{day_name}"
        if day_name not in DAYS_OF_WEEK:
            raise RotationError(
                "Recurrence.ShiftCoverages", day_name, "days must be " + ", ".join(DAYS_OF_WEEK)
            )
        if not isinstance(windows, list | tuple):
            raise RotationError(path, windows, "must list CoverageTime windows")
        for position, window in enumerate(windows):
            window_path = f"{path}[{position}]"
            if not isinstance(window, Mapping):
                raise RotationError(window_path, window, "must be a CoverageTime {Start, End}")
            start = _window_time(window, "Start", window_path)
            end = _window_time(window, "End", window_path)
            by_weekday[DAYS_OF_WEEK.index(day_name)].append(CoverageWindow.from_times(start, end))
    return Coverage(
        tuple(
            tuple(sorted(windows, key=lambda w: (w.start, w.end_day, w.end)))
            for windows in by_weekday
        )
    )


def _window_time(window: Mapping[str, object], name: str, path: str) -> dt.time:
    value = window.get(name)
    return _MIDNIGHT if value is None else read_hand_off_time(value, f"{path}.{name}")
