"""Shift boundaries and contacts (S1b-S3, S5, S7): worked examples, DST in three zones,
multipliers, NumberOfOnCalls, monthly days a month lacks, far windows and the AWS shape."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from engine.model.validation import validate_request
from engine.oncall import Rotation, RotationError, Shift, on_call, shifts, uncovered

UTC = dt.UTC
CONTACTS = ["a", "b", "c"]


def at(text: str) -> dt.datetime:
    """An ISO instant; without an offset it is UTC."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def hand_off(hhmm: str) -> dict[str, int]:
    hour, minute = hhmm.split(":")
    return {"HourOfDay": int(hour), "MinuteOfHour": int(minute)}


def daily(*times: str, multiplier: int = 1, on_calls: int = 1) -> dict[str, Any]:
    return {
        "DailySettings": [hand_off(t) for t in times],
        "NumberOfOnCalls": on_calls,
        "RecurrenceMultiplier": multiplier,
    }


def weekly(*settings: tuple[str, str], multiplier: int = 1) -> dict[str, Any]:
    return {
        "WeeklySettings": [{"DayOfWeek": d, "HandOffTime": hand_off(t)} for d, t in settings],
        "NumberOfOnCalls": 1,
        "RecurrenceMultiplier": multiplier,
    }


def monthly(*settings: tuple[int, str], multiplier: int = 1) -> dict[str, Any]:
    return {
        "MonthlySettings": [{"DayOfMonth": d, "HandOffTime": hand_off(t)} for d, t in settings],
        "NumberOfOnCalls": 1,
        "RecurrenceMultiplier": multiplier,
    }


def rotation(
    recurrence: dict[str, Any],
    start: str,
    zone: str = "UTC",
    contacts: list[str] | None = None,
) -> Rotation:
    return Rotation(contacts or CONTACTS, at(start), zone, recurrence)


def spans(listed: list[Shift]) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(s.start, s.end) for s in listed]


def chain(*instants: str) -> list[tuple[dt.datetime, dt.datetime]]:
    """Consecutive shifts [i0, i1), [i1, i2), ... from boundary instants."""
    moments = [at(i) for i in instants]
    return list(itertools.pairwise(moments))


def first_shifts(rot: Rotation, count: int, days: int = 400) -> list[Shift]:
    return shifts(rot, rot.start, rot.start + dt.timedelta(days=days))[:count]


# --- S2's worked examples, word for word ------------------------------------------------------


def test_daily_0900_multiplier_3_from_0900_hands_off_on_day_3_6_9() -> None:
    rot = rotation(daily("09:00", multiplier=3), "2025-01-01T09:00")
    assert spans(first_shifts(rot, 3)) == chain(
        "2025-01-01T09:00", "2025-01-04T09:00", "2025-01-07T09:00", "2025-01-10T09:00"
    )


def test_daily_0900_multiplier_3_from_0800_first_boundary_is_day_2() -> None:
    rot = rotation(daily("09:00", multiplier=3), "2025-01-01T08:00")
    assert spans(first_shifts(rot, 3)) == chain(
        "2025-01-01T08:00", "2025-01-03T09:00", "2025-01-06T09:00", "2025-01-09T09:00"
    )


def test_daily_0900_and_2100_multiplier_1_hands_off_every_12_hours() -> None:
    rot = rotation(daily("09:00", "21:00"), "2025-01-01T09:00")
    assert spans(first_shifts(rot, 4)) == chain(
        "2025-01-01T09:00",
        "2025-01-01T21:00",
        "2025-01-02T09:00",
        "2025-01-02T21:00",
        "2025-01-03T09:00",
    )


@pytest.mark.parametrize(
    ("start", "boundaries"),
    [
        # From 08:00 the instants after it are 09:00 and 21:00: 21:00 is the second.
        ("2025-01-01T08:00", ["2025-01-01T21:00", "2025-01-02T21:00", "2025-01-03T21:00"]),
        # From 10:00 they are 21:00 and the next day's 09:00.
        ("2025-01-01T10:00", ["2025-01-02T09:00", "2025-01-03T09:00", "2025-01-04T09:00"]),
    ],
)
def test_daily_two_times_multiplier_2_hands_off_every_24_hours_at_the_second_instant(
    start: str, boundaries: list[str]
) -> None:
    rot = rotation(daily("09:00", "21:00", multiplier=2), start)
    assert spans(first_shifts(rot, 3)) == chain(start, *boundaries)


