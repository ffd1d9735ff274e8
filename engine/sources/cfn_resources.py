"""The four ssm-contacts resource types of a template, as the records the importer takes.

``AWS::SSMContacts::Contact`` (its inline ``Plan`` is a list of stages; ``RotationIds`` in a
stage make an on-call schedule's plan), ``ContactChannel``, ``Plan`` (a contact's plan written
apart, attached by ``ContactId``) and ``Rotation``, with the property names of the resource
schemas (``ChannelId`` for the API's ``ContactChannelId``, hand-off times as ``"HH:MM"``, a
rotation's ``StartTime`` as a wall-clock time in its ``TimeZoneId``). The organisation's
:class:`~engine.scenario.organisation.PathMap` records where each record field was written, so
findings about a record point at the template's lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from engine.oncall import UnknownTimeZone, load_zone
from engine.oncall.zones import wall_to_utc
from engine.scenario.organisation import (
    ChannelRecord,
    ContactRecord,
    Organisation,
    RotationRecord,
)
from engine.scenario.paths import FieldPath
from engine.sources import cfn_values as check
from engine.sources.intrinsics import Resolver, Unresolved

__all__ = ["SSM_TYPES", "Converter"]

CONTACT = "AWS::SSMContacts::Contact"
CHANNEL = "AWS::SSMContacts::ContactChannel"
PLAN = "AWS::SSMContacts::Plan"
ROTATION = "AWS::SSMContacts::Rotation"
SSM_TYPES = (CONTACT, CHANNEL, PLAN, ROTATION)

_PROPERTIES = {
    CONTACT: ("Alias", "DisplayName", "Type", "Plan", "Tags"),
    CHANNEL: ("ChannelAddress", "ChannelName", "ChannelType", "ContactId", "DeferActivation"),
    PLAN: ("ContactId", "Stages", "RotationIds"),
    ROTATION: ("ContactIds", "Name", "Recurrence", "StartTime", "TimeZoneId", "Tags"),
}
_HAND_OFF = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_START = "%Y-%m-%dT%H:%M:%S"

Report = Callable[[FieldPath, str], None]
ResourceValue = Callable[[str, "str | None", FieldPath], Any]


def _hand_off(value: Any, at: FieldPath) -> dict[str, int]:
    text = check.text(value, at)
    match = _HAND_OFF.match(text)
    if match is None:
        raise Unresolved(at, f"must be a time of day HH:MM (got {text!r})")
    return {"HourOfDay": int(match.group(1)), "MinuteOfHour": int(match.group(2))}


class Converter:
    """Turns the kept ssm-contacts resources into the organisation's records."""

    def __init__(
        self,
        resolver: Resolver,
        organisation: Organisation,
        resource_value: ResourceValue,
        fail: Report,
        warn: Report,
    ) -> None:
        self.resolver = resolver
        self.organisation = organisation
        self.paths = organisation.paths
        self.resource_value = resource_value
        self.fail = fail
        self.warn = warn
        self.contact_index: dict[str, int] = {}
        """Contact ARN -> position in ``organisation.contacts``."""
        self.planned: dict[str, str] = {}
        """Contact ARN -> logical id of the Plan resource that set its plan."""

    def convert(self, resources: Mapping[str, Any], kept: list[str], activated: bool) -> None:
        by_kind: dict[str, list[str]] = {kind: [] for kind in SSM_TYPES}
        for logical_id in kept:
            by_kind[resources[logical_id]["Type"]].append(logical_id)
        steps: list[tuple[str, Callable[[str, Mapping[str, Any], FieldPath], None]]] = [
            (CONTACT, self.contact),
            (ROTATION, self.rotation),
            (PLAN, self.plan),
        ]
        for kind, convert in steps:
            for logical_id in by_kind[kind]:
                self._one(resources[logical_id], logical_id, kind, convert)
        for logical_id in by_kind[CHANNEL]:
            self._one(
                resources[logical_id],
                logical_id,
                CHANNEL,
                lambda lid, props, at: self.channel(lid, props, at, activated),
            )

    def _one(
        self,
        body: Mapping[str, Any],
        logical_id: str,
        kind: str,
        convert: Callable[[str, Mapping[str, Any], FieldPath], None],
    ) -> None:
        at: FieldPath = ("Resources", logical_id, "Properties")
        try:
            properties = check.mapping(body.get("Properties", {}), at)
            check.check_keys(properties, _PROPERTIES[kind], at)
            convert(logical_id, properties, at)
        except Unresolved as exc:
            self.fail(exc.path, exc.message)

    def value(self, properties: Mapping[str, Any], name: str, at: FieldPath) -> Any:
        """The resolved value of a required property."""
        return self.resolver.resolve(check.required(properties, name, at), (*at, name))

    def optional_text(self, properties: Mapping[str, Any], name: str, at: FieldPath) -> str | None:
        """A property that does not change paging: one that cannot be read is a warning."""
        if name not in properties:
            return None
        try:
            resolved = self.resolver.resolve(properties[name], (*at, name))
            return check.text(resolved, (*at, name))
        except Unresolved as exc:
            self.warn(exc.path, f"{exc.message} (read without it: it does not change paging)")
            return None

    def tags(self, properties: Mapping[str, Any], at: FieldPath) -> None:
        """Tags do not change paging: they are checked for what can be known, then left out."""
        if "Tags" in properties:
            try:
                self.resolver.resolve(properties["Tags"], (*at, "Tags"))
            except Unresolved as exc:
                self.warn(exc.path, f"{exc.message} (tags are not read: they do not change paging)")

    # -- contacts and plans --------------------------------------------------------------------

    def contact(self, logical_id: str, properties: Mapping[str, Any], at: FieldPath) -> None:
        arn = self.resource_value(logical_id, None, at)
        alias = check.text(self.value(properties, "Alias", at), (*at, "Alias"))
        kind = check.text(self.value(properties, "Type", at), (*at, "Type"))
        if "DisplayName" not in properties:
            raise Unresolved(at, "missing required property 'DisplayName'")
        display = self.optional_text(properties, "DisplayName", at)
        self.tags(properties, at)
        compiled: FieldPath = ("contacts", len(self.organisation.contacts))
        stages = check.items(
            self.resolver.resolve(properties.get("Plan", []), (*at, "Plan")), (*at, "Plan")
        )
        plan = self.stages(stages, (*at, "Plan"), (*compiled, "Plan"), with_rotations=True)
        self.paths.add(
            compiled, at, Alias="Alias", DisplayName="DisplayName", Type="Type", Plan="Plan"
        )
        record: dict[str, object] = {"ContactArn": arn, "Alias": alias}
        if display is not None:
            record["DisplayName"] = display
        record |= {"Type": kind, "Plan": plan}
        self.contact_index[arn] = len(self.organisation.contacts)
        self.organisation.contacts.append(cast(ContactRecord, record))
        self.organisation.aliases.setdefault(alias, arn)

    def stages(
        self, stages: list[Any], at: FieldPath, compiled: FieldPath, *, with_rotations: bool
    ) -> dict[str, object]:
        """A plan's ``Stages`` (and a contact's stages' ``RotationIds``) as the API holds them."""
        plan_stages: list[object] = []
        rotation_ids: list[str] = []
        for number, stage in enumerate(stages):
            stage_at = (*at, number)
            stage = check.mapping(stage, stage_at)
            allowed = ("DurationInMinutes", "Targets", "RotationIds")
            check.check_keys(stage, allowed if with_rotations else allowed[:2], stage_at)
            if "RotationIds" in stage:
                if not rotation_ids:
                    self.paths.add((*compiled, "RotationIds"), (*stage_at, "RotationIds"))
                ids = check.items(stage["RotationIds"], (*stage_at, "RotationIds"))
                rotation_ids += [
                    check.text(v, (*stage_at, "RotationIds", n)) for n, v in enumerate(ids)
                ]
                if "DurationInMinutes" not in stage:
                    continue
            stage_compiled = (*compiled, "Stages", len(plan_stages))
            self.paths.add(stage_compiled, stage_at)
            duration = check.integer(
                check.required(stage, "DurationInMinutes", stage_at),
                (*stage_at, "DurationInMinutes"),
            )
            targets = check.items(stage.get("Targets", []), (*stage_at, "Targets"))
            plan_stages.append(
                {
                    "DurationInMinutes": duration,
                    "Targets": [
                        self.target(
                            target, (*stage_at, "Targets", n), (*stage_compiled, "Targets", n)
                        )
                        for n, target in enumerate(targets)
                    ],
                }
            )
        plan: dict[str, object] = {}
        if plan_stages or not rotation_ids:
            plan["Stages"] = plan_stages
        if rotation_ids:
            plan["RotationIds"] = rotation_ids
        return plan

    def target(self, target: Any, at: FieldPath, compiled: FieldPath) -> dict[str, object]:
        target = check.mapping(target, at)
        check.check_keys(target, ("ChannelTargetInfo", "ContactTargetInfo"), at)
        if "ChannelTargetInfo" in target:
            info_at = (*at, "ChannelTargetInfo")
            info = check.mapping(target["ChannelTargetInfo"], info_at)
            check.check_keys(info, ("ChannelId", "RetryIntervalInMinutes"), info_at)
            channel = check.text(
                check.required(info, "ChannelId", info_at), (*info_at, "ChannelId")
            )
            self.paths.add(
                (*compiled, "ChannelTargetInfo", "ContactChannelId"), (*info_at, "ChannelId")
            )
            out: dict[str, object] = {"ContactChannelId": channel}
            if "RetryIntervalInMinutes" in info:
                out["RetryIntervalInMinutes"] = check.integer(
                    info["RetryIntervalInMinutes"], (*info_at, "RetryIntervalInMinutes")
                )
            return {"ChannelTargetInfo": out}
        if "ContactTargetInfo" in target:
            info_at = (*at, "ContactTargetInfo")
            info = check.mapping(target["ContactTargetInfo"], info_at)
            check.check_keys(info, ("ContactId", "IsEssential"), info_at)
            contact = check.text(
                check.required(info, "ContactId", info_at), (*info_at, "ContactId")
            )
            essential = check.boolean(info.get("IsEssential", False), (*info_at, "IsEssential"))
            return {"ContactTargetInfo": {"ContactId": contact, "IsEssential": essential}}
        raise Unresolved(at, "a target needs ChannelTargetInfo or ContactTargetInfo")

    def plan(self, logical_id: str, properties: Mapping[str, Any], at: FieldPath) -> None:
        owner = check.text(self.value(properties, "ContactId", at), (*at, "ContactId"))
        index = self.contact_index.get(owner)
        if index is None:
            raise Unresolved(
                (*at, "ContactId"),
                f"names {owner}, which is not a contact of this template (escsim reads one "
                "template's contacts)",
            )
        if owner in self.planned:
            raise Unresolved(
                (*at, "ContactId"),
                f"the contact already has its plan from {self.planned[owner]}; a contact has "
                "one plan",
            )
        contact = self.organisation.contacts[index]
        inline = contact["Plan"]
        if inline.get("Stages") or inline.get("RotationIds"):
            raise Unresolved(
                (*at, "ContactId"),
                f"contact {contact['Alias']!r} has an inline Plan already; write its stages in "
                "one place",
            )
        compiled: FieldPath = ("contacts", index, "Plan")
        stages = check.items(
            self.resolver.resolve(properties.get("Stages", []), (*at, "Stages")), (*at, "Stages")
        )
        plan = self.stages(stages, (*at, "Stages"), compiled, with_rotations=False)
        if "RotationIds" in properties:
            ids = check.items(
                self.resolver.resolve(properties["RotationIds"], (*at, "RotationIds")),
                (*at, "RotationIds"),
            )
            plan["RotationIds"] = [
                check.text(v, (*at, "RotationIds", n)) for n, v in enumerate(ids)
            ]
            self.paths.add((*compiled, "RotationIds"), (*at, "RotationIds"))
            if not plan.get("Stages"):
                plan.pop("Stages", None)
        self.paths.entries[compiled] = at
        contact["Plan"] = plan
        self.planned[owner] = logical_id

    # -- channels and rotations ----------------------------------------------------------------

    def channel(
        self, logical_id: str, properties: Mapping[str, Any], at: FieldPath, activated: bool
    ) -> None:
        arn = self.resource_value(logical_id, None, at)
        owner = check.text(self.value(properties, "ContactId", at), (*at, "ContactId"))
        if owner not in self.contact_index:
            raise Unresolved(
                (*at, "ContactId"),
                f"names {owner}, which is not a contact of this template (escsim reads one "
                "template's contacts)",
            )
        name = check.text(self.value(properties, "ChannelName", at), (*at, "ChannelName"))
        kind = check.text(self.value(properties, "ChannelType", at), (*at, "ChannelType"))
        address = check.text(self.value(properties, "ChannelAddress", at), (*at, "ChannelAddress"))
        if "DeferActivation" in properties:
            check.boolean(
                self.resolver.resolve(properties["DeferActivation"], (*at, "DeferActivation")),
                (*at, "DeferActivation"),
            )
        compiled: FieldPath = ("channels", len(self.organisation.channels))
        self.paths.add(
            compiled,
            at,
            Name="ChannelName",
            Type="ChannelType",
            DeliveryAddress="ChannelAddress",
            ContactArn="ContactId",
        )
        self.paths.add((*compiled, "DeliveryAddress", "SimpleAddress"), (*at, "ChannelAddress"))
        self.organisation.channels.append(
            ChannelRecord(
                ContactChannelArn=arn,
                ContactArn=owner,
                Name=name,
                Type=kind,
                DeliveryAddress={"SimpleAddress": address},
                ActivationStatus="ACTIVATED" if activated else "NOT_ACTIVATED",
            )
        )
        self.organisation.channel_names[arn] = name

    def rotation(self, logical_id: str, properties: Mapping[str, Any], at: FieldPath) -> None:
        arn = self.resource_value(logical_id, None, at)
        name = check.text(self.value(properties, "Name", at), (*at, "Name"))
        members_at = (*at, "ContactIds")
        members = [
            check.text(v, (*members_at, n))
            for n, v in enumerate(check.items(self.value(properties, "ContactIds", at), members_at))
        ]
        zone_id = check.text(self.value(properties, "TimeZoneId", at), (*at, "TimeZoneId"))
        start = self.start_time(
            self.value(properties, "StartTime", at), zone_id, (*at, "StartTime")
        )
        compiled: FieldPath = ("rotations", len(self.organisation.rotations))
        recurrence_at = (*at, "Recurrence")
        recurrence = self.recurrence(
            check.mapping(self.value(properties, "Recurrence", at), recurrence_at),
            recurrence_at,
            (*compiled, "Recurrence"),
        )
        self.tags(properties, at)
        self.paths.add(
            compiled,
            at,
            Name="Name",
            ContactIds="ContactIds",
            StartTime="StartTime",
            TimeZoneId="TimeZoneId",
            Recurrence="Recurrence",
        )
        self.organisation.rotations.append(
            RotationRecord(
                RotationArn=arn,
                Name=name,
                ContactIds=members,
                StartTime=start,
                TimeZoneId=zone_id,
                Recurrence=recurrence,
            )
        )
        self.organisation.rotation_names.setdefault(name, arn)

    def start_time(self, value: Any, zone_id: str, at: FieldPath) -> dt.datetime:
        """``yyyy-MM-ddTHH:mm:ss`` read as a wall-clock time in the rotation's zone (UTC when
        the zone is unknown: the importer then refuses the zone itself)."""
        if isinstance(value, dt.datetime):  # YAML reads an unquoted timestamp itself
            wall = value.replace(tzinfo=None) if value.tzinfo is None else value
        else:
            text = check.text(value, at)
            try:
                wall = dt.datetime.strptime(text, _START)
            except ValueError:
                raise Unresolved(
                    at, f"must be a date and time yyyy-MM-ddTHH:mm:ss (got {text!r})"
                ) from None
        if wall.tzinfo is not None:
            return wall.astimezone(dt.UTC)
        try:
            zone = load_zone(zone_id)
        except UnknownTimeZone:
            return wall.replace(tzinfo=dt.UTC)
        return wall_to_utc(wall, zone)

    def recurrence(
        self, settings: Mapping[str, Any], at: FieldPath, compiled: FieldPath
    ) -> dict[str, object]:
        allowed = (
            "NumberOfOnCalls",
            "RecurrenceMultiplier",
            "DailySettings",
            "WeeklySettings",
            "MonthlySettings",
            "ShiftCoverages",
        )
        check.check_keys(settings, allowed, at)
        out: dict[str, object] = {
            "NumberOfOnCalls": check.integer(
                check.required(settings, "NumberOfOnCalls", at), (*at, "NumberOfOnCalls")
            ),
            "RecurrenceMultiplier": check.integer(
                check.required(settings, "RecurrenceMultiplier", at), (*at, "RecurrenceMultiplier")
            ),
        }
        if "DailySettings" in settings:
            daily_at = (*at, "DailySettings")
            out["DailySettings"] = [
                _hand_off(v, (*daily_at, n))
                for n, v in enumerate(check.items(settings["DailySettings"], daily_at))
            ]
        for key, day_key in (("WeeklySettings", "DayOfWeek"), ("MonthlySettings", "DayOfMonth")):
            if key not in settings:
                continue
            listed: list[object] = []
            for n, item in enumerate(check.items(settings[key], (*at, key))):
                item_at = (*at, key, n)
                item = check.mapping(item, item_at)
                check.check_keys(item, (day_key, "HandOffTime"), item_at)
                day_value = check.required(item, day_key, item_at)
                day: object = (
                    check.integer(day_value, (*item_at, day_key))
                    if day_key == "DayOfMonth"
                    else check.text(day_value, (*item_at, day_key))
                )
                hand_off = _hand_off(
                    check.required(item, "HandOffTime", item_at), (*item_at, "HandOffTime")
                )
                listed.append({day_key: day, "HandOffTime": hand_off})
            out[key] = listed
        if "ShiftCoverages" in settings:
            out["ShiftCoverages"] = self.coverages(
                settings["ShiftCoverages"], (*at, "ShiftCoverages"), (*compiled, "ShiftCoverages")
            )
        return out

    def coverages(self, value: Any, at: FieldPath, compiled: FieldPath) -> dict[str, object]:
        """The template's list of ``{DayOfWeek, CoverageTimes}`` as the API's day -> windows."""
        by_day: dict[str, list[dict[str, object]]] = {}
        for n, item in enumerate(check.items(value, at)):
            item_at = (*at, n)
            item = check.mapping(item, item_at)
            check.check_keys(item, ("DayOfWeek", "CoverageTimes"), item_at)
            day = check.text(check.required(item, "DayOfWeek", item_at), (*item_at, "DayOfWeek"))
            if day in by_day:
                raise Unresolved((*item_at, "DayOfWeek"), f"{day} is listed twice")
            self.paths.add((*compiled, day), item_at)
            windows: list[dict[str, object]] = []
            times_at = (*item_at, "CoverageTimes")
            times = check.items(check.required(item, "CoverageTimes", item_at), times_at)
            for k, window in enumerate(times):
                window_at = (*times_at, k)
                window = check.mapping(window, window_at)
                check.check_keys(window, ("StartTime", "EndTime"), window_at)
                self.paths.add((*compiled, day, k), window_at, Start="StartTime", End="EndTime")
                windows.append(
                    {
                        "Start": _hand_off(
                            check.required(window, "StartTime", window_at),
                            (*window_at, "StartTime"),
                        ),
                        "End": _hand_off(
                            check.required(window, "EndTime", window_at), (*window_at, "EndTime")
                        ),
                    }
                )
            by_day[day] = windows
        return dict(by_day)
