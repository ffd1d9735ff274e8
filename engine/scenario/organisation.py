"""Compiling a scenario's organisation into the AWS shapes the simulator imports.

Both forms end as four lists, contacts as ``get-contact`` prints them, channels as
``list-contact-channels`` prints them, rotations as ``get-rotation`` and overrides as
``get-rotation-override`` print them, so there is one import path. The short form mints ARNs:
``contact/<alias>`` in the run's account and region, ``contact-channel/<alias>/<uuid>`` with a
uuid5 of ``<alias>/<name>``, ``rotation/<uuid>`` with a uuid5 of the rotation's name, and override
ids with a uuid5 of ``<rotation name>/override/<id or position>``, so the same file always gives
the same ARNs. A :class:`PathMap` remembers where each compiled field came from, so that an error
the import reports about ``contacts[2].Plan.Stages[0].DurationInMinutes`` points at
``contacts.akuam.plan[0].duration``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from typing import Any

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
    "CHANNEL_NAMESPACE",
    "ROTATION_NAMESPACE",
    "Organisation",
    "PathMap",
    "compile_organisation",
    "contact_alias",
]

CHANNEL_NAMESPACE = uuid.UUID("6f1c7c52-5a8e-4f8e-9d1a-3c0a2b7e4d10")
"""Namespace of the uuid5 that names short-form channels; changing it changes every ARN."""

ROTATION_NAMESPACE = uuid.UUID("2b0f9e64-8d3c-4a71-b5e2-91c7d4a6f3b8")
"""Namespace of the uuid5s that name short-form rotations and overrides."""

_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

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
    """Contacts, channels, rotations and overrides in AWS shapes, and where each came from."""

    contacts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    channels: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    rotations: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    overrides: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    paths: PathMap = dataclasses.field(default_factory=PathMap)
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    """alias -> contact ARN as written (AWS form) or minted (short form)."""
    alias_paths: dict[str, FieldPath] = dataclasses.field(default_factory=dict)
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
            organisation.rotations.append(aws_rotation.model_dump(exclude_none=True))
    for index, override in enumerate(overrides or []):
        organisation.paths.add(("overrides", len(organisation.overrides)), (*overrides_at, index))
        organisation.overrides.append(override.model_dump(exclude_none=True))
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
        rotation_ids = record["Plan"].get("RotationIds")
        if rotation_ids:
            # A rotation of the scenario may be named instead of written as its ARN.
            names = organisation.rotation_names
            record["Plan"]["RotationIds"] = [names.get(item, item) for item in rotation_ids]
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


def _short_schedule(
    alias: str,
    contact: ShortContact,
    at: FieldPath,
    compiled: FieldPath,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> dict[str, Any] | None:
    """The get-contact record of a short-form on-call schedule, or None with its problems."""
    rotation_ids: list[str] = []
    found = False
    organisation.paths.add((*compiled, "Plan", "RotationIds"), (*at, "rotations"))
    for position, name in enumerate(contact.rotations or []):
        item_at = (*at, "rotations", position)
        organisation.paths.add((*compiled, "Plan", "RotationIds", position), item_at)
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
    record: dict[str, Any] = {"ContactArn": organisation.aliases[alias], "Alias": alias}
    if contact.name is not None:
        record["DisplayName"] = contact.name
    record["Type"] = "ONCALL_SCHEDULE"
    record["Plan"] = {"RotationIds": rotation_ids}
    return record


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
) -> dict[str, Any]:
    """The RecurrenceSettings of a short-form rotation, recording where each field came from."""
    recurrence: dict[str, Any] = {
        "NumberOfOnCalls": rotation.on_calls,
        "RecurrenceMultiplier": rotation.every,
    }
    paths.add(compiled, at)
    paths.add((*compiled, "NumberOfOnCalls"), (*at, "on_calls"))
    paths.add((*compiled, "RecurrenceMultiplier"), (*at, "every"))
    if rotation.daily is not None:
        paths.add((*compiled, "DailySettings"), (*at, "daily"))
        recurrence["DailySettings"] = [_hand_off(time) for time in rotation.daily]
        for n in range(len(rotation.daily)):
            paths.add((*compiled, "DailySettings", n), (*at, "daily", n))
    elif rotation.weekly is not None:
        paths.add((*compiled, "WeeklySettings"), (*at, "weekly"))
        recurrence["WeeklySettings"] = [
            {"DayOfWeek": item.day, "HandOffTime": _hand_off(item.at)} for item in rotation.weekly
        ]
        for n in range(len(rotation.weekly)):
            paths.add((*compiled, "WeeklySettings", n), (*at, "weekly", n))
            paths.add((*compiled, "WeeklySettings", n, "DayOfWeek"), (*at, "weekly", n, "day"))
            paths.add((*compiled, "WeeklySettings", n, "HandOffTime"), (*at, "weekly", n, "at"))
    elif rotation.monthly is not None:
        paths.add((*compiled, "MonthlySettings"), (*at, "monthly"))
        recurrence["MonthlySettings"] = [
            {"DayOfMonth": item.day, "HandOffTime": _hand_off(item.at)} for item in rotation.monthly
        ]
        for n in range(len(rotation.monthly)):
            paths.add((*compiled, "MonthlySettings", n), (*at, "monthly", n))
            paths.add((*compiled, "MonthlySettings", n, "DayOfMonth"), (*at, "monthly", n, "day"))
            paths.add((*compiled, "MonthlySettings", n, "HandOffTime"), (*at, "monthly", n, "at"))
    if rotation.coverage is not None:
        paths.add((*compiled, "ShiftCoverages"), (*at, "coverage"))
        coverages: dict[str, list[dict[str, Any]]] = {}
        for day, windows in sorted(rotation.coverage.items(), key=lambda i: _DAYS.index(i[0])):
            coverages[day] = [
                {"Start": _hand_off(low), "End": _hand_off(high)} for low, high in windows
            ]
            for n in range(len(windows)):
                window_at = (*at, "coverage", day, n)
                paths.add((*compiled, "ShiftCoverages", day, n), window_at)
                paths.add((*compiled, "ShiftCoverages", day, n, "Start"), (*window_at, 0))
                paths.add((*compiled, "ShiftCoverages", day, n, "End"), (*window_at, 1))
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
    paths.add(compiled, at)
    paths.add((*compiled, "Name"), at)
    paths.add((*compiled, "ContactIds"), (*at, "members"))
    for position in range(len(rotation.members)):
        paths.add((*compiled, "ContactIds", position), (*at, "members", position))
    paths.add((*compiled, "TimeZoneId"), (*at, "zone"))
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
        {
            "RotationArn": arn,
            "Name": name,
            "ContactIds": members,
            "StartTime": rotation_start,
            "TimeZoneId": rotation.zone,
            "Recurrence": recurrence,
        }
    )
    for record, override_at in override_records:
        override_compiled: FieldPath = ("overrides", len(organisation.overrides))
        paths.add(override_compiled, override_at)
        paths.add((*override_compiled, "RotationArn"), at)
        paths.add((*override_compiled, "RotationOverrideId"), override_at)
        paths.add((*override_compiled, "NewContactIds"), (*override_at, "members"))
        for position in range(len(record["NewContactIds"])):
            paths.add(
                (*override_compiled, "NewContactIds", position), (*override_at, "members", position)
            )
        paths.add((*override_compiled, "StartTime"), (*override_at, "start"))
        paths.add((*override_compiled, "EndTime"), (*override_at, "end"))
        organisation.overrides.append(record)


def _short_overrides(
    name: str,
    arn: str,
    rotation: ShortRotation,
    at: FieldPath,
    source: Source,
    organisation: Organisation,
    problems: list[Problem],
) -> list[tuple[dict[str, Any], FieldPath]] | None:
    """get-rotation-override records of a short-form rotation's overrides, in order."""
    records: list[tuple[dict[str, Any], FieldPath]] = []
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
        record = {
            "RotationOverrideId": override_id,
            "RotationArn": arn,
            "NewContactIds": members,
            "StartTime": override.start,
            "EndTime": override.end,
        }
        records.append((record, override_at))
    return records if ok else None


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
