"""Reading typed fields out of a parsed vendor document, collecting every problem on the way.

An importer walks the document once; each accessor returns the value or None and, when the value
is missing or of the wrong kind, records a problem at the field's path (with its line and the
value found) and carries on (``engine.vendors.problems``), so a user fixes a file in one go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.oncall.rotation import checked_instant
from engine.oncall.zones import RotationError, load_zone
from engine.scenario.paths import FieldPath
from engine.vendors.problems import FieldReader, Obj

__all__ = ["Fields", "Record"]

Record = Obj


class Fields(FieldReader):
    """Typed access to a PagerDuty export's fields, with the problems found so far."""

    def record(self, value: object, path: FieldPath, what: str) -> Record | None:
        """``value`` when it is a mapping with string keys, else a problem naming ``what``."""
        return self.obj(value, path, f"{what} (a mapping of fields)")

    def items(
        self, holder: Record, key: str, path: FieldPath, *, required: bool = True
    ) -> list[tuple[FieldPath, object]]:
        """The items of the list ``holder[key]`` with their paths (none when absent or bad)."""
        value = holder.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.fail(where, "is missing (a list is required)", with_value=False)
            return []
        if isinstance(value, str) or not isinstance(value, Sequence):
            self.fail(where, "must be a list")
            return []
        return [((*where, index), item) for index, item in enumerate(value)]

    def text(
        self, holder: Record, key: str, path: FieldPath, *, required: bool = True, hint: str = ""
    ) -> str | None:
        """``holder[key]`` as a non-empty string."""
        value = holder.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.fail(where, f"is missing{hint}", with_value=False)
            return None
        if not isinstance(value, str) or not value:
            self.fail(where, "must be a non-empty string")
            return None
        return value

    def integer(
        self,
        holder: Record,
        key: str,
        path: FieldPath,
        *,
        low: int,
        high: int | None = None,
        default: int | None = None,
        hint: str = "",
    ) -> int | None:
        """``holder[key]`` as an integer from ``low`` to ``high`` (``default`` when absent, or a
        problem when there is no default)."""
        value = holder.get(key)
        where = (*path, key)
        if value is None:
            if default is None:
                self.fail(where, f"is missing{hint}", with_value=False)
            return default
        too_big = high is not None and isinstance(value, int) and value > high
        if isinstance(value, bool) or not isinstance(value, int) or value < low or too_big:
            bound = f"at least {low}" if high is None else f"from {low} to {high}"
            self.fail(where, f"must be an integer {bound}")
            return None
        return value

    def instant(
        self, holder: Record, key: str, path: FieldPath, *, required: bool = True
    ) -> dt.datetime | None:
        """``holder[key]``, an ISO 8601 date and time with an offset, as an aware UTC datetime."""
        value = holder.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.fail(where, "is missing (an ISO 8601 date and time)", with_value=False)
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                self.fail(where, "must be an ISO 8601 date and time such as 2026-03-02T09:00:00Z")
                return None
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            self.fail(where, "must be a date and time with a UTC offset (Z or +hh:mm)")
            return None
        try:
            return checked_instant(value, key)
        except RotationError as error:
            self.fail(where, error.problem)
            return None

    def zone(
        self, holder: Record, key: str, path: FieldPath, *, required: bool = True
    ) -> str | None:
        """``holder[key]`` as an IANA time zone name known to tzdata."""
        name = self.text(holder, key, path, required=required)
        if name is None:
            return None
        try:
            load_zone(name)
        except RotationError as error:
            self.fail((*path, key), error.problem)
            return None
        return name

    def time_of_day(self, holder: Record, key: str, path: FieldPath) -> dt.time | None:
        """``holder[key]`` as a time of day ``HH:mm:ss`` (whole minutes: the engine hands off
        and restricts at minutes)."""
        given = holder.get(key)
        if isinstance(given, int) and not isinstance(given, bool) and 0 <= given < 86400:
            # YAML 1.1 reads an unquoted 17:00:00 as the sexagesimal number 61200 (seconds).
            given = f"{given // 3600:02d}:{given % 3600 // 60:02d}:{given % 60:02d}"
            holder = {key: given}
        text = self.text(holder, key, path)
        if text is None:
            return None
        try:
            value = dt.time.fromisoformat(text)
        except ValueError:
            self.fail((*path, key), "must be a time of day HH:mm:ss such as 08:00:00")
            return None
        if value.second or value.microsecond or value.tzinfo is not None:
            self.fail((*path, key), "must be a whole minute of the day without an offset")
            return None
        return value

    def choice(
        self, holder: Record, key: str, path: FieldPath, allowed: Sequence[str], default: str | None
    ) -> str | None:
        """``holder[key]``, one of ``allowed`` (``default`` when absent, when there is one)."""
        value = holder.get(key)
        if value is None and default is not None:
            return default
        if value not in allowed:
            if value is None:
                self.fail(
                    (*path, key), f"is missing (one of {', '.join(allowed)})", with_value=False
                )
            else:
                self.fail((*path, key), f"must be one of {', '.join(allowed)}")
            return None
        assert isinstance(value, str)
        return value
