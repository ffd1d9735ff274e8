"""Neutral schedules as GoAlert schedules: each rotation a target whose rules are its windows,
overrides as add, remove and swap user overrides; a schedule that is one rotation under that
rotation's id stays a rotation (a step's rotation target)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.oncall.zones import load_zone, utc_to_wall
from engine.policy.model import Override, Rotation, Schedule, Window
from engine.vendors.goalert_write_rotations import Document, Placed

__all__ = ["rotation_schedules", "write_schedules"]

_ALL_DAYS = [True] * 7


def rotation_schedules(
    schedules: Sequence[Schedule], rotations: Sequence[Rotation], placed: dict[str, Placed]
) -> dict[str, str]:
    """Schedules that stand for one rotation (a GoAlert step's rotation target): id -> the
    GoAlert rotation id."""
    by_id = {rotation.id: rotation for rotation in rotations}
    found: dict[str, str] = {}
    for schedule in schedules:
        if len(schedule.rotations) != 1 or schedule.overrides or schedule.layered:
            continue
        rotation = by_id.get(schedule.rotations[0])
        where = placed.get(schedule.rotations[0])
        if (
            rotation is not None
            and where is not None
            and schedule.id == rotation.id
            and rotation.windows is None
            and where.targets == (("rotation", rotation.id),)
            and schedule.name == rotation.name
            and schedule.time_zone in (None, rotation.time_zone)
        ):
            found[schedule.id] = rotation.id
    return found


def write_schedules(
    schedules: Sequence[Schedule],
    as_rotation: dict[str, str],
    placed: dict[str, Placed],
    lines: list[str],
) -> tuple[list[Document], list[Document]]:
    written: list[Document] = []
    overrides: list[Document] = []
    for schedule in schedules:
        if schedule.id in as_rotation:
            continue
        label = f"schedule {schedule.handle}"
        first = placed.get(schedule.rotations[0]) if schedule.rotations else None
        zone = schedule.time_zone or (first.zone if first is not None else "UTC")
        if schedule.layered:
            lines.append(
                f"{label}: layered (the last layer with someone on call wins); GoAlert puts "
                "everyone its targets have on call: written as plain targets"
            )
        rules: dict[tuple[str, str], list[Document] | None] = {}
        for rotation_id in schedule.rotations:
            where = placed.get(rotation_id)
            if where is None:
                lines.append(
                    f"{label}: names rotation {rotation_id}, which the setup lacks: left out"
                )
                continue
            windows = where.windows
            if windows is not None and where.zone != zone:
                windows = _shifted(windows, where.zone, zone, where.start)
                lines.append(
                    f"{label}: the windows of {rotation_id} are in {where.zone}, GoAlert's rules "
                    f"in the schedule's {zone}: moved by the zones' offsets at the rotation's start"
                )
            for target in where.targets:
                listed = _rules(windows, lines, label)
                if target in rules:
                    known = rules[target]
                    rules[target] = None if known is None or listed is None else known + listed
                else:
                    rules[target] = listed
        targets = [
            {
                "target": {"id": target_id, "type": kind},
                "rules": listed if listed is not None else [_always()],
            }
            for (kind, target_id), listed in rules.items()
        ]
        written.append(
            {
                "id": schedule.id,
                "name": schedule.name or schedule.handle,
                "timeZone": zone,
                "targets": targets,
            }
        )
        for number, override in enumerate(schedule.overrides):
            overrides.extend(_overrides(schedule, number, override, lines))
    return written, overrides


def _always() -> Document:
    return {"start": "00:00", "end": "00:00", "weekdayFilter": list(_ALL_DAYS)}


def _rules(
    windows: tuple[Window, ...] | None, lines: list[str], label: str
) -> list[Document] | None:
    """GoAlert rules for ``windows`` (None: always), windows of one length and start joined
    into one rule with their weekdays."""
    if windows is None:
        return None
    grouped: dict[tuple[dt.time, int], list[bool]] = {}
    for window in windows:
        minutes = window.minutes
        if minutes > 1440:
            lines.append(
                f"{label}: a window of {minutes}m is longer than GoAlert's rules (a day): "
                "cut to 1440m"
            )
            minutes = 1440
        days = grouped.setdefault((window.start, minutes), [False] * 7)
        for weekday in range(7) if window.weekday is None else (window.weekday,):
            days[(weekday + 1) % 7] = True  # WeekdayFilter starts on Sunday
    listed: list[Document] = []
    for (start, minutes), days in grouped.items():
        end_minute = (start.hour * 60 + start.minute + minutes) % 1440
        listed.append(
            {
                "start": f"{start:%H:%M}",
                "end": f"{end_minute // 60:02d}:{end_minute % 60:02d}",
                "weekdayFilter": days,
            }
        )
    return listed


def _shifted(
    windows: tuple[Window, ...], zone: str, into: str, at: dt.datetime
) -> tuple[Window, ...]:
    """``windows`` of ``zone`` as wall-clock windows of ``into`` (offsets at instant ``at``)."""
    delta = (utc_to_wall(at, load_zone(into)) - utc_to_wall(at, load_zone(zone))) // dt.timedelta(
        minutes=1
    )
    moved: list[Window] = []
    for window in windows:
        days, minute = divmod(window.start.hour * 60 + window.start.minute + delta, 1440)
        weekday = None if window.weekday is None else (window.weekday + days) % 7
        moved.append(Window(dt.time(minute // 60, minute % 60), window.minutes, weekday))
    return tuple(moved)


def _overrides(
    schedule: Schedule, number: int, override: Override, lines: list[str]
) -> list[Document]:
    label = f"schedule {schedule.handle}"
    base = override.id or f"{schedule.id}-override-{number}"
    target = {"id": schedule.id, "type": "schedule", "name": schedule.name or schedule.handle}
    if override.mode == "replace" and override.replaces is None:
        lines.append(
            f"{label}: override from {override.start:%Y-%m-%d %H:%M} puts "
            f"{', '.join(override.people) or 'nobody'} on call instead of everyone; GoAlert "
            "overrides add, remove or swap one named user: written as adding them (whoever is "
            "on call stays on call)"
        )
    pairs: list[tuple[str, str]] = []
    if override.mode == "replace" and override.replaces is not None:
        # One swap, then the others added: the same people on call as the neutral override.
        first = override.people[0] if override.people else ""
        pairs = [(first, override.replaces)] + [(p, "") for p in override.people[1:]]
    elif override.mode == "remove":
        pairs = [("", person) for person in override.people]
    else:
        pairs = [(person, "") for person in override.people]
    written: list[Document] = []
    for index, (add, remove) in enumerate(pairs):
        written.append(
            {
                "id": base if len(pairs) == 1 else f"{base}-{index + 1}",
                "start": f"{override.start.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
                "end": f"{override.end.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
                "addUserID": add,
                "removeUserID": remove,
                "target": target,
            }
        )
    return written