# --- S5: DST, both changes of 2025 in three zones ---------------------------------------------

# (zone, hand-off time, boundaries as local times with their offsets, hours of each shift)
DST_CASES = [
    # New York, spring forward on 9 March: an ordinary time, then one inside the gap.
    (
        "America/New_York",
        "09:00",
        [
            "2025-03-07T09:00-05:00",
            "2025-03-08T09:00-05:00",
            "2025-03-09T09:00-04:00",
            "2025-03-10T09:00-04:00",
        ],
        [24, 23, 24],
    ),
    (
        "America/New_York",
        "02:30",
        ["2025-03-08T02:30-05:00", "2025-03-09T03:00-04:00", "2025-03-10T02:30-04:00"],
        [23.5, 23.5],
    ),
    # New York, fall back on 2 November: ordinary time, then the repeated hour.
    (
        "America/New_York",
        "09:00",
        [
            "2025-10-31T09:00-04:00",
            "2025-11-01T09:00-04:00",
            "2025-11-02T09:00-05:00",
            "2025-11-03T09:00-05:00",
        ],
        [24, 25, 24],
    ),
    (
        "America/New_York",
        "01:30",
        ["2025-11-01T01:30-04:00", "2025-11-02T01:30-04:00", "2025-11-03T01:30-05:00"],
        [24, 25],
    ),
    # London, 30 March and 26 October.
    (
        "Europe/London",
        "09:00",
        ["2025-03-29T09:00+00:00", "2025-03-30T09:00+01:00", "2025-03-31T09:00+01:00"],
        [23, 24],
    ),
    (
        "Europe/London",
        "01:30",
        ["2025-03-29T01:30+00:00", "2025-03-30T02:00+01:00", "2025-03-31T01:30+01:00"],
        [23.5, 23.5],
    ),
    (
        "Europe/London",
        "09:00",
        ["2025-10-25T09:00+01:00", "2025-10-26T09:00+00:00", "2025-10-27T09:00+00:00"],
        [25, 24],
    ),
    (
        "Europe/London",
        "01:30",
        ["2025-10-25T01:30+01:00", "2025-10-26T01:30+01:00", "2025-10-27T01:30+00:00"],
        [24, 25],
    ),
    # Sydney the other way round: fall back on 6 April, spring forward on 5 October.
    (
        "Australia/Sydney",
        "09:00",
        ["2025-04-05T09:00+11:00", "2025-04-06T09:00+10:00", "2025-04-07T09:00+10:00"],
        [25, 24],
    ),
    (
        "Australia/Sydney",
        "02:30",
        ["2025-04-05T02:30+11:00", "2025-04-06T02:30+11:00", "2025-04-07T02:30+10:00"],
        [24, 25],
    ),
    (
        "Australia/Sydney",
        "09:00",
        ["2025-10-04T09:00+10:00", "2025-10-05T09:00+11:00", "2025-10-06T09:00+11:00"],
        [23, 24],
    ),
    (
        "Australia/Sydney",
        "02:30",
        ["2025-10-04T02:30+10:00", "2025-10-05T03:00+11:00", "2025-10-06T02:30+11:00"],
        [23.5, 23.5],
    ),
]


@pytest.mark.parametrize(("zone", "hand_off_time", "boundaries", "hours"), DST_CASES)
def test_daily_shifts_across_dst_changes(
    zone: str, hand_off_time: str, boundaries: list[str], hours: list[float]
) -> None:
    rot = rotation(daily(hand_off_time), boundaries[0], zone)
    listed = first_shifts(rot, len(hours))
    assert spans(listed) == chain(*boundaries)
    assert [(s.end - s.start) / dt.timedelta(hours=1) for s in listed] == hours
    assert [s.contact_ids for s in listed] == [(CONTACTS[i % 3],) for i in range(len(hours))]


