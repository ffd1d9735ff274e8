"""The verdicts of the gate: whether a review or a diff lets a change through, and why not.

A review fails when lint has a finding of the ``--fail-on`` severity or worse, or a
``--require`` requirement does not hold (``engine.review.requirements``). A diff with
``--fail-on-regression`` fails for each regression of the new version against the old one:

- coverage lost: a plan or schedule that gained gap time (first stage or any stage);
- time to acknowledge worse beyond its interval: the new P90 later than the upper end of the old
  P90's 95% interval (never counting as later than any time);
- new findings: a lint finding of a kind and place (id and path) the old version does not have;
  a finding whose message alone changed is the same finding.

Both versions of a diff see the same incidents and draws, so a P90 outside the old interval is
the change's doing, not the dice's.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

from engine.findings import Severity
from engine.review.requirements import Outcome
from engine.timeutil import format_duration

__all__ = ["Verdict", "diff_verdict", "gap_seconds", "review_verdict"]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """Pass or fail, with one line per reason to fail (in a stable order)."""

    passed: bool
    reasons: tuple[str, ...]
    outcomes: tuple[Outcome, ...] = ()


def _rows(value: object) -> list[Mapping[str, object]]:
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def review_verdict(
    lint: Mapping[str, object], outcomes: Sequence[Outcome], fail_on: Severity
) -> Verdict:
    """The verdict on a review's lint section and its judged requirements."""
    levels = ("error",) if fail_on == "error" else ("error", "warning")
    reasons = [
        f"{row.get('Severity')} {row.get('Id')} {row.get('Name')}: {row.get('Message')}"
        for row in _rows(lint.get("findings"))
        if row.get("Severity") in levels
    ]
    reasons += [outcome.describe() for outcome in outcomes if not outcome.passed]
    return Verdict(not reasons, tuple(reasons), tuple(outcomes))


def diff_verdict(document: Mapping[str, object]) -> Verdict:
    """The regressions a diff document shows, each named."""
    changes = document.get("changes")
    if not isinstance(changes, Mapping):
        return Verdict(True, ())
    reasons = _coverage_lost(changes.get("coverage"))
    reasons += _slower(changes.get("time_to_acknowledge"))
    lint = changes.get("lint")
    gained = _rows(lint.get("gained")) if isinstance(lint, Mapping) else []
    lost = _rows(lint.get("lost")) if isinstance(lint, Mapping) else []
    # A finding whose message changed (a stage now 10 min, not 5) is the same finding.
    before = {(row.get("Id"), row.get("Path")) for row in lost}
    gained = [row for row in gained if (row.get("Id"), row.get("Path")) not in before]
    reasons += [
        f"new finding {row.get('Severity')} {row.get('Id')} {row.get('Name')} at "
        f"{row.get('Path')}: {row.get('Message')}"
        for row in gained
    ]
    return Verdict(not reasons, tuple(reasons))


def _coverage_lost(rows: object) -> list[str]:
    found = []
    for row in _rows(rows):
        gained = _rows(row.get("gained"))
        if not gained:
            continue
        seconds = gap_seconds(gained)
        which = "first stage" if row.get("kind") == "first_stage" else "every stage"
        first = gained[0]
        found.append(
            f"coverage lost: {row.get('contact')} ({which}) reaches nobody for "
            f"{format_duration(seconds)} more in {len(gained)} stretch(es), the first from "
            f"{first.get('start')} to {first.get('end')}"
        )
    return found


def gap_seconds(rows: object) -> float:
    """The total seconds of a diff's list of gap intervals."""
    total = 0.0
    for row in _rows(rows):
        seconds = row.get("seconds")
        if isinstance(seconds, int | float):
            total += seconds
    return total


def _seconds(value: object) -> float:
    """A time to acknowledge in seconds; None is never."""
    return float(value) if isinstance(value, int | float) else math.inf


def _slower(rows: object) -> list[str]:
    for row in _rows(rows):
        if row.get("figure") != "p90":
            continue
        old, new = row.get("old"), row.get("new")
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            continue
        ci = old.get("ci")
        high = _seconds(ci[1] if isinstance(ci, list) and len(ci) == 2 else old.get("value"))
        now = _seconds(new.get("value"))
        if now > high:
            return [
                f"P90 time to acknowledge worse beyond its interval: {_show(now)} now, "
                f"{_show(_seconds(old.get('value')))} before (95% interval up to {_show(high)})"
            ]
    return []


def _show(seconds: float) -> str:
    return "never" if math.isinf(seconds) else format_duration(seconds)
