"""What coverage can be asked about: the rotations, schedules and escalation plans of a simulator.

A :class:`Subject` names one of them with the zone its times are best read in: a rotation's own
TimeZoneId, a schedule's first rotation's, an escalation plan's first schedule target's, else
UTC. :func:`find_subject` accepts what a person types: an ARN, a contact alias or a rotation
name.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

from engine.arns import parse_arn
from engine.coverage.gaps import CoverageError, state_of

if TYPE_CHECKING:
    from engine.domain import Contact, Organisation
    from engine.simulator import Simulator


SubjectKind = Literal["rotation", "schedule", "escalation", "personal"]
_KIND_OF_TYPE: dict[str, SubjectKind] = {
    "ONCALL_SCHEDULE": "schedule",
    "ESCALATION": "escalation",
    "PERSONAL": "personal",
}
_UTC = "UTC"


@dataclasses.dataclass(frozen=True, slots=True)
class Subject:
    """A rotation or contact coverage is worked out for, and the zone to show its times in."""

    arn: str
    kind: SubjectKind
    name: str
    """The rotation's Name or the contact's alias."""
    time_zone_id: str


def _schedule_zone(org: Organisation, schedule: Contact) -> str | None:
    for rotation_id in schedule.plan.rotations:
        rotation = org.rotations.get(rotation_id)
        if rotation is not None:
            return rotation.time_zone_id
    return None


def _contact_subject(org: Organisation, contact: Contact) -> Subject:
    kind = _KIND_OF_TYPE.get(contact.type, "personal")
    zone: str | None = None
    if kind == "schedule":
        zone = _schedule_zone(org, contact)
    elif kind == "escalation":
        for _duration, targets in contact.plan.contact_table:
            for target, _essential in targets:
                engaged = org.contacts.get(target) if target else None
                if engaged is not None and engaged.type == "ONCALL_SCHEDULE":
                    zone = zone or _schedule_zone(org, engaged)
    return Subject(contact.arn, kind, contact.alias, zone or _UTC)


def describe_subject(sim: Simulator, arn: str) -> Subject:
    """The subject ``arn`` names. Raises CoverageError when it names nothing of the simulator."""
    org = state_of(sim, arn).organisation
    rotation = org.rotations.get(arn)
    if rotation is not None:
        return Subject(rotation.arn, "rotation", rotation.name, rotation.time_zone_id)
    contact = org.contacts.get(arn)
    if contact is None:
        raise CoverageError(f"{arn} names no rotation or contact of the simulator")
    return _contact_subject(org, contact)


def subjects(sim: Simulator) -> list[Subject]:
    """Every rotation (in creation order), then every on-call schedule and escalation plan (by
    alias) of the simulator's own account and region."""
    org = sim.state().organisation
    found = [
        Subject(rotation.arn, "rotation", rotation.name, rotation.time_zone_id)
        for rotation in org.rotations.values()
    ]
    for kind in ("ONCALL_SCHEDULE", "ESCALATION"):
        contacts = sorted(
            (c for c in org.contacts.values() if c.type == kind), key=lambda c: c.alias
        )
        found.extend(_contact_subject(org, contact) for contact in contacts)
    return found


def find_subject(sim: Simulator, key: str) -> Subject:
    """The subject that ``key`` names: an ARN of a rotation or contact, a contact alias, or a
    rotation name, in the simulator's own account and region.

    Raises CoverageError naming ``key`` when nothing or more than one thing matches.
    """
    if parse_arn(key) is not None:
        return describe_subject(sim, key)
    org = sim.state().organisation
    matches: list[Subject] = []
    for contact in org.contacts.values():
        if contact.alias == key:
            matches.append(_contact_subject(org, contact))
    for rotation in org.rotations.values():
        if rotation.name == key:
            matches.append(Subject(rotation.arn, "rotation", rotation.name, rotation.time_zone_id))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = [s.name for s in subjects(sim)]
        hint = f" (known: {', '.join(known)})" if known else " (there are none)"
        raise CoverageError(
            f"{key!r} names no rotation, on-call schedule, escalation plan or contact{hint}"
        )
    names = ", ".join(f"{m.kind} {m.arn}" for m in matches)
    raise CoverageError(f"{key!r} names more than one thing ({names}); give its ARN")
