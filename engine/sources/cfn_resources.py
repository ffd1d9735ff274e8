"""The four ssm-contacts resource types of a template, as the records the importer takes.

``AWS::SSMContacts::Contact`` (its inline ``Plan`` is a list of stages; ``RotationIds`` in a
stage make an on-call schedule's plan), ``ContactChannel``, ``Plan`` (a contact's plan written
apart, attached by ``ContactId``) and ``Rotation``, with the property names of the resource
schemas (``ChannelId`` for the API's ``ContactChannelId``; a rotation's timing is
:mod:`engine.sources.cfn_recurrence`'s). The organisation's
:class:`~engine.scenario.organisation.PathMap` records where each record field was written, so
findings about a record point at the template's lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from engine.scenario.organisation import (
    ChannelRecord,
    ContactRecord,
    Organisation,
    RotationRecord,
)
from engine.scenario.paths import FieldPath
from engine.sources import cfn_values as check
from engine.sources.cfn_recurrence import recurrence, start_time
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

Report = Callable[[FieldPath, str], None]
ResourceValue = Callable[[str, "str | None", FieldPath], Any]


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
        start = start_time(self.value(properties, "StartTime", at), zone_id, (*at, "StartTime"))
        compiled: FieldPath = ("rotations", len(self.organisation.rotations))
        recurrence_at = (*at, "Recurrence")
        settings = check.mapping(self.value(properties, "Recurrence", at), recurrence_at)
        timing = recurrence(settings, recurrence_at, (*compiled, "Recurrence"), self.paths)
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
                Recurrence=timing,
            )
        )
        self.organisation.rotation_names.setdefault(name, arn)
