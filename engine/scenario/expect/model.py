"""The shape of ``expect:`` in a scenario and of a step's detailed ``expect_error``, as pydantic.

These models check keys, types and simple ranges, and give ``escsim schema`` its description.
Names inside them (contacts, channels, step ids) are checked against the scenario by
:mod:`engine.scenario.expect.compile`; what they mean at run time is
:mod:`engine.scenario.expect.rows`' business. Every model forbids unknown keys.

A key written with an explicit ``null`` means "absent" (a message without a Subject, an
engagement never stopped); a key left out is not checked. ``model_fields_set`` tells them apart.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    model_validator,
)

from engine.scenario.fields import At, parse_at
from engine.timeutil import DURATION_PATTERN

__all__ = [
    "EVENT_TYPES",
    "EXPECT_UNION_TAGS",
    "AckRow",
    "CountRow",
    "EngagementOutcome",
    "EventCheck",
    "EventCount",
    "EventRow",
    "Expectations",
    "ExpectedError",
    "MessageCheck",
    "MessageCount",
    "MessageRow",
    "PageCheck",
    "PageCount",
    "PageRow",
    "ReceiptCheck",
    "ReceiptCount",
    "ReceiptRow",
    "RecordsCheck",
    "TextMatch",
    "TextPattern",
    "When",
]

EVENT_TYPES: tuple[str, ...] = (
    "ENGAGEMENT_STARTED",
    "STAGE_STARTED",
    "PAGE_CREATED",
    "MESSAGE",
    "RECEIPT",
    "CHANNEL_SKIPPED",
    "TARGET_SKIPPED",
    "NO_ONCALL",
    "ESCALATION_STOPPED",
    "ENGAGEMENT_STOPPED",
    "ENGAGEMENT_ENDED",
    "CHANNEL_CREATED",
    "CHANNEL_ACTIVATED",
    "CHANNEL_DEACTIVATED",
    "CHANNEL_DELETED",
)
"""Event types documented in interfaces.md. Others may be added; a name very close to one of
these is taken for a typo."""

EXPECT_UNION_TAGS = frozenset(
    {
        "<rows>",
        "<check>",
        "<text>",
        "<text pattern>",
        "<code>",
        "<error detail>",
        "<count messages>",
        "<count receipts>",
        "<count events>",
        "<count pages>",
    }
)
"""Tags of the discriminated unions below; error paths drop them."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Text -----------------------------------------------------------------------------------------


class TextPattern(_Strict):
    """One way of matching text other than equality."""

    equals: str | None = Field(default=None, description="The whole text.")
    contains: str | None = Field(default=None, description="A part of the text.")
    not_contains: str | None = Field(default=None, description="A part the text must not have.")
    matches: str | None = Field(
        default=None, description="A Python regular expression the whole text matches."
    )

    @model_validator(mode="after")
    def _one_way(self) -> TextPattern:
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "write one of {equals: ...}, {contains: ...}, {not_contains: ...}, {matches: REGEX}"
            )
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return self


def _scalar_as_text(value: Any) -> Any:
    # Codes such as 123456 are read by YAML as numbers; they are text in every record.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _text_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<text>"
    if isinstance(value, dict | TextPattern):
        return "<text pattern>"
    return None


TextMatch = Annotated[
    Annotated[str, Tag("<text>")] | Annotated[TextPattern, Tag("<text pattern>")],
    Discriminator(
        _text_kind,
        custom_error_type="text_match",
        custom_error_message="write the whole text, or {contains: PART}, {not_contains: PART}, "
        "{matches: REGEX}",
    ),
    BeforeValidator(_scalar_as_text),
]
"""Text: a plain string is the whole text; a mapping names another way of matching."""


# --- Times ----------------------------------------------------------------------------------------


def _when(value: Any) -> bool | float | dt.datetime:
    if isinstance(value, bool):
        return value
    return parse_at(value)


When = Annotated[
    bool | float | dt.datetime,
    BeforeValidator(_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"type": "string", "pattern": DURATION_PATTERN},
                {"const": 0},
                {"type": "string", "format": "date-time"},
            ],
            "description": "An offset from the start (7m), an ISO 8601 instant, true (at any "
            "time) or false / null (never).",
        }
    ),
]
"""When something happened: at a time, at any time (true), or never (false)."""

_AT = Field(default=None, description="Exactly when: an offset from the start or an instant.")
_AFTER = Field(default=None, description="Strictly later than this time.")
_BEFORE = Field(default=None, description="Strictly earlier than this time.")
_CONTACT = Field(default=None, description="Alias (or ARN) of the contact.")
_ENGAGEMENT = Field(
    default=None, description="Id of the script step whose StartEngagement this belongs to."
)
_CHANNEL = Field(
    default=None,
    description="A channel type (SMS, VOICE, EMAIL), a channel's name, or its ARN; null: none.",
)


