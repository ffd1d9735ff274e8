"""Reading a GoAlert document (the results of its GraphQL queries) into an OnCallSetup.

The document and every mapping are described in docs/vendors/goalert.md. In short: users with
their contact methods and notification rules become people; escalation policies become policies
(``repeat`` extra passes, each step's ``delayMinutes`` until the next); rotations become
rotations (hand-offs by :mod:`engine.vendors.goalert_turns`); a schedule's targets become the
schedule's rotations, with the target's rules as windows (a user target becomes a rotation of
one member); user overrides become the schedule's add, remove and replace overrides. A step that
targets a rotation targets a schedule holding just that rotation, with the rotation's id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from engine.oncall.zones import load_zone, utc_to_wall
from engine.policy.model import (
    Method,
    NotifyRule,
    OnCallSetup,
    Override,
    OverrideMode,
    Person,
    Policy,
    Rotation,
    Schedule,
    Step,
    Target,
    Window,
)
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.vendors.goalert_fields import Fields, handles, person_handle, slug
from engine.vendors.goalert_turns import MAX_EVERY, differences, shift_number, turn_of

__all__ = ["METHOD_KINDS", "ONE_MEMBER_START", "SETTINGS", "derived_id", "read"]

SETTINGS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "rotation-state": ("active-user", ("active-user", "start")),
    "Twilio.Enable": ("true", ("true", "false")),
    "SMTP.Enable": ("true", ("true", "false")),
}
"""Name -> (default, allowed values); each explained in docs/vendors/goalert.md."""

METHOD_KINDS = {
    "SMS": "SMS",
    "VOICE": "VOICE",
    "EMAIL": "EMAIL",
    "WEBHOOK": "WEBHOOK",
    "SLACK_DM": "CHAT",
}
"""GoAlert's ContactMethodType -> the neutral kind."""

_DEST_TYPES = {
    "builtin-twilio-sms": "SMS",
    "builtin-twilio-voice": "VOICE",
    "builtin-smtp-email": "EMAIL",
    "builtin-webhook": "WEBHOOK",
    "builtin-slack-dm": "SLACK_DM",
}
"""GoAlert's newer ``dest.type`` -> ContactMethodType, for documents without ``type``."""

_SIDE_TARGETS = frozenset({"slackChannel", "slackUserGroup", "chanWebhook", "notificationChannel"})
"""Step targets that post somewhere rather than page a person: kept as notes."""

ONE_MEMBER_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Start of the one-member rotation a schedule's user target becomes (any past instant)."""


def derived_id(target_id: str, schedule_id: str) -> str:
    """The id of the rotation a schedule target with rules becomes: ``<target>@<schedule>``."""
    return f"{target_id}@{schedule_id}"


@dataclasses.dataclass
class _Reading:
    fields: Fields
    settings: dict[str, str]
    notes: list[str] = dataclasses.field(default_factory=list)
    people: dict[str, Person] = dataclasses.field(default_factory=dict)
    rotations: dict[str, Rotation] = dataclasses.field(default_factory=dict)
    schedule_ids: set[str] = dataclasses.field(default_factory=set)
    empty_rotations: set[str] = dataclasses.field(default_factory=set)


def read(source: Source, settings: Mapping[str, str]) -> OnCallSetup:
    """The GoAlert document ``source`` as an OnCallSetup; ScenarioError listing every problem."""
    chosen = _settings(source, settings)
    fields = Fields(source)
    reading = _Reading(fields, chosen)
    root = fields.mapping(source.data, ())
    if root is None:
        raise ScenarioError(source.file, fields.problems)
    people = _people(reading, fields.items(root, "users", ()))
    reading.people = {person.id: person for person in people}
    for position, item in enumerate(fields.items(root, "rotations", ())):
        rotation = _rotation(reading, item, ("rotations", position))
        if rotation is not None:
            reading.rotations[rotation.id] = rotation
    base_rotations = tuple(reading.rotations.values())
    overrides = _overrides(reading, root)
    schedules, derived = _schedules(reading, fields.items(root, "schedules", ()), overrides)
    policies, wrapped = _policies(reading, fields.items(root, "escalationPolicies", ()))
    if fields.problems:
        raise ScenarioError(source.file, fields.problems)
    all_schedules = schedules + tuple(_wrapper(reading.rotations[r]) for r in wrapped)
    schedule_handles = handles([s.handle for s in all_schedules])
    return OnCallSetup(
        product="goalert",
        people=people,
        policies=policies,
        rotations=base_rotations + derived,
        schedules=tuple(
            dataclasses.replace(s, handle=h)
            for s, h in zip(all_schedules, schedule_handles, strict=True)
        ),
        settings=dict(sorted(chosen.items())),
        notes=tuple(reading.notes),
    )


