"""Writing an OnCallSetup as a GoAlert document (the shapes :mod:`goalert_read` takes).

A setup read from GoAlert comes back as the document's meaning (``read(write(x)) == x``). A
setup from another product is written as closely as GoAlert allows, with one line for each
construct it cannot express and what it became: GoAlert has no urgency, no round robin, no
non-stopping target, at most 5 repeats and no wait between passes, rotations of one person at a
time with one evenly spaced hand-off grid, no end to a rotation, and overrides that add, remove
or swap one user rather than replace whoever is on call.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Sequence

from engine.oncall.zones import load_zone, utc_to_wall
from engine.policy.model import (
    HandOff,
    OnCallSetup,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Window,
)
from engine.vendors.goalert_fields import person_handle
from engine.vendors.goalert_read import ONE_MEMBER_START
from engine.vendors.goalert_turns import turn_of, wall_instant

__all__ = ["write"]

Document = dict[str, object]
_TYPES = {
    "SMS": "SMS",
    "VOICE": "VOICE",
    "EMAIL": "EMAIL",
    "WEBHOOK": "WEBHOOK",
    "CHAT": "SLACK_DM",
}
_ALL_DAYS = [True] * 7
_MAX_REPEAT = 5
_MAX_DELAY = 9000


@dataclasses.dataclass(frozen=True, slots=True)
class _Placed:
    """Where a neutral rotation went: the GoAlert targets (type, id) a schedule lists for it."""

    targets: tuple[tuple[str, str], ...]
    windows: tuple[Window, ...] | None
    zone: str
    start: dt.datetime


def write(setup: OnCallSetup) -> tuple[dict[str, object], list[str]]:
    """The GoAlert document of ``setup`` and the constructs GoAlert cannot express."""
    lines: list[str] = []
    people = {person.id: person for person in setup.people}
    users, methods_kept = _users(setup.people, lines)
    rotations, placed = _rotations(setup.rotations, people, lines)
    as_rotation = _wrappers(setup.schedules, setup.rotations, placed)
    schedules, overrides = _schedules(setup.schedules, as_rotation, placed, lines)
    policies = _policies(setup.policies, people, setup.schedules, as_rotation, lines)
    del methods_kept
    document: dict[str, object] = {
        "users": users,
        "escalationPolicies": policies,
        "rotations": rotations,
        "schedules": schedules,
        "userOverrides": overrides,
    }
    return document, lines


# --- users ------------------------------------------------------------------------------------


def _users(people: Sequence[Person], lines: list[str]) -> tuple[list[Document], set[str]]:
    users: list[Document] = []
    kept: set[str] = set()
    for person in people:
        methods: list[Document] = []
        for method in person.methods:
            kind = _TYPES.get(method.kind)
            if kind is None:
                lines.append(
                    f"person {person.handle}: {method.kind} method {method.name or method.id} has "
                    "no GoAlert contact method type: left out, with its rules"
                )
                continue
            kept.add(method.id)
            methods.append(
                {
                    "id": method.id,
                    "name": method.name,
                    "type": kind,
                    "value": method.address,
                    "disabled": not method.active,
                }
            )
        rules: list[Document] = []
        for number, rule in enumerate(person.rules):
            if rule.method not in kept:
                continue
            if rule.urgency == "low":
                lines.append(
                    f"person {person.handle}: low-urgency rule on {rule.method} +{rule.delay}m "
                    "left out: GoAlert has no urgency and pages every alert alike"
                )
                continue
            if rule.retry:
                lines.append(
                    f"person {person.handle}: rule on {rule.method} retries every {rule.retry}m; "
                    "GoAlert has no retry interval: written without it"
                )
            delay = min(rule.delay, _MAX_DELAY)
            if delay != rule.delay:
                lines.append(
                    f"person {person.handle}: rule delay {rule.delay}m written as GoAlert's "
                    f"largest, {_MAX_DELAY}m"
                )
            rules.append(
                {
                    "id": f"{person.id}-rule-{number}",
                    "delayMinutes": delay,
                    "contactMethodID": rule.method,
                }
            )
        if person.span is not None:
            lines.append(
                f"person {person.handle}: its rules run {person.span}m past the last one (an AWS "
                "engagement plan's last stage); GoAlert has no such span: left out"
            )
        users.append(
            {
                "id": person.id,
                "name": person.name or person.handle,
                "email": _email(person),
                "contactMethods": methods,
                "notificationRules": rules,
            }
        )
    return users, kept


def _email(person: Person) -> str:
    """An e-mail whose local part gives the person's handle back: an EMAIL method's address
    when it does, else ``<handle>@example.com``."""
    for method in person.methods:
        usable = method.kind == "EMAIL" and "@" in method.address
        if usable and person_handle(method.address, "") == person.handle:
            return method.address
    return f"{person.handle}@example.com"


# --- rotations --------------------------------------------------------------------------------


def _base_of(rotation: Rotation, by_id: dict[str, Rotation]) -> Rotation | None:
    """The rotation ``rotation`` copies with windows added (read as ``<id>@<schedule>``)."""
    if "@" not in rotation.id:
        return None
    base = by_id.get(rotation.id.rsplit("@", 1)[0])
    if base is None or base.windows is not None:
        return None
    same = dataclasses.replace(rotation, id=base.id, windows=None)
    return base if same == base else None


def _one_member(rotation: Rotation, people: dict[str, Person]) -> str | None:
    """The user of a one-member rotation read from a schedule's user target, else None."""
    if len(rotation.members) != 1 or rotation.members[0] not in people or "@" not in rotation.id:
        return None
    midnight = turn_of("daily", 1, ONE_MEMBER_START, "UTC").hand_offs
    plain = Rotation(
        id=rotation.id,
        name=rotation.name,
        members=rotation.members,
        start=ONE_MEMBER_START,
        time_zone=rotation.time_zone,
        period="day",
        hand_offs=midnight,
        windows=rotation.windows,
    )
    if rotation.id.rsplit("@", 1)[0] != rotation.members[0] or rotation != plain:
        return None
    return rotation.members[0]