class _Row(_Strict):
    at: At | None = _AT
    after: At | None = _AFTER
    before: At | None = _BEFORE
    contact: str | None = _CONTACT
    engagement: str | None = _ENGAGEMENT


# --- Rows -----------------------------------------------------------------------------------------


class MessageRow(_Row):
    """An outbox message: a page (SENT or ERROR attempt) or an activation code."""

    channel: str | None = _CHANNEL
    kind: Literal["PAGE", "ACTIVATION"] | None = None
    outcome: Literal["SENT", "ERROR"] | None = None
    attempt: int | None = Field(default=None, ge=1, description="1 for the first try, then 2...")
    subject: TextMatch | None = Field(default=None, description="Subject; null: no subject.")
    content: TextMatch | None = Field(default=None, description="Content of the message.")
    code: TextMatch | None = Field(default=None, description="The accept or activation code.")


class ReceiptRow(_Row):
    """A page receipt, as the RECEIPT events of the log record them."""

    channel: str | None = _CHANNEL
    type: Literal["SENT", "DELIVERED", "READ", "ERROR", "STOP"] | None = None
    info: TextMatch | None = Field(default=None, description="ReceiptInfo; null: none.")


class EventRow(_Row):
    """A record of the event log (after the organisation's import)."""

    type: str | None = Field(
        default=None, pattern=r"^[A-Z][A-Z_]*$", description="Event Type, e.g. PAGE_CREATED."
    )
    channel: str | None = _CHANNEL
    stage: int | None = Field(default=None, ge=0, description="StageIndex.")
    reason: TextMatch | None = Field(default=None, description="Reason; null: none.")
    fields: dict[str, object] | None = Field(
        default=None,
        description="Other keys of the record by their names (ReceiptType, Outcome...), "
        "matched as responses are.",
    )


class PageRow(_Row):
    """A page: one personal contact engaged within an engagement. ``at`` is its creation."""

    resolution: list[Annotated[str, Field(pattern=r"^[^\[\]\s]+(\[\d+\])?$")]] | None = Field(
        default=None,
        description="The path from the engaged contact down to the paged one, top first: "
        "alias[stage] for an escalation entry, alias for the others.",
    )
    sent: When | None = Field(default=None, description="SentTime (latest SENT); false: none.")
    delivered: When | None = Field(default=None, description="DeliveryTime; false: none.")
    read: When | None = Field(default=None, description="ReadTime; false: not acknowledged.")


# --- Checks over one kind of record ---------------------------------------------------------------


_WHERE = Field(default=None, description="Only records matching this row are checked.")
_EXACTLY = Field(default=None, description="These records and no others, in this order.")
_INCLUDE = Field(default=None, description="These records in this order; others may come between.")
_EXCLUDE = Field(default=None, description="No record may match any of these rows.")


RowT = TypeVar("RowT", bound=_Row)


class RecordsCheck(_Strict, Generic[RowT]):
    # No docstring: the schema of each kind's check (MessageCheck...) has no description.
    where: RowT | None = _WHERE
    exactly: list[RowT] | None = _EXACTLY
    include: list[RowT] | None = _INCLUDE
    exclude: list[RowT] | None = _EXCLUDE

    @model_validator(mode="after")
    def _lists(self) -> RecordsCheck[RowT]:
        if self.exactly is not None and self.include is not None:
            raise ValueError("give 'exactly' or 'include', not both ('exactly' implies 'include')")
        if self.exactly is None and self.include is None and self.exclude is None:
            raise ValueError("give at least one of 'exactly', 'include' or 'exclude'")
        return self


class MessageCheck(RecordsCheck[MessageRow]): ...


class ReceiptCheck(RecordsCheck[ReceiptRow]): ...


class EventCheck(RecordsCheck[EventRow]): ...


class PageCheck(RecordsCheck[PageRow]): ...


def _rows_or_check(value: Any) -> str | None:
    if isinstance(value, list):
        return "<rows>"
    if isinstance(value, dict | RecordsCheck):
        return "<check>"
    return None


_RECORDS = Discriminator(
    _rows_or_check,
    custom_error_type="records_check",
    custom_error_message="write a list of rows (exactly these, in order) or a mapping with "
    "where, exactly, include, exclude",
)

