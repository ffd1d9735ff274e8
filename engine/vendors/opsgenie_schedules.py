"""Opsgenie schedules, their rotations and overrides, as neutral schedules and rotations.

All rotations of a schedule are on call together (not layered). An override with no
``rotations`` puts its user on call for the whole schedule over its window; one naming rotations
replaces who those rotations have on call (within their time restrictions).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from engine.oncall.zones import UnknownTimeZone, load_zone
from engine.policy.model import Override, Rotation, Schedule, Window
from engine.scenario.paths import FieldPath
from engine.vendors.handles import numbered, slug
from engine.vendors.opsgenie_fields import Fields, Obj
from engine.vendors.opsgenie_people import People
from engine.vendors.opsgenie_time import (
    DAYS,
    RotationType,
    Turn,
    restriction_minutes,
    turn_to_neutral,
)

__all__ = ["Schedules", "read_schedules"]

_DAY = 1440
_WEEK = 7 * _DAY
_TYPES: dict[str, RotationType] = {"daily": "daily", "weekly": "weekly", "hourly": "hourly"}


@dataclasses.dataclass
class Schedules:
    """The schedules and rotations read, and the schedule ids and names -> schedule id."""

    schedules: list[Schedule] = dataclasses.field(default_factory=list)
    rotations: list[Rotation] = dataclasses.field(default_factory=list)
    by_name: dict[str, str] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)


def read_schedules(fields: Fields, items: list[tuple[FieldPath, Obj]], people: People) -> Schedules:
    """Every schedule of the document (problems recorded in ``fields``)."""
    out = Schedules()
    drafts: list[tuple[Schedule, str]] = []
    rotation_ids: set[str] = set()
    for path, item in items:
        schedule_id = fields.text(item, "id", path)
        name = fields.text(item, "name", path) or ""
        zone_id = fields.text(item, "timezone", path)
        zone: dt.tzinfo | None = None
        if zone_id is not None:
            try:
                zone = load_zone(zone_id)
            except UnknownTimeZone:
                fields.fail((*path, "timezone"), "is not an IANA time zone known to tzdata")
        enabled = fields.flag(item, "enabled", path, True)
        if "rotations" not in item:
            fields.fail(
                (*path, "rotations"),
                "is required: list the schedules with GET /v2/schedules?expand=rotation",
            )
        rotations: list[Rotation] = []
        for where, rotation in fields.objects(item, "rotations", path):
            read = _rotation(fields, rotation, where, zone, zone_id, people, out.notes)
            if read is None:
                continue
            if read.id in rotation_ids:
                fields.fail((*where, "id"), "a second rotation with this id")
                continue
            rotation_ids.add(read.id)
            rotations.append(read)
        whole: list[Override] = []
        for where, override in fields.objects(item, "overrides", path):
            _override(fields, override, where, people, rotations, whole, _listed(item))
        if schedule_id is None:
            continue
        for key in (schedule_id, name):
            if key and key in out.by_name:
                fields.fail(path, f"a second schedule with id or name {key!r}")
        out.by_name.setdefault(schedule_id, schedule_id)
        if name:
            out.by_name.setdefault(name, schedule_id)
        if not enabled:
            out.notes.append(
                f"schedule {schedule_id} ({name}) is disabled: read with nobody on call"
            )
        kept = tuple(r.id for r in rotations) if enabled else ()
        out.rotations.extend(rotations)
        schedule = Schedule(schedule_id, "", name, kept, False, tuple(whole), zone_id)
        drafts.append((schedule, slug(name or schedule_id)))
    handles = numbered([wanted for _, wanted in drafts])
    out.schedules = [
        dataclasses.replace(s, handle=h) for (s, _), h in zip(drafts, handles, strict=True)
    ]
    return out


def _rotation(
    fields: Fields,
    item: Obj,
    path: FieldPath,
    zone: dt.tzinfo | None,
    zone_id: str | None,
    people: People,
    notes: list[str],
) -> Rotation | None:
    rotation_id = fields.text(item, "id", path)
    name = fields.text(item, "name", path, required=False) or ""
    start = fields.instant(item, "startDate", path)
    end = fields.instant(item, "endDate", path, required=False)
    kind = fields.choice(item, "type", path, tuple(_TYPES), None)
    length = fields.integer(item, "length", path, 1, 10_000, required=False) or 1
    if start is not None and end is not None and end <= start:
        fields.fail((*path, "endDate"), "must be after startDate")
    members: list[str] = []
    participants = fields.objects(item, "participants", path)
    if not participants and isinstance(item.get("participants"), list | None):
        fields.fail((*path, "participants"), "must list at least one user")
    for where, participant in participants:
        kind_of = fields.choice(
            participant, "type", where, ("user", "team", "escalation", "none"), None
        )
        if kind_of == "user":
            found = people.find(fields, participant, where, "a participant")
            if found is not None:
                members.append(found)
        elif kind_of is not None:
            fields.fail(
                (*where, "type"),
                "only user participants can be read (a team, escalation or none participant "
                "is not on call as a person)",
            )
    windows = _restriction(fields, item, path)
    if rotation_id is None or start is None or kind is None or zone is None or not members:
        return None
    timing = turn_to_neutral(Turn(_TYPES[kind], length, start), zone)
    if isinstance(timing, str):
        fields.fail((*path, "length"), timing)
        return None
    period, hand_offs, every = timing
    if kind == "hourly" and _has_dst(zone, start):
        notes.append(
            f"rotation {rotation_id} ({name}): hourly turns are read on the wall clock of "
            f"{zone_id}; across a DST change Opsgenie may count elapsed hours instead"
        )
    assert zone_id is not None
    return Rotation(
        rotation_id,
        name,
        tuple(members),
        start,
        zone_id,
        period,
        hand_offs,
        every,
        1,
        windows,
        (),
        end,
    )


def _has_dst(zone: dt.tzinfo, start: dt.datetime) -> bool:
    """Whether ``zone`` changes its UTC offset within the year after ``start``."""
    offsets = {
        (start + dt.timedelta(days=days)).astimezone(zone).utcoffset() for days in range(0, 366, 7)
    }
    return len(offsets) > 1


def _restriction(fields: Fields, item: Obj, path: FieldPath) -> tuple[Window, ...] | None:
    """The rotation's ``timeRestriction`` as windows; None when it has none."""
    raw = item.get("timeRestriction")
    if raw is None:
        return None
    where = (*path, "timeRestriction")
    restriction = fields.obj(raw, where)
    if restriction is None:
        return None
    kind = fields.choice(
        restriction, "type", where, ("time-of-day", "weekday-and-time-of-day"), None
    )
    windows: list[Window] = []
    if kind == "time-of-day":
        inner = fields.obj(restriction.get("restriction"), (*where, "restriction"))
        if inner is not None:
            times = _times(fields, inner, (*where, "restriction"))
            if times is not None:
                begin, finish = times
                minutes = restriction_minutes(begin, finish, _DAY)
                windows.append(Window(dt.time(begin // 60, begin % 60), minutes))
    elif kind == "weekday-and-time-of-day":
        entries = fields.objects(restriction, "restrictions", where)
        if not entries:
            fields.fail((*where, "restrictions"), "must list at least one restriction")
        for entry_path, entry in entries:
            times = _times(fields, entry, entry_path)
            first = fields.choice(entry, "startDay", entry_path, DAYS, None)
            last = fields.choice(entry, "endDay", entry_path, DAYS, None)
            if times is None or first is None or last is None:
                continue
            begin = DAYS.index(first) * _DAY + times[0]
            finish = DAYS.index(last) * _DAY + times[1]
            minutes = restriction_minutes(begin, finish, _WEEK)
            at = dt.time(times[0] // 60, times[0] % 60)
            windows.append(Window(at, minutes, DAYS.index(first)))
    return tuple(windows)


def _times(fields: Fields, entry: Obj, path: FieldPath) -> tuple[int, int] | None:
    """(start, end) minutes of the day of a restriction; endHour 24 is the end of the day."""
    start_hour = fields.integer(entry, "startHour", path, 0, 23)
    start_min = fields.integer(entry, "startMin", path, 0, 59)
    end_hour = fields.integer(entry, "endHour", path, 0, 24)
    end_min = fields.integer(entry, "endMin", path, 0, 59)
    if None in (start_hour, start_min, end_hour, end_min):
        return None
    assert start_hour is not None and start_min is not None
    assert end_hour is not None and end_min is not None
    if end_hour == 24 and end_min:
        fields.fail((*path, "endMin"), "must be 0 when endHour is 24")
        return None
    return start_hour * 60 + start_min, (end_hour * 60 + end_min) % _DAY


def _listed(schedule: Obj) -> set[str]:
    """The ids and names of the schedule's rotations as written, read or not."""
    raw = schedule.get("rotations")
    items = raw if isinstance(raw, list) else []
    found = [item.get(key) for item in items if isinstance(item, dict) for key in ("id", "name")]
    return {value for value in found if isinstance(value, str)}


def _override(
    fields: Fields,
    item: Obj,
    path: FieldPath,
    people: People,
    rotations: list[Rotation],
    whole: list[Override],
    listed: set[str],
) -> None:
    """Read one override into ``whole`` or onto the rotations it names (replacing them)."""
    alias = fields.text(item, "alias", path, required=False) or ""
    user = fields.obj(item.get("user"), (*path, "user"))
    person = None if user is None else people.find(fields, user, (*path, "user"), "the override")
    start = fields.instant(item, "startDate", path)
    end = fields.instant(item, "endDate", path)
    if start is not None and end is not None and end <= start:
        fields.fail((*path, "endDate"), "must be after startDate")
        return
    named: list[int] = []
    for where, ref in fields.objects(item, "rotations", path):
        key = ref.get("id") if ref.get("id") is not None else ref.get("name")
        index = next((i for i, r in enumerate(rotations) if key in (r.id, r.name) and key), None)
        if index is None:
            if (
                not isinstance(key, str) or key not in listed
            ):  # a rotation listed but unreadable has its own problem
                fields.fail(where, "names a rotation this schedule does not have")
            continue
        named.append(index)
    if person is None or start is None or end is None:
        return
    override = Override(start, end, (person,), "replace", None, alias)
    if not named:
        whole.append(override)
        return
    for index in named:
        rotation = rotations[index]
        rotations[index] = dataclasses.replace(rotation, overrides=(*rotation.overrides, override))
