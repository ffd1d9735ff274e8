"""Compiling the ``expect:`` blocks of loaded scenarios into checks, and checking their names.

Front ends call :func:`compile_checks` right after loading a file, before anything runs. Every
name is checked against the scenario: contacts (aliases of the organisation or created by the
script, or ARNs), channels (a type, a declared name or one given to CreateContactChannel, or an
ARN), step ids of engagements and responses, event types (a name very close to a documented
type is taken for a typo). Each problem names its line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from engine.scenario.errors import Problem, ScenarioError, unique
from engine.scenario.expect.checks import (
    Check,
    CountCheck,
    EngagementCheck,
    MomentCheck,
    PagedCheck,
    ResponseCheck,
    SequenceCheck,
)
from engine.scenario.expect.model import (
    EVENT_TYPES,
    AckRow,
    EngagementOutcome,
    EventCount,
    EventRow,
    MessageCount,
    PageCount,
    ReceiptCount,
    RecordsCheck,
)
from engine.scenario.expect.rows import Pattern, pattern_of
from engine.scenario.loader import Scenario
from engine.scenario.organisation import Organisation
from engine.scenario.paths import FieldPath
from engine.scenario.script import CompiledStep
from engine.scenario.yamlsource import Source
from engine.vocabulary import CHANNEL_TYPES

__all__ = ["compile_checks"]

_KINDS = (("messages", "message"), ("receipts", "receipt"), ("events", "event"), ("pages", "page"))
_MOMENTS = ("escalation_stopped", "stopped", "ended")


class _Names:
    """What the scenario's expectations may refer to."""

    def __init__(self, organisation: Organisation, steps: Sequence[CompiledStep]) -> None:
        self.aliases = dict.fromkeys(organisation.aliases)
        self.channels = dict.fromkeys(sorted(set(organisation.channel_names.values())))
        self.steps: dict[str, str] = {}
        self.expect_error: set[str] = set()
        for step in steps:
            request = step.request
            if step.operation == "CreateContact" and isinstance(request.get("Alias"), str):
                self.aliases.setdefault(request["Alias"])
            if step.operation in ("CreateContactChannel", "UpdateContactChannel"):
                name = request.get("Name")
                if isinstance(name, str):
                    self.channels.setdefault(name)
            if step.id is not None:
                self.steps[step.id] = step.operation
                if step.expect_error is not None:
                    self.expect_error.add(step.id)


