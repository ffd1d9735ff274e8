"""The scalar shapes of the ssm-contacts model: strings, numbers, booleans, enums, with AWS limits.

Each type is named after its shape in the botocore model and carries that shape's constraints
exactly (length, pattern, range, enum values). Strings, integers and booleans are strict: AWS
rejects ``"Alias": 5``, and so do these types. Enums are ``Literal`` types in the model's order;
the matching ``*_VALUES`` tuples list them for code that needs the values at run time.
"""

from __future__ import annotations

from typing import Annotated, Final

import annotated_types as at
from pydantic import Strict, StringConstraints

# Enums live in engine.vocabulary, shared by every layer; the model names them as AWS does.
from engine.vocabulary import (
    ACCEPT_CODE_VALIDATION_VALUES,
    ACCEPT_TYPE_VALUES,
    ACTIVATION_STATUS_VALUES,
    AcceptCodeValidation,
    AcceptType,
    ActivationStatus,
    ChannelType,
    ContactType,
    DayOfWeek,
    ReceiptType,
    ShiftType,
    ValidationExceptionReason,
)
from engine.vocabulary import CHANNEL_TYPES as CHANNEL_TYPE_VALUES
from engine.vocabulary import CONTACT_TYPES as CONTACT_TYPE_VALUES
from engine.vocabulary import DAYS_OF_WEEK as DAY_OF_WEEK_VALUES
from engine.vocabulary import RECEIPT_TYPES as RECEIPT_TYPE_VALUES
from engine.vocabulary import SHIFT_TYPES as SHIFT_TYPE_VALUES
from engine.vocabulary import (
    VALIDATION_EXCEPTION_REASONS as VALIDATION_EXCEPTION_REASON_VALUES,
)

__all__ = [
    "ACCEPT_CODE_VALIDATION_VALUES",
    "ACCEPT_TYPE_VALUES",
    "ACTIVATION_STATUS_VALUES",
    "ALIAS_PATTERN",
    "ARN_PATTERN",
    "CHANNEL_TYPE_VALUES",
    "CONTACT_TYPE_VALUES",
    "DAY_OF_WEEK_VALUES",
    "DIGITS_PATTERN",
    "FREE_TEXT_PATTERN",
    "NAME_PATTERN",
    "NON_BLANK_PATTERN",
    "RECEIPT_TYPE_VALUES",
    "ROTATION_NAME_PATTERN",
    "SENDER_PATTERN",
    "SHIFT_TYPE_VALUES",
    "TAG_VALUE_PATTERN",
    "TIME_ZONE_PATTERN",
    "TOKEN_PATTERN",
    "UUID_PATTERN",
    "VALIDATION_EXCEPTION_REASON_VALUES",
    "AcceptCode",
    "AcceptCodeValidation",
    "AcceptType",
    "ActivationCode",
    "ActivationStatus",
    "AmazonResourceName",
    "ChannelName",
    "ChannelType",
    "ContactAlias",
    "ContactName",
    "ContactType",
    "Content",
    "DayOfMonth",
    "DayOfWeek",
    "DeferActivation",
    "HourOfDay",
    "IdempotencyToken",
    "IncidentId",
    "IsEssential",
    "MaxResults",
    "Member",
    "MinuteOfHour",
    "NumberOfOnCalls",
    "PaginationToken",
    "Policy",
    "PublicContent",
    "PublicSubject",
    "ReceiptInfo",
    "ReceiptType",
    "RecurrenceMultiplier",
    "RetryAfterSeconds",
    "RetryIntervalInMinutes",
    "RotationName",
    "Sender",
    "ShiftType",
    "SimpleAddress",
    "SsmContactsArn",
    "StageDurationInMins",
    "StageIndex",
    "StopReason",
    "String",
    "Subject",
    "TagKey",
    "TagValue",
    "TimeZoneId",
    "Uuid",
    "ValidationExceptionReason",
]

