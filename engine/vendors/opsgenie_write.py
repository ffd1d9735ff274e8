"""Writing a neutral on-call setup as an Opsgenie export (the layout ``read`` takes).

Each person becomes a user with contacts and one match-all New Alert rule; each policy an
escalation whose rules fire at the step's start counted from alert creation; each schedule a
schedule whose rotations hand over every N hours, days or weeks. Whatever Opsgenie cannot say is
written as the nearest thing it can, with one line saying what it became.
"""

from __future__ import annotations

import datetime as dt
import math

from engine.oncall.zones import load_zone
from engine.policy.model import (
    OnCallSetup,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Target,
)
from engine.vendors.handles import person_handle_base
from engine.vendors.opsgenie_escalations import MAX_REPEAT
from engine.vendors.opsgenie_split import Slot, split_rotation
from engine.vendors.opsgenie_time import even_grid, turn_from_neutral, windows_to_restriction
from engine.vendors.phones import e164_to_dashed

__all__ = ["write"]

Doc = dict[str, object]
_METHODS = {"EMAIL": "email", "SMS": "sms", "VOICE": "voice", "PUSH": "mobile"}
_DOMAIN = "example.com"


def _stamp(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write(setup: OnCallSetup) -> tuple[Doc, list[str]]:
    """The Opsgenie document for ``setup`` and one line per construct it could not express."""
    lost: list[str] = []
    emails = {person.id: _email(person) for person in setup.people}
    users = [_user(person, emails[person.id], lost) for person in setup.people]
    rotations = {rotation.id: rotation for rotation in setup.rotations}
    used: set[str] = set()
    schedules = []
    for schedule in setup.schedules:
        schedules.append(_schedule(schedule, rotations, emails, used, lost))
    for rotation in setup.rotations:
        if rotation.id not in used:
            lost.append(
                f"rotation {rotation.id} ({rotation.name}) is in no schedule; Opsgenie rotations "
                "live in schedules: not written"
            )
    names = {schedule.id: schedule.name or schedule.handle for schedule in setup.schedules}
    teams: list[Doc] = []
    escalations = [_escalation(p, emails, names, teams, lost) for p in setup.policies]
    document: Doc = {"users": users}
    if teams:
        document["teams"] = teams
    document.update({"schedules": schedules, "escalations": escalations})
    return document, lost


def _email(person: Person) -> str:
    """The username: an e-mail of the person's whose local part gives their handle, else
    ``<handle>@example.com``, so that reading it back gives the same handle."""
    for method in person.methods:
        if method.kind == "EMAIL" and person_handle_base(method.address, "") == person.handle:
            return method.address
    return f"{person.handle}@{_DOMAIN}"


def _user(person: Person, email: str, lost: list[str]) -> Doc:
    label = f"person {person.handle}"
    contacts: list[Doc] = []
    written: dict[str, tuple[str, str]] = {}
    for method in person.methods:
        kind = _METHODS.get(method.kind)
        if kind is None:
            lost.append(f"{label}: {method.kind} method {method.id} has no Opsgenie contact kind")
            continue
        address = method.address
        if method.kind in ("SMS", "VOICE"):
            address = e164_to_dashed(address)
        written[method.id] = (kind, address)
        contacts.append(
            {
                "id": method.id,
                "method": kind,
                "to": address,
                "status": {"enabled": method.active},
            }
        )
    steps: list[Doc] = []
    retries: set[int] = set()
    for rule in person.rules:
        if rule.urgency == "low":
            lost.append(f"{label}: a low-urgency rule; Opsgenie has no urgency: left out")
            continue
        if rule.method not in written:
            continue
        if rule.retry is not None:
            retries.add(rule.retry)
        kind, address = written[rule.method]
        steps.append(
            {
                "contact": {"method": kind, "to": address},
                "sendAfter": {"timeAmount": rule.delay, "timeUnit": "minutes"},
                "enabled": True,
            }
        )
    if retries:
        every = ", ".join(str(minutes) for minutes in sorted(retries))
        lost.append(f"{label}: retries every {every} min; Opsgenie has none: left out")
    if person.span is not None:
        lost.append(f"{label}: a plan lasting {person.span} min after its last rule; not written")
    user: Doc = {"id": person.id, "username": email}
    if person.name:
        user["fullName"] = person.name
    if person.time_zone:
        user["timeZone"] = person.time_zone
    user["contacts"] = contacts
    rules: list[Doc] = []
    if steps:
        rules.append(
            {
                "id": f"{person.id}-new-alert",
                "name": "New alert",
                "actionType": "create-alert",
                "order": 1,
                "enabled": True,
                "criteria": {"type": "match-all"},
                "steps": steps,
            }
        )
    user["notificationRules"] = rules
    return user


def _schedule(
    schedule: Schedule,
    rotations: dict[str, Rotation],
    emails: dict[str, str],
    used: set[str],
    lost: list[str],
) -> Doc:
    label = f"schedule {schedule.handle}"
    members = [rotations[r] for r in schedule.rotations if r in rotations]
    zone_id = schedule.time_zone or (members[0].time_zone if members else "UTC")
    if schedule.layered and len(members) > 1:
        lost.append(
            f"{label}: layered (the last layer with someone on call wins); Opsgenie rotations are "
            "on call together: written as rotations of one schedule"
        )
    written: list[Doc] = []
    overrides: list[Doc] = []
    for rotation in members:
        ids = _rotations(rotation, zone_id, emails, label, written, lost)
        if rotation.id in used:
            lost.append(f"{label}: rotation {rotation.id} is in several schedules; written in each")
        used.add(rotation.id)
        for override in rotation.overrides:
            overrides.extend(_override(override, emails, ids, label, lost))
    for override in schedule.overrides:
        overrides.extend(_override(override, emails, [], label, lost))
    return {
        "id": schedule.id,
        "name": schedule.name or schedule.handle,
        "timezone": zone_id,
        "enabled": True,
        "rotations": written,
        "overrides": overrides,
    }


def _rotations(
    rotation: Rotation,
    zone_id: str,
    emails: dict[str, str],
    label: str,
    written: list[Doc],
    lost: list[str],
) -> list[str]:
    """Write ``rotation`` (as several when one Opsgenie rotation cannot hold it); their ids."""
    where = f"{label}: rotation {rotation.id} ({rotation.name})"
    if rotation.time_zone != zone_id:
        lost.append(
            f"{where}: its zone {rotation.time_zone} is written as the schedule's {zone_id}"
        )
    slots = _slots(rotation, load_zone(zone_id), where, lost)
    ids: list[str] = []
    said: set[str] = set()
    for number, slot in enumerate(slots, start=1):
        rotation_id = rotation.id if len(slots) == 1 else f"{rotation.id}-{number}"
        item: Doc = {"id": rotation_id}
        if rotation.name:
            item["name"] = rotation.name
        item.update(
            {
                "startDate": _stamp(slot.turn.start),
                "type": slot.turn.type,
                "length": slot.turn.length,
                "participants": [
                    {"type": "user", "id": pid, "username": emails.get(pid, pid)}
                    for pid in slot.members
                ],
            }
        )
        if rotation.end is not None:
            item["endDate"] = _stamp(rotation.end)
        if slot.windows:
            restriction, changed = windows_to_restriction(slot.windows)
            item["timeRestriction"] = restriction
            said.update(changed)
        written.append(item)
        ids.append(rotation_id)
    lost.extend(f"{where}: {line}" for line in sorted(said))
    return ids


def _slots(rotation: Rotation, zone: dt.tzinfo, where: str, lost: list[str]) -> list[Slot]:
    """The Opsgenie rotations (turn, windows, participants) that ``rotation`` is written as."""
    even = even_grid(rotation.period, rotation.hand_offs)
    split = None if even else split_rotation(rotation, zone)
    if split is not None:
        lost.append(
            f"{where}: {len(rotation.hand_offs)} hand-offs a {rotation.period}; written as "
            f"{len(split)} rotations, one per stretch between hand-offs and person on call"
        )
        earliest = min(slot.turn.start for slot in split)
        if earliest < rotation.start:
            lost.append(
                f"{where}: on call from {earliest.isoformat()} (a hand-off), before its start "
                f"{rotation.start.isoformat()}"
            )
        if any(h.time.minute not in (0, 30) for h in rotation.hand_offs):
            lost.append(f"{where}: hand-off minutes other than 0 and 30 are rounded by Opsgenie")
        return split
    turn, changed = turn_from_neutral(
        rotation.period, rotation.hand_offs, rotation.every, rotation.start, zone
    )
    lost.extend(f"{where}: {line}" for line in changed)
    members, count = rotation.members, min(rotation.on_call, len(rotation.members))
    if count > 1:
        lost.append(
            f"{where}: {count} on call at once; an Opsgenie rotation has one: written as "
            f"{count} rotations"
        )
    if rotation.windows is not None and not rotation.windows:
        lost.append(f"{where}: no on-call windows at all; written without a restriction")
    cycle = len(members) // math.gcd(len(members), count)
    return [
        Slot(
            turn,
            rotation.windows or (),
            tuple(members[(i * count + j) % len(members)] for i in range(cycle)),
        )
        for j in range(count)
    ]


def _override(
    override: Override, emails: dict[str, str], rotation_ids: list[str], label: str, lost: list[str]
) -> list[Doc]:
    where = f"{label}: override {override.id or _stamp(override.start)}"
    if override.mode != "replace":
        lost.append(f"{where}: {override.mode}s people; Opsgenie overrides replace: left out")
        return []
    if not override.people:
        lost.append(f"{where}: puts nobody on call; an Opsgenie override names a user: left out")
        return []
    if override.replaces is not None:
        lost.append(f"{where}: replaces one person only; written as replacing everyone")
    if len(override.people) > 1:
        lost.append(f"{where}: {len(override.people)} people; Opsgenie takes one: the first kept")
    person = override.people[0]
    item: Doc = {}
    if override.id:
        item["alias"] = override.id
    item.update(
        {
            "user": {"type": "user", "id": person, "username": emails.get(person, person)},
            "startDate": _stamp(override.start),
            "endDate": _stamp(override.end),
            "rotations": [{"id": rid} for rid in rotation_ids],
        }
    )
    return [item]


def _escalation(
    policy: Policy,
    emails: dict[str, str],
    names: dict[str, str],
    teams: list[Doc],
    lost: list[str],
) -> Doc:
    label = f"policy {policy.handle}"
    rules: list[Doc] = []
    offset = last = 0
    for number, step in enumerate(policy.steps, start=1):
        people = [t.id for t in step.targets if t.kind == "person" and t.id is not None]
        if step.round_robin and len(step.targets) > 1 and len(people) == len(step.targets):
            rules.append(_random_team(policy, number, step.targets, offset, emails, teams, lost))
            last = offset
            offset += step.delay
            continue
        if step.round_robin and len(step.targets) > 1:
            lost.append(f"{label}: step {number} is round robin; Opsgenie notifies every target")
        for target in step.targets:
            recipient: Doc
            if target.kind == "person" and target.id is not None:
                recipient = {"type": "user", "id": target.id}
                recipient["username"] = emails.get(target.id, target.id)
            elif target.kind == "schedule" and target.id is not None:
                recipient = {"type": "schedule", "id": target.id}
                recipient["name"] = names.get(target.id, target.id)
            else:
                lost.append(
                    f"{label}: step {number} targets policy {target.id}; an escalation rule "
                    "cannot notify another escalation: left out"
                )
                continue
            rules.append(_rule(target.stops_on_ack, offset, "default", recipient))
            last = offset
        offset += step.delay
    item: Doc = {"id": policy.id, "name": policy.name or policy.handle, "rules": rules}
    if policy.repeat:
        count = min(policy.repeat, MAX_REPEAT)
        if count < policy.repeat:
            lost.append(f"{label}: {policy.repeat} repeats; Opsgenie allows {MAX_REPEAT}")
        item["repeat"] = {
            "waitInterval": offset - last + policy.repeat_wait,
            "count": count,
            "resetRecipientStates": False,
            "closeAlertAfterAll": False,
        }
    return item


def _rule(stops_on_ack: bool, offset: int, notify: str, recipient: Doc) -> Doc:
    return {
        "condition": "if-not-acked" if stops_on_ack else "if-not-closed",
        "notifyType": notify,
        "delay": {"timeAmount": offset, "timeUnit": "minutes"},
        "recipient": recipient,
    }


def _random_team(
    policy: Policy,
    number: int,
    targets: tuple[Target, ...],
    offset: int,
    emails: dict[str, str],
    teams: list[Doc],
    lost: list[str],
) -> Doc:
    """A round-robin step as a rule notifying a random member of a team made for it."""
    label = f"policy {policy.handle}"
    team_id = f"{policy.id}-step-{number}"
    name = f"{policy.name or policy.handle} step {number}"
    members = [
        {"user": {"id": t.id, "username": emails.get(t.id or "", t.id)}, "role": "user"}
        for t in targets
    ]
    teams.append({"id": team_id, "name": name, "members": members})
    lost.append(
        f"{label}: step {number} is round robin; written as a random member of team {name} "
        "(Opsgenie picks at random, not in turn)"
    )
    stops = {t.stops_on_ack for t in targets}
    if len(stops) > 1:
        lost.append(f"{label}: step {number} mixes acknowledgement rules; written as if-not-acked")
    recipient: Doc = {"type": "team", "id": team_id, "name": name}
    return _rule(all(stops), offset, "random", recipient)