class _Compiler:
    def __init__(
        self, source: Source, organisation: Organisation, steps: Sequence[CompiledStep]
    ) -> None:
        self.source = source
        self.names = _Names(organisation, steps)
        self.problems: list[Problem] = []
        self.checks: list[Check] = []

    def line(self, path: FieldPath) -> int | None:
        return self.source.line_of(path)

    def problem(self, path: FieldPath, message: str) -> None:
        self.problems.append(self.source.problem(path, message, with_value=True))

    # -- names -------------------------------------------------------------------------------

    def contact(self, value: str, path: FieldPath) -> None:
        if value.startswith("arn:") or value in self.names.aliases:
            return
        self.problem(
            path, f"no contact named {value!r} in this scenario{_known(self.names.aliases)}"
        )

    def channel(self, value: str | None, path: FieldPath) -> None:
        if value is None or value in CHANNEL_TYPES or value.startswith("arn:"):
            return
        if value in self.names.channels:
            return
        self.problem(
            path,
            f"no channel named {value!r}: write a type (SMS, VOICE, EMAIL), a channel name"
            f"{_known(self.names.channels)} or an ARN",
        )

    def engagement(self, value: str, path: FieldPath) -> None:
        if value.startswith("arn:"):
            return
        operation = self.names.steps.get(value)
        if operation is None:
            self.problem(path, f"no step has id {value!r}{_known(self.names.steps)}")
        elif operation != "StartEngagement":
            self.problem(
                path,
                f"step {value!r} calls {operation}; an engagement is named by the id of "
                "its StartEngagement step",
            )

    def event_type(self, value: str, path: FieldPath) -> None:
        if value in EVENT_TYPES:
            return
        close = difflib.get_close_matches(value, EVENT_TYPES, n=1, cutoff=0.85)
        if close:
            self.problem(path, f"unknown event type {value!r} (did you mean {close[0]!r}?)")

    def row(self, row: BaseModel, path: FieldPath) -> None:
        """Check the names of one row (of any kind)."""
        contact = getattr(row, "contact", None)
        if contact is not None:
            self.contact(contact, (*path, "contact"))
        if "channel" in row.model_fields_set:
            self.channel(getattr(row, "channel", None), (*path, "channel"))
        engagement = getattr(row, "engagement", None)
        if engagement is not None:
            self.engagement(engagement, (*path, "engagement"))
        if isinstance(row, EventRow) and row.type is not None:
            self.event_type(row.type, (*path, "type"))
        for index, entry in enumerate(getattr(row, "resolution", None) or []):
            self.contact(entry.split("[", 1)[0], (*path, "resolution", index))
        after, before = getattr(row, "after", None), getattr(row, "before", None)
        if _not_later(before, after):
            self.problem((*path, "before"), "'before' must come later than 'after'")

    # -- blocks ----------------------------------------------------------------------------

    def pattern(self, kind: str, row: BaseModel, path: FieldPath) -> Pattern:
        self.row(row, path)
        return pattern_of(kind, row, path, self.line(path))

    def patterns(
        self, kind: str, rows: Sequence[BaseModel], path: FieldPath
    ) -> tuple[Pattern, ...]:
        return tuple(self.pattern(kind, row, (*path, index)) for index, row in enumerate(rows))

    def records(self, key: str, kind: str, value: Any, at: FieldPath) -> None:
        path = (*at, key)
        if isinstance(value, list):
            self.checks.append(
                SequenceCheck(kind, path, self.line(path), exactly=self.patterns(kind, value, path))
            )
            return
        assert isinstance(value, RecordsCheck)
        parts: dict[str, Any] = {}
        if value.where is not None:
            parts["where"] = self.pattern(kind, value.where, (*path, "where"))
        for name in ("exactly", "include", "exclude"):
            rows = getattr(value, name)
            if rows is not None:
                sub = (*path, name)
                parts[name] = self.patterns(kind, rows, sub)
                parts[f"{name}_at"] = (sub, self.line(sub))
        self.checks.append(SequenceCheck(kind, path, self.line(path), **parts))

    def counts(self, rows: Sequence[BaseModel], at: FieldPath) -> None:
        for index, row in enumerate(rows):
            path = (*at, "counts", index)
            kind, number = _count_of(row)
            pattern = self.pattern(kind, row, path)
            self.checks.append(CountCheck(kind, pattern, number, path, self.line(path)))

    def engagements(self, outcomes: dict[str, EngagementOutcome], at: FieldPath) -> None:
        for step_id, outcome in outcomes.items():
            base = (*at, "engagements", step_id)
            self.engagement(step_id, base)
            given = outcome.model_fields_set
            if "acknowledged" in given:
                path = (*base, "acknowledged")
                rows: list[AckRow] = outcome.acknowledged or []
                acks = self.patterns("receipt", rows, path)
                self.checks.append(EngagementCheck(step_id, acks, path, self.line(path)))
            if "paged" in given:
                path = (*base, "paged")
                contacts = tuple(outcome.paged or [])
                for index, contact in enumerate(contacts):
                    self.contact(contact, (*path, index))
                self.checks.append(PagedCheck(step_id, contacts, path, self.line(path)))
            for name in _MOMENTS:
                if name in given:
                    path = (*base, name)
                    expected = getattr(outcome, name)
                    self.checks.append(MomentCheck(step_id, name, expected, path, self.line(path)))

    def responses(self, expected: Mapping[str, object], at: FieldPath) -> None:
        for step_id, value in expected.items():
            path = (*at, "responses", step_id)
            if step_id not in self.names.steps:
                self.problem(path, f"no step has id {step_id!r}{_known(self.names.steps)}")
                continue
            if step_id in self.names.expect_error:
                self.problem(path, f"step {step_id!r} expects an error, so it has no response")
                continue
            self.checks.append(ResponseCheck(step_id, value, path, self.line(path)))


def _not_later(before: Any, after: Any) -> bool:
    """Is ``before`` no later than ``after`` (two offsets, or two instants)?"""
    if isinstance(before, float) and isinstance(after, float):
        return before <= after
    if isinstance(before, dt.datetime) and isinstance(after, dt.datetime):
        return before <= after
    return False


def _count_of(row: BaseModel) -> tuple[str, int]:
    if isinstance(row, MessageCount):
        return "message", row.messages
    if isinstance(row, ReceiptCount):
        return "receipt", row.receipts
    if isinstance(row, EventCount):
        return "event", row.events
    assert isinstance(row, PageCount)
    return "page", row.pages


def _known(names: Iterable[str]) -> str:
    listed = list(names)
    if not listed:
        return ""
    shown = ", ".join(listed[:12]) + (", ..." if len(listed) > 12 else "")
    return f" (known: {shown})"


def compile_checks(scenarios: Sequence[Scenario]) -> list[tuple[Check, ...]]:
    """The checks of each scenario's ``expect:``, in order. Raises ScenarioError (253) naming
    every problem once."""
    compiled: list[tuple[Check, ...]] = []
    problems: list[Problem] = []
    for scenario in scenarios:
        checks, found = _compile(scenario)
        compiled.append(tuple(checks))
        problems.extend(found)
    if problems:
        raise ScenarioError(scenarios[0].file, unique(problems, scenarios[0].file))
    return compiled


def _compile(scenario: Scenario) -> tuple[list[Check], list[Problem]]:
    spec = scenario.expect
    if spec is None:
        return [], []
    at = scenario.expect_at
    compiler = _Compiler(scenario.source, scenario.organisation, scenario.steps)
    for key, kind in _KINDS:
        value = getattr(spec, key)
        if value is not None:
            compiler.records(key, kind, value, at)
    if spec.counts is not None:
        compiler.counts(spec.counts, at)
    if spec.engagements is not None:
        compiler.engagements(spec.engagements, at)
    if spec.responses is not None:
        compiler.responses(spec.responses, at)
    return compiler.checks, compiler.problems
