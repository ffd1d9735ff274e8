"""Time zones from the ``tzdata`` package, and local wall-clock times turned into UTC instants.

Zones are read from the ``tzdata`` distribution's own files, never from the machine's zone
database, so a rotation gives the same shifts everywhere. A wall-clock time that a DST change
skips or repeats is placed by one fixed rule (see ``wall_to_utc``).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import zoneinfo

UTC = dt.UTC


class RotationError(ValueError):
    """A rotation, override or shift window that cannot be used, naming the field and its value.

    ``field`` is the member path in AWS names (``Recurrence.DailySettings[0].HourOfDay``) and
    ``value`` the offending value, so a front end can turn it into a ValidationException.
    """

    def __init__(self, field: str, value: object, problem: str) -> None:
        super().__init__(f"{field}: {problem} (got {value!r})")
        self.field = field
        self.value = value
        self.problem = problem


class UnknownTimeZone(RotationError):
    """A TimeZoneId that the tzdata package does not know."""

    def __init__(self, zone_id: object) -> None:
        super().__init__(
            "TimeZoneId",
            zone_id,
            "not an IANA time zone known to tzdata; use a name such as America/New_York, "
            "Europe/London or UTC",
        )


@functools.cache
def _known_zone_ids() -> frozenset[str]:
    listing = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in listing.splitlines() if line.strip())


@functools.cache
def _zone_from_tzdata(zone_id: str) -> zoneinfo.ZoneInfo:
    resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*zone_id.split("/"))
    with resource.open("rb") as stream:
        return zoneinfo.ZoneInfo.from_file(stream, key=zone_id)


def load_zone(zone_id: object) -> zoneinfo.ZoneInfo:
    """The zone named ``zone_id`` (IANA name, as tzdata spells it), read from tzdata once;
    UnknownTimeZone when tzdata has no such zone (``PST``, a non-string)."""
    # Checking the package's list first also keeps odd names (``../x``) away from the files.
    if not isinstance(zone_id, str) or zone_id not in _known_zone_ids():
        raise UnknownTimeZone(zone_id)
    return _zone_from_tzdata(zone_id)


def utc_to_wall(instant: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The naive local wall-clock time that ``instant`` (aware) shows in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None)


# Shift lookups convert the same hand-off walls again and again; bounded, so memory stays flat.
@functools.lru_cache(maxsize=4096)
def wall_to_utc(wall: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The UTC instant at which the naive wall-clock time ``wall`` happens in ``zone``.

    A time the clocks skip (inside a spring-forward gap) happens at the first instant after the
    gap, the moment of the change itself; a time the clocks show twice (fall-back) happens at
    its first occurrence. Every other time has exactly one instant.
    """
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if utc_to_wall(first, zone) == wall:
        return first
    # Inside a gap: fold=0 reads the wall time with the offset from before the change (an
    # instant after it), fold=1 with the offset from after (an instant before it). The change
    # lies between the two; find the first whole second whose wall time reaches ``wall``.
    before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = 0, int((first - before).total_seconds())
    while low < high:
        middle = (low + high) // 2
        if utc_to_wall(before + dt.timedelta(seconds=middle), zone) >= wall:
            high = middle
        else:
            low = middle + 1
    return before + dt.timedelta(seconds=low)