def _rotations(
    rotations: Sequence[Rotation], people: dict[str, Person], lines: list[str]
) -> tuple[list[Document], dict[str, _Placed]]:
    by_id = {rotation.id: rotation for rotation in rotations}
    written: list[Document] = []
    placed: dict[str, _Placed] = {}
    for rotation in rotations:
        base = _base_of(rotation, by_id)
        if base is not None:
            targets = placed[base.id].targets if base.id in placed else (("rotation", base.id),)
            placed[rotation.id] = _Placed(
                targets, rotation.windows, rotation.time_zone, rotation.start
            )
            continue
        user = _one_member(rotation, people)
        if user is not None:
            placed[rotation.id] = _Placed(
                (("user", user),), rotation.windows, rotation.time_zone, rotation.start
            )
            continue
        documents = _goalert_rotations(rotation, lines)
        written.extend(documents)
        ids = tuple(("rotation", str(d["id"])) for d in documents)
        placed[rotation.id] = _Placed(ids, rotation.windows, rotation.time_zone, rotation.start)
    return written, placed


def _goalert_rotations(rotation: Rotation, lines: list[str]) -> list[Document]:
    """The GoAlert rotation(s) of one neutral rotation (one per person on call at once)."""
    label = f"rotation {rotation.name or rotation.id}"
    kind, length, anchor = _grid(rotation, label, lines)
    zone = load_zone(rotation.time_zone)
    wall = utc_to_wall(rotation.start, zone)
    if anchor != wall:
        lines.append(
            f"{label}: GoAlert counts turns from a hand-off: its start {wall:%Y-%m-%d %H:%M} is "
            f"written as the hand-off before it, {anchor:%Y-%m-%d %H:%M}, where the first member's "
            "turn begins"
        )
    start = wall_instant(anchor, rotation.time_zone)
    if rotation.end is not None:
        lines.append(
            f"{label}: GoAlert rotations do not end; its end "
            f"{rotation.end:%Y-%m-%d %H:%M} is left out"
        )
    if rotation.overrides:
        lines.append(
            f"{label}: {len(rotation.overrides)} rotation override(s) left out: GoAlert overrides "
            "belong to schedules and swap named users"
        )
    members = rotation.members
    count = max(1, min(rotation.on_call, len(members)))
    if count > 1:
        lines.append(
            f"{label}: {count} people on call at once; a GoAlert rotation has one: written as "
            f"{count} rotations, one for each place"
        )
    cycle = len(members) // math.gcd(len(members), count) if members else 0
    documents: list[Document] = []
    for place in range(count):
        users = [members[(turn * count + place) % len(members)] for turn in range(cycle)]
        documents.append(
            {
                "id": rotation.id if count == 1 else f"{rotation.id}#{place + 1}",
                "name": rotation.name if count == 1 else f"{rotation.name} #{place + 1}",
                "type": kind,
                "shiftLength": length,
                "start": f"{start:%Y-%m-%dT%H:%M:%SZ}",
                "timeZone": rotation.time_zone,
                "userIDs": list(users if count > 1 else members),
                "activeUserIndex": 0,
            }
        )
    return documents


def _grid(rotation: Rotation, label: str, lines: list[str]) -> tuple[str, int, dt.datetime]:
    """GoAlert's type and shiftLength for the rotation's hand-offs, and the wall-clock hand-off
    at or before its start that GoAlert's start must be."""
    wall = utc_to_wall(rotation.start, load_zone(rotation.time_zone))
    hand_offs = tuple(sorted(rotation.hand_offs, key=lambda h: (h.day or 0, h.time)))
    if not hand_offs:
        lines.append(f"{label}: no hand-offs (one endless shift): written as daily at its start")
        return "daily", 1, wall.replace(second=0, microsecond=0)
    if rotation.period == "day" and len(hand_offs) > 1:
        spacing = _even_spacing([h.time for h in hand_offs])
        if spacing is not None:
            times = [h.time for h in hand_offs]
            return "hourly", spacing * rotation.every, _latest_daily(wall, times)
    if len(hand_offs) > 1:
        lines.append(
            f"{label}: hand-offs at {len(hand_offs)} uneven times of each {rotation.period}; a "
            "GoAlert rotation has one evenly spaced grid: written with the first hand-off only"
        )
    first = hand_offs[0]
    if rotation.period == "day":
        return "daily", rotation.every, _latest_daily(wall, [first.time])
    if rotation.period == "week":
        return "weekly", rotation.every, _latest_weekly(wall, first)
    return "monthly", rotation.every, _latest_monthly(wall, first)


