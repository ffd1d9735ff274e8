"""Matching one expected value against what a run produced: text, times, responses, errors.

:func:`compare` is the partial match used for step responses, error members and event fields:
a mapping needs only the keys it names (``null`` meaning absent), a list matches item by item, a
time may be written as an offset from the start or an instant, and a contact ARN may be written
as its alias. Each difference comes back as one line, ``path: expected X, got Y``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from engine.arns import parse_arn
from engine.scenario.expect.model import ExpectedError, TextPattern
from engine.scenario.fields import parse_at
from engine.timeutil import UTC, format_duration

__all__ = [
    "TEXT_KEYS",
    "compare",
    "describe_text",
    "error_problems",
    "show",
    "text_matches",
]

TEXT_KEYS = frozenset(TextPattern.model_fields)

_SHOW_LIMIT = 80
_SCALAR_LIMIT = 400


def text_matches(expected: str | TextPattern, actual: str | None) -> bool:
    """Does ``actual`` (None: absent) satisfy ``expected``? Absent text satisfies only
    ``not_contains``."""
    if isinstance(expected, str):
        return actual == expected
    if actual is None:
        return expected.not_contains is not None
    if expected.equals is not None:
        return actual == expected.equals
    if expected.contains is not None:
        return expected.contains in actual
    if expected.not_contains is not None:
        return expected.not_contains not in actual
    assert expected.matches is not None
    return re.fullmatch(expected.matches, actual, flags=re.DOTALL) is not None


def describe_text(expected: str | TextPattern) -> str:
    """``"text"``, ``contains "part"``, ``not contains "part"``, ``matches /regex/``."""
    if isinstance(expected, str):
        return _quote(expected)
    if expected.equals is not None:
        return _quote(expected.equals)
    if expected.contains is not None:
        return f"contains {_quote(expected.contains)}"
    if expected.not_contains is not None:
        return f"not contains {_quote(expected.not_contains)}"
    return f"matches /{expected.matches}/"


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def show(value: Any, start: dt.datetime | None = None, limit: int = _SHOW_LIMIT) -> str:
    """A value as one line: text quoted, times as offset and instant, others as JSON; cut to
    ``limit`` characters."""
    if isinstance(value, dt.datetime):
        instant = value.astimezone(UTC).isoformat()
        if start is not None and value >= start:
            return f"{format_duration((value - start).total_seconds())} ({instant})"
        return instant
    if isinstance(value, str):
        text = _quote(value)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_pattern(expected: Mapping[str, Any]) -> TextPattern | None:
    """``expected`` as a text pattern when it is written as one ({contains: ...})."""
    if len(expected) != 1 or not set(expected) <= TEXT_KEYS:
        return None
    try:
        return TextPattern.model_validate(dict(expected))
    except ValidationError:
        return None


def compare(expected: Any, actual: Any, path: str, start: dt.datetime) -> list[str]:
    """Every difference between ``expected`` (as written) and ``actual``, one line each."""
    if expected is None:
        return [] if actual is None else [f"{path}: expected none, got {show(actual, start)}"]
    if isinstance(expected, Mapping):
        pattern = _text_pattern(expected)
        if pattern is not None and (actual is None or isinstance(actual, str)):
            if text_matches(pattern, actual):
                return []
            got = "none" if actual is None else show(actual)
            return [f"{path}: expected {describe_text(pattern)}, got {got}"]
        if not isinstance(actual, Mapping):
            return [f"{path}: expected a mapping, got {show(actual, start)}"]
        return _compare_mapping(expected, actual, path, start)
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {show(actual, start)}"]
        return _compare_list(expected, actual, path, start)
    if _same_scalar(expected, actual, start):
        return []
    # Scalars in full: two long ARNs often differ only near their end.
    shown = show(actual, start, _SCALAR_LIMIT) if actual is not None else "none"
    return [f"{path}: expected {show(expected, None, _SCALAR_LIMIT)}, got {shown}"]


def _compare_mapping(
    expected: Mapping[str, Any], actual: Mapping[str, Any], path: str, start: dt.datetime
) -> list[str]:
    lines: list[str] = []
    for key, value in expected.items():
        where = f"{path}.{key}" if path else str(key)
        if value is None:
            if actual.get(key) is not None:
                lines.append(f"{where}: expected absent, got {show(actual[key], start)}")
            continue
        if key not in actual:
            lines.append(f"{where}: missing (expected {show(value)})")
            continue
        lines.extend(compare(value, actual[key], where, start))
    return lines


def _compare_list(
    expected: list[Any], actual: list[Any], path: str, start: dt.datetime
) -> list[str]:
    lines: list[str] = []
    if len(expected) != len(actual):
        lines.append(
            f"{path}: expected {len(expected)} item(s), got {len(actual)}: {show(actual, start)}"
        )
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        lines.extend(compare(want, got, f"{path}[{index}]", start))
    return lines


def _same_scalar(expected: Any, actual: Any, start: dt.datetime) -> bool:
    if isinstance(actual, dt.datetime):
        return _same_time(expected, actual, start)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(expected) == float(actual)
    if isinstance(expected, int | float) and isinstance(actual, str):
        return str(expected) == actual
    if isinstance(expected, str) and isinstance(actual, str):
        if expected == actual:
            return True
        return _is_contact_alias_of(expected, actual)
    return bool(expected == actual)


def _same_time(expected: Any, actual: dt.datetime, start: dt.datetime) -> bool:
    try:
        when = parse_at(expected)
    except ValueError:
        return False
    instant = start + dt.timedelta(seconds=when) if isinstance(when, float) else when
    return abs((instant - actual).total_seconds()) < 0.0005


def _is_contact_alias_of(expected: str, actual: str) -> bool:
    """``akuam`` stands for ``arn:...:contact/akuam``."""
    if expected.startswith("arn:"):
        return False
    parsed = parse_arn(actual)
    return parsed is not None and parsed.kind == "contact" and parsed.parts == (expected,)


def error_problems(
    expected: ExpectedError, error: Mapping[str, Any], start: dt.datetime
) -> list[str]:
    """How an AWS error (``{"Code", "Message", **members}``) differs from ``expected``."""
    problems: list[str] = []
    if error.get("Code") != expected.code:
        problems.append(f"code: expected {expected.code}, got {error.get('Code')}")
    message = error.get("Message")
    if expected.message is not None and not text_matches(
        expected.message, message if isinstance(message, str) else None
    ):
        problems.append(f"message: expected {describe_text(expected.message)}, got {show(message)}")
    if expected.members is not None:
        members = {key: value for key, value in error.items() if key not in ("Code", "Message")}
        problems.extend(compare(expected.members, members, "members", start))
    return problems
