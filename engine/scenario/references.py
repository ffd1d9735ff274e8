"""``${step.Member}`` references from one script step to the response of an earlier one.

Syntax: ``${<step id>}`` is that step's whole response; ``${<step id>.Member.Sub[0]}`` reaches into
it with member names and list indices. A string that is exactly one reference becomes the value
itself (a list stays a list); a reference inside longer text is replaced by the value's text.
``$${`` writes a literal ``${``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from engine.scenario.paths import FieldPath, format_path, lookup, map_strings, parse_path

__all__ = ["Reference", "ReferenceError", "find_references", "resolve"]

_STEP_ID = r"[A-Za-z_][A-Za-z0-9_-]*"
_MEMBERS = r"(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*"
_REFERENCE = re.compile(r"\$\$\{|\$\{(?P<body>[^}]*)\}|\$\{")
_BODY = re.compile(rf"^(?P<step>{_STEP_ID})(?P<members>{_MEMBERS})$")


class ReferenceError(ValueError):
    """A reference that is malformed or cannot be resolved; the message says which and why."""


@dataclasses.dataclass(frozen=True, slots=True)
class Reference:
    """``${step.members}``: the id of the step and the path inside its response."""

    text: str
    step: str
    members: FieldPath


def find_references(text: str) -> list[Reference]:
    """Every reference in ``text``. Raises ReferenceError for a malformed one."""
    found: list[Reference] = []
    for match in _REFERENCE.finditer(text):
        if match.group(0) == "$${":
            continue
        body = match.group("body")
        parsed = _BODY.match(body) if body is not None else None
        if parsed is None:
            raise ReferenceError(
                f"malformed reference {match.group(0)!r}: write ${{step_id}} or "
                "${step_id.Member[0].Member} (and $${ for a literal ${)"
            )
        members = parsed.group("members")
        found.append(
            Reference(match.group(0), parsed.group("step"), parse_path(members) if members else ())
        )
    return found


def resolve(value: Any, responses: Mapping[str, Any]) -> Any:
    """``value`` with every reference replaced from ``responses`` (step id -> response). Raises
    ReferenceError when a step has no response or the response no such member."""
    return map_strings(value, lambda _, text: _resolve_text(text, responses))


def _resolve_text(text: str, responses: Mapping[str, Any]) -> Any:
    if "$" not in text:
        return text
    references = find_references(text)
    if len(references) == 1 and references[0].text == text:
        return _value_of(references[0], responses)

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        reference = find_references(match.group(0))[0]
        found = _value_of(reference, responses)
        return found if isinstance(found, str) else _as_text(found)

    return _REFERENCE.sub(replace, text)


def _value_of(reference: Reference, responses: Mapping[str, Any]) -> Any:
    if reference.step not in responses:
        raise ReferenceError(
            f"{reference.text}: step {reference.step!r} has no response (it failed or was skipped)"
        )
    found, value = lookup(responses[reference.step], reference.members)
    if not found:
        response = responses[reference.step]
        members = ", ".join(response) if isinstance(response, Mapping) else "none"
        raise ReferenceError(
            f"{reference.text}: the response of step {reference.step!r} has no "
            f"{format_path(reference.members)} (its members: {members or 'none'})"
        )
    return value


def _as_text(value: Any) -> str:
    """A value inside longer text: instants in ISO 8601, numbers as written, else JSON."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, default=str)