def _settings(source: Source, given: Mapping[str, str]) -> dict[str, str]:
    problems: list[Problem] = []
    chosen = {name: default for name, (default, _) in SETTINGS.items()}
    for name, value in given.items():
        if name not in SETTINGS:
            known = ", ".join(SETTINGS)
            problems.append(
                Problem(("settings", name), f"no GoAlert setting {name!r}; known: {known}")
            )
            continue
        allowed = SETTINGS[name][1]
        if value not in allowed:
            problems.append(
                Problem(("settings", name), f"must be one of {', '.join(allowed)}", None, value)
            )
            continue
        chosen[name] = value
    if problems:
        raise ScenarioError(source.file, problems, settings=True)
    return chosen


# --- people -----------------------------------------------------------------------------------


def _people(reading: _Reading, items: Sequence[object]) -> tuple[Person, ...]:
    fields = reading.fields
    read_people: list[tuple[Person, str]] = []
    for position, item in enumerate(items):
        path: FieldPath = ("users", position)
        user = fields.mapping(item, path)
        if user is None:
            continue
        user_id = fields.text(user, "id", path)
        name = fields.text(user, "name", path) or ""
        email = fields.text(user, "email", path, required=False) or ""
        methods = _methods(reading, user, path, name)
        rules = _rules(reading, user, path, {m.id for m in methods})
        if user_id is not None and any(p.id == user_id for p, _ in read_people):
            fields.fail((*path, "id"), "repeats the id of an earlier user")
        elif user_id is not None:
            person = Person(id=user_id, handle="", name=name, methods=methods, rules=rules)
            read_people.append((person, person_handle(email, name) or "user"))
    unique = handles([base for _, base in read_people])
    return tuple(
        dataclasses.replace(p, handle=h) for (p, _), h in zip(read_people, unique, strict=True)
    )


def _methods(
    reading: _Reading, user: Mapping[str, object], path: FieldPath, who: str
) -> tuple[Method, ...]:
    fields = reading.fields
    methods: list[Method] = []
    for position, item in enumerate(fields.items(user, "contactMethods", path)):
        at: FieldPath = (*path, "contactMethods", position)
        method = fields.mapping(item, at)
        if method is None:
            continue
        method_id = fields.text(method, "id", at)
        kind = _method_type(fields, method, at)
        value = fields.text(method, "value", at, required=False)
        if value is None:
            dest = method.get("dest")
            value = _dest_value(dest)
        name = fields.text(method, "name", at, required=False) or ""
        disabled = fields.flag(method, "disabled", at)
        if method_id is None or kind is None or disabled is None:
            continue
        active = not disabled
        switch = {"SMS": "Twilio.Enable", "VOICE": "Twilio.Enable", "EMAIL": "SMTP.Enable"}
        setting = switch.get(kind)
        if active and setting is not None and reading.settings[setting] == "false":
            active = False
            reading.notes.append(
                f"user {who} ({method_id}): {kind} contact method {name!r} is not paged: "
                f"{setting} is false"
            )
        elif kind in ("WEBHOOK", "SLACK_DM"):
            reading.notes.append(
                f"user {who}: {kind} contact method {name!r} ({method_id}) is kept but "
                "not simulated"
            )
        methods.append(Method(method_id, METHOD_KINDS[kind], value or "", name, active))
    return tuple(methods)


