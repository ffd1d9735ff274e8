"""Overrides (S6, S7): other contacts over a stretch of covered time, the latest-created winning,
listed as OVERRIDDEN shifts with the replaced contacts; an override naming nobody."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest

from engine.oncall import Override, Rotation, RotationError, on_call, shifts, uncovered

UTC = dt.UTC
NINE = {"HourOfDay": 9, "MinuteOfHour": 0}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def daily_rotation(overrides: list[Any], coverage: dict[str, Any] | None = None) -> Rotation:
    recurrence: dict[str, Any] = {
        "DailySettings": [NINE],
        "NumberOfOnCalls": 1,
        "RecurrenceMultiplier": 1,
    }
    if coverage is not None:
        recurrence["ShiftCoverages"] = coverage
    return Rotation(["a", "b", "c"], at("2025-01-06T09:00"), "UTC", recurrence, overrides)


def listing(rot: Rotation, low: str, high: str) -> list[tuple[str, str, str, str, str]]:
    """(start, end, type, contacts, replaced contacts) with times as HH:MM on day DD."""

    def stamp(moment: dt.datetime) -> str:
        return moment.strftime("%d %H:%M")

    return [
        (
            stamp(s.start),
            stamp(s.end),
            s.type,
            ",".join(s.contact_ids),
            ",".join(s.overridden_contact_ids),
        )
        for s in shifts(rot, at(low), at(high))
    ]


def test_an_override_inside_a_shift_splits_it_in_three() -> None:
    rot = daily_rotation([(at("2025-01-06T12:00"), at("2025-01-06T15:00"), ["c"], 1)])
    assert listing(rot, "2025-01-06T09:00", "2025-01-07T09:00") == [
        ("06 09:00", "06 12:00", "REGULAR", "a", ""),
        ("06 12:00", "06 15:00", "OVERRIDDEN", "c", "a"),
        ("06 15:00", "07 09:00", "REGULAR", "a", ""),
    ]
    assert on_call(rot, at("2025-01-06T12:00")) == ("c",)
    assert on_call(rot, at("2025-01-06T15:00")) == ("a",)


def test_an_override_spanning_several_shifts_is_cut_at_each_boundary() -> None:
    rot = daily_rotation([Override(at("2025-01-06T12:00"), at("2025-01-08T12:00"), ["b"], 1)])
    assert listing(rot, "2025-01-06T09:00", "2025-01-09T09:00") == [
        ("06 09:00", "06 12:00", "REGULAR", "a", ""),
        ("06 12:00", "07 09:00", "OVERRIDDEN", "b", "a"),
        ("07 09:00", "08 09:00", "OVERRIDDEN", "b", "b"),
        ("08 09:00", "08 12:00", "OVERRIDDEN", "b", "c"),
        ("08 12:00", "09 09:00", "REGULAR", "c", ""),
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # The later-created short override wins inside the older long one.
        (
            [
                (at("2025-01-06T10:00"), at("2025-01-06T16:00"), ["b"], 1),
                (at("2025-01-06T12:00"), at("2025-01-06T14:00"), ["c"], 2),
            ],
            [
                ("06 09:00", "06 10:00", "REGULAR", "a", ""),
                ("06 10:00", "06 12:00", "OVERRIDDEN", "b", "a"),
                ("06 12:00", "06 14:00", "OVERRIDDEN", "c", "a"),
                ("06 14:00", "06 16:00", "OVERRIDDEN", "b", "a"),
                ("06 16:00", "07 09:00", "REGULAR", "a", ""),
            ],
        ),
        # Created the other way round, the long one hides the short one entirely.
        (
            [
                (at("2025-01-06T10:00"), at("2025-01-06T16:00"), ["b"], 2),
                (at("2025-01-06T12:00"), at("2025-01-06T14:00"), ["c"], 1),
            ],
            [
                ("06 09:00", "06 10:00", "REGULAR", "a", ""),
                ("06 10:00", "06 16:00", "OVERRIDDEN", "b", "a"),
                ("06 16:00", "07 09:00", "REGULAR", "a", ""),
            ],
        ),
        # Partly overlapping, equal creation numbers: the one listed later wins.
        (
            [
                (at("2025-01-06T10:00"), at("2025-01-06T13:00"), ["b"], 5),
                (at("2025-01-06T12:00"), at("2025-01-06T15:00"), ["c"], 5),
            ],
            [
                ("06 09:00", "06 10:00", "REGULAR", "a", ""),
                ("06 10:00", "06 12:00", "OVERRIDDEN", "b", "a"),
                ("06 12:00", "06 15:00", "OVERRIDDEN", "c", "a"),
                ("06 15:00", "07 09:00", "REGULAR", "a", ""),
            ],
        ),
    ],
)
def test_the_latest_created_override_wins_where_they_overlap(
    overrides: list[Any], expected: list[tuple[str, ...]]
) -> None:
    rot = daily_rotation(overrides)
    assert listing(rot, "2025-01-06T09:00", "2025-01-07T09:00") == expected


def test_an_override_naming_nobody_leaves_nobody_on_call() -> None:
    rot = daily_rotation([(at("2025-01-06T12:00"), at("2025-01-06T15:00"), [], 1)])
    listed = shifts(rot, at("2025-01-06T12:00"), at("2025-01-06T13:00"))
    assert len(listed) == 1
    assert listed[0].as_aws() == {
        "ContactIds": [],
        "StartTime": at("2025-01-06T12:00"),
        "EndTime": at("2025-01-06T15:00"),
        "Type": "OVERRIDDEN",
        "ShiftDetails": {"OverriddenContactIds": ["a"]},
    }
    assert on_call(rot, at("2025-01-06T13:00")) == ()
    assert uncovered(rot, at("2025-01-06T00:00"), at("2025-01-07T00:00")) == [
        (at("2025-01-06T00:00"), at("2025-01-06T09:00")),
        (at("2025-01-06T12:00"), at("2025-01-06T15:00")),
    ]


def test_overrides_apply_inside_covered_time_only() -> None:
    coverage = {"MON": [{"Start": NINE, "End": {"HourOfDay": 17, "MinuteOfHour": 0}}]}
    rot = daily_rotation([(at("2025-01-06T06:00"), at("2025-01-06T20:00"), ["c"], 1)], coverage)
    assert listing(rot, "2025-01-06T00:00", "2025-01-07T00:00") == [
        ("06 09:00", "06 17:00", "OVERRIDDEN", "c", "a"),
    ]
    assert on_call(rot, at("2025-01-06T18:00")) == ()


def test_an_override_before_the_rotation_starts_changes_nothing() -> None:
    rot = daily_rotation([(at("2025-01-05T00:00"), at("2025-01-06T09:00"), ["c"], 1)])
    assert on_call(rot, at("2025-01-05T12:00")) == ()
    assert [s.type for s in shifts(rot, at("2025-01-05T00:00"), at("2025-01-07T00:00"))] == [
        "REGULAR"
    ]


def test_overrides_must_be_overrides_or_four_tuples_of_aware_times() -> None:
    with pytest.raises(RotationError, match=r"^Overrides\[0\]:"):
        daily_rotation([("2025-01-06", "2025-01-07")])
    with pytest.raises(RotationError, match=r"^Overrides:"):
        daily_rotation(cast(Any, None))
    with pytest.raises(RotationError, match=r"^Override\.StartTime:"):
        Override(dt.datetime(2025, 1, 6), at("2025-01-07T00:00"), ["a"], 1)
    with pytest.raises(RotationError, match=r"^Overrides\[1\]\.NewContactIds:"):
        daily_rotation(
            [
                (at("2025-01-06T10:00"), at("2025-01-06T16:00"), ["b"], 1),
                (at("2025-01-06T10:00"), at("2025-01-06T16:00"), "b", 2),
            ]
        )
