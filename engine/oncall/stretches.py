"""Remembered answers to "who is on call": stretches of time over which a rotation is constant.

A simulation asks a rotation who is on call at every stage that names its schedule, and a review
asks about the same few shifts once per replication; working each answer out from the hand-off
calendar costs far more than looking it up. :class:`Stretches` holds, per rotation, the
[start, end) stretches already worked out (each with the contacts on call throughout it) and
finds the one holding an instant by bisection. It holds nothing the rotation does not determine,
so it is dropped when the rotation is pickled or copied, and bounded in size.

Updates are copy-on-write (one attribute assignment publishes a whole new table), so threads of
one worker that share a rotation never see a half-made table.
"""

from __future__ import annotations

import bisect
import datetime as dt

Stretch = tuple[dt.datetime, dt.datetime, tuple[str, ...]]

_LIMIT = 4096
"""Stretches kept per rotation before starting afresh: a year of hourly shifts is 8,760, and a
table this size costs a few microseconds to copy on the rare miss."""


class Stretches:
    """The stretches of one rotation worked out so far: in start order, none overlapping."""

    __slots__ = ("_last", "_table")

    def __init__(self) -> None:
        self._table: tuple[tuple[dt.datetime, ...], tuple[Stretch, ...]] = ((), ())
        self._last: Stretch | None = None

    def __reduce__(self) -> tuple[type[Stretches], tuple[()]]:
        # A remembered answer is a cache, not part of the rotation: pickles and copies start empty.
        return (Stretches, ())

    def __len__(self) -> int:
        return len(self._table[0])

    def find(self, instant: dt.datetime) -> tuple[str, ...] | None:
        """Who is on call at ``instant`` if a remembered stretch holds it, else None."""
        last = self._last
        # Simulated time moves forward, so the stretch of the previous question usually answers.
        if last is not None and last[0] <= instant < last[1]:
            return last[2]
        starts, stretches = self._table
        position = bisect.bisect_right(starts, instant) - 1
        if position >= 0:
            stretch = stretches[position]
            if instant < stretch[1]:
                self._last = stretch
                return stretch[2]
        return None

    def remember(self, found: list[Stretch]) -> None:
        """Keep the stretches ``found`` (start, end, contacts on call throughout [start, end)).

        Remembered stretches never overlap, so one bisection finds the only candidate: a found
        stretch overlapping remembered ones (uncovered time seen from two listings' edges, or
        the same shift listed twice) is merged with them into their union.
        """
        starts: list[dt.datetime] = list(self._table[0])
        stretches: list[Stretch] = list(self._table[1])
        if len(starts) + len(found) > _LIMIT:
            starts, stretches = [], []
        for low, high, people in found:
            first = bisect.bisect_right(starts, low)
            if first > 0 and stretches[first - 1][1] > low:
                first -= 1
            last = first
            while last < len(starts) and starts[last] < high:
                last += 1
            if last > first:
                low = min(low, starts[first])
                high = max(high, stretches[last - 1][1])
            starts[first:last] = [low]
            stretches[first:last] = [(low, high, people)]
        self._table = (tuple(starts), tuple(stretches))
