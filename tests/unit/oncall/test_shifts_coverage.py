"""ShiftCoverages (S4): on-call time limited to local windows, shifts split into pieces, the
readings of End 00:00 and of windows that wrap past midnight, and coverage across DST."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.oncall import Rotation, on_call, shifts, uncovered

UTC = dt.UTC
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI")
EVERY_DAY = (*WEEKDAYS, "SAT", "SUN")


def at(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def window(start: str | None, end: str | None) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for name, value in (("Start", start), ("End", end)):
        if value is not None:
            hour, minute = value.split(":")
            given[name] = {"HourOfDay": int(hour), "MinuteOfHour": int(minute)}
    return given


def covered_rotation(
    coverages: dict[str, list[dict[str, Any]]],
    hand_off: str = "09:00",
    start: str = "2025-01-06T09:00",  # a Monday
    zone: str = "UTC",
    weekly_on: str | None = None,
) -> Rotation:
    hour, minute = hand_off.split(":")
    time = {"HourOfDay": int(hour), "MinuteOfHour": int(minute)}
    recurrence: dict[str, Any] = {
        "NumberOfOnCalls": 1,
        "RecurrenceMultiplier": 1,
        "ShiftCoverages": coverages,
    }
    if weekly_on is None:
        recurrence["DailySettings"] = [time]
    else:
        recurrence["WeeklySettings"] = [{"DayOfWeek": weekly_on, "HandOffTime": time}]
    return Rotation(["a", "b", "c"], at(start), zone, recurrence)


def pieces(rot: Rotation, low: str, high: str) -> list[tuple[dt.datetime, dt.datetime, str]]:
    return [(s.start, s.end, ",".join(s.contact_ids)) for s in shifts(rot, at(low), at(high))]


def test_working_hours_limit_each_daily_shift_and_weekends_have_nobody() -> None:
    rot = covered_rotation({day: [window("09:00", "17:00")] for day in WEEKDAYS})
    listed = pieces(rot, "2025-01-10T00:00", "2025-01-14T00:00")  # Fri 10 to Mon 13
    assert listed == [
        (at("2025-01-10T09:00"), at("2025-01-10T17:00"), "b"),  # Friday's shift, 5th
        (at("2025-01-13T09:00"), at("2025-01-13T17:00"), "b"),  # Monday's shift, 8th
    ]
    assert on_call(rot, at("2025-01-11T12:00")) == ()
    assert on_call(rot, at("2025-01-10T16:59")) == ("b",)
    assert on_call(rot, at("2025-01-10T17:00")) == ()
    assert uncovered(rot, at("2025-01-10T00:00"), at("2025-01-14T00:00")) == [
        (at("2025-01-10T00:00"), at("2025-01-10T09:00")),
        (at("2025-01-10T17:00"), at("2025-01-13T09:00")),
        (at("2025-01-13T17:00"), at("2025-01-14T00:00")),
    ]


def test_a_weekly_shift_is_split_into_a_piece_per_window() -> None:
    day_windows = [window("08:00", "12:00"), window("13:00", "18:00")]
    rot = covered_rotation({day: day_windows for day in WEEKDAYS}, weekly_on="MON")
    listed = pieces(rot, "2025-01-06T09:00", "2025-01-13T09:00")
    # Two pieces a weekday, the first one cut at the 09:00 start, and the hour of the next
    # Monday's morning window before the 09:00 hand-off.
    assert len(listed) == 11
    assert listed[0] == (at("2025-01-06T09:00"), at("2025-01-06T12:00"), "a")
    assert listed[1] == (at("2025-01-06T13:00"), at("2025-01-06T18:00"), "a")
    assert listed[9] == (at("2025-01-10T13:00"), at("2025-01-10T18:00"), "a")
    assert listed[10] == (at("2025-01-13T08:00"), at("2025-01-13T09:00"), "a")
    # The next shift starts on Monday 13 at 09:00: its first piece is 09:00-12:00.
    assert pieces(rot, "2025-01-13T09:00", "2025-01-13T10:00") == [
        (at("2025-01-13T09:00"), at("2025-01-13T12:00"), "b")
    ]


def test_a_window_crossing_a_hand_off_is_split_between_the_two_shifts() -> None:
    rot = covered_rotation({day: [window("06:00", "12:00")] for day in EVERY_DAY})
    assert pieces(rot, "2025-01-07T00:00", "2025-01-07T23:00") == [
        (at("2025-01-07T06:00"), at("2025-01-07T09:00"), "a"),
        (at("2025-01-07T09:00"), at("2025-01-07T12:00"), "b"),
    ]


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [
        # End 00:00 is midnight at the end of the day.
        ({"MON": [window("18:00", "00:00")]}, [("2025-01-06T18:00", "2025-01-07T00:00")]),
        # A missing Start or End counts as 00:00: the whole day.
        ({"MON": [window(None, None)]}, [("2025-01-06T00:00", "2025-01-07T00:00")]),
        ({"MON": [window("00:00", "00:00")]}, [("2025-01-06T00:00", "2025-01-07T00:00")]),
        # End before Start wraps past midnight into the next day...
        ({"MON": [window("22:00", "06:00")]}, [("2025-01-06T22:00", "2025-01-07T06:00")]),
        # ... and joins the next day's window when they touch.
        (
            {"MON": [window("22:00", "06:00")], "TUE": [window("06:00", "10:00")]},
            [("2025-01-06T22:00", "2025-01-07T10:00")],
        ),
        # End equal to Start is a whole day from Start.
        ({"MON": [window("12:00", "12:00")]}, [("2025-01-06T12:00", "2025-01-07T12:00")]),
        # Overlapping windows of a day join.
        (
            {"MON": [window("10:00", "14:00"), window("08:00", "11:00")]},
            [("2025-01-06T08:00", "2025-01-06T14:00")],
        ),
    ],
)
def test_coverage_window_readings(
    coverage: dict[str, list[dict[str, Any]]], expected: list[tuple[str, str]]
) -> None:
    rot = covered_rotation(coverage, hand_off="00:00", start="2025-01-06T00:00", weekly_on="MON")
    listed = pieces(rot, "2025-01-06T00:00", "2025-01-13T00:00")
    assert [(s, e) for s, e, _ in listed] == [(at(s), at(e)) for s, e in expected]


def test_whole_day_coverage_every_day_is_the_same_as_no_coverage() -> None:
    full = covered_rotation({day: [window("00:00", "00:00")] for day in EVERY_DAY})
    plain = Rotation(
        ["a", "b", "c"], full.start, "UTC", {**full.recurrence, "ShiftCoverages": None}
    )
    low, high = at("2025-01-06T00:00"), at("2025-02-06T00:00")
    assert shifts(full, low, high) == shifts(plain, low, high)


def test_an_empty_coverage_map_leaves_nobody_on_call() -> None:
    rot = covered_rotation({})
    low, high = at("2025-01-06T00:00"), at("2025-01-20T00:00")
    assert shifts(rot, low, high) == []
    assert uncovered(rot, low, high) == [(low, high)]
    assert on_call(rot, at("2025-01-07T12:00")) == ()


def test_coverage_windows_are_local_times_across_spring_forward() -> None:
    rot = covered_rotation(
        {day: [window("09:00", "17:00")] for day in WEEKDAYS},
        start="2025-03-03T09:00-05:00",
        zone="America/New_York",
    )
    listed = pieces(rot, "2025-03-07T00:00", "2025-03-11T00:00")
    assert [(s, e) for s, e, _ in listed] == [
        (at("2025-03-07T09:00-05:00"), at("2025-03-07T17:00-05:00")),  # 14:00Z-22:00Z
        (at("2025-03-10T09:00-04:00"), at("2025-03-10T17:00-04:00")),  # 13:00Z-21:00Z
    ]


def test_a_coverage_window_over_the_repeated_hour_runs_from_first_start_to_single_end() -> None:
    # 01:00 to 02:00 on 2 November: from 01:00 EDT (the first one) to 02:00 EST, two hours.
    rot = covered_rotation(
        {"SUN": [window("01:00", "02:00")]},
        hand_off="00:00",
        start="2025-10-27T00:00-04:00",
        zone="America/New_York",
        weekly_on="MON",
    )
    listed = pieces(rot, "2025-11-01T00:00", "2025-11-03T00:00")
    assert [(s, e) for s, e, _ in listed] == [(at("2025-11-02T05:00"), at("2025-11-02T07:00"))]
    assert on_call(rot, at("2025-11-02T06:30")) == ("a",)
    assert on_call(rot, at("2025-11-02T07:00")) == ()
