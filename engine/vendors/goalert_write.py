"""Writing an OnCallSetup as a GoAlert document (the shapes :mod:`goalert_read` takes).

A setup read from GoAlert comes back as the document's meaning (``read(write(x)) == x``). A
setup from another product is written as closely as GoAlert allows, with one line for each
construct it cannot express and what it became: GoAlert has no urgency, no round robin, no
non-stopping target, at most 5 repeats and no wait between passes, rotations of one person at a
time with one evenly spaced hand-off grid, no end to a rotation, and overrides that add, remove
or swap one user rather than replace whoever is on call.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.policy.model import OnCallSetup, Person, Policy, Schedule
from engine.vendors.goalert_write_rotations import Document, write_rotations
from engine.vendors.goalert_write_schedules import rotation_schedules, write_schedules
from engine.vendors.handles import person_handle_base

__all__ = ["write"]

_TYPES = {
    "SMS": "SMS",
    "VOICE": "VOICE",
    "EMAIL": "EMAIL",
    "WEBHOOK": "WEBHOOK",
    "CHAT": "SLACK_DM",
}
_MAX_REPEAT = 5
_MAX_DELAY = 9000


def write(setup: OnCallSetup) -> tuple[dict[str, object], list[str]]:
    """The GoAlert document of ``setup`` and the constructs GoAlert cannot express."""
    lines: list[str] = []
    people = {person.id: person for person in setup.people}
    users = _users(setup.people, lines)
    rotations, placed = write_rotations(setup.rotations, people, lines)
    as_rotation = rotation_schedules(setup.schedules, setup.rotations, placed)
    schedules, overrides = write_schedules(setup.schedules, as_rotation, placed, lines)
    policies = _policies(setup.policies, people, setup.schedules, as_rotation, lines)
    document: dict[str, object] = {
        "users": users,
        "escalationPolicies": policies,
        "rotations": rotations,
        "schedules": schedules,
        "userOverrides": overrides,
    }
    return document, lines


# --- users ------------------------------------------------------------------------------------


def _users(people: Sequence[Person], lines: list[str]) -> list[Document]:
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
    return users


def _email(person: Person) -> str:
    """An e-mail whose local part gives the person's handle back: an EMAIL method's address
    when it does, else ``<handle>@example.com``."""
    for method in person.methods:
        usable = method.kind == "EMAIL" and "@" in method.address
        if usable and person_handle_base(method.address, "") == person.handle:
            return method.address
    return f"{person.handle}@example.com"


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