def test_weekly_shift_across_spring_forward_is_an_hour_short() -> None:
    rot = rotation(weekly(("MON", "09:00")), "2025-03-03T09:00-05:00", "America/New_York")
    listed = first_shifts(rot, 2)
    assert spans(listed) == chain(
        "2025-03-03T09:00-05:00", "2025-03-10T09:00-04:00", "2025-03-17T09:00-04:00"
    )
    assert [s.end - s.start for s in listed] == [dt.timedelta(hours=167), dt.timedelta(hours=168)]


def test_two_hand_offs_in_one_gap_make_an_empty_shift_that_is_not_listed_but_keeps_its_turn() -> (
    None
):
    rot = rotation(daily("02:00", "02:30"), "2025-03-08T02:00-05:00", "America/New_York")
    listed = first_shifts(rot, 4)
    # Shift 2 (c's) would run from 02:00 to 02:30 on 9 March; both are in the gap, so at 07:00Z.
    assert [(s.start, s.end, s.contact_ids) for s in listed] == [
        (at("2025-03-08T02:00-05:00"), at("2025-03-08T02:30-05:00"), ("a",)),
        (at("2025-03-08T02:30-05:00"), at("2025-03-09T03:00-04:00"), ("b",)),
        (at("2025-03-09T03:00-04:00"), at("2025-03-10T02:00-04:00"), ("a",)),
        (at("2025-03-10T02:00-04:00"), at("2025-03-10T02:30-04:00"), ("b",)),
    ]
    assert on_call(rot, at("2025-03-09T07:00")) == ("a",)


# --- Multipliers with several hand-off times, NumberOfOnCalls, monthly days ---------------------


def test_weekly_two_times_multiplier_3_alternates_the_hand_off_day() -> None:
    rot = rotation(weekly(("MON", "09:00"), ("THU", "17:00"), multiplier=3), "2025-01-01T12:00")
    # After Wed 1 Jan 12:00: Thu 2, Mon 6, Thu 9 (3rd), Mon 13, Thu 16, Mon 20 (6th), ...
    assert spans(first_shifts(rot, 4)) == chain(
        "2025-01-01T12:00",
        "2025-01-09T17:00",
        "2025-01-20T09:00",
        "2025-01-30T17:00",
        "2025-02-10T09:00",
    )


def test_daily_three_times_multiplier_2() -> None:
    rot = rotation(daily("06:00", "14:00", "22:00", multiplier=2), "2025-01-01T00:00")
    assert spans(first_shifts(rot, 4)) == chain(
        "2025-01-01T00:00",
        "2025-01-01T14:00",
        "2025-01-02T06:00",
        "2025-01-02T22:00",
        "2025-01-03T14:00",
    )


def test_a_time_listed_twice_is_one_hand_off() -> None:
    twice = rotation(daily("09:00", "09:00", "21:00"), "2025-01-01T00:00")
    once = rotation(daily("21:00", "09:00"), "2025-01-01T00:00")
    assert first_shifts(twice, 6) == first_shifts(once, 6)


@pytest.mark.parametrize(
    ("contacts", "on_calls", "expected"),
    [
        (["a", "b", "c", "d", "e"], 2, [("a", "b"), ("c", "d"), ("e", "a"), ("b", "c")]),
        (["a", "b", "c"], 2, [("a", "b"), ("c", "a"), ("b", "c"), ("a", "b")]),
        # More on call than members: capped at the member count, so everyone every shift.
        (["a", "b", "c"], 7, [("a", "b", "c")] * 4),
        (["a"], 3, [("a",)] * 4),
    ],
)
def test_number_of_on_calls_takes_the_next_k_contacts_in_list_order(
    contacts: list[str], on_calls: int, expected: list[tuple[str, ...]]
) -> None:
    rot = rotation(daily("09:00", on_calls=on_calls), "2025-01-01T09:00", contacts=contacts)
    listed = first_shifts(rot, 4)
    assert [s.contact_ids for s in listed] == expected
    assert on_call(rot, at("2025-01-03T10:00")) == expected[2]


