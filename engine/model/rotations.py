"""On-call rotations: recurrence settings, hand-off times, coverage, shifts and overrides."""

from __future__ import annotations

from typing import Annotated

import annotated_types as at

from engine.model.base import DateTime, ListOf, WireModel
from engine.model.common import SsmContactsArnList
from engine.model.constraints import (
    DayOfMonth,
    HourOfDay,
    Member,
    MinuteOfHour,
    NumberOfOnCalls,
    RecurrenceMultiplier,
    RotationName,
    SsmContactsArn,
    TimeZoneId,
    Uuid,
)
from engine.vocabulary import DayOfWeek, ShiftType

#: Rotation members on input: 1 to 30 contact ARNs, in shift order.
RotationContactsArnList = Annotated[ListOf[SsmContactsArn], at.Len(1, 30)]
#: Override contacts on input: 0 to 30 contact ARNs (none means nobody is on call).
RotationOverrideContactsArnList = Annotated[ListOf[SsmContactsArn], at.Len(0, 30)]
#: Members of a previewed rotation: 1 to 30 free-form names.
RotationPreviewMemberList = Annotated[ListOf[Member], at.Len(1, 30)]
#: Members of a previewed override: 0 to 30 free-form names.
RotationOverridePreviewMemberList = Annotated[ListOf[Member], at.Len(0, 30)]


class HandOffTime(WireModel):
    """A wall-clock time of day (in the rotation's time zone)."""

    hour_of_day: HourOfDay
    minute_of_hour: MinuteOfHour


class WeeklySetting(WireModel):
    """A weekly hand-off: the day of the week and the time on that day."""

    day_of_week: DayOfWeek
    hand_off_time: HandOffTime


class MonthlySetting(WireModel):
    """A monthly hand-off: the day of the month and the time on that day."""

    day_of_month: DayOfMonth
    hand_off_time: HandOffTime


class CoverageTime(WireModel):
    """A window of a day during which the rotation has someone on call."""

    start: HandOffTime | None = None
    end: HandOffTime | None = None


class RecurrenceSettings(WireModel):
    """When shifts change hands, how many people are on call at once, and coverage windows."""

    monthly_settings: ListOf[MonthlySetting] | None = None
    weekly_settings: ListOf[WeeklySetting] | None = None
    daily_settings: ListOf[HandOffTime] | None = None
    number_of_on_calls: NumberOfOnCalls
    shift_coverages: dict[DayOfWeek, ListOf[CoverageTime]] | None = None
    recurrence_multiplier: RecurrenceMultiplier


class Rotation(WireModel):
    """A rotation as ListRotations shows it."""

    rotation_arn: SsmContactsArn
    name: RotationName
    contact_ids: SsmContactsArnList | None = None
    start_time: DateTime | None = None
    time_zone_id: TimeZoneId | None = None
    recurrence: RecurrenceSettings | None = None


class RotationOverride(WireModel):
    """A stretch of time in which other contacts replace a rotation's regular ones."""

    rotation_override_id: Uuid
    new_contact_ids: SsmContactsArnList
    start_time: DateTime
    end_time: DateTime
    create_time: DateTime


class ShiftDetails(WireModel):
    """Extra facts about an overridden shift: whom the override replaced."""

    overridden_contact_ids: SsmContactsArnList


class RotationShift(WireModel):
    """A time span and who is on call during it, regular or overridden."""

    contact_ids: SsmContactsArnList | None = None
    start_time: DateTime
    end_time: DateTime
    type: ShiftType | None = None
    shift_details: ShiftDetails | None = None


class PreviewOverride(WireModel):
    """An override to apply to a previewed rotation, naming members rather than ARNs."""

    new_members: RotationOverridePreviewMemberList | None = None
    start_time: DateTime | None = None
    end_time: DateTime | None = None
