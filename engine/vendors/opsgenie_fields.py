"""Typed reads of the fields of an Opsgenie document, collecting every problem on the way.

The document is whatever the YAML parser made of the file, so each value is checked before use;
a wrong value becomes a :class:`~engine.scenario.errors.Problem` at its path (with its line and
the value found) and the reader carries on, so one run reports everything wrong in the file.
"""

from __future__ import annotations

import datetime as dt
import re

from engine.scenario.paths import FieldPath
from engine.timeutil import EARLIEST_INSTANT, LATEST_INSTANT, in_range
from engine.vendors.problems import FieldReader, Obj

__all__ = ["Fields", "Obj"]

_OFFSET = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})$"
)


class Fields(FieldReader):
    """Reads fields of an Opsgenie document in its REST API's types."""

    def objects(self, holder: Obj, key: str, path: FieldPath) -> list[tuple[FieldPath, Obj]]:
        """The objects of the list ``holder[key]`` (absent: none), each with its path."""
        value = holder.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail((*path, key), "must be a list")
            return []
        found: list[tuple[FieldPath, Obj]] = []
        for index, item in enumerate(value):
            checked = self.obj(item, (*path, key, index))
            if checked is not None:
                found.append(((*path, key, index), checked))
        return found

    def text(self, holder: Obj, key: str, path: FieldPath, *, required: bool = True) -> str | None:
        """A non-empty string field; None when absent (a problem if ``required``) or wrong."""
        value = holder.get(key)
        if value is None:
            if required:
                self.fail((*path, key), "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail((*path, key), "must be a non-empty string")
            return None
        return value

    def choice(
        self, holder: Obj, key: str, path: FieldPath, allowed: tuple[str, ...], default: str | None
    ) -> str | None:
        """One of ``allowed``; ``default`` when absent (required when ``default`` is None)."""
        value = holder.get(key)
        if value is None:
            if default is None:
                self.fail((*path, key), f"is required: one of {', '.join(allowed)}")
            return default
        if value not in allowed:
            self.fail((*path, key), f"must be one of {', '.join(allowed)}")
            return None
        assert isinstance(value, str)
        return value

    def integer(
        self, holder: Obj, key: str, path: FieldPath, low: int, high: int, *, required: bool = True
    ) -> int | None:
        """A whole number from ``low`` to ``high``; None when absent or wrong."""
        value = holder.get(key)
        if value is None:
            if required:
                self.fail((*path, key), f"is required: a whole number from {low} to {high}")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail((*path, key), f"must be a whole number from {low} to {high}")
            return None
        return value

    def flag(self, holder: Obj, key: str, path: FieldPath, default: bool) -> bool:
        """A boolean field, ``default`` when absent."""
        value = holder.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail((*path, key), "must be true or false")
            return default
        return value

    def instant(
        self, holder: Obj, key: str, path: FieldPath, *, required: bool = True
    ) -> dt.datetime | None:
        """An ISO 8601 date and time with its UTC offset (``2026-03-02T09:00:00Z``), as an aware
        UTC datetime. YAML may already have read an unquoted one as a datetime."""
        value = holder.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.fail(where, "is required: a date and time such as 2026-03-02T09:00:00Z")
            return None
        if isinstance(value, dt.datetime):
            if value.utcoffset() is None:
                self.fail(where, "must give its UTC offset (2026-03-02T09:00:00Z)")
                return None
            return self._in_range(value, where)
        if isinstance(value, str):
            match = _OFFSET.match(value.strip())
            if match is not None:
                zone = match.group(3).replace("Z", "+00:00")
                if ":" not in zone:
                    zone = f"{zone[:3]}:{zone[3:]}"
                try:
                    parsed = dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}{zone}")
                except ValueError:
                    pass
                else:
                    return self._in_range(parsed, where)
        self.fail(
            where, "must be a date and time with its UTC offset, such as 2026-03-02T09:00:00Z"
        )
        return None

    def _in_range(self, value: dt.datetime, where: FieldPath) -> dt.datetime | None:
        """``value`` in UTC when it lies in escsim's range of instants, else a problem."""
        try:
            instant = value.astimezone(dt.UTC)
        except OverflowError:
            instant = None
        if instant is None or not in_range(instant):
            first, last = EARLIEST_INSTANT.year, LATEST_INSTANT.year
            self.fail(where, f"must lie from the year {first} to before the year {last}")
            return None
        return instant
