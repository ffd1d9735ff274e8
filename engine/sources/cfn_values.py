"""Checked reading of resolved CloudFormation property values: text, whole numbers, booleans,
lists and mappings, each refusing a value of the wrong type with its field path.

CloudFormation passes numbers and booleans written as text (``"5"``, ``"true"``) to resources
as numbers and booleans; so do these readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.scenario.paths import FieldPath
from engine.sources.intrinsics import Unresolved

__all__ = ["boolean", "check_keys", "integer", "items", "mapping", "required", "text"]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def text(value: Any, at: FieldPath) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Unresolved(at, f"must be text (got {_shown(value)})")


def integer(value: Any, at: FieldPath) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise Unresolved(at, f"must be a whole number (got {_shown(value)})")


def boolean(value: Any, at: FieldPath) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise Unresolved(at, f"must be true or false (got {_shown(value)})")


def items(value: Any, at: FieldPath) -> list[Any]:
    if isinstance(value, list):
        return value
    raise Unresolved(at, f"must be a list (got {_shown(value)})")


def mapping(value: Any, at: FieldPath) -> Mapping[str, Any]:
    if isinstance(value, dict):
        return value
    raise Unresolved(at, f"must be a mapping of properties (got {_shown(value)})")


def required(properties: Mapping[str, Any], name: str, at: FieldPath) -> Any:
    if name not in properties:
        raise Unresolved(at, f"missing required property {name!r}")
    return properties[name]


def check_keys(properties: Mapping[str, Any], allowed: Iterable[str], at: FieldPath) -> None:
    """Refuse a property the resource type does not have, naming those it has."""
    known = list(allowed)
    for key in properties:
        if key not in known:
            raise Unresolved(
                (*at, key), f"unknown property {key!r} (allowed here: {', '.join(known)})"
            )
