"""``ContactGraph``: the organisation as one graph, its queries and its checks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import networkx as nx

from engine.domain import ChannelTarget, Contact, Organisation
from engine.findings import Finding
from engine.graph.build import _add_override_edges, _build_graph
from engine.graph.records import (
    _ENGAGEABLE,
    _KIND_BY_NAME,
    StageRow,
    TargetRow,
    _alias_in,
    _Channel,
    _Contact,
    _Override,
    _Reader,
    _root,
    _Rotation,
    _Stage,
    _Target,
)


class ContactGraph:
    """The organisation's contacts, channels and rotations as one graph, with its checks.

    Build it with :meth:`from_resources`; the constructor takes records it has already read.
    The graph is read-only once built: the answers of ``reachable_channels`` and friends are
    cached.
    """

    def __init__(
        self,
        graph: nx.MultiDiGraph,
        contacts: Mapping[str, _Contact],
        channels: Mapping[str, _Channel],
        rotations: Mapping[str, _Rotation],
        input_findings: Sequence[Finding],
        overrides: Mapping[str, _Override] | None = None,
    ) -> None:
        self._graph = graph
        self._contacts = dict(contacts)
        self._channels = dict(channels)
        self._rotations = dict(rotations)
        self._overrides = dict(overrides or {})
        self._input_findings = tuple(input_findings)
        self._reachable: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_resources(
        cls,
        contacts: Iterable[object],
        channels: Iterable[object],
        rotations: Iterable[object] = (),
        overrides: Iterable[object] = (),
    ) -> ContactGraph:
        """Build the graph from ``get-contact``, ``list-contact-channels``, ``get-rotation`` and
        ``get-rotation-override`` records (plain dicts; an override names its rotation with
        RotationArn). Never raises on bad records: they become findings that :meth:`validate`
        returns with the rest.
        """
        reader = _Reader()
        read_contacts = {
            arn: reader.contact(arn, record)
            for arn, record in reader.identified(contacts, "contacts", "ContactArn", "contact", 1)
        }
        read_channels = {
            arn: reader.channel(arn, record)
            for arn, record in reader.identified(
                channels, "channels", "ContactChannelArn", "contact-channel", 2
            )
        }
        read_rotations = {
            arn: reader.rotation(arn, record)
            for arn, record in reader.identified(
                rotations, "rotations", "RotationArn", "rotation", 1
            )
        }
        read_overrides = reader.overrides(overrides)
        graph = _build_graph(read_contacts, read_channels, read_rotations)
        _add_override_edges(graph, read_rotations, read_overrides)
        return cls(
            graph, read_contacts, read_channels, read_rotations, reader.findings, read_overrides
        )

    @classmethod
    def of(cls, organisation: Organisation) -> ContactGraph:
        """The graph of an organisation held by a simulator (``Simulator.state()``)."""
        contacts = {arn: _contact_of(c) for arn, c in organisation.contacts.items()}
        channels = {
            arn: _Channel(
                arn,
                _root(arn),
                c.contact_arn,
                c.name,
                c.type,
                "ACTIVATED" if c.activated else "NOT_ACTIVATED",
            )
            for arn, c in organisation.channels.items()
        }
        rotations = {
            arn: _Rotation(arn, _root(arn), r.name, tuple(enumerate(r.contact_ids)), True)
            for arn, r in organisation.rotations.items()
        }
        overrides = {
            o.id: _Override(
                o.id, f"override/{o.id}", arn, tuple(enumerate(o.contact_ids)), True, o.start, o.end
            )
            for arn, r in organisation.rotations.items()
            for o in r.overrides
        }
        graph = _build_graph(contacts, channels, rotations)
        _add_override_edges(graph, rotations, overrides)
        return cls(graph, contacts, channels, rotations, (), overrides)

    @property
    def nx_graph(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (treat it as read-only)."""
        return self._graph

    def validate(self) -> list[Finding]:
        """Every problem of the organisation at once, sorted by path then kind id."""
        findings = list(self._input_findings)
        for arn in sorted(self._contacts):
            findings.extend(self._check_contact(self._contacts[arn]))
        for arn in sorted(self._channels):
            findings.extend(self._check_channel(self._channels[arn]))
        for arn in sorted(self._rotations):
            findings.extend(self._check_rotation(self._rotations[arn]))
        for override_id in sorted(self._overrides):
            findings.extend(self._check_override(self._overrides[override_id]))
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
        if contact.contact_type == "PERSONAL":
            return [plan_arn]
        engaged: list[str] = []
        if contact.contact_type == "ESCALATION":
            for stage in contact.stages:
                for target in stage.targets:
                    if target.info == "contact" and self._type_of(target.ref) in _ENGAGEABLE:
                        engaged.append(str(target.ref))
        elif contact.contact_type == "ONCALL_SCHEDULE":
            engaged = [m for m in self._schedule_members(contact) if self._is_personal(m)]
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
        for stage in contact.stages:
            targets = tuple(
                TargetRow(
                    index=target.index,
                    info=target.info,
                    arn=target.ref,
                    essential=target.essential if target.info == "contact" else None,
                    retry_interval_in_minutes=(
                        target.retry_interval if target.info == "channel" else None
                    ),
                    can_page=self._target_pages(contact, target),
                )
                for target in stage.targets
            )
            rows.append(StageRow(stage.index, offset, stage.duration, targets))
            offset += stage.duration
        return rows

    # Lookups ---------------------------------------------------------------------------

    def _require_node(self, arn: str) -> None:
        if not self._graph.has_node(arn):
            raise KeyError(f"{arn!r} is not in the contact graph")

    def _kind_of(self, arn: str | None) -> str | None:
        if arn is None or not self._graph.has_node(arn):
            return None
        kind: str = self._graph.nodes[arn]["kind"]
        return kind

    def _type_of(self, arn: str | None) -> str | None:
        contact = self._contacts.get(arn) if arn is not None else None
        return contact.contact_type if contact is not None else None

    def _is_personal(self, arn: str) -> bool:
        return self._type_of(arn) == "PERSONAL"

    def _alias(self, arn: str) -> str:
        contact = self._contacts.get(arn)
        return contact.alias if contact is not None else _alias_in(arn)

    def _reachable_of(self, arn: str) -> tuple[str, ...]:
        if arn not in self._reachable:
            contact = self._contacts.get(arn)
            found: list[str] = []
            if contact is not None and contact.contact_type == "PERSONAL":
                for stage in contact.stages:
                    found.extend(
                        str(target.ref)
                        for target in stage.targets
                        if self._target_pages(contact, target)
                    )
            self._reachable[arn] = tuple(dict.fromkeys(found))
        return self._reachable[arn]

    def _channel_pages(self, owner: _Contact, target: _Target) -> bool:
        channel = self._channels.get(target.ref) if target.ref is not None else None
        return (
            owner.contact_type == "PERSONAL"
            and target.info == "channel"
            and channel is not None
            and channel.owner == owner.arn
            and channel.activation_status == "ACTIVATED"
        )

    def _target_pages(self, owner: _Contact, target: _Target) -> bool:
        """Whether engaging this target of ``owner``'s plan can reach an activated channel."""
        if owner.contact_type == "PERSONAL":
            return self._channel_pages(owner, target)
        if owner.contact_type != "ESCALATION" or target.info != "contact":
            return False
        return target.ref is not None and self._contact_can_page(target.ref)

    def _contact_can_page(self, arn: str) -> bool:
        contact_type = self._type_of(arn)
        if contact_type == "PERSONAL":
            return bool(self._reachable_of(arn))
        if contact_type == "ONCALL_SCHEDULE":
            return any(
                self._is_personal(member) and self._reachable_of(member)
                for member in self._schedule_members(self._contacts[arn])
            )
        return False

    def _schedule_members(self, schedule: _Contact) -> Iterator[str]:
        for _, rotation_arn in schedule.rotation_ids:
            rotation = self._rotations.get(rotation_arn)
            if rotation is not None:
                yield from (member for _, member in rotation.members)

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

    def _report(self, name: str, path: str, subject: str, message: str) -> Finding:
        return _KIND_BY_NAME[name].at(path, subject, message)

    def _check_contact(self, contact: _Contact) -> list[Finding]:
        if contact.contact_type == "PERSONAL":
            findings = self._check_personal(contact)
        elif contact.contact_type == "ESCALATION":
            findings = self._check_escalation(contact)
        elif contact.contact_type == "ONCALL_SCHEDULE":
            findings = self._check_schedule(contact)
        else:
            # The unreadable Type is already reported; rules per type cannot apply.
            return []
        if contact.contact_type != "ONCALL_SCHEDULE" and contact.rotation_ids:
            findings.append(
                self._report(
                    "rotations-outside-schedule",
                    f"{contact.root}.Plan.RotationIds",
                    contact.arn,
                    f"{contact.contact_type} contact {contact.alias} lists "
                    f"{len(contact.rotation_ids)} rotation(s), which only an on-call schedule "
                    "uses",
                )
            )
        return findings

    def _check_stages(self, contact: _Contact) -> list[Finding]:
        """Stages that page nobody: empty ones, and ones whose every target fails."""
        findings: list[Finding] = []
        for stage in contact.stages:
            if stage.targets_readable and not stage.targets:
                findings.append(
                    self._report(
                        "empty-stage",
                        f"{stage.path}.Targets",
                        contact.arn,
                        f"stage {stage.index} of {contact.alias} has no targets; it only waits "
                        f"{stage.duration} minute(s)",
                    )
                )
            elif stage.targets and not any(
                self._target_pages(contact, target) for target in stage.targets
            ):
                findings.append(
                    self._report(
                        "dead-stage",
                        stage.path,
                        contact.arn,
                        f"none of the {len(stage.targets)} target(s) of stage {stage.index} of "
                        f"{contact.alias} can page anyone",
                    )
                )
        return findings

    def _check_personal(self, contact: _Contact) -> list[Finding]:
        findings = self._check_stages(contact)
        for stage in contact.stages:
            for target in stage.targets:
                where = f"stage {stage.index} target {target.index} of {contact.alias}"
                if target.info == "contact":
                    findings.append(
                        self._report(
                            "contact-target-in-personal-plan",
                            f"{target.path}.ContactTargetInfo",
                            contact.arn,
                            f"{where} names contact {target.ref or '(no ContactId)'}, but a "
                            "personal plan pages only channels",
                        )
                    )
                elif target.info == "channel" and target.ref is not None:
                    findings.extend(self._check_channel_target(contact, target, where))
        if not contact.stages:
            findings.append(
                self._report(
                    "empty-personal-plan",
                    f"{contact.root}.Plan.Stages",
                    contact.arn,
                    f"personal contact {contact.alias} has no engagement plan stages",
                )
            )
        if not self._reachable_of(contact.arn):
            escalations = self._engaged_by_escalation(contact.arn)
            if escalations:
                names = ", ".join(self._alias(arn) for arn in escalations)
                findings.append(
                    self._report(
                        "unreachable-engaged-contact",
                        f"{contact.root}.Plan",
                        contact.arn,
                        f"the plan of {contact.alias} pages no activated channel, yet "
                        f"escalation plan(s) {names} engage it",
                    )
                )
            elif contact.stages:
                findings.append(
                    self._report(
                        "unreachable-contact",
                        f"{contact.root}.Plan",
                        contact.arn,
                        f"the plan of {contact.alias} pages no activated channel",
                    )
                )
        return findings

    def _check_channel_target(
        self, contact: _Contact, target: _Target, where: str
    ) -> list[Finding]:
        ref = str(target.ref)
        path = f"{target.path}.ChannelTargetInfo.ContactChannelId"
        kind = self._kind_of(ref)
        if kind != "channel":
            what = "does not exist" if kind == "missing" else f"is a {kind}, not a channel"
            return [
                self._report(
                    "dangling-channel-reference",
                    path,
                    contact.arn,
                    f"{where} names channel {ref}, which {what}",
                )
            ]
        owner = self._channels[ref].owner
        if owner != contact.arn:
            owner_name = self._alias(owner) if owner is not None else "no contact"
            return [
                self._report(
                    "foreign-channel-reference",
                    path,
                    contact.arn,
                    f"{where} names channel {ref}, which belongs to {owner_name}",
                )
            ]
        return []

    def _check_escalation(self, contact: _Contact) -> list[Finding]:
        plan = f"{contact.root}.Plan"
        if not contact.stages:
            return [
                self._report(
                    "escalation-without-stages",
                    f"{plan}.Stages",
                    contact.arn,
                    f"escalation plan {contact.alias} has no stages",
                )
            ]
        findings = self._check_stages(contact)
        has_essential = False
        for stage in contact.stages:
            for target in stage.targets:
                where = f"stage {stage.index} target {target.index} of {contact.alias}"
                if target.info == "channel":
                    findings.append(
                        self._report(
                            "channel-target-in-escalation-plan",
                            f"{target.path}.ChannelTargetInfo",
                            contact.arn,
                            f"{where} names channel {target.ref or '(no ContactChannelId)'}, "
                            "but an escalation plan engages only contacts",
                        )
                    )
                elif target.info == "contact" and target.ref is not None:
                    findings.extend(self._check_contact_target(contact, target, where))
                    engageable = self._type_of(target.ref) in _ENGAGEABLE
                    has_essential = has_essential or (engageable and target.essential)
        if not has_essential:
            findings.append(
                self._report(
                    "no-essential-target",
                    plan,
                    contact.arn,
                    f"no engageable target of escalation plan {contact.alias} is essential, so "
                    "no acknowledgement stops it",
                )
            )
        return findings

    def _check_contact_target(
        self, contact: _Contact, target: _Target, where: str
    ) -> list[Finding]:
        ref = str(target.ref)
        path = f"{target.path}.ContactTargetInfo.ContactId"
        kind = self._kind_of(ref)
        if kind != "contact":
            what = "does not exist" if kind == "missing" else f"is a {kind}, not a contact"
            return [
                self._report(
                    "dangling-contact-reference",
                    path,
                    contact.arn,
                    f"{where} names contact {ref}, which {what}",
                )
            ]
        if self._type_of(ref) == "ESCALATION":
            return [
                self._report(
                    "nested-escalation",
                    path,
                    contact.arn,
                    f"{where} names escalation plan {self._alias(ref)} ({ref})",
                )
            ]
        return []

    def _check_schedule(self, contact: _Contact) -> list[Finding]:
        plan = f"{contact.root}.Plan"
        findings: list[Finding] = []
        if contact.stages:
            findings.append(
                self._report(
                    "schedule-with-stages",
                    f"{plan}.Stages",
                    contact.arn,
                    f"on-call schedule {contact.alias} has {len(contact.stages)} stage(s), "
                    "which never run",
                )
            )
        if not contact.rotation_ids:
            findings.append(
                self._report(
                    "schedule-without-rotations",
                    f"{plan}.RotationIds",
                    contact.arn,
                    f"on-call schedule {contact.alias} has no rotations",
                )
            )
        for index, rotation_arn in contact.rotation_ids:
            kind = self._kind_of(rotation_arn)
            if kind != "rotation":
                what = "does not exist" if kind == "missing" else f"is a {kind}, not a rotation"
                findings.append(
                    self._report(
                        "dangling-rotation-reference",
                        f"{plan}.RotationIds[{index}]",
                        contact.arn,
                        f"RotationIds[{index}] of {contact.alias} names rotation "
                        f"{rotation_arn}, which {what}",
                    )
                )
        return findings

    def _check_channel(self, channel: _Channel) -> list[Finding]:
        label = f"channel {channel.name!r} ({channel.arn})"
        findings: list[Finding] = []
        owner_given = channel.owner is not None
        owner = self._contacts.get(channel.owner) if channel.owner is not None else None
        if owner_given and owner is None:
            findings.append(
                self._report(
                    "orphan-channel",
                    f"{channel.root}.ContactArn",
                    channel.arn,
                    f"{label} belongs to {channel.owner}, which does not exist",
                )
            )
        if channel.activation_status == "NOT_ACTIVATED":
            findings.append(
                self._report(
                    "inactive-channel",
                    f"{channel.root}.ActivationStatus",
                    channel.arn,
                    f"{label} is NOT_ACTIVATED and is skipped when paged",
                )
            )
        elif channel.activation_status == "ACTIVATED" and owner is not None:
            findings.extend(self._check_channel_use(channel, owner, label))
        return findings

    def _check_channel_use(self, channel: _Channel, owner: _Contact, label: str) -> list[Finding]:
        if owner.contact_type is None:
            # The owner's Type is unreadable (already reported): whether it pages is unknown.
            return []
        if owner.contact_type != "PERSONAL":
            why = (
                f"belongs to {owner.contact_type} contact {owner.alias}, "
                "whose plan pages no channel"
            )
        elif any(
            target.info == "channel" and target.ref == channel.arn
            for stage in owner.stages
            for target in stage.targets
        ):
            return []
        else:
            why = f"is in no stage of the engagement plan of {owner.alias}"
        return [self._report("unused-channel", channel.root, channel.arn, f"{label} {why}")]

    def _check_rotation(self, rotation: _Rotation) -> list[Finding]:
        label = f"rotation {rotation.name or rotation.arn}"
        if rotation.members_readable and not rotation.members:
            return [
                self._report(
                    "empty-rotation",
                    f"{rotation.root}.ContactIds",
                    rotation.arn,
                    f"{label} has no members",
                )
            ]
        findings: list[Finding] = []
        for index, member in rotation.members:
            path = f"{rotation.root}.ContactIds[{index}]"
            where = f"member {index} of {label}"
            kind = self._kind_of(member)
            member_type = self._type_of(member)
            if kind != "contact":
                what = "does not exist" if kind == "missing" else f"is a {kind}, not a contact"
                findings.append(
                    self._report(
                        "dangling-rotation-member",
                        path,
                        rotation.arn,
                        f"{where} is {member}, which {what}",
                    )
                )
            elif member_type != "PERSONAL":
                findings.append(
                    self._report(
                        "rotation-member-not-personal",
                        path,
                        rotation.arn,
                        f"{where} is {self._alias(member)}, a {member_type} contact",
                    )
                )
            elif not self._reachable_of(member):
                findings.append(
                    self._report(
                        "rotation-member-unreachable",
                        path,
                        rotation.arn,
                        f"{where} is {self._alias(member)}, whose plan pages no activated channel",
                    )
                )
        return findings

    def _check_override(self, override: _Override) -> list[Finding]:
        rotation = self._rotations.get(override.rotation)
        label = f"override {override.id}"
        if rotation is None:
            return [
                self._report(
                    "dangling-override-rotation",
                    f"{override.root}.RotationArn",
                    override.rotation,
                    f"{label} belongs to rotation {override.rotation}, which does not exist",
                )
            ]
        name = rotation.name or rotation.arn
        if (
            override.start is not None
            and override.end is not None
            and override.end <= override.start
        ):
            return [
                self._report(
                    "override-covers-no-time",
                    f"{override.root}.EndTime",
                    rotation.arn,
                    f"{label} of rotation {name} ends at {override.end.isoformat()}, not "
                    f"after it starts at {override.start.isoformat()}",
                )
            ]
        findings: list[Finding] = []
        if override.members_readable and not override.members:
            findings.append(
                self._report(
                    "override-names-nobody",
                    f"{override.root}.NewContactIds",
                    rotation.arn,
                    f"{label} of rotation {name} names nobody, so nobody is on call from it "
                    f"{self._span(override)}",
                )
            )
        members = {member for _, member in rotation.members}
        known = ", ".join(self._alias(m) for _, m in rotation.members) or "none"
        for index, contact in override.members:
            if contact not in members:
                findings.append(
                    self._report(
                        "override-names-non-member",
                        f"{override.root}.NewContactIds[{index}]",
                        rotation.arn,
                        f"{label} of rotation {name} puts {self._alias(contact)} on call "
                        f"{self._span(override)}, who is not a member of it (members: {known})",
                    )
                )
        return findings

    @staticmethod
    def _span(override: _Override) -> str:
        if override.start is None or override.end is None:
            return "during it"
        return f"from {override.start.isoformat()} to {override.end.isoformat()}"


def _contact_of(contact: Contact) -> _Contact:
    root = _root(contact.arn)
    stages = []
    for s, stage in enumerate(contact.plan.stages or ()):
        path = f"{root}.Plan.Stages[{s}]"
        targets = tuple(
            _Target(
                t,
                "channel",
                target.channel_arn,
                False,
                target.retry_interval or 0,
                f"{path}.Targets[{t}]",
            )
            if isinstance(target, ChannelTarget)
            else _Target(
                t, "contact", target.contact_arn, target.essential, 0, f"{path}.Targets[{t}]"
            )
            for t, target in enumerate(stage.targets)
        )
        stages.append(_Stage(s, stage.duration, targets, True, path))
    return _Contact(
        contact.arn,
        root,
        contact.alias,
        contact.display_name,
        contact.type,
        tuple(stages),
        tuple(enumerate(contact.plan.rotations)),
        contact.plan.rotation_ids is not None,
    )
