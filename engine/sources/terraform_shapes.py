"""Terraform resources -> the organisation in AWS shapes, remembering where each field came from.

Contacts become get-contact records (an ``aws_ssmcontacts_plan`` fills its contact's Plan),
channels list-contact-channels records, rotations get-rotation records: the records a scenario
file compiles to, so the one importer (``Simulator.import_resources``) takes them. The
:class:`~engine.scenario.organisation.PathMap` maps each compiled field to the resource's address
and attribute path, so an import error or a lint finding names ``aws_ssmcontacts_plan.lead
.stage[0].duration_in_minutes`` and its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, cast

from engine.scenario.errors import Problem
from engine.scenario.organisation import (
    ChannelRecord,
    ContactRecord,
    Organisation,
    RotationRecord,
    contact_alias,
)
from engine.scenario.paths import FieldPath
from engine.sources.terraform_model import CHANNEL, CONTACT, PLAN, ROTATION, TfResource, Value

__all__ = ["build_organisation"]

ChannelsMode = Literal["intended", "as-deployed"]
_CONTACT_TYPES = ("PERSONAL", "ESCALATION", "ONCALL_SCHEDULE")
_CHANNEL_TYPES = ("SMS", "VOICE", "EMAIL")


class _Missing(Exception):
    """An attribute is absent or of the wrong kind; the problem is already recorded."""


def build_organisation(
    resources: Sequence[TfResource], channels: ChannelsMode
) -> tuple[Organisation, list[Problem]]:
    """The organisation of ``resources``, and every problem found (empty when it built)."""
    builder = _Builder(channels)
    for kind, build in (
        (CONTACT, builder.contact),
        (CHANNEL, builder.channel),
        (PLAN, builder.plan),
        (ROTATION, builder.rotation),
    ):
        for resource in resources:
            if resource.type == kind:
                try:
                    build(resource)
                except _Missing:
                    continue
    return builder.organisation, builder.problems


class _Builder:
    def __init__(self, channels: ChannelsMode) -> None:
        self.channels = channels
        self.organisation = Organisation()
        self.paths = self.organisation.paths
        self.problems: list[Problem] = []
        self.contact_index: dict[str, int] = {}
        self.planned: dict[str, str] = {}  # contact ARN -> address of the plan that set it

    # -- reading values ------------------------------------------------------------------------

    def problem(self, resource: TfResource, path: FieldPath, message: str) -> None:
        line = _line(resource, path)
        self.problems.append(Problem((resource.root, *path), message, line))

    def value(self, resource: TfResource, path: FieldPath) -> Value:
        current: Value = resource.values
        for part in path:
            if isinstance(part, int):
                current = current[part] if isinstance(current, list) else None
            else:
                current = current.get(part) if isinstance(current, dict) else None
        return current

    def text(self, resource: TfResource, path: FieldPath, *, required: bool = True) -> str | None:
        value = self.value(resource, path)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value):
            self.bad(resource, path, value, "text")
        return cast(str, value)

    def number(self, resource: TfResource, path: FieldPath, *, required: bool = True) -> int | None:
        value = self.value(resource, path)
        if value is None and not required:
            return None
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)  # Terraform converts a number written as a string
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.bad(resource, path, value, "a whole number")
        return cast(int, value)

    def flag(self, resource: TfResource, path: FieldPath) -> bool:
        value = self.value(resource, path)
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        if not isinstance(value, bool):
            self.bad(resource, path, value, "true or false")
        return cast(bool, value)

    def blocks(
        self, resource: TfResource, path: FieldPath, *, at_most: int | None = None
    ) -> list[FieldPath]:
        """Paths of each nested block at ``path`` (none when absent)."""
        value = self.value(resource, path)
        if value is None:
            return []
        if isinstance(value, dict):  # a single block written as an object
            return [path]
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.bad(resource, path, value, "a list of blocks")
        if at_most is not None and len(cast(list[Value], value)) > at_most:
            self.problem(resource, path, f"at most {at_most} {path[-1]} block may be given")
            raise _Missing
        return [(*path, index) for index in range(len(cast(list[Value], value)))]

    def texts(self, resource: TfResource, path: FieldPath) -> list[str]:
        value = self.value(resource, path)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.bad(resource, path, value, "a list of ARNs")
        return cast(list[str], value)

    def bad(self, resource: TfResource, path: FieldPath, value: Value, wanted: str) -> None:
        name = path[-1] if path and isinstance(path[-1], str) else path[-2]
        if value is None:
            self.problem(resource, path, f"missing required attribute {name!r}")
        else:
            self.problem(resource, path, f"{name!r} must be {wanted} (got {value!r})")
        raise _Missing

    # -- resources -----------------------------------------------------------------------------

    def contact(self, resource: TfResource) -> None:
        alias = self.text(resource, ("alias",))
        kind = self.text(resource, ("type",))
        name = self.text(resource, ("display_name",), required=False)
        arn = self.text(resource, ("arn",))
        assert arn is not None and alias is not None and kind is not None
        if kind not in _CONTACT_TYPES:
            self.problem(
                resource,
                ("type",),
                f"type must be one of {', '.join(_CONTACT_TYPES)} (got {kind!r})",
            )
            return
        if arn in self.contact_index:
            self.problem(resource, ("alias",), f"contact alias {alias!r} is declared twice")
            return
        plan: dict[str, object] = {"Stages": []}
        if kind == "ONCALL_SCHEDULE":
            if self.value(resource, ("rotation_ids",)) is None:
                self.problem(
                    resource,
                    (),
                    f"on-call schedule {alias!r} lists no rotations: the AWS provider cannot "
                    "attach rotations to a contact yet (set rotation_ids where your provider "
                    "has it)",
                )
                return
            plan = {"RotationIds": self.texts(resource, ("rotation_ids",))}
        compiled: FieldPath = ("contacts", len(self.organisation.contacts))
        root: FieldPath = (resource.root,)
        self.paths.add(compiled, root, Alias="alias", DisplayName="display_name", Type="type")
        self.paths.add((*compiled, "Plan", "RotationIds"), (*root, "rotation_ids"))
        self.paths.add((*compiled, "ContactArn"), root)
        self.paths.add((*compiled, "Plan"), root)  # until a plan resource says where it is
        record: dict[str, object] = {"ContactArn": arn, "Alias": alias}
        if name:
            record["DisplayName"] = name
        record |= {"Type": kind, "Plan": plan}
        self.contact_index[arn] = len(self.organisation.contacts)
        self.organisation.contacts.append(cast(ContactRecord, record))
        self.organisation.aliases.setdefault(alias, arn)

    def channel(self, resource: TfResource) -> None:
        owner = self.text(resource, ("contact_id",))
        name = self.text(resource, ("name",))
        kind = self.text(resource, ("type",))
        arn = self.text(resource, ("arn",))
        assert arn is not None and owner is not None and name is not None and kind is not None
        addresses = self.blocks(resource, ("delivery_address",), at_most=1)
        if not addresses:
            self.bad(resource, ("delivery_address",), None, "a block")
        address = self.text(resource, (*addresses[0], "simple_address"))
        if kind not in _CHANNEL_TYPES:
            self.problem(
                resource,
                ("type",),
                f"type must be one of {', '.join(_CHANNEL_TYPES)} (got {kind!r})",
            )
            return
        compiled: FieldPath = ("channels", len(self.organisation.channels))
        root: FieldPath = (resource.root,)
        self.paths.add(compiled, root, ContactArn="contact_id", Name="name", Type="type")
        self.paths.add((*compiled, "DeliveryAddress"), (*root, *addresses[0]))
        self.paths.add(
            (*compiled, "DeliveryAddress", "SimpleAddress"),
            (*root, *addresses[0], "simple_address"),
        )
        self.paths.add((*compiled, "ContactChannelArn"), root)
        self.organisation.channels.append(
            ChannelRecord(
                ContactChannelArn=arn,
                ContactArn=owner,
                Name=name,
                Type=kind,
                DeliveryAddress={"SimpleAddress": str(address)},
                ActivationStatus=self.activation(resource),
            )
        )
        self.organisation.channel_names[arn] = name

    def activation(self, resource: TfResource) -> str:
        """What the channel's status is taken to be (docs/sources-terraform.md)."""
        known = self.value(resource, ("activation_status",))
        # A data source reads the account: its status is a fact, not an intention.
        if resource.mode == "data" and known in ("ACTIVATED", "NOT_ACTIVATED"):
            return str(known)
        if self.channels == "intended":
            return "ACTIVATED"
        return str(known) if known in ("ACTIVATED", "NOT_ACTIVATED") else "NOT_ACTIVATED"

    def plan(self, resource: TfResource) -> None:
        owner = self.text(resource, ("contact_id",))
        assert owner is not None
        index = self.contact_index.get(owner)
        if index is None:
            self.problem(
                resource,
                ("contact_id",),
                f"no contact {contact_alias(owner)!r} ({owner}) among the contacts read",
            )
            return
        earlier = self.planned.get(owner)
        if earlier is not None:
            self.problem(
                resource,
                ("contact_id",),
                f"contact {contact_alias(owner)!r} already has its plan from {earlier}",
            )
            return
        stages: list[object] = []
        compiled_plan: FieldPath = ("contacts", index, "Plan")
        root: FieldPath = (resource.root,)
        self.paths.add(compiled_plan, root)
        self.paths.add((*compiled_plan, "Stages"), (*root, "stage"))
        for number, stage_at in enumerate(self.blocks(resource, ("stage",))):
            compiled = (*compiled_plan, "Stages", number)
            self.paths.add(compiled, (*root, *stage_at), DurationInMinutes="duration_in_minutes")
            self.paths.add((*compiled, "Targets"), (*root, *stage_at, "target"))
            duration = self.number(resource, (*stage_at, "duration_in_minutes"))
            targets = [
                self.target(resource, target_at, (*compiled, "Targets", position))
                for position, target_at in enumerate(self.blocks(resource, (*stage_at, "target")))
            ]
            stages.append({"DurationInMinutes": duration, "Targets": targets})
        self.planned[owner] = resource.address
        self.organisation.contacts[index]["Plan"] = {"Stages": stages}

    def target(self, resource: TfResource, at: FieldPath, compiled: FieldPath) -> object:
        root = (resource.root, *at)
        channel = self.blocks(resource, (*at, "channel_target_info"), at_most=1)
        contact = self.blocks(resource, (*at, "contact_target_info"), at_most=1)
        if len(channel) + len(contact) != 1:
            self.problem(
                resource,
                at,
                "a target holds exactly one channel_target_info or contact_target_info block",
            )
            raise _Missing
        self.paths.add(compiled, root)
        if channel:
            info_at = channel[0]
            info_compiled = (*compiled, "ChannelTargetInfo")
            self.paths.add(
                info_compiled,
                (resource.root, *info_at),
                ContactChannelId="contact_channel_id",
                RetryIntervalInMinutes="retry_interval_in_minutes",
            )
            info: dict[str, object] = {
                "ContactChannelId": self.text(resource, (*info_at, "contact_channel_id"))
            }
            retry = self.number(resource, (*info_at, "retry_interval_in_minutes"), required=False)
            if retry is not None:
                info["RetryIntervalInMinutes"] = retry
            return {"ChannelTargetInfo": info}
        info_at = contact[0]
        self.paths.add(
            (*compiled, "ContactTargetInfo"),
            (resource.root, *info_at),
            ContactId="contact_id",
            IsEssential="is_essential",
        )
        return {
            "ContactTargetInfo": {
                "ContactId": self.text(resource, (*info_at, "contact_id")),
                "IsEssential": self.flag(resource, (*info_at, "is_essential")),
            }
        }

    def rotation(self, resource: TfResource) -> None:
        name = self.text(resource, ("name",))
        zone = self.text(resource, ("time_zone_id",))
        arn = self.text(resource, ("arn",))
        members = self.texts(resource, ("contact_ids",))
        start_text = self.text(resource, ("start_time",), required=False)
        assert arn is not None and name is not None and zone is not None
        if start_text is None:
            self.problem(
                resource,
                (),
                "start_time is needed: without it AWS starts the rotation when it is created, "
                "which a review cannot know",
            )
            return
        try:
            start = dt.datetime.fromisoformat(start_text.replace("Z", "+00:00"))
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:
            self.problem(
                resource,
                ("start_time",),
                f"start_time must be an RFC 3339 instant such as 2026-01-05T09:00:00Z "
                f"(got {start_text!r})",
            )
            return
        recurrences = self.blocks(resource, ("recurrence",), at_most=1)
        if not recurrences:
            self.bad(resource, ("recurrence",), None, "a block")
        compiled: FieldPath = ("rotations", len(self.organisation.rotations))
        root: FieldPath = (resource.root,)
        self.paths.add(
            compiled, root, Name="name", ContactIds="contact_ids", TimeZoneId="time_zone_id"
        )
        self.paths.add((*compiled, "StartTime"), (*root, "start_time"))
        recurrence = self.recurrence(resource, recurrences[0], (*compiled, "Recurrence"))
        self.organisation.rotations.append(
            RotationRecord(
                RotationArn=arn,
                Name=name,
                ContactIds=members,
                StartTime=start,
                TimeZoneId=zone,
                Recurrence=recurrence,
            )
        )
        self.organisation.rotation_names.setdefault(name, arn)

    def recurrence(
        self, resource: TfResource, at: FieldPath, compiled: FieldPath
    ) -> dict[str, object]:
        root = (resource.root, *at)
        self.paths.add(
            compiled,
            root,
            NumberOfOnCalls="number_of_on_calls",
            RecurrenceMultiplier="recurrence_multiplier",
            DailySettings="daily_settings",
            WeeklySettings="weekly_settings",
            MonthlySettings="monthly_settings",
            ShiftCoverages="shift_coverages",
        )
        recurrence: dict[str, object] = {
            "NumberOfOnCalls": self.number(resource, (*at, "number_of_on_calls")),
            "RecurrenceMultiplier": self.number(resource, (*at, "recurrence_multiplier")),
        }
        daily = self.blocks(resource, (*at, "daily_settings"))
        if daily:
            recurrence["DailySettings"] = [
                self.hand_off(resource, item, (*compiled, "DailySettings", n))
                for n, item in enumerate(daily)
            ]
        for key, day_key, field in (
            ("weekly_settings", "day_of_week", "WeeklySettings"),
            ("monthly_settings", "day_of_month", "MonthlySettings"),
        ):
            items = self.blocks(resource, (*at, key))
            if not items:
                continue
            settings: list[object] = []
            for n, item in enumerate(items):
                item_compiled = (*compiled, field, n)
                aws_day = "DayOfWeek" if day_key == "day_of_week" else "DayOfMonth"
                self.paths.add(item_compiled, (resource.root, *item), **{aws_day: day_key})
                day: object = (
                    self.text(resource, (*item, day_key))
                    if day_key == "day_of_week"
                    else self.number(resource, (*item, day_key))
                )
                hand_offs = self.blocks(resource, (*item, "hand_off_time"), at_most=1)
                if not hand_offs:
                    self.bad(resource, (*item, "hand_off_time"), None, "a block")
                hand_off = self.hand_off(resource, hand_offs[0], (*item_compiled, "HandOffTime"))
                settings.append({aws_day: day, "HandOffTime": hand_off})
            recurrence[field] = settings
        coverages = self.blocks(resource, (*at, "shift_coverages"))
        if coverages:
            recurrence["ShiftCoverages"] = self.coverages(resource, coverages, compiled)
        return recurrence

    def coverages(
        self, resource: TfResource, coverages: list[FieldPath], compiled: FieldPath
    ) -> dict[str, list[dict[str, object]]]:
        result: dict[str, list[dict[str, object]]] = {}
        for item in coverages:
            day = self.text(resource, (*item, "map_block_key"))
            assert day is not None
            windows = result.setdefault(day, [])
            for times in self.blocks(resource, (*item, "coverage_times")):
                window_compiled = (*compiled, "ShiftCoverages", day, len(windows))
                self.paths.add(window_compiled, (resource.root, *times))
                window: dict[str, object] = {}
                for edge, field in (("start", "Start"), ("end", "End")):
                    edges = self.blocks(resource, (*times, edge), at_most=1)
                    if not edges:
                        self.bad(resource, (*times, edge), None, "a block")
                    window[field] = self.hand_off(resource, edges[0], (*window_compiled, field))
                windows.append(window)
        return result

    def hand_off(self, resource: TfResource, at: FieldPath, compiled: FieldPath) -> object:
        self.paths.add(
            compiled, (resource.root, *at), HourOfDay="hour_of_day", MinuteOfHour="minute_of_hour"
        )
        return {
            "HourOfDay": self.number(resource, (*at, "hour_of_day")),
            "MinuteOfHour": self.number(resource, (*at, "minute_of_hour")),
        }


def _line(resource: TfResource, path: FieldPath) -> int | None:
    for end in range(len(path), -1, -1):
        line = resource.lines.get(path[:end])
        if line is not None:
            return line
    return None
