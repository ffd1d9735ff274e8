"""``ContactGraph``: the organisation as one graph, its queries and its checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping, Sequence

import networkx as nx

from engine.domain import Channel, ChannelTarget, Contact, Organisation, Target
from engine.findings import CATALOGUE, Finding
from engine.graph.build import OverrideView, RotationView, alias_in, build_graph, root
from engine.graph.lint import read_records

# Contact types an escalation plan may engage (R2).
_ENGAGEABLE = ("PERSONAL", "ONCALL_SCHEDULE")
_KIND_BY_NAME = {kind.name: kind for kind in CATALOGUE.values()}


@dataclasses.dataclass(frozen=True, slots=True)
class TargetRow:
    """One target of a stage as the engine would see it; ``can_page`` says whether engaging it
    can reach an activated channel."""

    index: int
    info: str
    arn: str | None
    essential: bool | None
    retry_interval_in_minutes: int | None
    can_page: bool

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True, slots=True)
class StageRow:
    """One stage of a plan: when it starts (minutes after the plan starts) and what it targets."""

    index: int
    start_offset_minutes: int
    duration_in_minutes: int
    targets: tuple[TargetRow, ...]

    def as_dict(self) -> dict[str, object]:
        return {**dataclasses.asdict(self), "targets": [t.as_dict() for t in self.targets]}


def _info(target: Target) -> str:
    return "channel" if isinstance(target, ChannelTarget) else "contact"


def _ref(target: Target) -> str | None:
    return target.channel_arn if isinstance(target, ChannelTarget) else target.contact_arn


def _report(name: str, path: str, subject: str, message: str) -> Finding:
    return _KIND_BY_NAME[name].at(path, subject, message)


class ContactGraph:
    """The organisation's contacts, channels and rotations as one graph, with its checks.

    Build it with :meth:`of` (an organisation held by a simulator) or :meth:`from_resources`
    (untrusted AWS-shaped records). Read-only once built: the query answers are cached.
    """

    def __init__(
        self,
        contacts: Mapping[str, Contact],
        channels: Mapping[str, Channel],
        rotations: Iterable[RotationView] = (),
        overrides: Iterable[OverrideView] = (),
        input_findings: Sequence[Finding] = (),
    ) -> None:
        self._contacts = dict(contacts)
        self._channels = dict(channels)
        self._rotations = {rotation.arn: rotation for rotation in rotations}
        self._overrides = {override.id: override for override in overrides}
        self._input_findings = tuple(input_findings)
        self._reachable: dict[str, tuple[str, ...]] = {}
        self._graph = build_graph(self._contacts, self._channels, self._rotations, self._overrides)

    @classmethod
    def of(cls, organisation: Organisation) -> ContactGraph:
        """The graph of an organisation held by a simulator (``Simulator.state()``)."""
        rotations = organisation.rotations.values()
        return cls(
            organisation.contacts,
            organisation.channels,
            [RotationView(r.arn, r.name, r.contact_ids) for r in rotations],
            [
                OverrideView(o.id, r.arn, o.contact_ids, o.start, o.end)
                for r in rotations
                for o in r.overrides
            ],
        )

    @classmethod
    def from_resources(
        cls,
        contacts: object,
        channels: object,
        rotations: object = (),
        overrides: object = (),
    ) -> ContactGraph:
        """The graph of ``get-contact``, ``list-contact-channels``, ``get-rotation`` and
        ``get-rotation-override`` records (an override names its rotation with RotationArn).

        Never raises on bad records: each problem the wire model finds becomes a finding that
        :meth:`validate` returns with the rest, and a record with a problem is left out.
        """
        return cls(*read_records(contacts, channels, rotations, overrides))

    @property
    def nx_graph(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (treat it as read-only)."""
        return self._graph

    def validate(self) -> list[Finding]:
        """Every problem of the organisation at once, sorted by path then kind id."""
        findings = list(self._input_findings)
        for arn in sorted(self._contacts):
            findings += self._check_contact(self._contacts[arn])
        for arn in sorted(self._channels):
            findings += self._check_channel(self._channels[arn])
        for arn in sorted(self._rotations):
            findings += self._check_rotation(self._rotations[arn])
        for override_id in sorted(self._overrides):
            findings += self._check_override(self._overrides[override_id])
        return sorted(findings)

    def reachable_channels(self, contact_arn: str) -> list[str]:
        """The activated channels of its own that a PERSONAL contact's plan pages, in plan order.

        Empty for other contact types and for ARNs that are referenced but missing; KeyError
        for an ARN the graph has never seen.
        """
        self._require_node(contact_arn)
        return list(self._reachable_of(contact_arn))

    def engaged_contacts(self, plan_arn: str) -> list[str]:
        """The existing contacts that engaging ``plan_arn`` engages, in plan order, each once.

        An escalation plan engages the PERSONAL and ONCALL_SCHEDULE contacts its stages target;
        an on-call schedule engages the PERSONAL members of its rotations (rotation order, then
        member order); a PERSONAL contact engages itself. Empty for anything else; KeyError for
        an ARN the graph has never seen.
        """
        self._require_node(plan_arn)
        contact = self._contacts.get(plan_arn)
        if contact is None:
            return []
        if contact.type == "PERSONAL":
            return [plan_arn]
        if contact.type == "ESCALATION":
            engaged = [
                ref
                for _, _, target in _targets(contact)
                if (ref := _ref(target)) is not None
                and _info(target) == "contact"
                and self._type_of(ref) in _ENGAGEABLE
            ]
        else:
            engaged = [m for m in self._schedule_members(contact) if self._type_of(m) == "PERSONAL"]
        return list(dict.fromkeys(engaged))

    def stage_table(self, contact_arn: str) -> list[StageRow]:
        """The stages of a contact's plan with their start offsets and targets.

        Empty for anything that is not a given contact; KeyError for an ARN the graph has never
        seen.
        """
        self._require_node(contact_arn)
        contact = self._contacts.get(contact_arn)
        if contact is None:
            return []
        rows: list[StageRow] = []
        offset = 0
        for index, stage in enumerate(contact.plan.stages or ()):
            targets = tuple(
                TargetRow(
                    position,
                    _info(target),
                    _ref(target),
                    None if isinstance(target, ChannelTarget) else target.essential,
                    target.retry_interval or 0 if isinstance(target, ChannelTarget) else None,
                    self._target_pages(contact, target),
                )
                for position, target in enumerate(stage.targets)
            )
            rows.append(StageRow(index, offset, stage.duration, targets))
            offset += stage.duration
        return rows

    # Lookups ---------------------------------------------------------------------------

    def _require_node(self, arn: str) -> None:
        if not self._graph.has_node(arn):
            raise KeyError(f"{arn!r} is not in the contact graph")

    def _kind_of(self, arn: str) -> str | None:
        node: Mapping[str, str] = self._graph.nodes.get(arn, {})
        return node.get("kind")

    def _type_of(self, arn: str | None) -> str | None:
        contact = self._contacts.get(arn) if arn is not None else None
        return contact.type if contact is not None else None

    def _alias(self, arn: str) -> str:
        contact = self._contacts.get(arn)
        return contact.alias if contact is not None else alias_in(arn)

    def _reachable_of(self, arn: str) -> tuple[str, ...]:
        if arn not in self._reachable:
            contact = self._contacts.get(arn)
            found: list[str] = []
            if contact is not None and contact.type == "PERSONAL":
                found = [
                    str(_ref(target))
                    for _, _, target in _targets(contact)
                    if self._target_pages(contact, target)
                ]
            self._reachable[arn] = tuple(dict.fromkeys(found))
        return self._reachable[arn]

    def _target_pages(self, owner: Contact, target: Target) -> bool:
        """Whether engaging this target of ``owner``'s plan can reach an activated channel."""
        ref = _ref(target)
        if ref is None:
            return False
        if owner.type == "PERSONAL":
            channel = self._channels.get(ref)
            return (
                isinstance(target, ChannelTarget)
                and channel is not None
                and channel.contact_arn == owner.arn
                and channel.activated
            )
        if owner.type != "ESCALATION" or isinstance(target, ChannelTarget):
            return False
        contact_type = self._type_of(ref)
        if contact_type == "PERSONAL":
            return bool(self._reachable_of(ref))
        if contact_type == "ONCALL_SCHEDULE":
            return any(
                self._type_of(member) == "PERSONAL" and self._reachable_of(member)
                for member in self._schedule_members(self._contacts[ref])
            )
        return False

    def _schedule_members(self, schedule: Contact) -> Iterator[str]:
        for rotation_arn in schedule.plan.rotations:
            rotation = self._rotations.get(rotation_arn)
            if rotation is not None:
                yield from rotation.members

    def _engaged_by_escalation(self, arn: str) -> list[str]:
        """The escalation plans with a contact target naming ``arn``, sorted by ARN."""
        sources = {
            source
            for source, _, data in self._graph.in_edges(arn, data=True)
            if data["relation"] == "plan"
            and data["info"] == "contact"
            and self._type_of(source) == "ESCALATION"
        }
        return sorted(sources)

    # Checks ----------------------------------------------------------------------------

    def _check_contact(self, contact: Contact) -> Iterator[Finding]:
        at, arn, alias = root(contact.arn), contact.arn, contact.alias
        if contact.type == "PERSONAL":
            yield from self._check_personal(contact)
        elif contact.type == "ESCALATION":
            yield from self._check_escalation(contact)
        else:
            yield from self._check_schedule(contact)
        rotations = contact.plan.rotations
        if contact.type != "ONCALL_SCHEDULE" and rotations:
            yield _report(
                "rotations-outside-schedule",
                f"{at}.Plan.RotationIds",
                arn,
                f"{contact.type} contact {alias} lists {len(rotations)} rotation(s), which only "
                "an on-call schedule uses",
            )

    def _check_stages(self, contact: Contact) -> Iterator[Finding]:
        """Stages that page nobody: empty ones, and ones whose every target fails."""
        for index, stage in enumerate(contact.plan.stages or ()):
            path = f"{root(contact.arn)}.Plan.Stages[{index}]"
            where = f"stage {index} of {contact.alias}"
            if not stage.targets:
                yield _report(
                    "empty-stage",
                    f"{path}.Targets",
                    contact.arn,
                    f"{where} has no targets; it only waits {stage.duration} minute(s)",
                )
            elif not any(self._target_pages(contact, target) for target in stage.targets):
                yield _report(
                    "dead-stage",
                    path,
                    contact.arn,
                    f"none of the {len(stage.targets)} target(s) of {where} can page anyone",
                )

    def _check_targets(
        self, contact: Contact, wrong: str, noun: str, rule: str
    ) -> Iterator[Finding]:
        """Targets of the ``wrong`` info for the contact's type, and references that fail."""
        yield from self._check_stages(contact)
        for path, where, target in _targets(contact):
            ref, info = _ref(target), _info(target)
            if info == wrong:
                yield _report(
                    f"{wrong}-target-in-{noun}-plan",
                    f"{path}.{wrong.title()}TargetInfo",
                    contact.arn,
                    f"{where} names {wrong} {ref or '(no ContactId)'}, but {rule}",
                )
            elif ref is not None:
                member = "ContactChannelId" if info == "channel" else "ContactId"
                path = f"{path}.{info.title()}TargetInfo.{member}"
                yield from self._check_reference(contact, info, ref, path, where)

    def _check_reference(
        self, contact: Contact, info: str, ref: str, path: str, where: str
    ) -> Iterator[Finding]:
        kind = self._kind_of(ref)
        owner = self._channels[ref].contact_arn if kind == "channel" else contact.arn
        if kind != info:
            what = "does not exist" if kind == "missing" else f"is a {kind}, not a {info}"
            message = f"{where} names {info} {ref}, which {what}"
            yield _report(f"dangling-{info}-reference", path, contact.arn, message)
        elif owner != contact.arn:
            message = f"{where} names channel {ref}, which belongs to {self._alias(owner)}"
            yield _report("foreign-channel-reference", path, contact.arn, message)
        elif info == "contact" and self._type_of(ref) == "ESCALATION":
            message = f"{where} names escalation plan {self._alias(ref)} ({ref})"
            yield _report("nested-escalation", path, contact.arn, message)

    def _check_personal(self, contact: Contact) -> Iterator[Finding]:
        at, arn, alias = root(contact.arn), contact.arn, contact.alias
        rule = "a personal plan pages only channels"
        yield from self._check_targets(contact, "contact", "personal", rule)
        if not contact.plan.stages:
            message = f"personal contact {alias} has no engagement plan stages"
            yield _report("empty-personal-plan", f"{at}.Plan.Stages", arn, message)
        if self._reachable_of(arn):
            return
        escalations = self._engaged_by_escalation(arn)
        message = f"the plan of {alias} pages no activated channel"
        if escalations:
            names = ", ".join(self._alias(source) for source in escalations)
            message += f", yet escalation plan(s) {names} engage it"
            yield _report("unreachable-engaged-contact", f"{at}.Plan", arn, message)
        elif contact.plan.stages:
            yield _report("unreachable-contact", f"{at}.Plan", arn, message)

    def _check_escalation(self, contact: Contact) -> Iterator[Finding]:
        at, arn, alias = root(contact.arn), contact.arn, contact.alias
        if not contact.plan.stages:
            message = f"escalation plan {alias} has no stages"
            yield _report("escalation-without-stages", f"{at}.Plan.Stages", arn, message)
            return
        rule = "an escalation plan engages only contacts"
        yield from self._check_targets(contact, "channel", "escalation", rule)
        if not any(
            not isinstance(target, ChannelTarget)
            and target.essential
            and self._type_of(target.contact_arn) in _ENGAGEABLE
            for _, _, target in _targets(contact)
        ):
            message = (
                f"no engageable target of escalation plan {alias} is essential, so no "
                "acknowledgement stops it"
            )
            yield _report("no-essential-target", f"{at}.Plan", arn, message)

    def _check_schedule(self, contact: Contact) -> Iterator[Finding]:
        at, arn, alias = root(contact.arn), contact.arn, contact.alias
        if contact.plan.stages:
            message = (
                f"on-call schedule {alias} has {len(contact.plan.stages)} stage(s), which never run"
            )
            yield _report("schedule-with-stages", f"{at}.Plan.Stages", arn, message)
        if not contact.plan.rotations:
            message = f"on-call schedule {alias} has no rotations"
            yield _report("schedule-without-rotations", f"{at}.Plan.RotationIds", arn, message)
        for index, rotation_arn in enumerate(contact.plan.rotations):
            kind = self._kind_of(rotation_arn)
            if kind != "rotation":
                what = "does not exist" if kind == "missing" else f"is a {kind}, not a rotation"
                yield _report(
                    "dangling-rotation-reference",
                    f"{at}.Plan.RotationIds[{index}]",
                    arn,
                    f"RotationIds[{index}] of {alias} names rotation {rotation_arn}, which {what}",
                )

    def _check_channel(self, channel: Channel) -> Iterator[Finding]:
        label = f"channel {channel.name!r} ({channel.arn})"
        at, arn = root(channel.arn), channel.arn
        owner = self._contacts.get(channel.contact_arn)
        if owner is None:
            message = f"{label} belongs to {channel.contact_arn}, which does not exist"
            yield _report("orphan-channel", f"{at}.ContactArn", arn, message)
        if not channel.activated:
            message = f"{label} is NOT_ACTIVATED and is skipped when paged"
            yield _report("inactive-channel", f"{at}.ActivationStatus", arn, message)
        elif owner is not None and owner.type != "PERSONAL":
            why = f"belongs to {owner.type} contact {owner.alias}, whose plan pages no channel"
            yield _report("unused-channel", at, arn, f"{label} {why}")
        elif owner is not None and arn not in (_ref(t) for _, _, t in _targets(owner, "channel")):
            why = f"is in no stage of the engagement plan of {owner.alias}"
            yield _report("unused-channel", at, arn, f"{label} {why}")

    def _check_rotation(self, rotation: RotationView) -> Iterator[Finding]:
        label = f"rotation {rotation.name or rotation.arn}"
        if not rotation.members:
            path = f"{root(rotation.arn)}.ContactIds"
            yield _report("empty-rotation", path, rotation.arn, f"{label} has no members")
        for index, member in enumerate(rotation.members):
            path = f"{root(rotation.arn)}.ContactIds[{index}]"
            where = f"member {index} of {label}"
            kind, member_type = self._kind_of(member), self._type_of(member)
            if kind != "contact":
                what = "does not exist" if kind == "missing" else f"is a {kind}, not a contact"
                message = f"{where} is {member}, which {what}"
                yield _report("dangling-rotation-member", path, rotation.arn, message)
            elif member_type != "PERSONAL":
                message = f"{where} is {self._alias(member)}, a {member_type} contact"
                yield _report("rotation-member-not-personal", path, rotation.arn, message)
            elif not self._reachable_of(member):
                message = f"{where} is {self._alias(member)}, whose plan pages no activated channel"
                yield _report("rotation-member-unreachable", path, rotation.arn, message)

    def _check_override(self, override: OverrideView) -> Iterator[Finding]:
        rotation = self._rotations.get(override.rotation)
        label, path = f"override {override.id}", f"override/{override.id}"
        if rotation is None:
            message = f"{label} belongs to rotation {override.rotation}, which does not exist"
            yield _report(
                "dangling-override-rotation", f"{path}.RotationArn", override.rotation, message
            )
            return
        label = f"{label} of rotation {rotation.name or rotation.arn}"
        start, end = override.start.isoformat(), override.end.isoformat()
        if override.end <= override.start:
            message = f"{label} ends at {end}, not after it starts at {start}"
            yield _report("override-covers-no-time", f"{path}.EndTime", rotation.arn, message)
            return
        span = f"from {start} to {end}"
        if not override.members:
            message = f"{label} names nobody, so nobody is on call from it {span}"
            yield _report("override-names-nobody", f"{path}.NewContactIds", rotation.arn, message)
        known = ", ".join(self._alias(m) for m in rotation.members) or "none"
        for index, contact in enumerate(override.members):
            if contact not in rotation.members:
                yield _report(
                    "override-names-non-member",
                    f"{path}.NewContactIds[{index}]",
                    rotation.arn,
                    f"{label} puts {self._alias(contact)} on call {span}, who is not a member of "
                    f"it (members: {known})",
                )


def _targets(contact: Contact, info: str | None = None) -> Iterator[tuple[str, str, Target]]:
    """Each target of the contact's plan (of one ``info`` if given) with its finding path and
    how messages name it (``stage 1 target 0 of akuam``)."""
    for s, stage in enumerate(contact.plan.stages or ()):
        for t, target in enumerate(stage.targets):
            if info is None or _info(target) == info:
                path = f"{root(contact.arn)}.Plan.Stages[{s}].Targets[{t}]"
                yield path, f"stage {s} target {t} of {contact.alias}", target