def _method_type(fields: Fields, method: Mapping[str, object], at: FieldPath) -> str | None:
    kind = method.get("type")
    if kind is None:
        dest = method.get("dest")
        if isinstance(dest, Mapping) and isinstance(dest.get("type"), str):
            found = _DEST_TYPES.get(str(dest["type"]))
            if found is not None:
                return found
            fields.fail((*at, "dest", "type"), f"must be one of {', '.join(_DEST_TYPES)}")
            return None
    if isinstance(kind, str) and kind in METHOD_KINDS:
        return kind
    fields.fail((*at, "type"), f"must be one of {', '.join(METHOD_KINDS)}")
    return None


def _dest_value(dest: object) -> str | None:
    """The address of a ``dest`` (its first arg, e.g. ``phone_number``), if there is one."""
    if isinstance(dest, Mapping):
        args = dest.get("args")
        if isinstance(args, Mapping):
            for value in args.values():
                if isinstance(value, str):
                    return value
    return None


def _rules(
    reading: _Reading, user: Mapping[str, object], path: FieldPath, method_ids: set[str]
) -> tuple[NotifyRule, ...]:
    fields = reading.fields
    rules: list[NotifyRule] = []
    for position, item in enumerate(fields.items(user, "notificationRules", path)):
        at: FieldPath = (*path, "notificationRules", position)
        rule = fields.mapping(item, at)
        if rule is None:
            continue
        delay = fields.integer(rule, "delayMinutes", at, 0, 9000)
        method = fields.text(rule, "contactMethodID", at)
        if method is not None and method not in method_ids:
            fields.fail((*at, "contactMethodID"), "names no contact method of this user")
            continue
        if delay is not None and method is not None:
            rules.append(NotifyRule(method, delay))
    return tuple(rules)


# --- rotations --------------------------------------------------------------------------------

_KINDS = ("hourly", "daily", "weekly", "monthly")


def _rotation(reading: _Reading, item: object, path: FieldPath) -> Rotation | None:
    fields = reading.fields
    rotation = fields.mapping(item, path)
    if rotation is None:
        return None
    rotation_id = fields.text(rotation, "id", path)
    name = fields.text(rotation, "name", path) or ""
    kind = rotation.get("type")
    if kind not in _KINDS:
        fields.fail((*path, "type"), f"must be one of {', '.join(_KINDS)}")
    length = fields.integer(rotation, "shiftLength", path, 1, 9000)
    start = fields.instant(rotation, "start", path)
    zone = fields.zone(rotation, "timeZone", path)
    members = _user_ids(reading, rotation, path)
    index = _active_index(fields, rotation, path, len(members) if members else 0)
    next_hand_off = _next_hand_off(fields, rotation, path)
    if None in (rotation_id, length, start, zone, index, members) or kind not in _KINDS:
        return None
    assert rotation_id and length and start and zone and members is not None and index is not None
    assert isinstance(kind, str)
    if rotation_id in reading.rotations:
        fields.fail((*path, "id"), "repeats the id of an earlier rotation")
        return None
    start = start.replace(second=0, microsecond=0)  # GoAlert truncates to the minute
    turn = turn_of(kind, length, start, zone)
    if turn.every > MAX_EVERY:
        fields.fail(
            (*path, "shiftLength"),
            f"a {kind} turn of {length} makes {turn.every} hand-offs of the engine's "
            f"{turn.period}ly form; the engine allows at most {MAX_EVERY}",
        )
        return None
    label = f"rotation {name} ({rotation_id})"
    if not members:
        reading.notes.append(f"{label} has no users: nobody is on call from it")
        reading.empty_rotations.add(rotation_id)
        return None
    members = _aligned(reading, label, members, index, next_hand_off, (kind, length, start, zone))
    reading.notes.extend(f"{label}: {text}" for text in differences(kind, length, start, zone))
    return Rotation(
        id=rotation_id,
        name=name,
        members=members,
        start=start,
        time_zone=zone,
        period=turn.period,
        hand_offs=turn.hand_offs,
        every=turn.every,
    )


