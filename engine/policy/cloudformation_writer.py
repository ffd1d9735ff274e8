"""Any product's setup written as a CloudFormation template (``escsim translate --to aws
--format cloudformation``).

The template holds :func:`engine.policy.aws.write_organisation`'s records as the four
ssm-contacts resource types: ``AWS::SSMContacts::Contact`` (schedules and escalation plans with
their plan inline), ``ContactChannel``, ``Plan`` and ``Rotation``. A personal plan names its own
channels, which name the contact, so it is written as a separate ``Plan`` resource (inline it
would be a circular dependency, which CloudFormation refuses); so is an escalation plan that
targets another escalation plan, which could otherwise close a loop. References are ``!GetAtt
X.Arn`` and ``!Ref``; a reference to something outside the setup stays the ARN it was.

Rotation overrides have no CloudFormation resource: they are listed as constructs the template
cannot express, with the settings and notes AWS cannot hold
(:mod:`engine.policy.aws_constructs`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import cast

import yaml

from engine.oncall import load_zone
from engine.oncall.zones import utc_to_wall, wall_to_utc
from engine.policy.aws import write_organisation
from engine.policy.aws_constructs import PRODUCT_NAMES, written_constructs
from engine.policy.model import OnCallSetup
from engine.policy.scenario_writer import Document, constructs_count, one_line
from engine.scenario.organisation import (
    ChannelRecord,
    ContactRecord,
    Organisation,
    OverrideRecord,
    RotationRecord,
)
from engine.vocabulary import DAYS_OF_WEEK

__all__ = ["write_template"]

_START = "%Y-%m-%dT%H:%M:%S"
_TAGS = ("!Ref", "!GetAtt")
# What the resource schemas allow (cfn-lint checks them): DisplayName letters, digits, _, -
# and white space; a rotation's Name letters, digits and _.
_NOT_IN_DISPLAY_NAME = re.compile(r"[^A-Za-z0-9_\-\s]")
_NOT_IN_ROTATION_NAME = re.compile(r"[^A-Za-z0-9_]+")


@dataclasses.dataclass(frozen=True, slots=True)
class _Intrinsic:
    """A short-form intrinsic function: ``!Ref Name`` or ``!GetAtt Name.Arn``."""

    tag: str
    value: str


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with the short-form tags CloudFormation reads, written unquoted as
    people write them (``!Ref Name``) where YAML allows it."""

    def choose_scalar_style(self) -> str:
        style: str = super().choose_scalar_style()
        event = self.event
        if isinstance(event, yaml.ScalarEvent) and event.tag in _TAGS and style == "'":
            analysis = self.analysis
            if analysis is not None and analysis.allow_block_plain and not analysis.empty:
                return ""
        return style


def _represent(dumper: yaml.SafeDumper, data: _Intrinsic) -> yaml.Node:
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(_Intrinsic, _represent)


