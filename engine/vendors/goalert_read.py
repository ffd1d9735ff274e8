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
from collections.abc import Mapping, Sequence

from engine.policy.model import OnCallSetup, Policy, Step, Target
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.vendors.goalert_fields import Fields
from engine.vendors.goalert_people import read_people
from engine.vendors.goalert_reading import SETTINGS, Reading
from engine.vendors.goalert_rotations import read_rotation
from engine.vendors.goalert_schedules import read_overrides, read_schedules, wrapper
from engine.vendors.handles import numbered, slug

__all__ = ["SETTINGS", "read"]

_SIDE_TARGETS = frozenset({"slackChannel", "slackUserGroup", "chanWebhook", "notificationChannel"})
"""Step targets that post somewhere rather than page a person: kept as notes."""


def read(source: Source, settings: Mapping[str, str]) -> OnCallSetup:
    """The GoAlert document ``source`` as an OnCallSetup; ScenarioError listing every problem."""
    chosen = _settings(source, settings)
    fields = Fields(source)
    reading = Reading(fields, chosen)
    root = fields.obj(source.data, ())
    if root is None:
        raise fields.error()
    people = read_people(reading, fields.items(root, "users", ()))
    reading.people = {person.id: person for person in people}
    for position, item in enumerate(fields.items(root, "rotations", ())):
        rotation = read_rotation(reading, item, ("rotations", position))
        if rotation is not None:
            reading.rotations[rotation.id] = rotation
    base_rotations = tuple(reading.rotations.values())
    overrides = read_overrides(reading, root)
    schedules, derived = read_schedules(reading, fields.items(root, "schedules", ()), overrides)
    policies, wrapped = _policies(reading, fields.items(root, "escalationPolicies", ()))
    fields.raise_if_any()
    all_schedules = schedules + tuple(wrapper(reading.rotations[r]) for r in wrapped)
    schedule_handles = numbered([s.handle for s in all_schedules])
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


# --- policies ---------------------------------------------------------------------------------


def _policies(reading: Reading, items: Sequence[object]) -> tuple[tuple[Policy, ...], list[str]]:
    """The policies, and the rotations their steps target directly (in first-use order)."""
    fields = reading.fields
    policies: list[Policy] = []
    wrapped: list[str] = []
    for position, item in enumerate(items):
        path: FieldPath = ("escalationPolicies", position)
        policy = fields.obj(item, path)
        if policy is None:
            continue
        policy_id = fields.text(policy, "id", path)
        name = fields.text(policy, "name", path) or ""
        repeat = fields.integer(policy, "repeat", path, 0, 5)
        by_number: dict[int, Step] = {}
        for number, step_item in enumerate(fields.items(policy, "steps", path)):
            at: FieldPath = (*path, "steps", number)
            step = fields.obj(step_item, at)
            if step is None:
                continue
            step_number = fields.integer(step, "stepNumber", at, 0, 1000)
            delay = fields.integer(step, "delayMinutes", at, 1, 9000)
            label = f"policy {name} ({policy_id}) step {step_number}"
            targets = _targets(reading, fields.items(step, "targets", at), at, label, wrapped)
            if step_number is None or delay is None:
                continue
            if step_number in by_number:
                fields.fail((*at, "stepNumber"), "repeats an earlier step's number")
                continue
            by_number[step_number] = Step(delay, targets)
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
                steps=tuple(by_number[n] for n in sorted(by_number)),
                repeat=repeat,
            )
        )
    unique = numbered([p.handle for p in policies])
    return tuple(
        dataclasses.replace(p, handle=h) for p, h in zip(policies, unique, strict=True)
    ), wrapped


def _targets(
    reading: Reading, items: Sequence[object], path: FieldPath, label: str, wrapped: list[str]
) -> tuple[Target, ...]:
    fields = reading.fields
    targets: list[Target] = []
    for position, item in enumerate(items):
        at: FieldPath = (*path, "targets", position)
        target = fields.obj(item, at)
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
