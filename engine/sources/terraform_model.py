"""What both Terraform readers hand on: paging resources with their values and lines.

A plan or state JSON and ``.tf`` files end as the same list of :class:`TfResource`: one per
resource instance (``aws_ssmcontacts_contact.oncall["ana"]``), holding only the attributes
:data:`SCHEMAS` lists (blocks as lists of mappings, as ``terraform show -json`` prints them),
the line of each, and always an ``arn`` for contacts, channels and rotations. Values Terraform
would learn at apply time are minted here, the same way for both readers, so a plan and the
``.tf`` files it came from give the same ARNs.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Literal, TypeAlias

from engine.arns import make_arn
from engine.scenario.paths import FieldPath

__all__ = [
    "ARN_NAMESPACE",
    "CHANNEL",
    "CONTACT",
    "PAGING_TYPES",
    "PLAN",
    "ROTATION",
    "SCHEMAS",
    "Schema",
    "TfResource",
    "Value",
    "channel_arn",
    "contact_arn",
    "rotation_arn",
]

Value: TypeAlias = "str | int | float | bool | list[Value] | dict[str, Value] | None"

CONTACT = "aws_ssmcontacts_contact"
CHANNEL = "aws_ssmcontacts_contact_channel"
PLAN = "aws_ssmcontacts_plan"
ROTATION = "aws_ssmcontacts_rotation"
PAGING_TYPES = (CONTACT, CHANNEL, PLAN, ROTATION)

ARN_NAMESPACE = uuid.UUID("0d6f3a9e-41b7-4c52-8e0a-7f2d95c1b3e4")
"""Namespace of the uuid5s that name Terraform channels and rotations by their address."""

Schema: TypeAlias = Mapping[str, "Schema | None"]
"""Attribute -> None for a value, or the schema of a nested block (a list of them)."""

_HAND_OFF: Schema = {"hour_of_day": None, "minute_of_hour": None}

SCHEMAS: Mapping[str, Schema] = {
    CONTACT: {
        "arn": None,
        "alias": None,
        "display_name": None,
        "type": None,
        # Not in the AWS provider yet (its issue 39758); read when a fork or a later
        # version sets it, since an on-call schedule pages nobody without it.
        "rotation_ids": None,
    },
    CHANNEL: {
        "arn": None,
        "contact_id": None,
        "name": None,
        "type": None,
        "activation_status": None,
        "delivery_address": {"simple_address": None},
    },
    PLAN: {
        "contact_id": None,
        "stage": {
            "duration_in_minutes": None,
            "target": {
                "channel_target_info": {
                    "contact_channel_id": None,
                    "retry_interval_in_minutes": None,
                },
                "contact_target_info": {"contact_id": None, "is_essential": None},
            },
        },
    },
    ROTATION: {
        "arn": None,
        "contact_ids": None,
        "name": None,
        "start_time": None,
        "time_zone_id": None,
        "recurrence": {
            "number_of_on_calls": None,
            "recurrence_multiplier": None,
            "daily_settings": _HAND_OFF,
            "weekly_settings": {"day_of_week": None, "hand_off_time": _HAND_OFF},
            "monthly_settings": {"day_of_month": None, "hand_off_time": _HAND_OFF},
            "shift_coverages": {
                "map_block_key": None,
                "coverage_times": {"start": _HAND_OFF, "end": _HAND_OFF},
            },
        },
    },
}


@dataclasses.dataclass
class TfResource:
    """One resource instance: where it is, what it is, and the values escsim reads."""

    address: str
    """As Terraform prints it, module path and instance key included."""
    mode: Literal["managed", "data"]
    type: str
    values: dict[str, Value]
    root: str
    """The first part of every path that names a place in this resource (its address, or
    ``file:address`` when several files are read)."""
    lines: dict[FieldPath, int] = dataclasses.field(default_factory=dict)
    """Path inside ``values`` -> line of the file; ``()`` is the resource's own line."""


def contact_arn(region: str, account: str, alias: str) -> str:
    """A contact's ARN is known from its alias, as AWS forms it."""
    return make_arn(region, account, "contact", alias)


def channel_arn(region: str, account: str, alias: str, address: str) -> str:
    """A channel's ARN, stable for its address, under its contact's alias as AWS forms it."""
    return make_arn(
        region, account, "contact-channel", alias, str(uuid.uuid5(ARN_NAMESPACE, address))
    )


def rotation_arn(region: str, account: str, address: str) -> str:
    """A rotation's ARN, stable for its address."""
    return make_arn(region, account, "rotation", str(uuid.uuid5(ARN_NAMESPACE, address)))