@pytest.mark.parametrize(
    ("day", "start", "boundaries"),
    [
        # Months without a 31st are skipped.
        (31, "2025-01-01", ["2025-01-31", "2025-03-31", "2025-05-31", "2025-07-31", "2025-08-31"]),
        # 29 February exists in 2024, not in 2025.
        (29, "2023-12-01", ["2023-12-29", "2024-01-29", "2024-02-29", "2024-03-29"]),
        (29, "2024-12-01", ["2024-12-29", "2025-01-29", "2025-03-29", "2025-04-29"]),
        # There is never a 30 February.
        (30, "2024-01-01", ["2024-01-30", "2024-03-30", "2024-04-30"]),
    ],
)
def test_monthly_days_a_month_lacks_are_skipped(
    day: int, start: str, boundaries: list[str]
) -> None:
    rot = rotation(monthly((day, "10:00")), f"{start}T00:00")
    stamps = [f"{b}T10:00" for b in boundaries]
    assert spans(first_shifts(rot, len(stamps), days=800)) == chain(f"{start}T00:00", *stamps)


def test_monthly_two_days_multiplier_2() -> None:
    rot = rotation(monthly((1, "09:00"), (15, "18:00"), multiplier=2), "2025-01-10T00:00")
    # After 10 Jan: 15 Jan, 1 Feb (2nd), 15 Feb, 1 Mar (4th), ...
    assert spans(first_shifts(rot, 3)) == chain(
        "2025-01-10T00:00", "2025-02-01T09:00", "2025-03-01T09:00", "2025-04-01T09:00"
    )


# --- S1b / S7: the start, windows, far windows -------------------------------------------------


def test_nobody_is_on_call_before_the_start_and_shift_0_begins_at_it() -> None:
    rot = rotation(daily("09:00"), "2025-01-01T15:00")
    assert on_call(rot, at("2025-01-01T14:59")) == ()
    assert on_call(rot, at("2025-01-01T15:00")) == ("a",)
    assert shifts(rot, at("2024-12-01T00:00"), at("2025-01-01T15:00")) == []
    assert uncovered(rot, at("2025-01-01T00:00"), at("2025-01-01T20:00")) == [
        (at("2025-01-01T00:00"), at("2025-01-01T15:00"))
    ]
    listed = shifts(rot, at("2024-12-01T00:00"), at("2025-01-02T09:30"))
    assert spans(listed) == chain("2025-01-01T15:00", "2025-01-02T09:00", "2025-01-03T09:00")


def test_shifts_overlapping_the_window_come_whole_and_the_end_is_exclusive() -> None:
    rot = rotation(daily("09:00"), "2025-01-01T09:00")
    listed = shifts(rot, at("2025-01-02T12:00"), at("2025-01-04T09:00"))
    assert spans(listed) == chain("2025-01-02T09:00", "2025-01-03T09:00", "2025-01-04T09:00")
    assert shifts(rot, at("2025-01-02T12:00"), at("2025-01-02T12:00")) == []


@pytest.mark.parametrize(
    ("recurrence", "zone"),
    [
        (daily("02:30", "14:00"), "America/New_York"),
        (weekly(("SUN", "01:30"), ("WED", "12:00"), multiplier=3), "Europe/London"),
        (monthly((31, "02:30"), (29, "09:00"), multiplier=7), "Australia/Sydney"),
    ],
)
def test_a_far_window_gives_what_walking_from_the_start_gives(
    recurrence: dict[str, Any], zone: str
) -> None:
    rot = rotation(recurrence, "2025-01-01T00:00", zone)
    low, high = at("2033-06-01T00:00"), at("2033-09-01T00:00")
    walked = [s for s in shifts(rot, rot.start, high) if s.end > low]
    assert shifts(rot, low, high) == walked
    assert walked
    for shift in walked:
        assert on_call(rot, shift.start) == shift.contact_ids


def test_a_year_of_weekly_shifts_years_after_the_start_lists_53_shifts() -> None:
    rot = rotation(weekly(("MON", "09:00")), "2025-01-06T09:00", "America/New_York")
    listed = shifts(rot, at("2031-01-01T00:00"), at("2032-01-01T00:00"))
    assert len(listed) == 53


# --- The AWS shape and the input side ----------------------------------------------------------


