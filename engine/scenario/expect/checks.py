"""The checks an ``expect:`` block compiles to, and the mismatches they report.

Each check knows where it was written (field path and line) and evaluates against the
:class:`~engine.scenario.expect.facts.RunFacts` of a finished run, returning one
:class:`Mismatch` per thing that did not go as written, with a body a person can read: a diff
table of rows, or ``field: expected X, got Y`` lines.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, TypeAlias

from engine.scenario.expect.diff import (
    DiffLine,
    columns_for,
    exact_diff,
    exclude_diff,
    include_diff,
    render_table,
)
from engine.scenario.expect.facts import Fact, RunFacts
from engine.scenario.expect.rows import BASE_COLUMNS, Pattern, actual_cell
from engine.scenario.expect.values import compare
from engine.scenario.organisation import contact_alias
from engine.scenario.paths import FieldPath, format_path
from engine.scenario.references import ReferenceError, resolve
from engine.scenario.runner import rewrite_arns
from engine.timeutil import format_duration

__all__ = [
    "LEGEND",
    "Check",
    "CountCheck",
    "EngagementCheck",
    "Mismatch",
    "MomentCheck",
    "PagedCheck",
    "ResponseCheck",
    "SequenceCheck",
]

LEGEND = "= as expected   - expected, not found   + found, not expected"

_PLURAL = {"message": "messages", "receipt": "receipts", "event": "events", "page": "pages"}
_COUNT_LIMIT = 30


@dataclasses.dataclass(frozen=True)
class Mismatch:
    """One expectation that the run did not meet."""

    path: FieldPath
    line: int | None
    title: str
    body: tuple[str, ...] = ()

    def heading(self, file: str) -> str:
        """``file:line: path: title``."""
        where = f"{file}:{self.line}" if self.line is not None else file
        path = format_path(self.path)
        return f"{where}: {path}: {self.title}" if path else f"{where}: {self.title}"

    def as_dict(self) -> dict[str, object]:
        return {
            "Path": format_path(self.path),
            "Line": self.line,
            "Title": self.title,
            "Body": list(self.body),
        }


def _table(columns: Sequence[str], lines: Sequence[DiffLine]) -> tuple[str, ...]:
    return (LEGEND, *render_table(columns, lines))


@dataclasses.dataclass(frozen=True)
class SequenceCheck:
    """``messages`` / ``receipts`` / ``events`` / ``pages``: exactly, include, exclude."""

    kind: str
    path: FieldPath
    line: int | None
    where: Pattern | None = None
    exactly: tuple[Pattern, ...] | None = None
    exactly_at: tuple[FieldPath, int | None] | None = None
    include: tuple[Pattern, ...] | None = None
    include_at: tuple[FieldPath, int | None] | None = None
    exclude: tuple[Pattern, ...] | None = None
    exclude_at: tuple[FieldPath, int | None] | None = None

    def evaluate(self, run: RunFacts) -> list[Mismatch]:
        where = self.where
        facts = [f for f in run.of_kind(self.kind) if where is None or where.matches(f, run)]
        patterns = [*(self.exactly or ()), *(self.include or ()), *(self.exclude or ())]
        columns = columns_for(BASE_COLUMNS[self.kind], [*patterns, *([where] if where else [])])
        noun = _PLURAL[self.kind]
        scope = f" where {where.describe()}" if where is not None else ""
        found: list[Mismatch] = []
        if self.exactly is not None:
            diff = exact_diff(self.exactly, facts, columns, run)
            if diff is not None:
                path, line = self.exactly_at or (self.path, self.line)
                title = (
                    f"expected exactly {len(self.exactly)} {noun}{scope}, "
                    f"found {len(facts)} that differ"
                    if len(facts) == len(self.exactly)
                    else f"expected exactly {len(self.exactly)} {noun}{scope}, found {len(facts)}"
                )
                found.append(Mismatch(path, line, title, _table(columns, diff)))
        if self.include is not None:
            diff = include_diff(self.include, facts, columns, run)
            if diff is not None:
                path, line = self.include_at or (self.path, self.line)
                missing = sum(1 for item in diff if item.marker == "-")
                title = (
                    f"{missing} of {len(self.include)} expected {noun}{scope} not found "
                    f"(in order, among {len(facts)})"
                )
                found.append(Mismatch(path, line, title, _table(columns, diff)))
        if self.exclude is not None:
            labels = [format_path(pattern.path[-2:]) for pattern in self.exclude]
            diff = exclude_diff(self.exclude, facts, columns, run, labels)
            if diff is not None:
                path, line = self.exclude_at or (self.path, self.line)
                title = f"{len(diff)} {noun}{scope} match a row that nothing may match"
                found.append(Mismatch(path, line, title, _table(columns, diff)))
        return found


@dataclasses.dataclass(frozen=True)
class CountCheck:
    """``counts[i]``: how many records of a kind match a row."""

    kind: str
    pattern: Pattern
    expected: int
    path: FieldPath
    line: int | None

    def evaluate(self, run: RunFacts) -> list[Mismatch]:
        facts = [fact for fact in run.of_kind(self.kind) if self.pattern.matches(fact, run)]
        if len(facts) == self.expected:
            return []
        noun = _PLURAL[self.kind]
        what = f" matching {self.pattern.describe()}" if self.pattern.fields else ""
        title = f"expected {self.expected} {noun}{what}, found {len(facts)}"
        columns = columns_for(BASE_COLUMNS[self.kind], [self.pattern])
        lines = [_plain(fact, columns, run) for fact in facts[:_COUNT_LIMIT]]
        body = render_table(columns, lines) if lines else []
        if len(facts) > _COUNT_LIMIT:
            body.append(f"    … and {len(facts) - _COUNT_LIMIT} more")
        return [Mismatch(self.path, self.line, title, tuple(body))]


def _plain(fact: Fact, columns: Sequence[str], run: RunFacts) -> DiffLine:
    return DiffLine(" ", [actual_cell(column, fact, run) for column in columns])


def _no_engagement(step_id: str, run: RunFacts) -> str:
    step = run.steps.get(step_id)
    if step is None:
        return f"step {step_id!r} did not run"
    failure = step.failure()
    if failure is not None:
        return f"step {step_id!r} started no engagement: {failure}"
    return f"step {step_id!r} started no engagement (its response has no EngagementArn)"


@dataclasses.dataclass(frozen=True)
class EngagementCheck:
    """``engagements.<id>.acknowledged``: the READ receipts of the engagement, exactly."""

    step_id: str
    acknowledgements: tuple[Pattern, ...]
    path: FieldPath
    line: int | None

    def evaluate(self, run: RunFacts) -> list[Mismatch]:
        arn = run.engagements.get(self.step_id)
        if arn is None:
            return [Mismatch(self.path, self.line, _no_engagement(self.step_id, run))]
        facts = [
            fact
            for fact in run.receipts
            if fact.values.get("type") == "READ" and fact.values.get("engagement_arn") == arn
        ]
        columns = columns_for(("at", "contact", "channel"), self.acknowledgements)
        diff = exact_diff(self.acknowledgements, facts, columns, run)
        if diff is None:
            return []
        expected = ", ".join(_ack_text(p) for p in self.acknowledgements) or "nobody"
        title = f"expected {expected}; found {len(facts)} acknowledgement(s)"
        return [Mismatch(self.path, self.line, title, _table(columns, diff))]


def _ack_text(pattern: Pattern) -> str:
    who = pattern.cell("contact")
    when = pattern.cell("at")
    text = "someone" if who == "·" else who
    return text if when == "·" else f"{text} at {when}"


@dataclasses.dataclass(frozen=True)
class PagedCheck:
    """``engagements.<id>.paged``: the contacts paged, in order."""

    step_id: str
    contacts: tuple[str, ...]
    path: FieldPath
    line: int | None

    def evaluate(self, run: RunFacts) -> list[Mismatch]:
        arn = run.engagements.get(self.step_id)
        if arn is None:
            return [Mismatch(self.path, self.line, _no_engagement(self.step_id, run))]
        pages = [page for page in run.pages if page.values.get("engagement_arn") == arn]
        paged = [contact_alias(str(page.values.get("contact_arn"))) for page in pages]
        wanted = [contact_alias(run.run_arn(contact)) for contact in self.contacts]
        if paged == wanted:
            return []
        body = tuple(
            f"  {actual_cell('at', page, run):>8}  {alias}"
            for page, alias in zip(pages, paged, strict=True)
        )
        title = f"expected {', '.join(wanted) or 'nobody'}; got {', '.join(paged) or 'nobody'}"
        return [Mismatch(self.path, self.line, title, body)]


_MOMENT_EVENTS = {
    "escalation_stopped": "ESCALATION_STOPPED",
    "stopped": "ENGAGEMENT_STOPPED",
    "ended": "ENGAGEMENT_ENDED",
}


@dataclasses.dataclass(frozen=True)
class MomentCheck:
    """``engagements.<id>.stopped`` / ``ended`` / ``escalation_stopped``: when, or never."""

    step_id: str
    name: str
    expected: Any
    """A time, True (at any time) or False / None (never)."""
    path: FieldPath
    line: int | None

    def evaluate(self, run: RunFacts) -> list[Mismatch]:
        arn = run.engagements.get(self.step_id)
        if arn is None:
            return [Mismatch(self.path, self.line, _no_engagement(self.step_id, run))]
        kind = _MOMENT_EVENTS[self.name]
        happened = next(
            (
                fact.at
                for fact in run.events
                if fact.values.get("type") == kind and fact.values.get("engagement_arn") == arn
            ),
            None,
        )
        expected = self.expected
        if expected is None or expected is False:
            ok = happened is None
            wanted = "never"
        elif expected is True:
            ok = happened is not None
            wanted = "at some time"
        else:
            ok = happened is not None and run.same_time(expected, happened)
            wanted = f"at {format_duration(run.offset(expected))}"
        if ok:
            return []
        got = "never" if happened is None else f"at {format_duration(happened)}"
        return [Mismatch(self.path, self.line, f"expected {wanted}, got {got}")]


@dataclasses.dataclass(frozen=True)
class ResponseCheck:
    """``responses.<id>``: parts of a step's response."""

    step_id: str
    expected: Any
    path: FieldPath
    line: int | None

    def evaluate(self, run: RunFacts) -> list[Mismatch]:
        step = run.steps.get(self.step_id)
        response = run.responses.get(self.step_id)
        if step is None or response is None:
            why = step.failure() if step is not None else "it did not run"
            title = f"step {self.step_id!r} has no response to check: {why}"
            return [Mismatch(self.path, self.line, title)]
        try:
            expected = rewrite_arns(resolve(self.expected, run.responses), run.arns)
        except ReferenceError as exc:
            return [Mismatch(self.path, self.line, f"cannot read the expected response: {exc}")]
        differences = compare(expected, response, "", run.start)
        if not differences:
            return []
        title = f"the response of step {self.step_id!r} differs in {len(differences)} place(s)"
        return [Mismatch(self.path, self.line, title, tuple(f"  {d}" for d in differences))]


Check: TypeAlias = (
    SequenceCheck | CountCheck | EngagementCheck | PagedCheck | MomentCheck | ResponseCheck
)
"""Something an ``expect:`` block asks of a run: each has ``path``, ``line`` and
``evaluate(run) -> list[Mismatch]``."""
