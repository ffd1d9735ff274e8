"""Which override, if any, decides who is on call over each part of a stretch of time.

Overrides are taken oldest first; where several cover the same instant the latest-created one
wins. Covered-time limits (ShiftCoverages) are applied before this, by the caller.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from engine.oncall.rotation import Override

Span = tuple[dt.datetime, dt.datetime, Override | None]


def override_at(instant: dt.datetime, by_age: Sequence[Override]) -> Override | None:
    """The override in force at ``instant`` (``by_age``: oldest first), or None."""
    winner = None
    for override in by_age:
        if override.covers(instant):
            winner = override
    return winner


def override_spans(start: dt.datetime, end: dt.datetime, by_age: Sequence[Override]) -> list[Span]:
    """[start, end) cut, in time order and without gaps, where the override in force
    (``by_age``: oldest first) changes; each part with its override or None."""
    relevant = [o for o in by_age if o.start < end and o.end > start]
    if not relevant:
        return [(start, end, None)]
    cuts = {start, end}
    cuts.update(t for o in relevant for t in (o.start, o.end) if start < t < end)
    spans: list[Span] = []
    for low, high in itertools.pairwise(sorted(cuts)):
        winner = override_at(low, relevant)
        if spans and spans[-1][2] is winner:
            spans[-1] = (spans[-1][0], high, winner)
        else:
            spans.append((low, high, winner))
    return spans