# Patterns exactly as the model writes them (Smithy semantics: a match anywhere is enough).
ARN_PATTERN: Final = (
    r"arn:(aws|aws-cn|aws-us-gov):ssm-contacts:[-\w+=\/,.@]*:[0-9]+:([\w+=\/,.@:-]+)*"
)
ALIAS_PATTERN: Final = r"^[a-z0-9_\-]*$"
NAME_PATTERN: Final = r"^[\p{L}\p{Z}\p{N}_.\-]*$"
TOKEN_PATTERN: Final = r"^[\\\/a-zA-Z0-9_+=\-]*$"
SENDER_PATTERN: Final = r"^[\\a-zA-Z0-9_@#%*+=:?.\/!\s-]*$"
FREE_TEXT_PATTERN: Final = r"^[.\s\S]*$"
NON_BLANK_PATTERN: Final = r".*\S.*"
DIGITS_PATTERN: Final = r"^[0-9]*$"
ROTATION_NAME_PATTERN: Final = r"^[a-zA-Z0-9_\-\s\.]*$"
TIME_ZONE_PATTERN: Final = r"^[:a-zA-Z0-9_\-\s\.\\/]*$"
TAG_VALUE_PATTERN: Final = r"^[\p{L}\p{Z}\p{N}_.:\/=+\-@]*$"
UUID_PATTERN: Final = (
    r"([a-fA-Z0-9]{8,11}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}){1}"
)

# Strings.
String = Annotated[str, StringConstraints(strict=True)]
SsmContactsArn = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=2048, pattern=ARN_PATTERN)
]
AmazonResourceName = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=1011)]
ContactAlias = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=255, pattern=ALIAS_PATTERN)
]
ContactName = Annotated[
    str, StringConstraints(strict=True, min_length=0, max_length=255, pattern=NAME_PATTERN)
]
ChannelName = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=255, pattern=NAME_PATTERN)
]
SimpleAddress = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=320)]
IdempotencyToken = Annotated[
    str, StringConstraints(strict=True, max_length=2048, pattern=TOKEN_PATTERN)
]
PaginationToken = Annotated[
    str, StringConstraints(strict=True, max_length=2048, pattern=TOKEN_PATTERN)
]
Sender = Annotated[str, StringConstraints(strict=True, max_length=255, pattern=SENDER_PATTERN)]
IncidentId = Annotated[str, StringConstraints(strict=True, max_length=1024, pattern=SENDER_PATTERN)]
Subject = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=2048, pattern=FREE_TEXT_PATTERN)
]
Content = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=8192, pattern=FREE_TEXT_PATTERN)
]
PublicSubject = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=2048, pattern=FREE_TEXT_PATTERN)
]
PublicContent = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=8192, pattern=FREE_TEXT_PATTERN)
]
ReceiptInfo = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=2048, pattern=FREE_TEXT_PATTERN)
]
StopReason = Annotated[
    str, StringConstraints(strict=True, max_length=255, pattern=FREE_TEXT_PATTERN)
]
AcceptCode = Annotated[
    str, StringConstraints(strict=True, min_length=6, max_length=10, pattern=DIGITS_PATTERN)
]
ActivationCode = Annotated[
    str, StringConstraints(strict=True, min_length=6, max_length=10, pattern=DIGITS_PATTERN)
]
Policy = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=395000, pattern=NON_BLANK_PATTERN)
]
Member = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=512, pattern=NON_BLANK_PATTERN)
]
RotationName = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=255, pattern=ROTATION_NAME_PATTERN),
]
TimeZoneId = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=255, pattern=TIME_ZONE_PATTERN)
]
TagKey = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=TOKEN_PATTERN)
]
TagValue = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=256, pattern=TAG_VALUE_PATTERN)
]
Uuid = Annotated[
    str, StringConstraints(strict=True, min_length=36, max_length=39, pattern=UUID_PATTERN)
]

# Integers (never booleans: strict).
StageDurationInMins = Annotated[int, Strict(), at.Interval(ge=0, le=30)]
RetryIntervalInMinutes = Annotated[int, Strict(), at.Interval(ge=0, le=60)]
MaxResults = Annotated[int, Strict(), at.Interval(ge=0, le=1024)]
StageIndex = Annotated[int, Strict(), at.Interval(ge=0, le=100)]
DayOfMonth = Annotated[int, Strict(), at.Interval(ge=1, le=31)]
HourOfDay = Annotated[int, Strict(), at.Interval(ge=0, le=23)]
MinuteOfHour = Annotated[int, Strict(), at.Interval(ge=0, le=59)]
NumberOfOnCalls = Annotated[int, Strict(), at.Ge(1)]
RecurrenceMultiplier = Annotated[int, Strict(), at.Interval(ge=1, le=100)]
RetryAfterSeconds = Annotated[int, Strict()]

# Booleans.
DeferActivation = Annotated[bool, Strict()]
IsEssential = Annotated[bool, Strict()]