Messages = Annotated[
    Annotated[list[MessageRow], Tag("<rows>")] | Annotated[MessageCheck, Tag("<check>")],
    _RECORDS,
]
Receipts = Annotated[
    Annotated[list[ReceiptRow], Tag("<rows>")] | Annotated[ReceiptCheck, Tag("<check>")],
    _RECORDS,
]
Events = Annotated[
    Annotated[list[EventRow], Tag("<rows>")] | Annotated[EventCheck, Tag("<check>")],
    _RECORDS,
]
Pages = Annotated[
    Annotated[list[PageRow], Tag("<rows>")] | Annotated[PageCheck, Tag("<check>")],
    _RECORDS,
]


# --- Counts ---------------------------------------------------------------------------------------


class MessageCount(MessageRow):
    messages: int = Field(ge=0, description="How many messages match the rest of the row.")


class ReceiptCount(ReceiptRow):
    receipts: int = Field(ge=0, description="How many receipts match the rest of the row.")


class EventCount(EventRow):
    events: int = Field(ge=0, description="How many events match the rest of the row.")


class PageCount(PageRow):
    pages: int = Field(ge=0, description="How many pages match the rest of the row.")


_COUNTED = ("messages", "receipts", "events", "pages")


def _count_kind(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        value = dict.fromkeys(value.model_fields_set)
    if isinstance(value, dict):
        kinds = [key for key in _COUNTED if key in value]
        if len(kinds) == 1:
            return f"<count {kinds[0]}>"
    return None


CountRow = Annotated[
    Annotated[MessageCount, Tag("<count messages>")]
    | Annotated[ReceiptCount, Tag("<count receipts>")]
    | Annotated[EventCount, Tag("<count events>")]
    | Annotated[PageCount, Tag("<count pages>")],
    Discriminator(
        _count_kind,
        custom_error_type="count_kind",
        custom_error_message="a count names one of messages, receipts, events or pages with "
        "the number expected, e.g. {messages: 3, contact: akuam}",
    ),
]


# --- Engagements ----------------------------------------------------------------------------------


class AckRow(_Strict):
    """One acknowledgement (READ receipt) of an engagement."""

    contact: str | None = _CONTACT
    at: At | None = _AT
    after: At | None = _AFTER
    before: At | None = _BEFORE
    channel: str | None = _CHANNEL


class EngagementOutcome(_Strict):
    """What became of the engagement a script step started."""

    acknowledged: list[AckRow] | None = Field(
        default=None,
        description="Every acknowledgement (READ) of the engagement, in order; [] for none.",
    )
    paged: list[str] | None = Field(
        default=None, description="Aliases of the contacts paged, in the order they were paged."
    )
    escalation_stopped: When | None = Field(
        default=None, description="When an essential acknowledgement stopped the escalation."
    )
    stopped: When | None = Field(default=None, description="When StopEngagement stopped it.")
    ended: When | None = Field(
        default=None, description="When it ended naturally (nothing left pending)."
    )


# --- The block ------------------------------------------------------------------------------------


class Expectations(_Strict):
    """``expect:``: what the run must have done. Every key is optional."""

    messages: Messages | None = Field(default=None, description="Outbox messages.")
    receipts: Receipts | None = Field(default=None, description="Page receipts.")
    events: Events | None = Field(default=None, description="Event log records.")
    pages: Pages | None = Field(default=None, description="Pages, in the order created.")
    counts: list[CountRow] | None = Field(
        default=None, description="How many records match a row, e.g. {messages: 3, channel: SMS}."
    )
    engagements: dict[str, EngagementOutcome] | None = Field(
        default=None, description="Outcome per engagement, by the id of the step that started it."
    )
    responses: dict[str, object] | None = Field(
        default=None,
        description="Parts of step responses, by step id: mappings need only the keys given, "
        "lists match item by item, null means absent.",
    )


class ExpectedError(_Strict):
    """``expect_error`` with detail: the code, and optionally the message and error members."""

    code: str = Field(pattern=r"^[A-Za-z]+$", description="The AWS error code.")
    message: TextMatch | None = Field(
        default=None, description="The message: whole text, or {contains: PART}..."
    )
    members: dict[str, object] | None = Field(
        default=None,
        description="Error members such as ResourceType or Reason, matched as responses are.",
    )


def _error_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<code>"
    if isinstance(value, dict | ExpectedError):
        return "<error detail>"
    return None


ErrorExpectation = Annotated[
    Annotated[Annotated[str, Field(pattern=r"^[A-Za-z]+$")], Tag("<code>")]
    | Annotated[ExpectedError, Tag("<error detail>")],
    Discriminator(
        _error_kind,
        custom_error_type="expect_error",
        custom_error_message="write the error code, or {code: CODE, message: {contains: PART}}",
    ),
]
"""A step's ``expect_error``: the code alone, or :class:`ExpectedError`."""
