"""Field paths inside a scenario file: ``contacts.akuam.plan[1].targets[0].channel``.

A path is a tuple of mapping keys (str) and list indices (int). The same notation is used for the
AWS-shaped field names that ``ValidationException`` reports (``contacts[2].Plan.Stages[0]``), so
both can be parsed, compared and printed alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["FieldPath", "format_path", "lookup", "map_strings", "parse_path"]

FieldPath = tuple[str | int, ...]

_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def format_path(path: FieldPath) -> str:
    """``("contacts", "akuam", "plan", 1)`` -> ``contacts.akuam.plan[1]``; empty -> ``""``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def parse_path(text: str) -> FieldPath:
    """The inverse of :func:`format_path` for keys without dots or brackets."""
    parts: list[str | int] = []
    for match in _TOKEN.finditer(text):
        index, key = match.groups()
        parts.append(int(index) if index is not None else key)
    return tuple(parts)


def lookup(data: Any, path: FieldPath) -> tuple[bool, Any]:
    """``(True, value)`` at ``path`` inside nested mappings and lists, else ``(False, None)``."""
    current = data
    for part in path:
        if isinstance(part, int):
            is_list = isinstance(current, Sequence) and not isinstance(current, str)
            if is_list and 0 <= part < len(current):
                current = current[part]
                continue
            return False, None
        if isinstance(current, Mapping) and part in current:
            current = current[part]
            continue
        return False, None
    return True, current


def map_strings(value: Any, change: Callable[[str, str], Any], member: str = "") -> Any:
    """``value`` (nested mappings and lists) with each string replaced by ``change(member,
    text)``, ``member`` being the key the string, or the list holding it, sits under."""
    if isinstance(value, str):
        return change(member, value)
    if isinstance(value, Mapping):
        return {key: map_strings(item, change, str(key)) for key, item in value.items()}
    if isinstance(value, list):
        return [map_strings(item, change, member) for item in value]
    return value
