"""Compiling a scenario's organisation into the AWS shapes the simulator imports.

Both forms end as four lists of records as ``get-contact``, ``list-contact-channels``,
``get-rotation`` and ``get-rotation-override`` print them, so there is one import path. The
short form mints ARNs from uuid5s of names (``contact/<alias>``, ``contact-channel/<alias>/<uuid
of alias/name>``, ``rotation/<uuid of name>``, overrides by ``<rotation>/override/<id or
position>``), so a file always gives the same ARNs. A :class:`PathMap` remembers where each
compiled field came from: an import error about ``contacts[2].Plan.Stages[0].DurationInMinutes``
points at ``contacts.akuam.plan[0].duration``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict, cast

from engine.arns import make_arn, parse_arn
from engine.scenario.errors import Problem
from engine.scenario.model import (
    AwsChannel,
    AwsContact,
    AwsOverride,
    AwsRotation,
    ShortContact,
    ShortMonthly,
    ShortRotation,
    ShortWeekly,
)
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source

__all__ = [
    "ALIAS",
    "CHANNEL_NAMESPACE",
    "ROTATION_NAMESPACE",
    "ChannelRecord",
    "ContactRecord",
    "Organisation",
    "OverrideRecord",
    "PathMap",
    "RotationRecord",
    "compile_organisation",
    "contact_alias",
]

CHANNEL_NAMESPACE = uuid.UUID("6f1c7c52-5a8e-4f8e-9d1a-3c0a2b7e4d10")
"""Namespace of the uuid5 that names short-form channels; changing it changes every ARN."""

ROTATION_NAMESPACE = uuid.UUID("2b0f9e64-8d3c-4a71-b5e2-91c7d4a6f3b8")
"""Namespace of the uuid5s that name short-form rotations and overrides."""

_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

ALIAS = re.compile(r"^[a-z0-9_\-]{1,255}$")


@dataclasses.dataclass
class PathMap:
    """Compiled field path -> the path in the file it was written at."""

    entries: dict[FieldPath, FieldPath] = dataclasses.field(default_factory=dict)

    def add(self, compiled: FieldPath, source: FieldPath, **fields: str | int) -> None:
        """Map ``compiled`` to ``source``, and each ``compiled.<Field>`` to ``source.<key>``."""
        self.entries[compiled] = source
        for field, key in fields.items():
            self.entries[(*compiled, field)] = (*source, key)

    def to_source(self, compiled: FieldPath) -> FieldPath:
        """The file path of ``compiled``: its longest mapped prefix, plus the rest unchanged."""
        for end in range(len(compiled), 0, -1):
            source = self.entries.get(compiled[:end])
            if source is not None:
                return (*source, *compiled[end:])
        return compiled


class ContactRecord(TypedDict):
    """A contact as get-contact prints it."""

    ContactArn: str
    Alias: str
    DisplayName: NotRequired[str]
    Type: str
    Plan: dict[str, object]


class ChannelRecord(TypedDict):
    """A channel as list-contact-channels prints it."""

    ContactChannelArn: str
    ContactArn: str
    Name: str
    Type: str
    DeliveryAddress: dict[str, str]
    ActivationStatus: NotRequired[str]


class RotationRecord(TypedDict):
    """A rotation as get-rotation prints it."""

    RotationArn: str
    Name: str
    ContactIds: list[str]
    StartTime: dt.datetime
    TimeZoneId: str
    Recurrence: dict[str, object]


class OverrideRecord(TypedDict):
    """A rotation override as get-rotation-override prints it."""

    RotationOverrideId: str
    RotationArn: str
    NewContactIds: list[str]
    StartTime: dt.datetime
    EndTime: dt.datetime
    CreateTime: NotRequired[dt.datetime]


@dataclasses.dataclass
class Organisation:
    """Contacts, channels, rotations and overrides in AWS shapes, and where each came from."""

    contacts: list[ContactRecord] = dataclasses.field(default_factory=list)
    channels: list[ChannelRecord] = dataclasses.field(default_factory=list)
    rotations: list[RotationRecord] = dataclasses.field(default_factory=list)
    overrides: list[OverrideRecord] = dataclasses.field(default_factory=list)
    paths: PathMap = dataclasses.field(default_factory=PathMap)
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    """alias -> contact ARN as written (AWS form) or minted (short form)."""
    channel_names: dict[str, str] = dataclasses.field(default_factory=dict)
    """channel ARN -> its Name, for timelines."""
    rotation_names: dict[str, str] = dataclasses.field(default_factory=dict)
    """rotation Name -> rotation ARN as written (AWS form) or minted (short form); the first
    rotation of a name when several share it."""
    override_ids: dict[str, str] = dataclasses.field(default_factory=dict)
    """``id`` of a short-form override -> its RotationOverrideId."""


def compile_organisation(
    contacts: list[AwsContact] | dict[str, ShortContact] | None,
    channels: list[AwsChannel] | None,
    *,
    contacts_at: FieldPath,
    channels_at: FieldPath,
    account: str,
    region: str,
    source: Source,
    rotations: list[AwsRotation] | dict[str, ShortRotation] | None = None,
    overrides: list[AwsOverride] | None = None,
    rotations_at: FieldPath = ("rotations",),
    overrides_at: FieldPath = ("overrides",),
    start: dt.datetime | None = None,
) -> tuple[Organisation, list[Problem]]:
    """The organisation in AWS shapes, and every problem found (empty when it compiled).

    ``*_at`` say where the keys sit in the file (a scenario may inherit them from the top level);
    ``start`` is the StartTime of a short-form rotation that gives none."""
    compiler = _Compiler(account, region, source)
    organisation = compiler.organisation
    compiler.name_rotations(rotations)
    if isinstance(contacts, dict):
        if channels:
            compiler.problem(
                channels_at,
                "top-level channels go with the AWS form of contacts; in the short form "
                "write each channel under its contact",
            )
        compiler.short_contacts(contacts, contacts_at)
    else:
        compiler.aws_contacts(contacts or [], channels or [], contacts_at, channels_at)
    if isinstance(rotations, dict):
        for name, rotation in rotations.items():
            compiler.short_rotation(name, rotation, (*rotations_at, name), start)
    else:
        for index, aws_rotation in enumerate(rotations or []):
            organisation.paths.add(
                ("rotations", len(organisation.rotations)), (*rotations_at, index)
            )
            organisation.rotations.append(
                cast(RotationRecord, aws_rotation.model_dump(exclude_none=True))
            )
    for index, override in enumerate(overrides or []):
        organisation.paths.add(("overrides", len(organisation.overrides)), (*overrides_at, index))
        organisation.overrides.append(cast(OverrideRecord, override.model_dump(exclude_none=True)))
    return organisation, compiler.problems


def _hand_off(time: dt.time) -> dict[str, int]:
    return {"HourOfDay": time.hour, "MinuteOfHour": time.minute}


class _Compiler:
    """Compiles one organisation, collecting its problems."""

    def __init__(self, account: str, region: str, source: Source) -> None:
        self.account = account
        self.region = region
        self.source = source
        self.organisation = Organisation()
        self.paths = self.organisation.paths
        self.problems: list[Problem] = []

    def problem(self, path: FieldPath, message: str, *, with_value: bool = False) -> None:
        self.problems.append(self.source.problem(path, message, with_value=with_value))

    def arn(self, kind: str, *parts: str) -> str:
        return make_arn(self.region, self.account, kind, *parts)

    # -- AWS form ------------------------------------------------------------------------------

    def aws_contacts(
        self,
        contacts: list[AwsContact],
        channels: list[AwsChannel],
        contacts_at: FieldPath,
        channels_at: FieldPath,
    ) -> None:
        organisation = self.organisation
        for index, contact in enumerate(contacts):
            at = (*contacts_at, index)
            record = contact.model_dump(exclude_none=True, exclude={"channels"})
            if contact.Plan.RotationIds:
                # A rotation of the scenario may be named instead of written as its ARN.
                names = organisation.rotation_names
                ids = contact.Plan.RotationIds
                record["Plan"]["RotationIds"] = [names.get(item, item) for item in ids]
            self.paths.add(("contacts", len(organisation.contacts)), at)
            organisation.contacts.append(cast(ContactRecord, record))
            organisation.aliases.setdefault(contact.Alias, contact.ContactArn)
            for number, channel in enumerate(contact.channels):
                channel_at = (*at, "channels", number)
                owner = channel.ContactArn
                if owner is not None and owner != contact.ContactArn:
                    self.problem(
                        (*channel_at, "ContactArn"),
                        f"a channel listed under contact {contact.Alias!r} must belong to "
                        f"{contact.ContactArn}",
                        with_value=True,
                    )
                    continue
                self.aws_channel(channel, contact.ContactArn, channel_at)
        for number, channel in enumerate(channels):
            channel_at = (*channels_at, number)
            if channel.ContactArn is None:
                self.problem(
                    channel_at,
                    "a channel listed at the top level needs ContactArn (or list it under its "
                    "contact's channels)",
                )
                continue
            self.aws_channel(channel, channel.ContactArn, channel_at)

    def aws_channel(self, channel: AwsChannel, owner: str, at: FieldPath) -> None:
        record = channel.model_dump(exclude_none=True) | {"ContactArn": owner}
        ordered = {key: record[key] for key in AwsChannel.model_fields if key in record}
        self.paths.add(("channels", len(self.organisation.channels)), at)
        self.organisation.channels.append(cast(ChannelRecord, ordered))
        self.organisation.channel_names[channel.ContactChannelArn] = channel.Name

    # -- short form: contacts ------------------------------------------------------------------

    def short_contacts(self, contacts: dict[str, ShortContact], contacts_at: FieldPath) -> None:
        organisation = self.organisation
        for alias in contacts:
            organisation.aliases[alias] = self.arn("contact", alias)
        for alias, contact in contacts.items():
            at = (*contacts_at, alias)
            if not ALIAS.match(alias):
                self.problem(
                    at,
                    f"alias {alias!r} may hold only lower-case letters, digits, '_' and '-' "
                    "(1 to 255 of them)",
                )
                continue
            kind = self.short_type(alias, contact, at)
            if kind is None:
                continue
            compiled: FieldPath = ("contacts", len(organisation.contacts))
            self.paths.add(compiled, at, DisplayName="name", Plan="plan")
            self.paths.add((*compiled, "Alias"), at)
            self.paths.add((*compiled, "Type"), (*at, "type") if contact.type else at)
            if kind == "ONCALL_SCHEDULE":
                rotation_ids = self.schedule_rotations(contact, at, compiled)
                plan: dict[str, object] | None = (
                    None if rotation_ids is None else {"RotationIds": rotation_ids}
                )
            else:
                channel_arns = self.short_channels(alias, contact, at)
                plan = {"Stages": self.stages(alias, contact, at, compiled, channel_arns, contacts)}
            if plan is not None:
                name = {} if contact.name is None else {"DisplayName": contact.name}
                record = {"ContactArn": organisation.aliases[alias], "Alias": alias, **name}
                organisation.contacts.append(
                    cast(ContactRecord, record | {"Type": kind, "Plan": plan})
                )

    def stages(
        self,
        alias: str,
        contact: ShortContact,
        at: FieldPath,
        compiled: FieldPath,
        channel_arns: dict[str, str],
        contacts: dict[str, ShortContact],
    ) -> list[object]:
        """The Stages of a short-form plan, recording where each field came from."""
        stages: list[object] = []
        for number, stage in enumerate(contact.plan):
            stage_at = (*at, "plan", number)
            stage_compiled = (*compiled, "Plan", "Stages", number)
            self.paths.add(
                stage_compiled, stage_at, DurationInMinutes="duration", Targets="targets"
            )
            targets: list[object] = []
            for position, target in enumerate(stage.targets):
                target_at = (*stage_at, "targets", position)
                target_compiled = (*stage_compiled, "Targets", position)
                if target.channel is not None:
                    arn = channel_arns.get(target.channel)
                    if arn is None:
                        self.problem(
                            (*target_at, "channel"),
                            f"no channel named {target.channel!r} on contact {alias!r}"
                            + _known(channel_arns),
                        )
                        continue
                    info: dict[str, object] = {"ContactChannelId": arn}
                    if target.retry is not None:
                        info["RetryIntervalInMinutes"] = target.retry
                    info_at = (*target_compiled, "ChannelTargetInfo")
                    self.paths.add((*info_at, "ContactChannelId"), (*target_at, "channel"))
                    self.paths.add((*info_at, "RetryIntervalInMinutes"), (*target_at, "retry"))
                    targets.append({"ChannelTargetInfo": info})
                    continue
                name = str(target.contact)
                if name not in contacts:
                    self.problem(
                        (*target_at, "contact"),
                        f"no contact named {name!r} in this scenario" + _known(contacts),
                    )
                    continue
                info_at = (*target_compiled, "ContactTargetInfo")
                self.paths.add((*info_at, "ContactId"), (*target_at, "contact"))
                self.paths.add((*info_at, "IsEssential"), (*target_at, "essential"))
                contact_arn = self.organisation.aliases[name]
                essential = bool(target.essential)
                targets.append(
                    {"ContactTargetInfo": {"ContactId": contact_arn, "IsEssential": essential}}
                )
            stages.append({"DurationInMinutes": stage.duration, "Targets": targets})
        return stages

    def short_type(self, alias: str, contact: ShortContact, at: FieldPath) -> str | None:
        """The contact's type, or None with a problem when its keys do not fit the type."""
        targets = [target for stage in contact.plan for target in stage.targets]
        names_contacts = any(target.contact is not None for target in targets)
        names_channels = any(target.channel is not None for target in targets)
        if contact.type is not None:
            kind = contact.type
        elif contact.rotations is not None:
            kind = "ONCALL_SCHEDULE"
        else:
            kind = "ESCALATION" if names_contacts else "PERSONAL"
        own = (*at, "channels") if contact.channels else (*at, "plan")
        if kind == "ONCALL_SCHEDULE" and (contact.channels or contact.plan):
            self.problem(
                own,
                f"contact {alias!r} is an on-call schedule: it pages through its rotations "
                "and has no channels or plan of its own",
            )
        elif kind == "ONCALL_SCHEDULE" and contact.rotations is None:
            self.problem(at, f"on-call schedule {alias!r} needs 'rotations:' (a list)")
        elif kind != "ONCALL_SCHEDULE" and contact.rotations is not None:
            self.problem(
                (*at, "rotations"),
                f"contact {alias!r} is {kind}; only an on-call schedule (type ONCALL_SCHEDULE) "
                "lists rotations",
            )
        elif kind == "PERSONAL" and names_contacts:
            self.problem(
                (*at, "plan"),
                f"contact {alias!r} is PERSONAL, so its plan targets its own channels; "
                "'contact:' targets belong in an escalation plan",
            )
        elif kind == "ESCALATION" and (names_channels or contact.channels):
            self.problem(
                own,
                f"contact {alias!r} is an escalation plan: it has no channels of its own and "
                "its plan targets contacts",
            )
        else:
            return kind
        return None

    def short_channels(self, alias: str, contact: ShortContact, at: FieldPath) -> dict[str, str]:
        """Channel name -> minted ARN, for the channels of a short-form contact."""
        arns: dict[str, str] = {}
        for name, channel in contact.channels.items():
            arn = self.arn(
                "contact-channel", alias, str(uuid.uuid5(CHANNEL_NAMESPACE, f"{alias}/{name}"))
            )
            arns[name] = arn
            channel_at = (*at, "channels", name)
            compiled: FieldPath = ("channels", len(self.organisation.channels))
            self.paths.add(
                compiled,
                channel_at,
                Type="type",
                DeliveryAddress="address",
                ActivationStatus="activated",
            )
            self.paths.add((*compiled, "Name"), channel_at)
            self.paths.add(
                (*compiled, "DeliveryAddress", "SimpleAddress"), (*channel_at, "address")
            )
            self.organisation.channels.append(
                ChannelRecord(
                    ContactChannelArn=arn,
                    ContactArn=self.organisation.aliases[alias],
                    Name=name,
                    Type=channel.type,
                    DeliveryAddress={"SimpleAddress": channel.address},
                    ActivationStatus="ACTIVATED" if channel.activated else "NOT_ACTIVATED",
                )
            )
            self.organisation.channel_names[arn] = name
        return arns

    def schedule_rotations(
        self, contact: ShortContact, at: FieldPath, compiled: FieldPath
    ) -> list[str] | None:
        """The RotationIds of a short-form on-call schedule, or None with its problems."""
        names = self.organisation.rotation_names
        self.paths.add((*compiled, "Plan", "RotationIds"), (*at, "rotations"))
        rotation_ids: list[str] = []
        for position, name in enumerate(contact.rotations or []):
            arn = name if name.startswith("arn:") else names.get(name)
            if arn is None:
                self.problem(
                    (*at, "rotations", position),
                    f"no rotation named {name!r} in this scenario" + _known(names),
                )
                continue
            rotation_ids.append(arn)
        return rotation_ids if len(rotation_ids) == len(contact.rotations or []) else None

    # -- short form: rotations and overrides ---------------------------------------------------

    def name_rotations(
        self, rotations: list[AwsRotation] | dict[str, ShortRotation] | None
    ) -> None:
        """Fill ``rotation_names`` first: schedules name rotations declared after them."""
        names = self.organisation.rotation_names
        if isinstance(rotations, dict):
            for name in rotations:
                names[name] = self.arn("rotation", str(uuid.uuid5(ROTATION_NAMESPACE, name)))
            return
        for rotation in rotations or []:
            names.setdefault(rotation.Name, rotation.RotationArn)

    def members(self, names: list[str], at: FieldPath) -> list[str] | None:
        """Contact ARNs for aliases (ARNs pass through), or None with a problem per unknown one."""
        aliases = self.organisation.aliases
        arns: list[str] = []
        for position, name in enumerate(names):
            arn = name if name.startswith("arn:") else aliases.get(name)
            if arn is None:
                self.problem(
                    (*at, position),
                    f"no contact named {name!r} in this scenario" + _known(aliases),
                )
                continue
            arns.append(arn)
        return arns if len(arns) == len(names) else None

    def short_rotation(
        self, name: str, rotation: ShortRotation, at: FieldPath, start: dt.datetime | None
    ) -> None:
        organisation = self.organisation
        arn = organisation.rotation_names[name]
        compiled: FieldPath = ("rotations", len(organisation.rotations))
        self.paths.add(compiled, at, ContactIds="members", TimeZoneId="zone")
        self.paths.add((*compiled, "Name"), at)
        self.paths.add((*compiled, "StartTime"), (*at, "start") if rotation.start else at)
        members = self.members(rotation.members, (*at, "members"))
        rotation_start = rotation.start or start
        if rotation_start is None:
            self.problem(
                at,
                f"rotation {name!r} needs 'start:' (an ISO 8601 instant) when the scenario has "
                "no start",
            )
        recurrence = self.recurrence(rotation, at, (*compiled, "Recurrence"))
        override_records = self.overrides(name, arn, rotation, at)
        if members is None or rotation_start is None or override_records is None:
            return
        organisation.rotations.append(
            RotationRecord(
                RotationArn=arn,
                Name=name,
                ContactIds=members,
                StartTime=rotation_start,
                TimeZoneId=rotation.zone,
                Recurrence=recurrence,
            )
        )
        for record, override_at in override_records:
            override_compiled: FieldPath = ("overrides", len(organisation.overrides))
            self.paths.add(
                override_compiled,
                override_at,
                NewContactIds="members",
                StartTime="start",
                EndTime="end",
            )
            self.paths.add((*override_compiled, "RotationArn"), at)
            self.paths.add((*override_compiled, "RotationOverrideId"), override_at)
            organisation.overrides.append(record)

    def recurrence(
        self, rotation: ShortRotation, at: FieldPath, compiled: FieldPath
    ) -> dict[str, object]:
        """The RecurrenceSettings of a short-form rotation, recording where each field came from."""
        paths = self.paths
        recurrence: dict[str, object] = {
            "NumberOfOnCalls": rotation.on_calls,
            "RecurrenceMultiplier": rotation.every,
        }
        paths.add(compiled, at, NumberOfOnCalls="on_calls", RecurrenceMultiplier="every")
        if rotation.daily is not None:
            paths.add(compiled, at, DailySettings="daily")
            recurrence["DailySettings"] = [_hand_off(time) for time in rotation.daily]
        elif rotation.weekly is not None:
            paths.add(compiled, at, WeeklySettings="weekly")
            recurrence["WeeklySettings"] = self.hand_offs(
                rotation.weekly, "DayOfWeek", (*at, "weekly"), (*compiled, "WeeklySettings")
            )
        elif rotation.monthly is not None:
            paths.add(compiled, at, MonthlySettings="monthly")
            recurrence["MonthlySettings"] = self.hand_offs(
                rotation.monthly, "DayOfMonth", (*at, "monthly"), (*compiled, "MonthlySettings")
            )
        if rotation.coverage is not None:
            paths.add(compiled, at, ShiftCoverages="coverage")
            coverages: dict[str, list[dict[str, object]]] = {}
            for day, windows in sorted(rotation.coverage.items(), key=lambda i: _DAYS.index(i[0])):
                coverages[day] = [
                    {"Start": _hand_off(low), "End": _hand_off(high)} for low, high in windows
                ]
                for n in range(len(windows)):
                    window = (*compiled, "ShiftCoverages", day, n)
                    paths.add(window, (*at, "coverage", day, n), Start=0, End=1)
            recurrence["ShiftCoverages"] = coverages
        return recurrence

    def hand_offs(
        self,
        items: Sequence[ShortWeekly | ShortMonthly],
        day_key: str,
        at: FieldPath,
        compiled: FieldPath,
    ) -> list[dict[str, object]]:
        """Weekly or monthly hand-offs, recording where each field came from."""
        for n in range(len(items)):
            self.paths.add((*compiled, n), (*at, n), **{day_key: "day", "HandOffTime": "at"})
        return [{day_key: item.day, "HandOffTime": _hand_off(item.at)} for item in items]

    def overrides(
        self, name: str, arn: str, rotation: ShortRotation, at: FieldPath
    ) -> list[tuple[OverrideRecord, FieldPath]] | None:
        """get-rotation-override records of a short-form rotation's overrides, in order."""
        override_ids = self.organisation.override_ids
        records: list[tuple[OverrideRecord, FieldPath]] = []
        ok = True
        for position, override in enumerate(rotation.overrides):
            override_at = (*at, "overrides", position)
            members = self.members(override.members, (*override_at, "members"))
            label = override.id if override.id is not None else str(position)
            override_id = str(uuid.uuid5(ROTATION_NAMESPACE, f"{name}/override/{label}"))
            if override.id is not None:
                if override.id in override_ids:
                    self.problem((*override_at, "id"), f"override id {override.id!r} is used twice")
                    ok = False
                override_ids.setdefault(override.id, override_id)
            if members is None:
                ok = False
                continue
            record = OverrideRecord(
                RotationOverrideId=override_id,
                RotationArn=arn,
                NewContactIds=members,
                StartTime=override.start,
                EndTime=override.end,
            )
            records.append((record, override_at))
        return records if ok else None


def _known(names: Mapping[str, object]) -> str:
    if not names:
        return " (it has none)"
    return f" (known: {', '.join(names)})"


def contact_alias(arn: str) -> str:
    """The alias inside a contact ARN, or the text itself when it is not one."""
    parsed = parse_arn(arn)
    if parsed is not None and parsed.parts:
        return parsed.parts[0]
    return arn
