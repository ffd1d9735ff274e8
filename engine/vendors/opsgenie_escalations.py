"""Opsgenie escalations as neutral policies.

An escalation's rules fire at their ``delay`` counted from the alert's creation; the neutral
model counts each step's delay from that step's start. So rules are ordered by delay, rules with
the same delay become one step, and each step lasts until the next distinct delay; a first delay
above zero becomes an empty first step. The last step lasts no time: after it Opsgenie waits
``repeat.waitInterval`` minutes (``repeat_wait``) and runs the rules again ``repeat.count``
more times (``repeat``). An ``if-not-closed`` rule keeps firing after an acknowledgement
(``stops_on_ack`` False).
"""

from __future__ import annotations

import dataclasses

from engine.policy.model import Policy, Step, Target
from engine.scenario.paths import FieldPath
from engine.vendors.opsgenie_fields import Fields, Obj, slug, unique_handles
from engine.vendors.opsgenie_people import People, to_minutes
from engine.vendors.opsgenie_schedules import Schedules

__all__ = ["MAX_REPEAT", "read_escalations"]

MAX_REPEAT = 20
"""Atlassian's limit on ``repeat.count``."""
_NOTIFY = ("default", "next", "previous", "users", "admins", "random", "all")


@dataclasses.dataclass
class Escalations:
    """The policies read and what reading them noted."""

    policies: list[Policy] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


def read_escalations(
    fields: Fields, items: list[tuple[FieldPath, Obj]], people: People, schedules: Schedules
) -> Escalations:
    """Every escalation of the document (problems recorded in ``fields``)."""
    out = Escalations()
    drafts: list[tuple[Policy, str]] = []
    seen: set[str] = set()
    for path, item in items:
        policy_id = fields.text(item, "id", path)
        name = fields.text(item, "name", path) or ""
        label = f"escalation {policy_id} ({name})"
        timed: list[tuple[int, Target]] = []
        for where, rule in fields.objects(item, "rules", path):
            read = _rule(fields, rule, where, people, schedules, label, out.notes)
            if read is not None:
                timed.append(read)
        if "rules" not in item:
            fields.fail((*path, "rules"), "is required: a list of escalation rules")
        repeat, wait = _repeat(fields, item, path, label, out.notes)
        if policy_id is None:
            continue
        if policy_id in seen:
            fields.fail((*path, "id"), "a second escalation with this id")
            continue
        seen.add(policy_id)
        policy = Policy(policy_id, "", name, _steps(timed), repeat, wait)
        drafts.append((policy, slug(name or policy_id)))
    handles = unique_handles([wanted for _, wanted in drafts])
    out.policies = [
        dataclasses.replace(p, handle=h) for (p, _), h in zip(drafts, handles, strict=True)
    ]
    return out


def _steps(timed: list[tuple[int, Target]]) -> tuple[Step, ...]:
    """Rules at delays from creation -> steps lasting until the next delay (stable order)."""
    ordered = sorted(timed, key=lambda pair: pair[0])
    offsets = sorted({delay for delay, _ in ordered})
    if offsets and offsets[0] > 0:
        offsets.insert(0, 0)
    steps: list[Step] = []
    for index, offset in enumerate(offsets):
        following = offsets[index + 1] if index + 1 < len(offsets) else offset
        targets = tuple(target for delay, target in ordered if delay == offset)
        steps.append(Step(following - offset, targets))
    return tuple(steps)


def _rule(
    fields: Fields,
    rule: Obj,
    path: FieldPath,
    people: People,
    schedules: Schedules,
    label: str,
    notes: list[str],
) -> tuple[int, Target] | None:
    # v1's stated defaults: if-not-acked, and the on-call of a schedule.
    condition = fields.choice(
        rule, "condition", path, ("if-not-acked", "if-not-closed"), "if-not-acked"
    )
    notify = fields.choice(rule, "notifyType", path, _NOTIFY, "default")
    delay = to_minutes(fields, rule, "delay", path)
    recipient = fields.obj(rule.get("recipient"), (*path, "recipient"))
    if recipient is None:
        return None
    where = (*path, "recipient")
    kind = fields.choice(recipient, "type", where, ("user", "schedule", "team"), None)
    target: Target | None = None
    stops = condition != "if-not-closed"
    if kind == "user":
        found = people.find(fields, recipient, where, "the recipient")
        if found is not None:
            target = Target("person", found, stops)
    elif kind == "schedule":
        key = recipient.get("id") if recipient.get("id") is not None else recipient.get("name")
        schedule = schedules.by_name.get(key) if isinstance(key, str) else None
        if schedule is None:
            field = "id" if recipient.get("id") is not None else "name"
            fields.fail((*where, field), "names a schedule the document does not list")
        else:
            target = Target("schedule", schedule, stops)
            if notify in ("next", "previous"):
                notes.append(
                    f"{label}: a rule notifies the {notify} on-call of schedule {schedule}; "
                    "simulated as the current on-call"
                )
    elif kind == "team":
        fields.fail(
            (*where, "type"),
            "team recipients follow the team's routing rules, which this document does not "
            "hold; name the team's escalation, schedule or users instead",
        )
    if target is None or delay is None or condition is None:
        return None
    return delay, target


def _repeat(
    fields: Fields, item: Obj, path: FieldPath, label: str, notes: list[str]
) -> tuple[int, int]:
    """(extra passes, minutes between passes) from ``repeat``; (0, 0) without one."""
    raw = item.get("repeat")
    if raw is None:
        return 0, 0
    where = (*path, "repeat")
    repeat = fields.obj(raw, where)
    if repeat is None:
        return 0, 0
    # The API leaves out a zero count or wait (Opsgenie's own Go client drops zero values).
    count = fields.integer(repeat, "count", where, 0, MAX_REPEAT, required=False) or 0
    wait = fields.integer(repeat, "waitInterval", where, 0, 10_000_000, required=False) or 0
    if count and fields.flag(repeat, "resetRecipientStates", where, False):
        notes.append(
            f"{label}: resetRecipientStates reverts acknowledgements on each repeat; "
            "not simulated (an acknowledgement stays)"
        )
    if fields.flag(repeat, "closeAlertAfterAll", where, False):
        notes.append(
            f"{label}: closeAlertAfterAll closes the alert after the last repeat; "
            "simulated as the end of the escalation"
        )
    return count, wait