def test_as_aws_gives_the_rotation_shift_members() -> None:
    regular = Shift(at("2025-01-01T09:00"), at("2025-01-02T09:00"), ("a", "b"))
    assert regular.as_aws() == {
        "ContactIds": ["a", "b"],
        "StartTime": at("2025-01-01T09:00"),
        "EndTime": at("2025-01-02T09:00"),
        "Type": "REGULAR",
    }
    overridden = Shift(at("2025-01-01T09:00"), at("2025-01-01T12:00"), ("c",), "OVERRIDDEN", ("a",))
    assert overridden.as_aws()["ShiftDetails"] == {"OverriddenContactIds": ["a"]}
    assert overridden.as_aws()["ContactIds"] == ["c"]


def test_a_validated_create_rotation_request_builds_a_rotation() -> None:
    arn = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/"
    request = validate_request(
        "CreateRotation",
        {
            "Name": "primary",
            "ContactIds": [arn + "akuam", arn + "alejr"],
            "StartTime": 1735722000,
            "TimeZoneId": "America/New_York",
            "Recurrence": daily("09:00"),
        },
    )
    fields = request.model_dump(by_alias=True, exclude_unset=True)
    rot = Rotation(
        fields["ContactIds"], fields["StartTime"], fields["TimeZoneId"], fields["Recurrence"]
    )
    assert rot.start == at("2025-01-01T09:00")
    # 09:00 New York is 14:00Z in January: akuam until then, alejr after.
    assert on_call(rot, at("2025-01-01T13:59")) == (arn + "akuam",)
    assert on_call(rot, at("2025-01-01T14:00")) == (arn + "alejr",)


BAD_ROTATIONS = [
    ({"contacts": []}, "ContactIds"),
    ({"start": dt.datetime(2025, 1, 1)}, "StartTime"),
    ({"zone": "PST"}, "TimeZoneId"),
    ({"recurrence": {**daily("09:00"), **weekly(("MON", "09:00"))}}, "Recurrence"),
    ({"recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1}}, "Recurrence"),
    ({"recurrence": {**daily("09:00"), "DailySettings": []}}, "Recurrence.DailySettings"),
    (
        {"recurrence": {**daily("09:00"), "DailySettings": [{"HourOfDay": 24, "MinuteOfHour": 0}]}},
        "Recurrence.DailySettings[0].HourOfDay",
    ),
    (
        {"recurrence": weekly(("FUNDAY", "09:00"))},
        "Recurrence.WeeklySettings[0].DayOfWeek",
    ),
    ({"recurrence": monthly((32, "09:00"))}, "Recurrence.MonthlySettings[0].DayOfMonth"),
    ({"recurrence": daily("09:00", on_calls=0)}, "Recurrence.NumberOfOnCalls"),
    ({"recurrence": daily("09:00", multiplier=101)}, "Recurrence.RecurrenceMultiplier"),
    (
        {"recurrence": {**daily("09:00"), "ShiftCoverages": {"XYZ": []}}},
        "Recurrence.ShiftCoverages",
    ),
]


@pytest.mark.parametrize(("change", "field"), BAD_ROTATIONS)
def test_bad_rotations_raise_an_error_naming_the_field(change: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {
        "contacts": ["a"],
        "start": at("2025-01-01T00:00"),
        "zone": "UTC",
        "recurrence": daily("09:00"),
    }
    values.update(change)
    with pytest.raises(RotationError) as caught:
        Rotation(values["contacts"], values["start"], values["zone"], values["recurrence"])
    assert caught.value.field == field
    assert str(caught.value).startswith(field + ":")


def test_bad_windows_raise_an_error_naming_the_member() -> None:
    rot = rotation(daily("09:00"), "2025-01-01T00:00")
    with pytest.raises(RotationError, match=r"^EndTime:"):
        shifts(rot, at("2025-01-02T00:00"), at("2025-01-01T00:00"))
    with pytest.raises(RotationError, match=r"^StartTime:"):
        shifts(rot, dt.datetime(2025, 1, 1), at("2025-01-02T00:00"))
    with pytest.raises(RotationError, match=r"^EndTime:"):
        uncovered(rot, at("2025-01-01T00:00"), dt.datetime(9999, 1, 1, tzinfo=UTC))
    with pytest.raises(RotationError, match=r"^instant:"):
        on_call(rot, dt.datetime(2025, 1, 1))
