"""Compiling a scenario's organisation into the AWS shapes the simulator imports.

Both forms end as two lists, contacts as ``get-contact`` prints them and channels as
``list-contact-channels`` prints them, so there is one import path. The short form mints ARNs:
``contact/<alias>`` in the run's account and region, and ``contact-channel/<alias>/<uuid>`` with a
uuid5 of ``<alias>/<name>``, so the same file always gives the same ARNs. A :class:`PathMap`
remembers where each compiled field came from, so that an error the import reports about
``contacts[2].Plan.Stages[0].DurationInMinutes`` points at ``contacts.akuam.plan[0].duration``.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from typing import Any

from engine.arns import make_arn, parse_arn
from engine.scenario.errors import Problem
from engine.scenario.model import AwsChannel, AwsContact, ShortContact
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source

__all__ = ["CHANNEL_NAMESPACE", "Organisation", "PathMap", "compile_organisation", "contact_alias"]

CHANNEL_NAMESPACE = uuid.UUID("6f1c7c52-5a8e-4f8e-9d1a-3c0a2b7e4d10")
"""Namespace of the uuid5 that names short-form channels; changing it changes every ARN."""

_ALIAS = re.compile(r"^[a-z0-9_\-]{1,255}$")


@dataclasses.dataclass
class PathMap:
    """Compiled field path -> the path in the file it was written at."""

    entries: dict[FieldPath, FieldPath] = dataclasses.field(default_factory=dict)

    def add(self, compiled: FieldPath, source: FieldPath) -> None:
        self.entries[compiled] = source

    def to_source(self, compiled: FieldPath) -> FieldPath:
        """The file path of ``compiled``: its longest mapped prefix, plus the rest unchanged."""
        for end in range(len(compiled), 0, -1):
            source = self.entries.get(compiled[:end])
            if source is not None:
                return (*source, *compiled[end:])
        return compiled


@dataclasses.dataclass
class Organisation:
    """Contacts and channels in AWS shapes, and where each came from."""

    contacts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    channels: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    paths: PathMap = dataclasses.field(default_factory=PathMap)
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    """alias -> contact ARN as written (AWS form) or minted (short form)."""
    alias_paths: dict[str, FieldPath] = dataclasses.field(default_factory=dict)
    channel_names: dict[str, str] = dataclasses.field(default_factory=dict)
    """channel ARN -> its Name, for timelines."""


def compile_organisation(
    contacts: list[AwsContact] | dict[str, ShortContact] | None,
    channels: list[AwsChannel] | None,
    *,
    contacts_at: FieldPath,
    channels_at: FieldPath,
    account: str,
    region: str,
    source: Source,
) -> tuple[Organisation, list[Problem]]:
    """The organisation in AWS shapes, and every problem found (empty when it compiled).

    ``contacts_at`` and ``channels_at`` are where the two keys sit in the file (a scenario of a
    multi-scenario file may inherit them from the top level).
    """
    organisation = Organisation()
    problems: list[Problem] = []
    if isinstance(contacts, dict):
        if channels:
            problems.append(
                source.problem(
                    channels_at,
                    "top-level channels go with the AWS form of contacts; in the short form "
                    "write each channel under its contact",
                )
            )
        _compile_short(contacts, contacts_at, account, region, source, organisation, problems)
    else:
        _compile_aws(
            contacts or [], channels or [], contacts_at, channels_at, source, organisation, problems
        )
    return organisation, problems


def _compile_aws(
    contacts: list[AwsContact],
    channels: list[AwsChannel],
    contacts_at: FieldPath,
    channels_at: FieldPath,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> None:
    for index, contact in enumerate(contacts):
        at = (*contacts_at, index)
        record = contact.model_dump(exclude_none=True, exclude={"channels"})
        organisation.paths.add(("contacts", len(organisation.contacts)), at)
        organisation.contacts.append(record)
        organisation.aliases.setdefault(contact.Alias, contact.ContactArn)
        organisation.alias_paths.setdefault(contact.Alias, at)
        for number, channel in enumerate(contact.channels):
            channel_at = (*at, "channels", number)
            owner = channel.ContactArn
            if owner is not None and owner != contact.ContactArn:
                problems.append(
                    source.problem(
                        (*channel_at, "ContactArn"),
                        f"a channel listed under contact {contact.Alias!r} must belong to "
                        f"{contact.ContactArn}",
                        with_value=True,
                    )
                )
                continue
            _add_channel(organisation, channel, contact.ContactArn, channel_at)
    for number, channel in enumerate(channels):
        channel_at = (*channels_at, number)
        if channel.ContactArn is None:
            problems.append(
                source.problem(
                    channel_at,
                    "a channel listed at the top level needs ContactArn (or list it under its "
                    "contact's channels)",
                )
            )
            continue
        _add_channel(organisation, channel, channel.ContactArn, channel_at)


def _add_channel(
    organisation: Organisation, channel: AwsChannel, owner: str, at: FieldPath
) -> None:
    record = channel.model_dump(exclude_none=True)
    record["ContactArn"] = owner
    organisation.paths.add(("channels", len(organisation.channels)), at)
    organisation.channels.append(
        {key: record[key] for key in AwsChannel.model_fields if key in record}
    )
    organisation.channel_names[channel.ContactChannelArn] = channel.Name


def _compile_short(
    contacts: dict[str, ShortContact],
    contacts_at: FieldPath,
    account: str,
    region: str,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> None:
    for alias in contacts:
        organisation.aliases[alias] = make_arn(region, account, "contact", alias)
        organisation.alias_paths[alias] = (*contacts_at, alias)
    for alias, contact in contacts.items():
        at = (*contacts_at, alias)
        if not _ALIAS.match(alias):
            problems.append(
                source.problem(
                    at,
                    f"alias {alias!r} may hold only lower-case letters, digits, '_' and '-' "
                    "(1 to 255 of them)",
                )
            )
            continue
        kind = _short_type(alias, contact, at, source, problems)
        if kind is None:
            continue
        index = len(organisation.contacts)
        compiled: FieldPath = ("contacts", index)
        paths = organisation.paths
        paths.add(compiled, at)
        paths.add((*compiled, "Alias"), at)
        paths.add((*compiled, "DisplayName"), (*at, "name"))
        paths.add((*compiled, "Type"), (*at, "type") if contact.type else at)
        paths.add((*compiled, "Plan"), (*at, "plan"))
        channel_arns = _short_channels(alias, contact, at, account, region, organisation)
        stages = []
        for number, stage in enumerate(contact.plan):
            stage_at = (*at, "plan", number)
            stage_compiled = (*compiled, "Plan", "Stages", number)
            paths.add(stage_compiled, stage_at)
            paths.add((*stage_compiled, "DurationInMinutes"), (*stage_at, "duration"))
            paths.add((*stage_compiled, "Targets"), (*stage_at, "targets"))
            targets = []
            for position, target in enumerate(stage.targets):
                target_at = (*stage_at, "targets", position)
                target_compiled = (*stage_compiled, "Targets", position)
                paths.add(target_compiled, target_at)
                if target.channel is not None:
                    arn = channel_arns.get(target.channel)
                    if arn is None:
                        problems.append(
                            source.problem(
                                (*target_at, "channel"),
                                f"no channel named {target.channel!r} on contact {alias!r}"
                                + _known(channel_arns),
                            )
                        )
                        continue
                    info: dict[str, Any] = {"ContactChannelId": arn}
                    if target.retry is not None:
                        info["RetryIntervalInMinutes"] = target.retry
                    info_at = (*target_compiled, "ChannelTargetInfo")
                    paths.add((*info_at, "ContactChannelId"), (*target_at, "channel"))
                    paths.add((*info_at, "RetryIntervalInMinutes"), (*target_at, "retry"))
                    targets.append({"ChannelTargetInfo": info})
                else:
                    name = str(target.contact)
                    if name not in contacts:
                        problems.append(
                            source.problem(
                                (*target_at, "contact"),
                                f"no contact named {name!r} in this scenario" + _known(contacts),
                            )
                        )
                        continue
                    info_at = (*target_compiled, "ContactTargetInfo")
                    paths.add((*info_at, "ContactId"), (*target_at, "contact"))
                    paths.add((*info_at, "IsEssential"), (*target_at, "essential"))
                    targets.append(
                        {
                            "ContactTargetInfo": {
                                "ContactId": organisation.aliases[name],
                                "IsEssential": bool(target.essential),
                            }
                        }
                    )
            stages.append({"DurationInMinutes": stage.duration, "Targets": targets})
        record: dict[str, Any] = {"ContactArn": organisation.aliases[alias], "Alias": alias}
        if contact.name is not None:
            record["DisplayName"] = contact.name
        record["Type"] = kind
        record["Plan"] = {"Stages": stages}
        organisation.contacts.append(record)


def _short_type(
    alias: str, contact: ShortContact, at: FieldPath, source: Source, problems: list[Problem]
) -> str | None:
    targets = [target for stage in contact.plan for target in stage.targets]
    names_contacts = any(target.contact is not None for target in targets)
    names_channels = any(target.channel is not None for target in targets)
    kind = contact.type or ("ESCALATION" if names_contacts else "PERSONAL")
    if kind == "PERSONAL" and names_contacts:
        problems.append(
            source.problem(
                (*at, "plan"),
                f"contact {alias!r} is PERSONAL, so its plan targets its own channels; "
                "'contact:' targets belong in an escalation plan",
            )
        )
        return None
    if kind == "ESCALATION" and (names_channels or contact.channels):
        problems.append(
            source.problem(
                (*at, "channels") if contact.channels else (*at, "plan"),
                f"contact {alias!r} is an escalation plan: it has no channels of its own and "
                "its plan targets contacts",
            )
        )
        return None
    return kind


def _short_channels(
    alias: str,
    contact: ShortContact,
    at: FieldPath,
    account: str,
    region: str,
    organisation: Organisation,
) -> dict[str, str]:
    arns: dict[str, str] = {}
    for name, channel in contact.channels.items():
        channel_id = uuid.uuid5(CHANNEL_NAMESPACE, f"{alias}/{name}")
        arn = make_arn(region, account, "contact-channel", alias, str(channel_id))
        arns[name] = arn
        channel_at = (*at, "channels", name)
        compiled: FieldPath = ("channels", len(organisation.channels))
        organisation.paths.add(compiled, channel_at)
        organisation.paths.add((*compiled, "Name"), channel_at)
        organisation.paths.add((*compiled, "Type"), (*channel_at, "type"))
        organisation.paths.add((*compiled, "DeliveryAddress"), (*channel_at, "address"))
        organisation.paths.add(
            (*compiled, "DeliveryAddress", "SimpleAddress"), (*channel_at, "address")
        )
        organisation.paths.add((*compiled, "ActivationStatus"), (*channel_at, "activated"))
        organisation.channels.append(
            {
                "ContactChannelArn": arn,
                "ContactArn": organisation.aliases[alias],
                "Name": name,
                "Type": channel.type,
                "DeliveryAddress": {"SimpleAddress": channel.address},
                "ActivationStatus": "ACTIVATED" if channel.activated else "NOT_ACTIVATED",
            }
        )
        organisation.channel_names[arn] = name
    return arns


def _known(names: dict[str, Any]) -> str:
    if not names:
        return " (it has none)"
    return f" (known: {', '.join(names)})"


def contact_alias(arn: str) -> str:
    """The alias inside a contact ARN, or the text itself when it is not one."""
    parsed = parse_arn(arn)
    if parsed is not None and parsed.parts:
        return parsed.parts[0]
    return arn
