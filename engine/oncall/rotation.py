"""A rotation and its overrides as the shift algorithm takes them, checked once on the way in.

Values come in AWS member shapes (the Recurrence dict with DailySettings, NumberOfOnCalls...,
aware datetimes), as request validation hands them over. Building a Rotation reads them into the
forms the algorithm works with and raises RotationError, naming the field and the value, for
anything it cannot use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import Any

from engine.oncall.coverage import Coverage, coverage_from_recurrence
from engine.oncall.handoffs import HandOffCalendar, calendar_from_recurrence, first_hand_off_after
from engine.oncall.stretches import Stretches
from engine.oncall.zones import UTC, RotationError, load_zone
from engine.timeutil import EARLIEST_INSTANT, LATEST_INSTANT

OverrideTuple = tuple[dt.datetime, dt.datetime, Sequence[str], int]


def checked_instant(value: object, field: str) -> dt.datetime:
    """``value`` as an aware UTC datetime in escsim's instant range, or RotationError."""
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise RotationError(field, value, "must be a timezone-aware datetime")
    instant = value.astimezone(UTC)
    if not EARLIEST_INSTANT <= instant < LATEST_INSTANT:
        earliest, latest = EARLIEST_INSTANT.isoformat(), LATEST_INSTANT.isoformat()
        raise RotationError(field, value, f"must lie from {earliest} to before {latest}")
    return instant


def _contact_list(value: object, field: str, allow_empty: bool) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise RotationError(field, value, "must be a list of contact ids")
    if not value and not allow_empty:
        raise RotationError(field, value, "must name at least one contact")
    for position, item in enumerate(value):
        if not isinstance(item, str) or not item:
            raise RotationError(f"{field}[{position}]", item, "must be a non-empty string")
    return tuple(value)


def _positive_int(holder: Mapping[str, object], name: str, high: int | None) -> int:
    value = holder.get(name)
    too_big = high is not None and isinstance(value, int) and value > high
    if isinstance(value, bool) or not isinstance(value, int) or value < 1 or too_big:
        bound = "at least 1" if high is None else f"from 1 to {high}"
        raise RotationError(f"Recurrence.{name}", value, f"must be an integer {bound}")
    return value


@dataclasses.dataclass(frozen=True, slots=True)
class Override:
    """Other contacts on call over [start, end) of covered time; ``created`` orders overrides
    by creation (a larger number was created later and wins where they overlap)."""

    start: dt.datetime
    end: dt.datetime
    contact_ids: Sequence[str]
    created: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", checked_instant(self.start, "Override.StartTime"))
        object.__setattr__(self, "end", checked_instant(self.end, "Override.EndTime"))
        ids = _contact_list(self.contact_ids, "Override.NewContactIds", allow_empty=True)
        object.__setattr__(self, "contact_ids", ids)
        if isinstance(self.created, bool) or not isinstance(self.created, int):
            raise RotationError("Override.created", self.created, "must be an integer")

    def covers(self, instant: dt.datetime) -> bool:
        """Whether ``instant`` lies in [start, end)."""
        return self.start <= instant < self.end


@dataclasses.dataclass(frozen=True, slots=True)
class Rotation:
    """An on-call rotation: members in shift order, when it starts, its zone, its recurrence
    (a RecurrenceSettings dict in AWS member names) and its overrides.

    ``overrides`` may hold Override objects or plain (start, end, new contact ids, created)
    tuples. An override that ends at or before its start covers nothing.
    """

    contact_ids: Sequence[str]
    start: dt.datetime
    time_zone_id: str
    recurrence: Mapping[str, Any]
    overrides: Sequence[Override | OverrideTuple] = ()
    zone: zoneinfo.ZoneInfo = dataclasses.field(init=False, repr=False, compare=False)
    hand_offs: HandOffCalendar = dataclasses.field(init=False, repr=False, compare=False)
    coverage: Coverage | None = dataclasses.field(init=False, repr=False, compare=False)
    on_calls: int = dataclasses.field(init=False, repr=False, compare=False)
    multiplier: int = dataclasses.field(init=False, repr=False, compare=False)
    first_hand_off: int = dataclasses.field(init=False, repr=False, compare=False)
    overrides_by_age: tuple[Override, ...] = dataclasses.field(
        init=False, repr=False, compare=False
    )
    stretches: Stretches = dataclasses.field(init=False, repr=False, compare=False)
    """Who is on call when, as far as it has been worked out (``shifts.on_call_remembered``)."""

    def __post_init__(self) -> None:
        contacts = _contact_list(self.contact_ids, "ContactIds", allow_empty=False)
        self._set("contact_ids", contacts)
        self._set("start", checked_instant(self.start, "StartTime"))
        self._set("zone", load_zone(self.time_zone_id))
        if not isinstance(self.recurrence, Mapping):
            raise RotationError("Recurrence", self.recurrence, "must be a RecurrenceSettings")
        self._set("hand_offs", calendar_from_recurrence(self.recurrence))
        self._set("coverage", coverage_from_recurrence(self.recurrence))
        on_calls = _positive_int(self.recurrence, "NumberOfOnCalls", None)
        self._set("on_calls", min(on_calls, len(contacts)))
        self._set("multiplier", _positive_int(self.recurrence, "RecurrenceMultiplier", 100))
        cursor = first_hand_off_after(self.hand_offs, self.zone, self.start)
        self._set("first_hand_off", cursor.index)
        if isinstance(self.overrides, str) or not isinstance(self.overrides, Sequence):
            raise RotationError("Overrides", self.overrides, "must be a list of overrides")
        overrides = tuple(_as_override(item, n) for n, item in enumerate(self.overrides))
        self._set("overrides", overrides)
        # Sorting is stable: between equal creation numbers the later-listed one wins.
        self._set("overrides_by_age", tuple(sorted(overrides, key=lambda o: o.created)))
        self._set("stretches", Stretches())

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def contacts_of(self, index: int) -> tuple[str, ...]:
        """The regular contacts of shift ``index`` (0 is the shift that begins at start)."""
        contacts = self.contact_ids
        count = self.on_calls
        if count == 1:  # the common case, asked on every engagement of a schedule
            return (contacts[index % len(contacts)],)
        return tuple(contacts[(index * count + j) % len(contacts)] for j in range(count))


def _as_override(item: Override | OverrideTuple, position: int) -> Override:
    if isinstance(item, Override):
        return item
    if isinstance(item, tuple) and len(item) == 4:
        try:
            return Override(*item)
        except RotationError as error:
            # Name the override by its place in the list rather than by its class.
            member = error.field.removeprefix("Override.")
            raise RotationError(
                f"Overrides[{position}].{member}", error.value, error.problem
            ) from None
    raise RotationError(
        f"Overrides[{position}]", item, "must be an Override or (start, end, contact ids, created)"
    )
