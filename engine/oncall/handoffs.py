"""Hand-off wall-clock times of a rotation, as one endless numbered sequence.

The DailySettings, WeeklySettings or MonthlySettings of a recurrence list wall-clock times inside
a period (a day, a week starting on Monday, a month). Repeated period after period they form an
endless sequence of local wall-clock hand-offs. Each hand-off has a global number, so the count
of hand-offs between two far-apart instants is arithmetic rather than a walk through the days.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import Literal

from engine.oncall.zones import RotationError, utc_to_wall, wall_to_utc
from engine.vocabulary import DAYS_OF_WEEK  # Monday first: the index is date.weekday()

Kind = Literal["DailySettings", "WeeklySettings", "MonthlySettings"]
_KINDS: tuple[Kind, ...] = ("DailySettings", "WeeklySettings", "MonthlySettings")

# Month numbers (January = 0) of the months that have 31 days.
_LONG_MONTHS = (0, 2, 4, 6, 7, 9, 11)


@dataclasses.dataclass(frozen=True, slots=True)
class HandOffCalendar:
    """The hand-off times of one period, repeated forever.

    ``entries`` are (day, time) pairs, sorted and without repeats: day is 0 for daily settings,
    the weekday (Monday 0) for weekly ones and the day of the month (1..31) for monthly ones.
    Periods are numbered from 1 January of year 1: day ordinals, Monday-based weeks, months.
    """

    kind: Kind
    entries: tuple[tuple[int, dt.time], ...]

    def period_of(self, day: dt.date) -> int:
        """The number of the period that contains ``day``."""
        if self.kind == "DailySettings":
            return day.toordinal()
        if self.kind == "WeeklySettings":
            # 1 January of year 1 (ordinal 1) is a Monday.
            return (day.toordinal() - 1) // 7
        return (day.year - 1) * 12 + day.month - 1

    def walls(self, period: int) -> tuple[dt.datetime, ...]:
        """The local wall-clock hand-offs of ``period`` in time order (none for a month that
        has none of the listed days)."""
        return _walls(self, period)

    def _compute_walls(self, period: int) -> tuple[dt.datetime, ...]:
        if self.kind == "DailySettings":
            day = dt.date.fromordinal(period)
            return tuple(dt.datetime.combine(day, time) for _, time in self.entries)
        if self.kind == "WeeklySettings":
            monday = period * 7 + 1
            return tuple(
                dt.datetime.combine(dt.date.fromordinal(monday + weekday), time)
                for weekday, time in self.entries
            )
        year, month = divmod(period, 12)
        length = calendar.monthrange(year + 1, month + 1)[1]
        return tuple(
            dt.datetime(year + 1, month + 1, day, time.hour, time.minute)
            for day, time in self.entries
            if day <= length
        )

    def count_before(self, period: int) -> int:
        """How many hand-offs all periods before ``period`` hold together."""
        if self.kind != "MonthlySettings":
            return period * len(self.entries)
        return sum(_months_having_day(day, period) for day, _ in self.entries)


# An engagement asks who is on call near the instants the last ones asked about: the same few
# periods come back again and again (bounded, so memory stays flat over a long run).
@functools.lru_cache(maxsize=1024)
def _walls(hand_offs: HandOffCalendar, period: int) -> tuple[dt.datetime, ...]:
    return hand_offs._compute_walls(period)


def _months_numbered(period: int, month_of_year: int) -> int:
    """How many months before ``period`` are the ``month_of_year``-th (January 0) of a year."""
    return max(0, (period - month_of_year + 11) // 12)


def _months_having_day(day: int, period: int) -> int:
    """How many months before ``period`` have a day numbered ``day``."""
    if day <= 28:
        return period
    februaries = _months_numbered(period, 1)
    if day == 29:
        # The Februaries counted belong to years 1..februaries; leap ones have a 29th.
        leap = februaries // 4 - februaries // 100 + februaries // 400
        return period - februaries + leap
    if day == 30:
        return period - februaries
    return sum(_months_numbered(period, month) for month in _LONG_MONTHS)


class HandOffCursor:
    """A movable position in a calendar's endless sequence of wall-clock hand-offs."""

    __slots__ = ("_walls", "calendar", "index", "period", "slot")

    def __init__(self, hand_offs: HandOffCalendar, period: int, slot: int) -> None:
        self.calendar = hand_offs
        self.period = period
        self.slot = slot
        self._walls = hand_offs.walls(period)
        while self.slot >= len(self._walls):
            self._enter(self.period + 1)
        #: The global number of the hand-off under the cursor.
        self.index = hand_offs.count_before(self.period) + self.slot

    @property
    def wall(self) -> dt.datetime:
        """The local wall-clock time of the hand-off under the cursor."""
        return self._walls[self.slot]

    def advance(self, steps: int = 1) -> None:
        """Move ``steps`` hand-offs later."""
        for _ in range(steps):
            self.slot += 1
            while self.slot >= len(self._walls):
                self._enter(self.period + 1)
        self.index += steps

    def retreat(self, steps: int = 1) -> None:
        """Move ``steps`` hand-offs earlier."""
        for _ in range(steps):
            self.slot -= 1
            while self.slot < 0:
                self._enter(self.period - 1)
                self.slot = len(self._walls) - 1
        self.index -= steps

    def _enter(self, period: int) -> None:
        self.period = period
        self.slot = 0
        self._walls = self.calendar.walls(period)


