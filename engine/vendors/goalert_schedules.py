"""GoAlert schedules (targets with rules) and user overrides as neutral schedules: a target
becomes a rotation, limited to its rules' windows; a user target a rotation of one member."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from engine.oncall.zones import load_zone, utc_to_wall
from engine.policy.model import Override, OverrideMode, Rotation, Schedule, Window
from engine.scenario.paths import FieldPath
from engine.vendors.goalert_fields import Fields
from engine.vendors.goalert_reading import ONE_MEMBER_START, Reading, derived_id
from engine.vendors.goalert_turns import turn_of
from engine.vendors.handles import slug

__all__ = ["read_overrides", "read_schedules", "wrapper"]


def read_schedules(
    reading: Reading, items: Sequence[object], overrides: Mapping[str, list[Override]]
) -> tuple[tuple[Schedule, ...], tuple[Rotation, ...]]:
    fields = reading.fields
    schedules: list[Schedule] = []
    derived: list[Rotation] = []
    for position, item in enumerate(items):
        path: FieldPath = ("schedules", position)
        schedule = fields.obj(item, path)
        if schedule is None:
            continue
        schedule_id = fields.text(schedule, "id", path)
        name = fields.text(schedule, "name", path) or ""
        zone = fields.zone(schedule, "timeZone", path)
        if schedule_id is None or zone is None:
            continue
        if schedule_id in reading.schedule_ids:
            fields.fail((*path, "id"), "repeats the id of an earlier schedule")
            continue
        reading.schedule_ids.add(schedule_id)
        label = f"schedule {name} ({schedule_id})"
        if fields.items(schedule, "temporarySchedules", path):
            reading.notes.append(f"{label}: its temporary schedules are kept but not simulated")
        rotation_ids: list[str] = []
        for number, target_item in enumerate(fields.items(schedule, "targets", path)):
            at: FieldPath = (*path, "targets", number)
            rotation = _schedule_target(reading, target_item, at, schedule_id, zone, label)
            if rotation is None:
                continue
            if rotation.id not in reading.rotations:
                derived.append(rotation)
                reading.rotations[rotation.id] = rotation
            rotation_ids.append(rotation.id)
        schedules.append(
            Schedule(
                id=schedule_id,
                handle=slug(name) or "schedule",
                name=name,
                rotations=tuple(rotation_ids),
                overrides=tuple(overrides.get(schedule_id, ())),
                time_zone=zone,
            )
        )
    return tuple(schedules), tuple(derived)


def _schedule_target(
    reading: Reading, item: object, path: FieldPath, schedule_id: str, zone: str, label: str
) -> Rotation | None:
    """The rotation a schedule target becomes: the rotation itself when its rules always hold,
    else a copy limited to the rules' windows (``<target>@<schedule>``); a user target becomes a
    rotation of one member."""
    fields = reading.fields
    target = fields.obj(item, path)
    if target is None:
        return None
    inner = fields.obj(target.get("target"), (*path, "target"))
    if inner is None:
        return None
    target_id = fields.text(inner, "id", (*path, "target"))
    kind = inner.get("type")
    windows, valid = _windows(fields, fields.items(target, "rules", path), path)
    if target_id is None or not valid:
        return None
    if kind == "rotation":
        base = reading.rotations.get(target_id)
        if target_id in reading.empty_rotations:
            return None  # noted where the rotation was read
        if base is None:
            fields.fail((*path, "target", "id"), "names no rotation of the document")
            return None
    elif kind == "user":
        if target_id not in reading.people:
            fields.fail((*path, "target", "id"), "names no user of the document")
            return None
        base = None
    else:
        fields.fail((*path, "target", "type"), "must be rotation or user")
        return None
    if windows == ():
        reading.notes.append(f"{label}: target {target_id} has no active rule: nobody from it")
        return None
    if base is not None:
        if windows is None:
            return base
        if base.time_zone != zone:
            windows = _moved(windows, zone, base.time_zone, base.start)
            reading.notes.append(
                f"{label}: the rules of rotation {base.name} ({base.id}) are in {zone}, the "
                f"rotation's hand-offs in {base.time_zone}: the rules are read at the two zones' "
                "offsets at the rotation's start"
            )
        return dataclasses.replace(base, id=derived_id(base.id, schedule_id), windows=windows)
    person = reading.people[target_id]
    reading.notes.append(
        f"{label}: user {person.name} ({person.id}) is read as a rotation of one member"
    )
    return Rotation(
        id=derived_id(target_id, schedule_id),
        name=person.name,
        members=(target_id,),
        start=ONE_MEMBER_START,
        time_zone=zone,
        period="day",
        hand_offs=(_MIDNIGHT_HAND_OFF,),
        windows=windows,
    )


def _windows(
    fields: Fields, rules: Sequence[object], path: FieldPath
) -> tuple[tuple[Window, ...] | None, bool]:
    """The windows of a target's rules (None: always on call, as GoAlert's always-active rule)
    in a canonical order, and whether every rule could be read."""
    windows: set[Window] = set()
    always = False
    valid = True
    for position, item in enumerate(rules):
        at: FieldPath = (*path, "rules", position)
        rule = fields.obj(item, at)
        if rule is None:
            valid = False
            continue
        start = fields.clock(rule, "start", at)
        end = fields.clock(rule, "end", at)
        days = fields.weekdays(rule, "weekdayFilter", at)
        if start is None or end is None or days is None:
            valid = False
            continue
        minutes = (_minutes(end) - _minutes(start)) % 1440 or 1440
        if len(days) == 7:
            if minutes == 1440:
                always = True
            windows.add(Window(start, minutes))
            continue
        windows.update(Window(start, minutes, day) for day in days)
    if not rules:
        fields.fail((*path, "rules"), "must list at least one rule")
        return (), False
    if always:
        return None, valid
    return tuple(sorted(windows, key=_window_order)), valid


def _window_order(window: Window) -> tuple[int, dt.time, int]:
    return (-1 if window.weekday is None else window.weekday, window.start, window.minutes)


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _moved(
    windows: tuple[Window, ...], zone: str, into: str, at: dt.datetime
) -> tuple[Window, ...]:
    """``windows`` of ``zone`` as the same stretches in zone ``into`` (offsets at ``at``)."""
    wall_from = utc_to_wall(at, load_zone(zone))
    wall_into = utc_to_wall(at, load_zone(into))
    delta = (wall_into - wall_from) // dt.timedelta(minutes=1)
    moved: set[Window] = set()
    for window in windows:
        total = _minutes(window.start) + delta
        days, minute = divmod(total, 1440)
        weekday = None if window.weekday is None else (window.weekday + days) % 7
        moved.add(Window(dt.time(minute // 60, minute % 60), window.minutes, weekday))
    return tuple(sorted(moved, key=_window_order))


_MIDNIGHT_HAND_OFF = turn_of("daily", 1, ONE_MEMBER_START, "UTC").hand_offs[0]


def wrapper(rotation: Rotation) -> Schedule:
    """The schedule a step's rotation target reaches: that rotation alone, under its id."""
    return Schedule(
        id=rotation.id,
        handle=slug(rotation.name) or "rotation",
        name=rotation.name,
        rotations=(rotation.id,),
        time_zone=rotation.time_zone,
    )


