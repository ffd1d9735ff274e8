"""The remembered stretches of a rotation: lookups by bisection over stretches that never
overlap, merging what two listings saw of the same uncovered time, and a cache that is no part
of the rotation (pickles and copies as empty, left out of equality)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle

from engine.oncall import Rotation, on_call_remembered
from engine.oncall.stretches import Stretches

BASE = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    return BASE + dt.timedelta(hours=hours)


def test_a_lookup_finds_the_stretch_holding_the_instant_and_nothing_outside_any() -> None:
    stretches = Stretches()
    stretches.remember([(at(0), at(10), ("a",)), (at(10), at(20), ()), (at(30), at(40), ("b",))])
    assert stretches.find(at(0)) == ("a",)
    assert stretches.find(at(9.99)) == ("a",)
    assert stretches.find(at(10)) == ()
    assert stretches.find(at(25)) is None
    assert stretches.find(at(40)) is None
    assert stretches.find(at(-1)) is None


def test_uncovered_time_seen_from_two_sides_is_merged_so_one_bisection_still_finds_it() -> None:
    stretches = Stretches()
    stretches.remember([(at(0), at(100), ())])
    # A later listing's edge cuts the same uncovered time shorter, inside the first.
    stretches.remember([(at(20), at(30), ())])
    assert len(stretches) == 1
    assert stretches.find(at(50)) == ()
    # And overlapping it on the left and right.
    stretches.remember([(at(-10), at(5), ()), (at(90), at(120), ())])
    assert len(stretches) == 1
    assert stretches.find(at(-10)) == ()
    assert stretches.find(at(119)) == ()


def test_the_same_shift_listed_twice_is_kept_once() -> None:
    stretches = Stretches()
    stretches.remember([(at(0), at(10), ("a",))])
    stretches.remember([(at(0), at(10), ("a",)), (at(10), at(20), ("b",))])
    assert len(stretches) == 2
    assert stretches.find(at(15)) == ("b",)


def test_the_table_starts_afresh_past_its_limit() -> None:
    stretches = Stretches()
    stretches.remember([(at(2 * i), at(2 * i + 1), ("a",)) for i in range(4096)])
    assert len(stretches) == 4096
    stretches.remember([(at(-5), at(-4), ("b",))])
    assert len(stretches) == 1
    assert stretches.find(at(0)) is None


def test_remembered_stretches_pickle_and_copy_as_empty() -> None:
    stretches = Stretches()
    stretches.remember([(at(0), at(10), ("a",))])
    for other in (pickle.loads(pickle.dumps(stretches)), copy.deepcopy(stretches)):
        assert len(other) == 0
        assert other.find(at(5)) is None


def test_what_a_rotation_remembers_is_not_part_of_it() -> None:
    rotation = Rotation(
        ["a", "b"],
        BASE,
        "Europe/London",
        {
            "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
            "NumberOfOnCalls": 1,
            "RecurrenceMultiplier": 1,
        },
    )
    assert on_call_remembered(rotation, at(12)) == ("b",)  # shift 1, from 09:00
    assert on_call_remembered(rotation, at(36)) == ("a",)
    assert len(rotation.stretches) > 0
    rebuilt = dataclasses.replace(rotation)
    assert rebuilt == rotation
    assert len(rebuilt.stretches) == 0