def first_hand_off_after(
    hand_offs: HandOffCalendar, zone: dt.tzinfo, instant: dt.datetime
) -> HandOffCursor:
    """A cursor on the first hand-off whose instant in ``zone`` is strictly after ``instant``."""
    wall = utc_to_wall(instant, zone)
    period = hand_offs.period_of(wall.date())
    cursor = HandOffCursor(hand_offs, period, bisect.bisect_right(hand_offs.walls(period), wall))
    # The wall-clock guess is off only around a DST change (a repeated hour, or a zone whose
    # clocks step back across midnight); settle it on instants.
    while True:
        cursor.retreat()
        if wall_to_utc(cursor.wall, zone) <= instant:
            cursor.advance()
            break
    while wall_to_utc(cursor.wall, zone) <= instant:
        cursor.advance()
    return cursor


def read_hand_off_time(value: object, path: str) -> dt.time:
    """A HandOffTime dict (HourOfDay 0..23, MinuteOfHour 0..59) as a time of day."""
    if not isinstance(value, Mapping):
        raise RotationError(path, value, "must be a HandOffTime with HourOfDay and MinuteOfHour")
    hour = _read_int(value, "HourOfDay", path, 0, 23)
    minute = _read_int(value, "MinuteOfHour", path, 0, 59)
    return dt.time(hour, minute)


def _read_int(holder: Mapping[str, object], name: str, path: str, low: int, high: int) -> int:
    value = holder.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RotationError(f"{path}.{name}", value, f"must be an integer from {low} to {high}")
    return value


def _read_list(value: object, path: str) -> Sequence[object]:
    if not isinstance(value, list | tuple) or not value:
        raise RotationError(path, value, "must list at least one hand-off")
    return value


def calendar_from_recurrence(recurrence: Mapping[str, object]) -> HandOffCalendar:
    """The hand-off calendar of a RecurrenceSettings dict: exactly one of Daily-, Weekly- and
    MonthlySettings, listing at least one hand-off (a repeat counts once), else RotationError."""
    given = [kind for kind in _KINDS if recurrence.get(kind) is not None]
    if len(given) != 1:
        raise RotationError(
            "Recurrence",
            given,
            "give exactly one of DailySettings, WeeklySettings and MonthlySettings",
        )
    kind = given[0]
    path = f"Recurrence.{kind}"
    entries: set[tuple[int, dt.time]] = set()
    for position, item in enumerate(_read_list(recurrence[kind], path)):
        item_path = f"{path}[{position}]"
        if kind == "DailySettings":
            entries.add((0, read_hand_off_time(item, item_path)))
            continue
        if not isinstance(item, Mapping):
            raise RotationError(item_path, item, "must be a setting with a HandOffTime")
        time = read_hand_off_time(item.get("HandOffTime"), f"{item_path}.HandOffTime")
        if kind == "WeeklySettings":
            day_name = item.get("DayOfWeek")
            if day_name not in DAYS_OF_WEEK:
                raise RotationError(
                    f"{item_path}.DayOfWeek", day_name, "must be one of " + ", ".join(DAYS_OF_WEEK)
                )
            entries.add((DAYS_OF_WEEK.index(str(day_name)), time))
        else:
            entries.add((_read_int(item, "DayOfMonth", item_path, 1, 31), time))
    return HandOffCalendar(kind, tuple(sorted(entries)))