# --- overrides --------------------------------------------------------------------------------


def read_overrides(reading: Reading, root: Mapping[str, object]) -> dict[str, list[Override]]:
    """Overrides by schedule id, in document order."""
    fields = reading.fields
    known = _schedule_ids(root)
    by_schedule: dict[str, list[Override]] = {}
    for position, item in enumerate(fields.items(root, "userOverrides", ())):
        path: FieldPath = ("userOverrides", position)
        override = fields.obj(item, path)
        if override is None:
            continue
        override_id = fields.text(override, "id", path)
        start = fields.instant(override, "start", path)
        end = fields.instant(override, "end", path)
        add = _optional_user(reading, override, "addUserID", path)
        remove = _optional_user(reading, override, "removeUserID", path)
        target = fields.obj(override.get("target"), (*path, "target"))
        schedule_id = None
        if target is not None:
            schedule_id = fields.text(target, "id", (*path, "target"))
            if target.get("type") != "schedule":
                fields.fail((*path, "target", "type"), "must be schedule")
                schedule_id = None
            elif schedule_id is not None and schedule_id not in known:
                fields.fail((*path, "target", "id"), "names no schedule of the document")
                schedule_id = None
        if add == "" and remove == "":
            fields.fail(path, "gives neither addUserID nor removeUserID", with_value=False)
            continue
        if start is not None and end is not None and end <= start:
            fields.fail((*path, "end"), "must be after start")
            continue
        if None in (override_id, start, end, add, remove, schedule_id):
            continue
        assert (
            override_id and start and end and schedule_id and add is not None and remove is not None
        )
        mode: OverrideMode = "replace" if add and remove else ("add" if add else "remove")
        people = (add or remove,)
        made = Override(
            start=start,
            end=end,
            people=people,
            mode=mode,
            replaces=remove if mode == "replace" else None,
            id=override_id,
        )
        by_schedule.setdefault(schedule_id, []).append(made)
    return by_schedule


def _schedule_ids(root: Mapping[str, object]) -> set[str]:
    listed = root.get("schedules")
    if not isinstance(listed, list):
        return set()
    return {str(s["id"]) for s in listed if isinstance(s, Mapping) and isinstance(s.get("id"), str)}


def _optional_user(
    reading: Reading, override: Mapping[str, object], key: str, path: FieldPath
) -> str | None:
    """A user id, ``""`` when absent (GoAlert's ID! gives the empty string), None when bad."""
    value = override.get(key)
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value in reading.people:
        return value
    reading.fields.fail((*path, key), "names no user of the document")
    return None
