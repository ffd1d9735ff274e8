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
from collections.abc import Mapping
from typing import NotRequired, TypedDict, cast

from engine.arns import make_arn, parse_arn
from engine.scenario.errors import Problem
from engine.scenario.model import (
    AwsChannel,
    AwsContact,
    AwsOverride,
    AwsRotation,
    ShortContact,
    ShortRotation,
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

    ``contacts_at``, ``channels_at``, ``rotations_at`` and ``overrides_at`` are where the keys
    sit in the file (a scenario of a multi-scenario file may inherit them from the top level).
    ``start`` is the scenario's start, the StartTime of a short-form rotation that gives none.
    Rotations may be written in either form whatever form the contacts take.
    """
    organisation = Organisation()
    problems: list[Problem] = []
    _name_rotations(rotations, account, region, organisation)
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
    if isinstance(rotations, dict):
        for name, rotation in rotations.items():
            _compile_short_rotation(
                name, rotation, (*rotations_at, name), start, source, organisation, problems
            )
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
        record = cast(ContactRecord, contact.model_dump(exclude_none=True, exclude={"channels"}))
        if contact.Plan.RotationIds:
            # A rotation of the scenario may be named instead of written as its ARN.
            names = organisation.rotation_names
            ids = contact.Plan.RotationIds
            record["Plan"]["RotationIds"] = [names.get(item, item) for item in ids]
        organisation.paths.add(("contacts", len(organisation.contacts)), at)
        organisation.contacts.append(record)
        organisation.aliases.setdefault(contact.Alias, contact.ContactArn)
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
    record = channel.model_dump(exclude_none=True) | {"ContactArn": owner}
    organisation.paths.add(("channels", len(organisation.channels)), at)
    organisation.channels.append(
        cast(ChannelRecord, {key: record[key] for key in AwsChannel.model_fields if key in record})
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
    for alias, contact in contacts.items():
        at = (*contacts_at, alias)
        if not ALIAS.match(alias):
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
        paths.add(compiled, at, DisplayName="name", Plan="plan")
        paths.add((*compiled, "Alias"), at)
        paths.add((*compiled, "Type"), (*at, "type") if contact.type else at)
        if kind == "ONCALL_SCHEDULE":
            schedule = _short_schedule(alias, contact, at, compiled, source, organisation, problems)
            if schedule is not None:
                organisation.contacts.append(schedule)
            continue
        channel_arns = _short_channels(alias, contact, at, account, region, organisation)
        stages = []
        for number, stage in enumerate(contact.plan):
            stage_at = (*at, "plan", number)
            stage_compiled = (*compiled, "Plan", "Stages", number)
            paths.add(stage_compiled, stage_at, DurationInMinutes="duration", Targets="targets")
            targets: list[object] = []
            for position, target in enumerate(stage.targets):
                target_at = (*stage_at, "targets", position)
                target_compiled = (*stage_compiled, "Targets", position)
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
                    info: dict[str, object] = {"ContactChannelId": arn}
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
        organisation.contacts.append(
            _contact_record(organisation, alias, contact, kind, {"Stages": stages})
        )


def _short_type(
    alias: str, contact: ShortContact, at: FieldPath, source: Source, problems: list[Problem]
) -> str | None:
    targets = [target for stage in contact.plan for target in stage.targets]
    names_contacts = any(target.contact is not None for target in targets)
    names_channels = any(target.channel is not None for target in targets)
    if contact.type is not None:
        kind = contact.type
    elif contact.rotations is not None:
        kind = "ONCALL_SCHEDULE"
    else:
        kind = "ESCALATION" if names_contacts else "PERSONAL"
    if kind == "ONCALL_SCHEDULE":
        if contact.channels or contact.plan:
            problems.append(
                source.problem(
                    (*at, "channels") if contact.channels else (*at, "plan"),
                    f"contact {alias!r} is an on-call schedule: it pages through its rotations "
                    "and has no channels or plan of its own",
                )
            )
            return None
        if contact.rotations is None:
            problems.append(
                source.problem(at, f"on-call schedule {alias!r} needs 'rotations:' (a list)")
            )
            return None
        return kind
    if contact.rotations is not None:
        problems.append(
            source.problem(
                (*at, "rotations"),
                f"contact {alias!r} is {kind}; only an on-call schedule (type ONCALL_SCHEDULE) "
                "lists rotations",
            )
        )
        return None
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
        organisation.paths.add(
            compiled,
            channel_at,
            Type="type",
            DeliveryAddress="address",
            ActivationStatus="activated",
        )
        organisation.paths.add((*compiled, "Name"), channel_at)
        organisation.paths.add(
            (*compiled, "DeliveryAddress", "SimpleAddress"), (*channel_at, "address")
        )
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


def _short_schedule(
    alias: str,
    contact: ShortContact,
    at: FieldPath,
    compiled: FieldPath,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> ContactRecord | None:
    """The get-contact record of a short-form on-call schedule, or None with its problems."""
    rotation_ids: list[str] = []
    found = False
    organisation.paths.add((*compiled, "Plan", "RotationIds"), (*at, "rotations"))
    for position, name in enumerate(contact.rotations or []):
        item_at = (*at, "rotations", position)
        arn = name if name.startswith("arn:") else organisation.rotation_names.get(name)
        if arn is None:
            found = True
            problems.append(
                source.problem(
                    item_at,
                    f"no rotation named {name!r} in this scenario"
                    + _known(organisation.rotation_names),
                )
            )
            continue
        rotation_ids.append(arn)
    if found:
        return None
    return _contact_record(
        organisation, alias, contact, "ONCALL_SCHEDULE", {"RotationIds": rotation_ids}
    )


def _contact_record(
    organisation: Organisation,
    alias: str,
    contact: ShortContact,
    kind: str,
    plan: dict[str, object],
) -> ContactRecord:
    name = {} if contact.name is None else {"DisplayName": contact.name}
    arn = organisation.aliases[alias]
    record = {"ContactArn": arn, "Alias": alias, **name, "Type": kind, "Plan": plan}
    return cast(ContactRecord, record)


def _name_rotations(
    rotations: list[AwsRotation] | dict[str, ShortRotation] | None,
    account: str,
    region: str,
    organisation: Organisation,
) -> None:
    """Fill ``rotation_names`` first: schedules name rotations declared after them."""
    if isinstance(rotations, dict):
        for name in rotations:
            rotation_id = uuid.uuid5(ROTATION_NAMESPACE, name)
            organisation.rotation_names[name] = make_arn(
                region, account, "rotation", str(rotation_id)
            )
        return
    for rotation in rotations or []:
        organisation.rotation_names.setdefault(rotation.Name, rotation.RotationArn)


def _hand_off(time: dt.time) -> dict[str, int]:
    return {"HourOfDay": time.hour, "MinuteOfHour": time.minute}


def _short_recurrence(
    rotation: ShortRotation, at: FieldPath, compiled: FieldPath, paths: PathMap
) -> dict[str, object]:
    """The RecurrenceSettings of a short-form rotation, recording where each field came from."""
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
        recurrence["WeeklySettings"] = [
            {"DayOfWeek": item.day, "HandOffTime": _hand_off(item.at)} for item in rotation.weekly
        ]
        for n in range(len(rotation.weekly)):
            weekly_at = (*at, "weekly", n)
            paths.add(
                (*compiled, "WeeklySettings", n), weekly_at, DayOfWeek="day", HandOffTime="at"
            )
    elif rotation.monthly is not None:
        paths.add(compiled, at, MonthlySettings="monthly")
        recurrence["MonthlySettings"] = [
            {"DayOfMonth": item.day, "HandOffTime": _hand_off(item.at)} for item in rotation.monthly
        ]
        for n in range(len(rotation.monthly)):
            monthly_at = (*at, "monthly", n)
            paths.add(
                (*compiled, "MonthlySettings", n), monthly_at, DayOfMonth="day", HandOffTime="at"
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


def _members(
    names: list[str],
    at: FieldPath,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> list[str] | None:
    """Contact ARNs for aliases (ARNs pass through), or None with a problem per unknown one."""
    arns: list[str] = []
    for position, name in enumerate(names):
        arn = name if name.startswith("arn:") else organisation.aliases.get(name)
        if arn is None:
            problems.append(
                source.problem(
                    (*at, position),
                    f"no contact named {name!r} in this scenario" + _known(organisation.aliases),
                )
            )
            continue
        arns.append(arn)
    return arns if len(arns) == len(names) else None


def _compile_short_rotation(
    name: str,
    rotation: ShortRotation,
    at: FieldPath,
    start: dt.datetime | None,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> None:
    arn = organisation.rotation_names[name]
    compiled: FieldPath = ("rotations", len(organisation.rotations))
    paths = organisation.paths
    paths.add(compiled, at, ContactIds="members", TimeZoneId="zone")
    paths.add((*compiled, "Name"), at)
    paths.add((*compiled, "StartTime"), (*at, "start") if rotation.start else at)
    members = _members(rotation.members, (*at, "members"), source, organisation, problems)
    rotation_start = rotation.start or start
    if rotation_start is None:
        problems.append(
            source.problem(
                at,
                f"rotation {name!r} needs 'start:' (an ISO 8601 instant) when the scenario has "
                "no start",
            )
        )
    recurrence = _short_recurrence(rotation, at, (*compiled, "Recurrence"), paths)
    override_records = _short_overrides(name, arn, rotation, at, source, organisation, problems)
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
        paths.add(
            override_compiled,
            override_at,
            NewContactIds="members",
            StartTime="start",
            EndTime="end",
        )
        paths.add((*override_compiled, "RotationArn"), at)
        paths.add((*override_compiled, "RotationOverrideId"), override_at)
        organisation.overrides.append(record)


def _short_overrides(
    name: str,
    arn: str,
    rotation: ShortRotation,
    at: FieldPath,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> list[tuple[OverrideRecord, FieldPath]] | None:
    """get-rotation-override records of a short-form rotation's overrides, in order."""
    records: list[tuple[OverrideRecord, FieldPath]] = []
    ok = True
    for position, override in enumerate(rotation.overrides):
        override_at = (*at, "overrides", position)
        members = _members(
            override.members, (*override_at, "members"), source, organisation, problems
        )
        label = override.id if override.id is not None else str(position)
        override_id = str(uuid.uuid5(ROTATION_NAMESPACE, f"{name}/override/{label}"))
        if override.id is not None:
            if override.id in organisation.override_ids:
                problems.append(
                    source.problem(
                        (*override_at, "id"), f"override id {override.id!r} is used twice"
                    )
                )
                ok = False
            organisation.override_ids.setdefault(override.id, override_id)
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
