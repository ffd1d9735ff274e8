"""Rows of an expectation (``{at: 5m, contact: akuam, channel: SMS}``) matched against facts.

A :class:`Pattern` holds the fields a row names, as written, with where the row sits in the
file. :meth:`Pattern.matches` says whether a fact has every field as written;
:meth:`Pattern.differences` says, field by field, how a fact differs. :func:`actual_cell` and
:meth:`Pattern.cell` give the text of a fact's or a row's field in a diff table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from engine.scenario.expect.facts import Fact, RunFacts
from engine.scenario.expect.model import TextPattern
from engine.scenario.expect.values import compare, describe_text, show, text_matches
from engine.scenario.organisation import contact_alias
from engine.scenario.paths import FieldPath
from engine.timeutil import format_duration
from engine.vocabulary import CHANNEL_TYPES

__all__ = [
    "BASE_COLUMNS",
    "COLUMN_ORDER",
    "Pattern",
    "actual_cell",
    "actual_text",
    "pattern_of",
]

_TEXT_FIELDS = frozenset({"subject", "content", "code", "info", "reason"})
_EQUAL_FIELDS = frozenset({"kind", "outcome", "attempt", "type", "stage"})
_MOMENT_FIELDS = frozenset({"sent", "delivered", "read"})
_TIME_FIELDS = ("at", "after", "before")
_CELL_LIMIT = 40

COLUMN_ORDER: tuple[str, ...] = (
    "at",
    "type",
    "contact",
    "channel",
    "kind",
    "outcome",
    "attempt",
    "stage",
    "resolution",
    "sent",
    "delivered",
    "read",
    "subject",
    "content",
    "code",
    "info",
    "reason",
    "engagement",
    "fields",
)
"""Columns of a diff table, in the order they are shown."""

BASE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "message": ("at", "contact", "channel", "outcome"),
    "receipt": ("at", "contact", "channel", "type"),
    "event": ("at", "type", "contact"),
    "page": ("at", "contact"),
}
"""Columns every diff of a kind shows, whatever its rows name."""


@dataclasses.dataclass(frozen=True)
class Pattern:
    """A row as written: ``fields`` maps each key given (an explicit null kept as None)."""

    kind: str
    fields: Mapping[str, Any]
    path: FieldPath
    line: int | None

    @property
    def columns(self) -> set[str]:
        """The table columns this row fills."""
        return {"at" if name in _TIME_FIELDS else name for name in self.fields}

    def matches(self, fact: Fact, run: RunFacts) -> bool:
        return all(_holds(name, value, fact, run) for name, value in self.fields.items())

    def differences(self, fact: Fact, run: RunFacts) -> list[str]:
        """``field: expected X, got Y`` for each field the fact does not have as written."""
        found = []
        for name, value in self.fields.items():
            if _holds(name, value, fact, run):
                continue
            if name == "fields":
                found.extend(compare(value, dict(fact.record), "fields", run.start))
                continue
            column = "at" if name in _TIME_FIELDS else name
            expected = _expected_text(name, value)
            found.append(f"{name}: expected {expected}, got {actual_text(column, fact, run)}")
        return found

    def cell(self, column: str) -> str:
        """This row's text in ``column`` (``·`` where the row does not say)."""
        if column == "at":
            given = [name for name in _TIME_FIELDS if name in self.fields]
            parts = [_expected_text(name, self.fields[name]) for name in given]
            return _cut(" ".join(parts)) if parts else "·"
        if column not in self.fields:
            return "·"
        return _cut(_expected_text(column, self.fields[column]))

    def describe(self) -> str:
        """The row in one line, as ``{contact: akuam, after: 7m}``."""
        parts = []
        for name, value in self.fields.items():
            text = _expected_text(name, value)
            parts.append(text if name in ("after", "before") else f"{name}: {text}")
        return "{" + ", ".join(parts) + "}"


def pattern_of(kind: str, row: BaseModel, path: FieldPath, line: int | None) -> Pattern:
    """The pattern of a row model: the keys written, minus the count of a count row."""
    counts = ("messages", "receipts", "events", "pages")
    given = [name for name in type(row).model_fields if name in row.model_fields_set]
    fields = {name: getattr(row, name) for name in given if name not in counts}
    return Pattern(kind, fields, path, line)


# --- Matching -------------------------------------------------------------------------------------


def _holds(name: str, expected: Any, fact: Fact, run: RunFacts) -> bool:
    check = _CHECKS.get(name)
    if check is not None:
        return check(expected, fact, run)
    if name in _TEXT_FIELDS:
        value = fact.values.get(name)
        if expected is None:
            return value is None
        return text_matches(expected, None if value is None else str(value))
    if name in _EQUAL_FIELDS:
        return bool(fact.values.get(name) == expected)
    if name in _MOMENT_FIELDS:
        return _moment_holds(expected, fact.values.get(name), run)
    raise KeyError(f"no rule for expectation field {name!r}")


