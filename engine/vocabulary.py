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

ACCEPT_TYPE_VALUES: Final[tuple[AcceptType, ...]] = get_args(AcceptType)
CHANNEL_TYPES: Final[tuple[ChannelType, ...]] = get_args(ChannelType)
CONTACT_TYPES: Final[tuple[ContactType, ...]] = get_args(ContactType)
DAYS_OF_WEEK: Final[tuple[DayOfWeek, ...]] = get_args(DayOfWeek)
