"""The words of ssm-contacts that every layer shares: channel, contact, receipt and other enums.

Each is a ``Literal`` (for types) with its values in the AWS model's order (for loops and
messages). This module imports nothing of escsim's, so the domain, the engine, the wire model
and the front ends can all use it; nothing else defines these values again.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

AcceptCodeValidation = Literal["IGNORE", "ENFORCE"]
AcceptType = Literal["DELIVERED", "READ"]
ActivationStatus = Literal["ACTIVATED", "NOT_ACTIVATED"]
ChannelType = Literal["SMS", "VOICE", "EMAIL"]
ContactType = Literal["PERSONAL", "ESCALATION", "ONCALL_SCHEDULE"]
DayOfWeek = Literal["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
ReceiptType = Literal["DELIVERED", "ERROR", "READ", "SENT", "STOP"]
ShiftType = Literal["REGULAR", "OVERRIDDEN"]
ValidationExceptionReason = Literal[
    "UNKNOWN_OPERATION", "CANNOT_PARSE", "FIELD_VALIDATION_FAILED", "OTHER"
]

ACCEPT_CODE_VALIDATION_VALUES: Final[tuple[AcceptCodeValidation, ...]] = get_args(
    AcceptCodeValidation
)
ACCEPT_TYPE_VALUES: Final[tuple[AcceptType, ...]] = get_args(AcceptType)
ACTIVATION_STATUS_VALUES: Final[tuple[ActivationStatus, ...]] = get_args(ActivationStatus)
CHANNEL_TYPES: Final[tuple[ChannelType, ...]] = get_args(ChannelType)
CONTACT_TYPES: Final[tuple[ContactType, ...]] = get_args(ContactType)
DAYS_OF_WEEK: Final[tuple[DayOfWeek, ...]] = get_args(DayOfWeek)
RECEIPT_TYPES: Final[tuple[ReceiptType, ...]] = get_args(ReceiptType)
SHIFT_TYPES: Final[tuple[ShiftType, ...]] = get_args(ShiftType)
VALIDATION_EXCEPTION_REASONS: Final[tuple[ValidationExceptionReason, ...]] = get_args(
    ValidationExceptionReason
)
