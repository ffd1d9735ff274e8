"""Sets of instants as sorted lists of half-open intervals, plain or labelled with a reason.

A plain set is a list of ``(start, end)`` pairs with ``start < end``, sorted, none overlapping
or touching: touching intervals are one interval. A labelled set is a list of ``(start, end,
label)`` triples, sorted and not overlapping; two touching triples carry different labels (the
same label joins them). Every operation here returns sets in these normal forms, so results can
be compared with ``==``.

Labels combine by rank: where two labelled sets both hold an instant, the intersection keeps the
label of higher rank (see :func:`intersect_labelled`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence

Interval = tuple[dt.datetime, dt.datetime]
Labelled = tuple[dt.datetime, dt.datetime, str]


def normalise(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with empty intervals dropped and overlapping or touching ones joined."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def union(*sets: list[Interval]) -> list[Interval]:
    """Instants in any of the sets."""
    return normalise(interval for intervals in sets for interval in intervals)


def _overlaps(
    first: Sequence[Interval | Labelled], second: Sequence[Interval | Labelled]
) -> Iterator[tuple[int, int, dt.datetime, dt.datetime]]:
    """Each non-empty overlap of two sorted, non-overlapping lists: (index in ``first``, index
    in ``second``, start, end), in time order."""
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            yield i, j, start, end
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1


def intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """Instants in both (normal) sets."""
    return [(start, end) for _i, _j, start, end in _overlaps(first, second)]


def complement(intervals: list[Interval], window: Interval) -> list[Interval]:
    """Instants of ``window`` outside the (normal) set."""
    low, high = window
    found: list[Interval] = []
    reached = low
    for start, end in intervals:
        if end <= reached:
            continue
        if start >= high:
            break
        if start > reached:
            found.append((reached, start))
        reached = max(reached, end)
    if reached < high:
        found.append((reached, high))
    return found


def shift(intervals: list[Interval], delta: dt.timedelta) -> list[Interval]:
    """Every instant moved by ``delta``."""
    return [(start + delta, end + delta) for start, end in intervals]


def total_seconds(intervals: Iterable[Interval]) -> float:
    """How long the set lasts, in seconds."""
    return sum((end - start).total_seconds() for start, end in intervals)


def normalise_labelled(segments: Iterable[Labelled]) -> list[Labelled]:
    """Sorted, empty ones dropped, touching ones with the same label joined.

    The segments must not overlap (they come from disjoint pieces of one computation).
    """
    merged: list[Labelled] = []
    for start, end, label in sorted(s for s in segments if s[0] < s[1]):
        if merged and merged[-1][1] == start and merged[-1][2] == label:
            merged[-1] = (merged[-1][0], end, label)
        else:
            merged.append((start, end, label))
    return merged


def label_all(intervals: list[Interval], label: str) -> list[Labelled]:
    """The set with every instant labelled ``label``."""
    return [(start, end, label) for start, end in intervals]


def intersect_labelled(
    first: list[Labelled], second: list[Labelled], rank: Callable[[str], int]
) -> list[Labelled]:
    """Instants in both labelled sets, each with the label of higher ``rank`` of the two."""
    return normalise_labelled(
        (start, end, max(first[i][2], second[j][2], key=rank))
        for i, j, start, end in _overlaps(first, second)
    )


def restrict_labelled(segments: list[Labelled], mask: list[Interval]) -> list[Labelled]:
    """The labelled instants that also lie in the (normal) plain set ``mask``."""
    return [(start, end, segments[i][2]) for i, _j, start, end in _overlaps(segments, mask)]


def subtract_labelled(segments: list[Labelled], mask: list[Interval]) -> list[Labelled]:
    """The labelled instants outside the (normal) plain set ``mask``."""
    if not segments:
        return []
    window = (segments[0][0], segments[-1][1])
    return restrict_labelled(segments, complement(mask, window))


def shift_labelled(segments: list[Labelled], delta: dt.timedelta) -> list[Labelled]:
    """Every labelled instant moved by ``delta``."""
    return [(start + delta, end + delta, label) for start, end, label in segments]