def _even_spacing(times: Sequence[dt.time]) -> int | None:
    """The whole number of hours between evenly spaced ``times`` covering the day, else None."""
    minutes = [t.hour * 60 + t.minute for t in times]
    gap = 1440 // len(minutes)
    if 1440 % len(minutes) or gap % 60:
        return None
    if any(b - a != gap for a, b in itertools.pairwise(minutes)):
        return None
    return gap // 60


def _latest_daily(wall: dt.datetime, times: Sequence[dt.time]) -> dt.datetime:
    candidates = [
        dt.datetime.combine(wall.date() - dt.timedelta(days=back), time)
        for back in (0, 1)
        for time in times
    ]
    return max(c for c in candidates if c <= wall)


def _latest_weekly(wall: dt.datetime, hand_off: HandOff) -> dt.datetime:
    day = wall.date() - dt.timedelta(days=(wall.weekday() - (hand_off.day or 0)) % 7)
    found = dt.datetime.combine(day, hand_off.time)
    return found if found <= wall else found - dt.timedelta(days=7)


def _latest_monthly(wall: dt.datetime, hand_off: HandOff) -> dt.datetime:
    year, month = wall.year, wall.month
    while True:
        if (hand_off.day or 1) <= calendar.monthrange(year, month)[1]:
            found = dt.datetime.combine(dt.date(year, month, hand_off.day or 1), hand_off.time)
            if found <= wall:
                return found
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


# --- schedules --------------------------------------------------------------------------------


def _wrappers(
    schedules: Sequence[Schedule], rotations: Sequence[Rotation], placed: dict[str, _Placed]
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


def _schedules(
    schedules: Sequence[Schedule],
    as_rotation: dict[str, str],
    placed: dict[str, _Placed],
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


# --- policies ---------------------------------------------------------------------------------


def _policies(
    policies: Sequence[Policy],
    people: dict[str, Person],
    schedules: Sequence[Schedule],
    as_rotation: dict[str, str],
    lines: list[str],
) -> list[Document]:
    names = {schedule.id: schedule.name or schedule.handle for schedule in schedules}
    written: list[Document] = []
    for policy in policies:
        label = f"policy {policy.handle}"
        repeat = min(policy.repeat, _MAX_REPEAT)
        if repeat != policy.repeat:
            lines.append(
                f"{label}: {policy.repeat} repeats; GoAlert allows {_MAX_REPEAT}: "
                f"written as {_MAX_REPEAT}"
            )
        steps: list[Document] = []
        for number, step in enumerate(policy.steps):
            delay = step.delay
            if number == len(policy.steps) - 1 and policy.repeat_wait:
                delay += policy.repeat_wait
                lines.append(
                    f"{label}: {policy.repeat_wait}m between passes; GoAlert has no wait: added "
                    "to the last step's delay"
                )
            if not 1 <= delay <= _MAX_DELAY:
                kept = min(max(delay, 1), _MAX_DELAY)
                lines.append(
                    f"{label}: step {number} delay {delay}m written as {kept}m, GoAlert's "
                    f"range being 1 to {_MAX_DELAY}"
                )
                delay = kept
            if step.round_robin:
                lines.append(
                    f"{label}: step {number} is round robin; GoAlert reaches every target: "
                    "written so"
                )
            targets: list[Document] = []
            for target in step.targets:
                if not target.stops_on_ack:
                    lines.append(
                        f"{label}: step {number} target {target.id}: in GoAlert any "
                        "acknowledgement stops the policy: written as a plain target"
                    )
                if target.kind == "person" and target.id is not None:
                    person = people.get(target.id)
                    shown = person.name or person.handle if person else target.id
                    targets.append({"id": target.id, "type": "user", "name": shown})
                elif target.kind == "schedule" and target.id in as_rotation:
                    targets.append(
                        {"id": as_rotation[target.id], "type": "rotation", "name": names[target.id]}
                    )
                elif target.kind == "schedule" and target.id is not None:
                    targets.append(
                        {
                            "id": target.id,
                            "type": "schedule",
                            "name": names.get(target.id, target.id),
                        }
                    )
                else:
                    lines.append(
                        f"{label}: step {number} targets another policy; GoAlert steps cannot: "
                        "left out"
                    )
            steps.append(
                {
                    "id": f"{policy.id}-step-{number}",
                    "stepNumber": number,
                    "delayMinutes": delay,
                    "targets": targets,
                }
            )
        written.append(
            {
                "id": policy.id,
                "name": policy.name or policy.handle,
                "repeat": repeat,
                "steps": steps,
            }
        )
    return written