def _user_ids(
    reading: _Reading, rotation: Mapping[str, object], path: FieldPath
) -> tuple[str, ...] | None:
    fields = reading.fields
    ids: list[str] = []
    ok = True
    for position, value in enumerate(fields.items(rotation, "userIDs", path)):
        if not isinstance(value, str) or value not in reading.people:
            fields.fail((*path, "userIDs", position), "names no user of the document")
            ok = False
            continue
        ids.append(value)
    return tuple(ids) if ok else None


def _active_index(
    fields: Fields, rotation: Mapping[str, object], path: FieldPath, count: int
) -> int | None:
    if rotation.get("activeUserIndex") is None:
        return 0
    return fields.integer(rotation, "activeUserIndex", path, 0, max(count - 1, 0))


def _next_hand_off(
    fields: Fields, rotation: Mapping[str, object], path: FieldPath
) -> dt.datetime | None:
    times = fields.items(rotation, "nextHandoffTimes", path)
    if not times:
        return None
    return fields.instant_at(times[0], (*path, "nextHandoffTimes", 0))


def _aligned(
    reading: _Reading,
    label: str,
    members: tuple[str, ...],
    index: int,
    next_hand_off: dt.datetime | None,
    turn: tuple[str, int, dt.datetime, str],
) -> tuple[str, ...]:
    """``members`` turned so that the engine's rule puts the user at ``activeUserIndex`` on
    call in the shift that ends at ``nextHandoffTimes[0]`` (setting ``rotation-state``)."""
    if reading.settings["rotation-state"] == "start":
        return members
    if next_hand_off is None:
        if index != 0:
            reading.notes.append(
                f"{label}: activeUserIndex {index} without nextHandoffTimes: the turn order is "
                "read from the start (give nextHandoffTimes(num: 1) to place it)"
            )
        return members
    kind, length, start, zone = turn
    current = shift_number(kind, length, start, next_hand_off, zone)
    if current < 0:
        reading.notes.append(
            f"{label}: its start lies after its next hand-off; GoAlert has users on call before "
            "the start, the engine nobody"
        )
    shift = (index - current) % len(members)
    return members[shift:] + members[:shift]


# --- schedules --------------------------------------------------------------------------------


def _schedules(
    reading: _Reading, items: Sequence[object], overrides: Mapping[str, list[Override]]
) -> tuple[tuple[Schedule, ...], tuple[Rotation, ...]]:
    fields = reading.fields
    schedules: list[Schedule] = []
    derived: list[Rotation] = []
    for position, item in enumerate(items):
        path: FieldPath = ("schedules", position)
        schedule = fields.mapping(item, path)
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
    reading: _Reading, item: object, path: FieldPath, schedule_id: str, zone: str, label: str
) -> Rotation | None:
    """The rotation a schedule target becomes: the rotation itself when its rules always hold,
    else a copy limited to the rules' windows (``<target>@<schedule>``); a user target becomes a
    rotation of one member."""
    fields = reading.fields
    target = fields.mapping(item, path)
    if target is None:
        return None
    inner = fields.mapping(target.get("target"), (*path, "target"))
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
        rule = fields.mapping(item, at)
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


def _wrapper(rotation: Rotation) -> Schedule:
    """The schedule a step's rotation target reaches: that rotation alone, under its id."""
    return Schedule(
        id=rotation.id,
        handle=slug(rotation.name) or "rotation",
        name=rotation.name,
        rotations=(rotation.id,),
        time_zone=rotation.time_zone,
    )


# --- overrides --------------------------------------------------------------------------------


def _overrides(reading: _Reading, root: Mapping[str, object]) -> dict[str, list[Override]]:
    """Overrides by schedule id, in document order."""
    fields = reading.fields
    known = _schedule_ids(root)
    by_schedule: dict[str, list[Override]] = {}
    for position, item in enumerate(fields.items(root, "userOverrides", ())):
        path: FieldPath = ("userOverrides", position)
        override = fields.mapping(item, path)
        if override is None:
            continue
        override_id = fields.text(override, "id", path)
        start = fields.instant(override, "start", path)
        end = fields.instant(override, "end", path)
        add = _optional_user(reading, override, "addUserID", path)
        remove = _optional_user(reading, override, "removeUserID", path)
        target = fields.mapping(override.get("target"), (*path, "target"))
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
    reading: _Reading, override: Mapping[str, object], key: str, path: FieldPath
) -> str | None:
    """A user id, ``""`` when absent (GoAlert's ID! gives the empty string), None when bad."""
    value = override.get(key)
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value in reading.people:
        return value
    reading.fields.fail((*path, key), "names no user of the document")
    return None


