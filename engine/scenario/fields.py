"""Value types of the scenario format: durations, plan minutes, instants and script times.

Each is an ``Annotated`` pydantic type whose validator gives an error that says how to write the
value, and whose JSON Schema tells an editor what to offer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from engine.timeutil import (
    DURATION_PATTERN,
    MissingUnitError,
    parse_duration,
    start_instant,
    to_datetime,
)

__all__ = [
    "At",
    "Duration",
    "Instant",
    "PlanMinutes",
    "StartInstant",
    "TimeOfDay",
    "parse_at",
    "parse_offset",
    "parse_time_of_day",
]

_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
_TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_TIME_HINT = 'write a time of day as "HH:MM", e.g. "09:00" or "21:30"'

DURATION_HINT = "write a duration with a unit, e.g. 90s, 7m, 5m30s, 2h"


def parse_offset(value: Any) -> float:
    """Seconds in a duration with a unit (``7m``, ``5m30s``, ``1w``); a bare 0 is allowed."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(DURATION_HINT)
    try:
        return parse_duration(value, unit_required=True)
    except MissingUnitError as exc:
        raise ValueError(f"{DURATION_HINT} ({exc})") from None
    except ValueError:
        raise ValueError(DURATION_HINT) from None


def _plan_minutes(value: Any) -> int:
    """Whole minutes: a bare integer counts minutes (as AWS does); ``5m`` or ``300s`` too."""
    if isinstance(value, bool):
        raise ValueError("write whole minutes, e.g. 5 or 5m")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            seconds = parse_duration(value) if not value.strip().isdigit() else 60 * int(value)
        except ValueError:
            raise ValueError("write whole minutes, e.g. 5 or 5m") from None
        if seconds % 60 == 0:
            return int(seconds // 60)
    raise ValueError("write whole minutes, e.g. 5 or 5m")


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()
    if not isinstance(value, str | dt.datetime):
        raise ValueError("write an ISO 8601 instant, e.g. 2026-01-01T09:00:00Z")
    return to_datetime(value)


def _start(value: Any) -> dt.datetime:
    return start_instant(_instant(value))


def parse_at(value: Any) -> float | dt.datetime:
    """A script time: an offset from the start (``5m30s``) or an ISO 8601 instant."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        try:
            return _instant(value)
        except ValueError:
            raise ValueError(
                "write an offset from the start (0m, 5m30s, 2h) or an ISO 8601 instant"
            ) from None
    return parse_offset(value)


_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": DURATION_PATTERN},
        {"const": 0},
    ],
    "description": "A duration with a unit: 90s, 7m, 5m30s, 2h, 1d, 1w.",
    "examples": ["7m", "5m30s"],
}

Duration = Annotated[float, BeforeValidator(parse_offset), WithJsonSchema(_DURATION_SCHEMA)]
"""Seconds, written with a unit."""

PlanMinutes = Annotated[
    int,
    BeforeValidator(_plan_minutes),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
            "description": "Whole minutes: a bare integer, or a duration such as 5m.",
        }
    ),
]
"""Whole minutes, as plans count them."""

_INSTANT_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "description": "An ISO 8601 instant; without an offset it is UTC.",
    "examples": ["2026-01-01T09:00:00Z"],
}

Instant = Annotated[dt.datetime, BeforeValidator(_instant), WithJsonSchema(_INSTANT_SCHEMA)]
"""An aware UTC datetime."""

StartInstant = Annotated[dt.datetime, BeforeValidator(_start), WithJsonSchema(_INSTANT_SCHEMA)]
"""A run's start: an instant in the range a run can go on from (engine.timeutil.start_instant)."""

At = Annotated[
    float | dt.datetime,
    BeforeValidator(parse_at),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN},
                {"const": 0},
                {"type": "string", "format": "date-time"},
            ],
            "description": "When the step runs: an offset from the start (0m, 5m30s, 2h) or an "
            "ISO 8601 instant.",
            "examples": ["0m", "7m", "2026-01-01T09:07:00Z"],
        }
    ),
]
"""Seconds after the start, or an absolute instant."""


def parse_time_of_day(value: Any) -> dt.time:
    """A wall-clock time written ``HH:MM`` (00:00 to 23:59).

    YAML 1.1 reads an unquoted ``21:00`` as the base-60 number 1260 (and ``9:30`` as 570), so a
    whole number from 60 up is read back as hours and minutes; smaller numbers cannot come from
    ``H:MM`` and are refused.
    """
    if isinstance(value, bool):
        raise ValueError(_TIME_HINT)
    if isinstance(value, int):
        if 60 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        raise ValueError(_TIME_HINT)
    if isinstance(value, str):
        match = _TIME_OF_DAY.match(value.strip())
        if match is not None:
            return dt.time(int(match.group(1)), int(match.group(2)))
    raise ValueError(_TIME_HINT)


TimeOfDay = Annotated[
    dt.time,
    BeforeValidator(parse_time_of_day),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$",
            "description": "A wall-clock time in the rotation's zone, HH:MM.",
            "examples": ["09:00", "21:30"],
        }
    ),
]
"""A time of day (hours and minutes)."""
