"""On-call coverage: the stretches of a time window in which engaging something reaches nobody.

>>> found = gaps(sim, schedule_arn, start, end)            # [Gap(start, end, reason, subject)]
>>> summary = coverage(sim, schedule_arn, start, end)      # totals and percentages

Worked out exactly from the shifts of the simulator's rotations (DST and ShiftCoverages
included, as the shift algorithm computes them), by intersecting and shifting interval sets;
see :mod:`engine.coverage.gaps` for the rules and :mod:`engine.coverage.subjects` for naming
what to ask about.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from engine.coverage.gaps import (
    NO_ACTIVATED_CHANNEL,
    NO_ROTATIONS,
    NOBODY_ON_CALL,
    NOT_STARTED,
    REASONS,
    CoverageError,
    Gap,
    can_be_paged,
    gaps,
)
from engine.coverage.intervals import union
from engine.coverage.subjects import Subject, SubjectKind, describe_subject, find_subject, subjects

if TYPE_CHECKING:
    from engine.simulator import Simulator

__all__ = [
    "NOBODY_ON_CALL",
    "NOT_STARTED",
    "NO_ACTIVATED_CHANNEL",
    "NO_ROTATIONS",
    "REASONS",
    "Coverage",
    "CoverageError",
    "Gap",
    "Subject",
    "SubjectKind",
    "can_be_paged",
    "coverage",
    "describe_subject",
    "find_subject",
    "gaps",
    "subjects",
]


@dataclasses.dataclass(frozen=True, slots=True)
class Coverage:
    """The gaps of one subject over the window [start, end), with totals."""

    subject: str
    start: dt.datetime
    end: dt.datetime
    gaps: tuple[Gap, ...]

    @property
    def window_seconds(self) -> float:
        """How long the window lasts."""
        return (self.end - self.start).total_seconds()

    @property
    def uncovered_seconds(self) -> float:
        """How much of the window engaging the subject reaches nobody."""
        joined = union([(gap.start, gap.end) for gap in self.gaps])
        return sum((high - low).total_seconds() for low, high in joined)

    @property
    def covered_seconds(self) -> float:
        """How much of the window engaging the subject reaches someone."""
        return self.window_seconds - self.uncovered_seconds

    @property
    def percent_covered(self) -> float:
        """The covered share of the window, 0 to 100."""
        return 100.0 * self.covered_seconds / self.window_seconds

    def seconds_by_reason(self) -> dict[str, float]:
        """Uncovered seconds per reason, every reason listed (in :data:`REASONS` order)."""
        totals = dict.fromkeys(REASONS, 0.0)
        for gap in self.gaps:
            totals[gap.reason] += gap.seconds
        return totals


def coverage(
    sim: Simulator,
    arn: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    first_stage_only: bool = False,
) -> Coverage:
    """:func:`gaps` with its totals. Raises CoverageError as :func:`gaps` does."""
    found = gaps(sim, arn, start, end, first_stage_only=first_stage_only)
    return Coverage(arn, start.astimezone(dt.UTC), end.astimezone(dt.UTC), tuple(found))