# --- policies ---------------------------------------------------------------------------------


def _policies(reading: _Reading, items: Sequence[object]) -> tuple[tuple[Policy, ...], list[str]]:
    """The policies, and the rotations their steps target directly (in first-use order)."""
    fields = reading.fields
    policies: list[Policy] = []
    wrapped: list[str] = []
    for position, item in enumerate(items):
        path: FieldPath = ("escalationPolicies", position)
        policy = fields.mapping(item, path)
        if policy is None:
            continue
        policy_id = fields.text(policy, "id", path)
        name = fields.text(policy, "name", path) or ""
        repeat = fields.integer(policy, "repeat", path, 0, 5)
        numbered: dict[int, Step] = {}
        for number, step_item in enumerate(fields.items(policy, "steps", path)):
            at: FieldPath = (*path, "steps", number)
            step = fields.mapping(step_item, at)
            if step is None:
                continue
            step_number = fields.integer(step, "stepNumber", at, 0, 1000)
            delay = fields.integer(step, "delayMinutes", at, 1, 9000)
            label = f"policy {name} ({policy_id}) step {step_number}"
            targets = _targets(reading, fields.items(step, "targets", at), at, label, wrapped)
            if step_number is None or delay is None:
                continue
            if step_number in numbered:
                fields.fail((*at, "stepNumber"), "repeats an earlier step's number")
                continue
            numbered[step_number] = Step(delay, targets)
        if policy_id is None or repeat is None:
            continue
        if any(p.id == policy_id for p in policies):
            fields.fail((*path, "id"), "repeats the id of an earlier policy")
            continue
        policies.append(
            Policy(
                id=policy_id,
                handle=slug(name) or "policy",
                name=name,
                steps=tuple(numbered[n] for n in sorted(numbered)),
                repeat=repeat,
            )
        )
    unique = handles([p.handle for p in policies])
    return tuple(
        dataclasses.replace(p, handle=h) for p, h in zip(policies, unique, strict=True)
    ), wrapped


def _targets(
    reading: _Reading, items: Sequence[object], path: FieldPath, label: str, wrapped: list[str]
) -> tuple[Target, ...]:
    fields = reading.fields
    targets: list[Target] = []
    for position, item in enumerate(items):
        at: FieldPath = (*path, "targets", position)
        target = fields.mapping(item, at)
        if target is None:
            continue
        target_id = fields.text(target, "id", at)
        kind = target.get("type")
        if target_id is None:
            continue
        if kind == "user":
            if target_id not in reading.people:
                fields.fail((*at, "id"), "names no user of the document")
                continue
            targets.append(Target("person", target_id))
        elif kind == "schedule":
            if target_id not in reading.schedule_ids:
                fields.fail((*at, "id"), "names no schedule of the document")
                continue
            targets.append(Target("schedule", target_id))
        elif kind == "rotation":
            if target_id in reading.empty_rotations:
                reading.notes.append(f"{label}: rotation {target_id} has no users: left out")
                continue
            if target_id not in reading.rotations:
                fields.fail((*at, "id"), "names no rotation of the document")
                continue
            if target_id not in wrapped:
                wrapped.append(target_id)
            targets.append(Target("schedule", target_id))
        elif isinstance(kind, str) and kind in _SIDE_TARGETS:
            shown = target.get("name") or target_id
            reading.notes.append(f"{label}: {kind} target {shown} is kept but not simulated")
        else:
            allowed = ", ".join(("user", "schedule", "rotation", *sorted(_SIDE_TARGETS)))
            fields.fail((*at, "type"), f"must be one of {allowed}")
    return tuple(targets)