def write_template(setup: OnCallSetup, origin: str, account: str, region: str) -> Document:
    """``setup`` as a CloudFormation template (YAML) of ssm-contacts resources."""
    written = write_organisation(setup, account, region)
    builder = _Builder(written.organisation)
    resources = builder.build()
    product = PRODUCT_NAMES.get(setup.product, setup.product)
    constructs = [*written_constructs(setup, written), *builder.constructs]
    template: dict[str, object] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"The {product} on-call organisation of {one_line(origin)}",
        "Resources": resources,
    }
    header = [
        f"# Translated by `escsim translate --to aws --format cloudformation` from "
        f"{one_line(origin)} ({product}).",
        "# Rotation overrides have no CloudFormation resource; what the template cannot express",
        "# was listed on stderr when it was written" + f" ({constructs_count(len(constructs))}).",
    ]
    body = yaml.dump(template, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return Document("\n".join(header) + "\n" + body, tuple(constructs))


class _Builder:
    """Logical ids for the organisation's records, then one resource per record."""

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.used: set[str] = set()
        self.contacts: dict[str, str] = {}
        """Contact ARN -> logical id."""
        self.channels: dict[str, str] = {}
        """Channel ARN -> logical id."""
        self.rotations: dict[str, str] = {}
        """Rotation ARN -> logical id."""
        self.types = {c["ContactArn"]: c["Type"] for c in org.contacts}
        self.aliases = {c["ContactArn"]: c["Alias"] for c in org.contacts}
        self.constructs: list[str] = []

    def _logical(self, *words: str) -> str:
        # CloudFormation logical ids are alphanumeric: each word's runs of letters and digits,
        # capitalised; a clash gets a number.
        parts = [p for word in words for p in re.split(r"[^A-Za-z0-9]+", word) if p]
        base = "".join(p[:1].upper() + p[1:] for p in parts)[:200] or "Resource"
        if not base[0].isalpha():
            base = "R" + base
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}{n}"
        self.used.add(name)
        return name

    def build(self) -> dict[str, object]:
        for contact in self.org.contacts:
            self.contacts[contact["ContactArn"]] = self._logical(contact["Alias"])
        for channel in self.org.channels:
            owner = self.contacts.get(channel["ContactArn"], "")
            self.channels[channel["ContactChannelArn"]] = self._logical(owner, channel["Name"])
        for rotation in self.org.rotations:
            self.rotations[rotation["RotationArn"]] = self._logical("Rotation", rotation["Name"])
        resources: dict[str, object] = {}
        channels = {
            arn: [c for c in self.org.channels if c["ContactArn"] == arn] for arn in self.contacts
        }
        personal = [c for c in self.org.contacts if c["Type"] == "PERSONAL"]
        others = [c for c in self.org.contacts if c["Type"] != "PERSONAL"]
        for contact in personal:
            self._contact(contact, resources, channels.get(contact["ContactArn"], []))
        for rotation in self.org.rotations:
            resources[self.rotations[rotation["RotationArn"]]] = self._rotation(rotation)
        for contact in others:
            self._contact(contact, resources, [])
        for override in self.org.overrides:
            self.constructs.append(self._override(override))
        return resources

    # Contacts, channels and plans.

    def _contact(
        self,
        contact: ContactRecord,
        resources: dict[str, object],
        channels: Sequence[ChannelRecord],
    ) -> None:
        logical = self.contacts[contact["ContactArn"]]
        display = contact.get("DisplayName") or contact["Alias"]
        fitted = " ".join(_NOT_IN_DISPLAY_NAME.sub(" ", display).split())[:255] or contact["Alias"]
        if fitted != display:
            self.constructs.append(
                f"contact {contact['Alias']}: display name {display!r} holds characters a "
                f"template's DisplayName cannot (letters, digits, _, - and spaces): written as "
                f"{fitted!r}"
            )
        properties: dict[str, object] = {
            "Alias": contact["Alias"],
            "DisplayName": fitted,
            "Type": contact["Type"],
        }
        resources[logical] = {"Type": "AWS::SSMContacts::Contact", "Properties": properties}
        for channel in channels:
            resources[self.channels[channel["ContactChannelArn"]]] = self._channel(channel)
        plan = contact["Plan"]
        stages = cast(list[Mapping[str, object]], plan.get("Stages") or [])
        rotation_ids = cast(list[str], plan.get("RotationIds") or [])
        if contact["Type"] == "ONCALL_SCHEDULE":
            properties["Plan"] = [{"RotationIds": [self._rotation_ref(r) for r in rotation_ids]}]
            return
        if not stages:
            return
        written = [self._stage(contact["Alias"], n, stage) for n, stage in enumerate(stages)]
        if contact["Type"] == "PERSONAL" or self._targets_escalation(stages):
            resources[self._logical(logical, "Plan")] = {
                "Type": "AWS::SSMContacts::Plan",
                "Properties": {
                    "ContactId": _Intrinsic("!GetAtt", f"{logical}.Arn"),
                    "Stages": written,
                },
            }
        else:
            properties["Plan"] = written

    def _targets_escalation(self, stages: Sequence[Mapping[str, object]]) -> bool:
        for stage in stages:
            for target in cast(
                list[Mapping[str, Mapping[str, object]]], stage.get("Targets") or []
            ):
                contact = (target.get("ContactTargetInfo") or {}).get("ContactId")
                if self.types.get(str(contact)) == "ESCALATION":
                    return True
        return False

    def _stage(self, alias: str, number: int, stage: Mapping[str, object]) -> dict[str, object]:
        targets: list[object] = []
        for target in cast(list[Mapping[str, Mapping[str, object]]], stage.get("Targets") or []):
            channel = target.get("ChannelTargetInfo")
            if channel is not None:
                # The resource requires the interval; none and 0 both mean no retry (E8).
                retry = channel.get("RetryIntervalInMinutes") or 0
                info = {
                    "ChannelId": self._ref(self.channels, str(channel["ContactChannelId"])),
                    "RetryIntervalInMinutes": retry,
                }
                targets.append({"ChannelTargetInfo": info})
                continue
            contact = target.get("ContactTargetInfo") or {}
            if contact.get("ContactId") is None:
                self.constructs.append(
                    f"contact {alias}: stage {number + 1} has a target naming no contact, which "
                    "a template's ContactTargetInfo cannot hold: left out (it pages nobody)"
                )
                continue
            targets.append(
                {
                    "ContactTargetInfo": {
                        "ContactId": self._contact_ref(str(contact["ContactId"])),
                        "IsEssential": bool(contact.get("IsEssential", False)),
                    }
                }
            )
        return {"DurationInMinutes": stage.get("DurationInMinutes", 0), "Targets": targets}

    def _channel(self, channel: ChannelRecord) -> dict[str, object]:
        properties: dict[str, object] = {
            "ContactId": self._ref(self.contacts, channel["ContactArn"]),
            "ChannelName": channel["Name"],
            "ChannelType": channel["Type"],
            "ChannelAddress": channel["DeliveryAddress"].get("SimpleAddress", ""),
        }
        if channel.get("ActivationStatus") != "ACTIVATED":
            # Not activated in the source: AWS should not send the activation code yet.
            properties["DeferActivation"] = True
            owner = self.aliases.get(channel["ContactArn"], channel["ContactArn"])
            self.constructs.append(
                f"contact {owner}: channel {channel['Name']} is not activated, which a template "
                "cannot say (AWS creates every channel not activated; escsim reads a template's "
                "channels as activated unless --channels as-deployed): written with "
                "DeferActivation: true"
            )
        return {"Type": "AWS::SSMContacts::ContactChannel", "Properties": properties}

    def _ref(self, known: Mapping[str, str], arn: str) -> object:
        return _Intrinsic("!Ref", known[arn]) if arn in known else arn

    def _contact_ref(self, arn: str) -> object:
        if arn in self.contacts:
            return _Intrinsic("!GetAtt", f"{self.contacts[arn]}.Arn")
        return arn

    def _rotation_ref(self, arn: str) -> object:
        if arn in self.rotations:
            return _Intrinsic("!GetAtt", f"{self.rotations[arn]}.Arn")
        return arn

    # Rotations and their overrides.

    def _rotation(self, rotation: RotationRecord) -> dict[str, object]:
        recurrence = rotation["Recurrence"]
        timing: dict[str, object] = {
            "NumberOfOnCalls": recurrence.get("NumberOfOnCalls", 1),
            "RecurrenceMultiplier": recurrence.get("RecurrenceMultiplier", 1),
        }
        daily = cast(list[Mapping[str, int]], recurrence.get("DailySettings") or [])
        if "DailySettings" in recurrence:
            timing["DailySettings"] = [_clock(d) for d in daily]
        for key, day_key in (("WeeklySettings", "DayOfWeek"), ("MonthlySettings", "DayOfMonth")):
            if key in recurrence:
                items = cast(list[Mapping[str, object]], recurrence[key])
                timing[key] = [
                    {
                        day_key: item[day_key],
                        "HandOffTime": _clock(cast(Mapping[str, int], item["HandOffTime"])),
                    }
                    for item in items
                ]
        coverages = cast(
            Mapping[str, list[Mapping[str, Mapping[str, int]]]] | None,
            recurrence.get("ShiftCoverages"),
        )
        if coverages is not None:
            timing["ShiftCoverages"] = [
                {
                    "DayOfWeek": day,
                    "CoverageTimes": [
                        {"StartTime": _clock(w["Start"]), "EndTime": _clock(w["End"])}
                        for w in coverages[day]
                    ],
                }
                for day in DAYS_OF_WEEK
                if day in coverages
            ]
        name = _NOT_IN_ROTATION_NAME.sub("_", rotation["Name"]).strip("_")[:255] or "rotation"
        if name != rotation["Name"]:
            self.constructs.append(
                f"rotation {rotation['Name']}: a template's rotation Name holds only letters, "
                f"digits and _: written as {name}"
            )
        return {
            "Type": "AWS::SSMContacts::Rotation",
            "Properties": {
                "Name": name,
                "ContactIds": [self._ref(self.contacts, c) for c in rotation["ContactIds"]],
                "StartTime": self._start(rotation),
                "TimeZoneId": rotation["TimeZoneId"],
                "Recurrence": timing,
            },
        }

    def _start(self, rotation: RotationRecord) -> str:
        """The start as the template writes it, wall-clock in the rotation's zone; a start the
        wall clock cannot name (the second pass of a repeated hour) is listed."""
        zone = load_zone(rotation["TimeZoneId"])
        start = rotation["StartTime"]
        wall = utc_to_wall(start, zone).replace(microsecond=0)
        if wall_to_utc(wall, zone) != start:
            self.constructs.append(
                f"rotation {rotation['Name']}: starts at {_instant(start)}, which a "
                f"template's wall-clock StartTime cannot name in {rotation['TimeZoneId']}: "
                f"written as {wall.strftime(_START)} (its first occurrence)"
            )
        return wall.strftime(_START)

    def _override(self, override: OverrideRecord) -> str:
        names = {r["RotationArn"]: r["Name"] for r in self.org.rotations}
        who = ", ".join(self.aliases.get(c, c) for c in override["NewContactIds"]) or "nobody"
        rotation = names.get(override["RotationArn"], override["RotationArn"])
        return (
            f"rotation {rotation}: override {override['RotationOverrideId']} "
            f"({who} from {_instant(override['StartTime'])} to {_instant(override['EndTime'])}) "
            "has no CloudFormation resource: written as nothing; create it with aws "
            "ssm-contacts create-rotation-override"
        )


def _clock(value: Mapping[str, int]) -> str:
    return f"{value.get('HourOfDay', 0):02d}:{value.get('MinuteOfHour', 0):02d}"


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
