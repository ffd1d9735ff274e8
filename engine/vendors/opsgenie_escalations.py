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
from engine.vendors.handles import numbered, slug
from engine.vendors.opsgenie_fields import Fields, Obj
from engine.vendors.opsgenie_people import People, to_minutes
from engine.vendors.opsgenie_schedules import Schedules
from engine.vendors.opsgenie_teams import Teams

__all__ = ["MAX_REPEAT", "read_escalations"]

MAX_REPEAT = 20
"""Atlassian's limit on ``repeat.count``."""
_NOTIFY = ("default", "next", "previous", "users", "admins", "random", "all")


@dataclasses.dataclass
class Escalations:
    """The policies read and what reading them noted."""

    policies: list[Policy] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


Timed = tuple[int, tuple[Target, ...], bool]
"""A rule read: its delay from creation, its targets, and whether one of them is picked."""


def read_escalations(
    fields: Fields,
    items: list[tuple[FieldPath, Obj]],
    people: People,
    schedules: Schedules,
    teams: Teams,
) -> Escalations:
    """Every escalation of the document (problems recorded in ``fields``)."""
    out = Escalations()
    drafts: list[tuple[Policy, str]] = []
    seen: set[str] = set()
    for path, item in items:
        policy_id = fields.text(item, "id", path)
        name = fields.text(item, "name", path) or ""
        label = f"escalation {policy_id} ({name})"
        timed: list[Timed] = []
        for where, rule in fields.objects(item, "rules", path):
            read = _rule(fields, rule, where, (people, schedules, teams), label, out.notes)
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
    handles = numbered([wanted for _, wanted in drafts])
    out.policies = [
        dataclasses.replace(p, handle=h) for (p, _), h in zip(drafts, handles, strict=True)
    ]
    return out


def _steps(timed: list[Timed]) -> tuple[Step, ...]:
    """Rules at delays from creation -> steps lasting until the next delay (stable order).

    At one delay, each rule notifying a random team member is a round-robin step of its own
    lasting no time, before one step with the other rules' targets."""
    offsets = sorted({delay for delay, _, _ in timed})
    if offsets and offsets[0] > 0:
        offsets.insert(0, 0)
    steps: list[Step] = []
    for index, offset in enumerate(offsets):
        following = offsets[index + 1] if index + 1 < len(offsets) else offset
        here = [(targets, picked) for delay, targets, picked in timed if delay == offset]
        parts = [Step(0, targets, len(targets) > 1) for targets, picked in here if picked]
        rest = tuple(target for targets, picked in here if not picked for target in targets)
        if rest or not parts:
            parts.append(Step(0, rest))
        parts[-1] = dataclasses.replace(parts[-1], delay=following - offset)
        steps.extend(parts)
    return tuple(steps)


def _rule(
    fields: Fields,
    rule: Obj,
    path: FieldPath,
    found: tuple[People, Schedules, Teams],
    label: str,
    notes: list[str],
) -> Timed | None:
    people, schedules, teams = found
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
    targets: tuple[Target, ...] | None = None
    stops = condition != "if-not-closed"
    picked = False
    if kind == "user":
        person = people.find(fields, recipient, where, "the recipient")
        if person is not None:
            targets = (Target("person", person, stops),)
    elif kind == "schedule":
        key = recipient.get("id") if recipient.get("id") is not None else recipient.get("name")
        schedule = schedules.by_name.get(key) if isinstance(key, str) else None
        if schedule is None:
            field = "id" if recipient.get("id") is not None else "name"
            fields.fail((*where, field), "names a schedule the document does not list")
        else:
            targets = (Target("schedule", schedule, stops),)
            if notify in ("next", "previous"):
                notes.append(
                    f"{label}: a rule notifies the {notify} on-call of schedule {schedule}; "
                    "simulated as the current on-call"
                )
    elif kind == "team":
        members = _team(fields, recipient, rule, path, teams, notify)
        if members is not None:
            team = members[0]
            targets = tuple(Target("person", person, stops) for person in members[1])
            picked = notify == "random"
            if picked:
                notes.append(
                    f"{label}: a rule notifies a random member of team {team}; simulated as "
                    "round robin (one member per alert, in turn)"
                )
            if not targets:
                notes.append(f"{label}: a rule notifies the {notify} of team {team}: nobody")
    if targets is None or delay is None or condition is None:
        return None
    return delay, targets, picked


_ROLES = {"all": None, "random": None, "admins": "admin", "users": "user"}


def _team(
    fields: Fields, recipient: Obj, rule: Obj, path: FieldPath, teams: Teams, notify: str | None
) -> tuple[str, tuple[str, ...]] | None:
    """(team id, the members the rule notifies) for a team recipient, or None (a problem)."""
    where = (*path, "recipient")
    key = recipient.get("id") if recipient.get("id") is not None else recipient.get("name")
    team = teams.ids.get(key) if isinstance(key, str) else None
    if team is None:
        field = "id" if recipient.get("id") is not None else "name"
        fields.fail((*where, field), "names a team the document does not list (add it under teams)")
        return None
    if notify not in _ROLES:
        if notify is not None:
            at = (*path, "notifyType") if "notifyType" in rule else where
            fields.fail(
                at,
                f"a team recipient with notifyType {notify} follows the team's routing rules, "
                "which the export does not hold; use all, admins, users or random, or name the "
                "team's escalation or schedule",
            )
        return None
    role = _ROLES[notify]
    members = tuple(p for p, r in teams.members[team] if role is None or r == role)
    return team, members


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
