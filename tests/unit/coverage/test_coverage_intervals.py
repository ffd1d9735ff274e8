"""Interval sets of engine.coverage: plain and labelled, checked against instant-by-instant sets."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from engine.coverage.intervals import (
    Interval,
    Labelled,
    complement,
    intersect,
    intersect_labelled,
    normalise,
    normalise_labelled,
    restrict_labelled,
    shift,
    shift_labelled,
    subtract_labelled,
    total_seconds,
    union,
)

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
RANKS = {"a": 1, "b": 2, "c": 3}


def t(minute: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minute)


def span(low: int, high: int) -> Interval:
    return (t(low), t(high))


def minutes(intervals: list[Interval]) -> set[int]:
    """The whole minutes a plain set holds (every bound in these tests is a whole minute)."""
    found: set[int] = set()
    for low, high in intervals:
        first = int((low - T0).total_seconds() // 60)
        last = int((high - T0).total_seconds() // 60)
        found.update(range(first, last))
    return found


def labels(segments: list[Labelled]) -> dict[int, str]:
    found: dict[int, str] = {}
    for low, high, label in segments:
        for minute in minutes([(low, high)]):
            assert minute not in found, "labelled segments overlap"
            found[minute] = label
    return found


def is_normal(intervals: list[Interval]) -> bool:
    return all(a < b for a, b in intervals) and all(
        intervals[i][1] < intervals[i + 1][0] for i in range(len(intervals) - 1)
    )


def is_normal_labelled(segments: list[Labelled]) -> bool:
    ordered = all(a < b for a, b, _ in segments)
    for (_, end, label), (start, _, next_label) in itertools.pairwise(segments):
        if end > start or (end == start and label == next_label):
            return False
    return ordered


pairs = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


def plain(raw: list[tuple[int, int]]) -> list[Interval]:
    return normalise(span(min(a, b), max(a, b)) for a, b in raw)


labelled_raw = st.lists(st.tuples(st.integers(1, 6), st.sampled_from(sorted(RANKS))), max_size=10)


def labelled(raw: list[tuple[int, str]], gap_every: int = 3) -> list[Labelled]:
    """Consecutive segments of the given lengths, with a hole after every ``gap_every``-th."""
    found: list[Labelled] = []
    at = 0
    for index, (length, label) in enumerate(raw):
        found.append((t(at), t(at + length), label))
        at += length + (1 if index % gap_every == gap_every - 1 else 0)
    return normalise_labelled(found)


def test_normalise_joins_touching_and_overlapping_intervals() -> None:
    raw = [span(5, 7), span(0, 2), span(2, 3), span(6, 9), span(4, 4)]
    assert normalise(raw) == [span(0, 3), span(5, 9)]


def test_complement_of_nothing_is_the_window() -> None:
    assert complement([], span(0, 10)) == [span(0, 10)]
    assert complement([span(0, 10)], span(2, 5)) == []


def test_labelled_touching_segments_keep_apart_only_when_labels_differ() -> None:
    raw = [(t(0), t(2), "a"), (t(2), t(4), "a"), (t(4), t(5), "b")]
    assert normalise_labelled(raw) == [(t(0), t(4), "a"), (t(4), t(5), "b")]


def test_labelled_intersection_keeps_the_higher_ranked_label() -> None:
    first = [(t(0), t(10), "a")]
    second = [(t(5), t(15), "c")]
    assert intersect_labelled(first, second, RANKS.__getitem__) == [(t(5), t(10), "c")]


@given(pairs, pairs)
def test_union_and_intersection_match_sets_of_minutes(a: list, b: list) -> None:
    first, second = plain(a), plain(b)
    assert is_normal(union(first, second))
    assert minutes(union(first, second)) == minutes(first) | minutes(second)
    assert is_normal(intersect(first, second))
    assert minutes(intersect(first, second)) == minutes(first) & minutes(second)


@given(pairs, st.integers(0, 30), st.integers(31, 70))
def test_complement_matches_sets_of_minutes(a: list, low: int, high: int) -> None:
    intervals = plain(a)
    found = complement(intervals, span(low, high))
    assert is_normal(found)
    assert minutes(found) == set(range(low, high)) - minutes(intervals)


@given(pairs, st.integers(-30, 30))
def test_shift_moves_every_instant(a: list, by: int) -> None:
    intervals = plain(a)
    moved = shift(intervals, dt.timedelta(minutes=by))
    assert minutes(moved) == {m + by for m in minutes(intervals)}
    assert total_seconds(moved) == total_seconds(intervals)


@given(labelled_raw, labelled_raw)
def test_labelled_intersection_matches_minute_by_minute(a: list, b: list) -> None:
    first, second = labelled(a), labelled(b, gap_every=2)
    found = intersect_labelled(first, second, RANKS.__getitem__)
    assert is_normal_labelled(found)
    want_first, want_second = labels(first), labels(second)
    expected = {
        m: max(want_first[m], want_second[m], key=RANKS.__getitem__)
        for m in want_first.keys() & want_second.keys()
    }
    assert labels(found) == expected


@given(labelled_raw, pairs)
def test_restrict_and_subtract_split_a_labelled_set(a: list, b: list) -> None:
    segments, mask = labelled(a), plain(b)
    inside = restrict_labelled(segments, mask)
    outside = subtract_labelled(segments, mask)
    every = labels(segments)
    assert labels(inside) == {m: v for m, v in every.items() if m in minutes(mask)}
    assert labels(outside) == {m: v for m, v in every.items() if m not in minutes(mask)}
    assert labels(shift_labelled(inside, dt.timedelta(minutes=3))) == {
        m + 3: v for m, v in labels(inside).items()
    }
