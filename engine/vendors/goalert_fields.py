"""Typed reading of the fields of a GoAlert document, collecting every problem on the way.

Each method of :class:`Fields` returns the value at a path of the document in the type the
GraphQL schema gives it (``ID!``, ``Int!``, ``ISOTimestamp!``, ``ClockTime!``, ``WeekdayFilter!``)
or None after recording a :class:`~engine.scenario.errors.Problem` that names the path and the
value, so a reader can go on and report everything wrong in one error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from engine.oncall.zones import RotationError, load_zone
from engine.scenario.paths import FieldPath
from engine.vendors.problems import FieldReader

__all__ = ["Fields"]

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?")


class Fields(FieldReader):
    """Reads fields of a GoAlert document in the GraphQL schema's types."""

    def items(self, holder: Mapping[str, object], key: str, path: FieldPath) -> Sequence[object]:
        """The list at ``holder[key]``; a missing key or null is an empty list."""
        value = holder.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            return value
        self.fail((*path, key), "must be a list")
        return ()

    def text(
        self, holder: Mapping[str, object], key: str, path: FieldPath, *, required: bool = True
    ) -> str | None:
        value = holder.get(key)
        if value is None and not required:
            return None
        if isinstance(value, str) and (value or not required):
            return value
        self.fail((*path, key), "must be a non-empty string")
        return None

    def integer(
        self, holder: Mapping[str, object], key: str, path: FieldPath, low: int, high: int
    ) -> int | None:
        value = holder.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        message = f"must be an integer from {low} to {high}"
        if not isinstance(value, Mapping | list):  # named here: a digit may be in the message
            message += f" (got {value!r})"
        self.fail((*path, key), message)
        return None

    def flag(self, holder: Mapping[str, object], key: str, path: FieldPath) -> bool | None:
        value = holder.get(key, False)
        if isinstance(value, bool):
            return value
        self.fail((*path, key), "must be true or false")
        return None

    def instant(
        self, holder: Mapping[str, object], key: str, path: FieldPath
    ) -> dt.datetime | None:
        """An ISOTimestamp (RFC 3339 with an offset) as an aware UTC datetime."""
        return self.instant_at(holder.get(key), (*path, key))

    def instant_at(self, value: object, path: FieldPath) -> dt.datetime | None:
        """``value``, found at ``path``, read as :meth:`instant` reads a field."""
        parsed: dt.datetime | None = None
        if isinstance(value, dt.datetime):  # YAML reads unquoted timestamps itself
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None or parsed.utcoffset() is None:
            self.fail(path, "must be an ISO 8601 timestamp with a UTC offset")
            return None
        if not 1900 <= parsed.year < 9900:
            self.fail(path, "must lie from the year 1900 to 9899")
            return None
        return parsed.astimezone(dt.UTC)

    def clock(self, holder: Mapping[str, object], key: str, path: FieldPath) -> dt.time | None:
        """A ClockTime ``HH:MM`` (seconds allowed and dropped, as GoAlert truncates them)."""
        value = holder.get(key)
        match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
        if match is not None:
            hour, minute = int(match[1]), int(match[2])
            if hour <= 23 and minute <= 59 and float(match[3] or 0) < 60:
                return dt.time(hour, minute)
        self.fail((*path, key), "must be a ClockTime HH:MM from 00:00 to 23:59")
        return None

    def weekdays(
        self, holder: Mapping[str, object], key: str, path: FieldPath
    ) -> tuple[int, ...] | None:
        """A WeekdayFilter (7 booleans, Sunday first) as the enabled weekdays, Monday = 0."""
        value = holder.get(key)
        if isinstance(value, list) and len(value) == 7 and all(isinstance(v, bool) for v in value):
            return tuple(sorted((index + 6) % 7 for index, on in enumerate(value) if on))
        self.fail((*path, key), "must be a WeekdayFilter: 7 true/false values, Sunday first")
        return None

    def zone(self, holder: Mapping[str, object], key: str, path: FieldPath) -> str | None:
        value = holder.get(key)
        try:
            load_zone(value)
        except RotationError:
            self.fail((*path, key), "must be an IANA time zone such as Europe/London")
            return None
        assert isinstance(value, str)
        return value
