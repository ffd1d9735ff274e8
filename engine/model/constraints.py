"""The scalar shapes of the ssm-contacts model: strings, numbers, booleans, enums, with AWS limits.

Each type is named after its shape in the botocore model and carries that shape's constraints
exactly (length, pattern, range, enum values). Strings, integers and booleans are strict: AWS
rejects ``"Alias": 5``, and so do these types. Enums are ``Literal`` types in
``engine.vocabulary``, shared by every layer.
"""

from __future__ import annotations

from typing import Annotated, Final

import annotated_types as at
from pydantic import Strict, StringConstraints

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


def _text(high: int, pattern: str | None = None, *, low: int | None = None) -> StringConstraints:
    """A strict string of at most ``high`` characters (at least ``low``) matching ``pattern``."""
    return StringConstraints(strict=True, min_length=low, max_length=high, pattern=pattern)


# Strings.
String = Annotated[str, StringConstraints(strict=True)]
SsmContactsArn = Annotated[str, _text(2048, ARN_PATTERN, low=1)]
AmazonResourceName = Annotated[str, _text(1011, low=1)]
ContactAlias = Annotated[str, _text(255, ALIAS_PATTERN, low=1)]
ContactName = Annotated[str, _text(255, NAME_PATTERN, low=0)]
ChannelName = Annotated[str, _text(255, NAME_PATTERN, low=1)]
SimpleAddress = Annotated[str, _text(320, low=1)]
IdempotencyToken = Annotated[str, _text(2048, TOKEN_PATTERN)]
PaginationToken = Annotated[str, _text(2048, TOKEN_PATTERN)]
Sender = Annotated[str, _text(255, SENDER_PATTERN)]
IncidentId = Annotated[str, _text(1024, SENDER_PATTERN)]
Subject = Annotated[str, _text(2048, FREE_TEXT_PATTERN, low=1)]
Content = Annotated[str, _text(8192, FREE_TEXT_PATTERN, low=1)]
PublicSubject = Annotated[str, _text(2048, FREE_TEXT_PATTERN, low=1)]
PublicContent = Annotated[str, _text(8192, FREE_TEXT_PATTERN, low=1)]
ReceiptInfo = Annotated[str, _text(2048, FREE_TEXT_PATTERN, low=1)]
StopReason = Annotated[str, _text(255, FREE_TEXT_PATTERN)]
AcceptCode = Annotated[str, _text(10, DIGITS_PATTERN, low=6)]
ActivationCode = Annotated[str, _text(10, DIGITS_PATTERN, low=6)]
Policy = Annotated[str, _text(395000, NON_BLANK_PATTERN, low=1)]
Member = Annotated[str, _text(512, NON_BLANK_PATTERN, low=1)]
RotationName = Annotated[str, _text(255, ROTATION_NAME_PATTERN, low=1)]
TimeZoneId = Annotated[str, _text(255, TIME_ZONE_PATTERN, low=1)]
TagKey = Annotated[str, _text(128, TOKEN_PATTERN, low=1)]
TagValue = Annotated[str, _text(256, TAG_VALUE_PATTERN, low=1)]
Uuid = Annotated[str, _text(39, UUID_PATTERN, low=36)]

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