def _at(expected: Any, fact: Fact, run: RunFacts) -> bool:
    return run.same_time(expected, fact.at)


def _after(expected: Any, fact: Fact, run: RunFacts) -> bool:
    return fact.at > run.offset(expected) + 0.0005


def _before(expected: Any, fact: Fact, run: RunFacts) -> bool:
    return fact.at < run.offset(expected) - 0.0005


def _contact(expected: Any, fact: Fact, run: RunFacts) -> bool:
    arn = fact.values.get("contact_arn")
    if arn is None:
        return False
    if str(expected).startswith("arn:"):
        return bool(run.run_arn(expected) == arn)
    return bool(contact_alias(arn) == expected)


def _engagement(expected: Any, fact: Fact, run: RunFacts) -> bool:
    arn = fact.values.get("engagement_arn")
    wanted = run.engagements.get(expected) or (expected if expected.startswith("arn:") else None)
    return arn is not None and wanted is not None and run.run_arn(wanted) == arn


def _channel(expected: Any, fact: Fact, run: RunFacts) -> bool:
    arn = fact.values.get("channel_arn")
    if expected is None:
        return arn is None
    if arn is None:
        return False
    if expected in CHANNEL_TYPES:
        return bool(fact.values.get("channel_type") == expected)
    if str(expected).startswith("arn:"):
        return bool(run.run_arn(expected) == arn)
    return bool(run.channel_names.get(arn) == expected)


def _resolution(expected: Any, fact: Fact, run: RunFacts) -> bool:
    return list(fact.values.get("resolution") or []) == list(expected)


def _fields(expected: Any, fact: Fact, run: RunFacts) -> bool:
    return not compare(expected, dict(fact.record), "", run.start)


def _moment_holds(expected: Any, actual: float | None, run: RunFacts) -> bool:
    if expected is None or expected is False:
        return actual is None
    if expected is True:
        return actual is not None
    return actual is not None and run.same_time(expected, actual)


_CHECKS: dict[str, Callable[[Any, Fact, RunFacts], bool]] = {
    "at": _at,
    "after": _after,
    "before": _before,
    "contact": _contact,
    "engagement": _engagement,
    "channel": _channel,
    "resolution": _resolution,
    "fields": _fields,
}


# --- Text of cells --------------------------------------------------------------------------------


def _time_text(value: float | dt.datetime) -> str:
    """An offset as written in timelines (5m30s); an instant in ISO 8601."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return format_duration(float(value))


def _expected_text(name: str, value: Any) -> str:
    if name == "at":
        return _time_text(value)
    if name in ("after", "before"):
        return f"{name} {_time_text(value)}"
    if name in _MOMENT_FIELDS:
        if value is None or value is False:
            return "never"
        return "any time" if value is True else _time_text(value)
    if value is None:
        return "(none)"
    if isinstance(value, str | TextPattern) and name in _TEXT_FIELDS:
        return describe_text(value)
    if name == "resolution":
        return " > ".join(value)
    if name == "fields":
        return show(value)
    return str(value)


def actual_cell(column: str, fact: Fact, run: RunFacts) -> str:
    """A fact's text in ``column``, cut to the width of a table cell."""
    return _cut(actual_text(column, fact, run))


def actual_text(column: str, fact: Fact, run: RunFacts) -> str:
    """A fact's text in ``column``."""
    values = fact.values
    text: str
    if column == "at":
        text = (
            format_duration(max(fact.at, 0.0)) if fact.at >= 0 else f"-{format_duration(-fact.at)}"
        )
    elif column == "contact":
        arn = values.get("contact_arn")
        text = contact_alias(arn) if arn else "(none)"
    elif column == "channel":
        text = run.channel_label(values.get("channel_arn"), values.get("channel_type"))
    elif column == "engagement":
        text = run.engagement_label(values.get("engagement_arn"))
    elif column == "resolution":
        text = " > ".join(values.get("resolution") or [])
    elif column in _MOMENT_FIELDS:
        moment = values.get(column)
        text = "never" if moment is None else format_duration(moment)
    elif column == "fields":
        text = show({k: v for k, v in fact.record.items() if k not in ("Time", "Type")})
    elif column in _TEXT_FIELDS:
        value = values.get(column)
        text = "(none)" if value is None else show(str(value))
    else:
        value = values.get(column)
        text = "(none)" if value is None else str(value)
    return text


def _cut(text: str) -> str:
    return text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1] + "…"
