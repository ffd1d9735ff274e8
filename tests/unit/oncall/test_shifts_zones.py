"""Zones from tzdata and the DST rule for hand-off wall-clock times (S1, S5), plus the hand-off
calendar's arithmetic that lets the algorithm jump to a far window."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from engine.oncall import RotationError, UnknownTimeZone, load_zone
from engine.oncall.handoffs import HandOffCalendar, HandOffCursor, first_hand_off_after
from engine.oncall.zones import wall_to_utc

UTC = dt.UTC


@pytest.mark.parametrize(
    "zone_id",
    ["PST", "Mars/Base", "america/new_york", "", "../../etc/passwd", "America/", 42, None],
)
def test_unknown_zone_ids_raise_an_error_naming_the_value(zone_id: object) -> None:
    with pytest.raises(UnknownTimeZone) as caught:
        load_zone(zone_id)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, RotationError)
    assert caught.value.field == "TimeZoneId"
    assert caught.value.value == zone_id
    assert repr(zone_id) in str(caught.value)


@pytest.mark.parametrize("zone_id", ["UTC", "America/New_York", "Europe/London", "EST5EDT"])
def test_known_zones_load_once_and_keep_their_name(zone_id: str) -> None:
    zone = load_zone(zone_id)
    assert zone is load_zone(zone_id)
    assert zone.key == zone_id


# (zone, local wall time, the UTC instant it happens at): S5's rule on both DST changes of 2025.
WALL_TIMES = [
    # New York: 02:00 EST -> 03:00 EDT on 9 March, 02:00 EDT -> 01:00 EST on 2 November.
    ("America/New_York", "2025-03-09T01:59", "2025-03-09T06:59"),
    ("America/New_York", "2025-03-09T02:00", "2025-03-09T07:00"),  # gap: at its end
    ("America/New_York", "2025-03-09T02:30", "2025-03-09T07:00"),
    ("America/New_York", "2025-03-09T03:00", "2025-03-09T07:00"),
    ("America/New_York", "2025-11-02T00:59", "2025-11-02T04:59"),
    ("America/New_York", "2025-11-02T01:00", "2025-11-02T05:00"),  # repeated: first time
    ("America/New_York", "2025-11-02T01:30", "2025-11-02T05:30"),
    ("America/New_York", "2025-11-02T02:00", "2025-11-02T07:00"),
    # London: 01:00 GMT -> 02:00 BST on 30 March, 02:00 BST -> 01:00 GMT on 26 October.
    ("Europe/London", "2025-03-30T01:30", "2025-03-30T01:00"),
    ("Europe/London", "2025-03-30T02:00", "2025-03-30T01:00"),
    ("Europe/London", "2025-10-26T01:30", "2025-10-26T00:30"),
    ("Europe/London", "2025-10-26T02:00", "2025-10-26T02:00"),
    # Sydney, the other way round: 03:00 AEDT -> 02:00 AEST on 6 April,
    # 02:00 AEST -> 03:00 AEDT on 5 October.
    ("Australia/Sydney", "2025-04-06T02:30", "2025-04-05T15:30"),
    ("Australia/Sydney", "2025-04-06T03:00", "2025-04-05T17:00"),
    ("Australia/Sydney", "2025-10-05T02:30", "2025-10-04T16:00"),
    ("Australia/Sydney", "2025-10-05T03:00", "2025-10-04T16:00"),
    # Lord Howe moves by half an hour; Apia skipped the whole of 30 December 2011.
    ("Australia/Lord_Howe", "2025-10-05T02:15", "2025-10-04T15:30"),
    ("Pacific/Apia", "2011-12-30T12:00", "2011-12-30T10:00"),
]


@pytest.mark.parametrize(("zone_id", "wall", "expected"), WALL_TIMES)
def test_wall_times_in_gaps_move_to_the_gap_end_and_repeated_ones_take_the_first(
    zone_id: str, wall: str, expected: str
) -> None:
    instant = wall_to_utc(dt.datetime.fromisoformat(wall), load_zone(zone_id))
    assert instant == dt.datetime.fromisoformat(expected).replace(tzinfo=UTC)


def _brute_force_count(day: int, period: int) -> int:
    count = 0
    for month_index in range(period):
        year, month = divmod(month_index, 12)
        count += calendar.monthrange(year + 1, month + 1)[1] >= day
    return count


@pytest.mark.parametrize("day", [1, 28, 29, 30, 31])
@pytest.mark.parametrize("period", [0, 1, 2, 13, 14, 24 * 12 + 1, 100 * 12 + 2, 400 * 12 + 7])
def test_monthly_counts_match_a_month_by_month_count(day: int, period: int) -> None:
    monthly = HandOffCalendar("MonthlySettings", ((day, dt.time(9, 0)),))
    assert monthly.count_before(period) == _brute_force_count(day, period)


def test_cursor_numbers_agree_with_the_arithmetic_count_in_far_months() -> None:
    monthly = HandOffCalendar("MonthlySettings", ((29, dt.time(9, 0)), (31, dt.time(18, 0))))
    start = monthly.period_of(dt.date(2023, 11, 1))
    cursor = HandOffCursor(monthly, start, 0)
    seen = []
    for _ in range(60):
        seen.append(cursor.wall)
        fresh = HandOffCursor(monthly, cursor.period, cursor.slot)
        assert fresh.index == cursor.index
        cursor.advance()
    assert dt.datetime(2024, 2, 29, 9, 0) in seen
    assert dt.datetime(2025, 2, 28, 9, 0) not in seen
    assert not any(wall.month == 2 and wall.year == 2025 for wall in seen)
    cursor.retreat(60)
    assert cursor.wall == seen[0]


def test_first_hand_off_after_settles_the_repeated_hour_on_instants() -> None:
    zone = load_zone("America/New_York")
    daily = HandOffCalendar("DailySettings", ((0, dt.time(1, 15)), (0, dt.time(1, 45))))
    # 06:20Z is 01:20 EST, the second 01:20 of the day: both 01:15 (EDT, 05:15Z) and
    # 01:45 (EDT, 05:45Z) are already past.
    cursor = first_hand_off_after(daily, zone, dt.datetime(2025, 11, 2, 6, 20, tzinfo=UTC))
    assert cursor.wall == dt.datetime(2025, 11, 3, 1, 15)
