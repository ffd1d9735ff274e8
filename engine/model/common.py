"""Shapes shared by several parts of the API: tags, time ranges and error details."""

from __future__ import annotations

from typing import Annotated

import annotated_types as at

from engine.model.base import DateTime, ListOf, WireModel
from engine.model.constraints import SsmContactsArn, String, TagKey, TagValue


class Tag(WireModel):
    """A key and value attached to a contact or rotation."""

    key: TagKey | None = None
    value: TagValue | None = None


class TimeRange(WireModel):
    """A span of time used to filter engagements."""

    start_time: DateTime | None = None
    end_time: DateTime | None = None


#: Lists of ARNs in outputs and plans (at most 25).
SsmContactsArnList = Annotated[ListOf[SsmContactsArn], at.Len(0, 25)]
TagsList = Annotated[ListOf[Tag], at.Len(0, 50)]
TagKeyList = Annotated[ListOf[TagKey], at.Len(0, 50)]


class DependentEntity(WireModel):
    """Resources that depend on the one a ConflictException is about, and how they relate."""

    relation_type: String
    dependent_resource_ids: SsmContactsArnList


class ValidationExceptionField(WireModel):
    """One field a ValidationException complains about: its member path and the problem."""

    name: String
    message: String
