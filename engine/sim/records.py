"""The event log and outbox records, one constructor per record type (interfaces.md's table).

Every record the core writes is built here, so the keys of each type and their order (which the
JSON output keeps) live in one place. Optional keys are left out, not written as null. Records are
plain dicts typed as TypedDicts: the core builds millions of them, and a dict is the cheapest
shape that serialises straight to JSON.
"""

from __future__ import annotations

from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict, cast

from engine.vocabulary import ChannelType, ReceiptType

if TYPE_CHECKING:
    from engine.domain import Channel
    from engine.sim.state import PageState


ChannelEventType = Literal[
    "CHANNEL_CREATED", "CHANNEL_ACTIVATED", "CHANNEL_DEACTIVATED", "CHANNEL_DELETED"
]


class EngagementStarted(TypedDict):
    Time: float
    Type: Literal["ENGAGEMENT_STARTED"]
    EngagementArn: str
    ContactArn: str


class StageStarted(TypedDict):
    Time: float
    Type: Literal["STAGE_STARTED"]
    EngagementArn: str
    ContactArn: str
    StageIndex: int
    PageArn: NotRequired[str]


class PageCreated(TypedDict):
    Time: float
    Type: Literal["PAGE_CREATED"]
    EngagementArn: str
    PageArn: str
    ContactArn: str


class MessageEvent(TypedDict):
    Time: float
    Type: Literal["MESSAGE"]
    EngagementArn: str
    PageArn: str
    ContactChannelArn: str
    ChannelType: ChannelType
    Attempt: int
    Outcome: Literal["SENT", "ERROR"]


class ReceiptEvent(TypedDict):
    Time: float
    Type: Literal["RECEIPT"]
    EngagementArn: str
    PageArn: str
    ContactChannelArn: NotRequired[str]
    ReceiptType: ReceiptType
    ReceiptInfo: NotRequired[str]


class ChannelSkipped(TypedDict):
    Time: float
    Type: Literal["CHANNEL_SKIPPED"]
    EngagementArn: str
    PageArn: str
    ContactChannelArn: str | None
    Reason: str


class TargetSkipped(TypedDict):
    Time: float
    Type: Literal["TARGET_SKIPPED"]
    EngagementArn: str
    ContactArn: str | None
    StageIndex: NotRequired[int]
    Reason: str


class NoOncall(TypedDict):
    Time: float
    Type: Literal["NO_ONCALL"]
    EngagementArn: str
    ContactArn: str
    StageIndex: NotRequired[int]


class EscalationStopped(TypedDict):
    Time: float
    Type: Literal["ESCALATION_STOPPED"]
    EngagementArn: str
    PageArn: str


class EngagementStopped(TypedDict):
    Time: float
    Type: Literal["ENGAGEMENT_STOPPED"]
    EngagementArn: str
    Reason: NotRequired[str]


class EngagementEnded(TypedDict):
    Time: float
    Type: Literal["ENGAGEMENT_ENDED"]
    EngagementArn: str


class ChannelEvent(TypedDict):
    Time: float
    Type: ChannelEventType
    ContactArn: str
    ContactChannelArn: str
    ChannelType: ChannelType


EventRecord = (
    EngagementStarted
    | StageStarted
    | PageCreated
    | MessageEvent
    | ReceiptEvent
    | ChannelSkipped
    | TargetSkipped
    | NoOncall
    | EscalationStopped
    | EngagementStopped
    | EngagementEnded
    | ChannelEvent
)


class PageMessage(TypedDict):
    """An outbox PAGE message: one send of a page to one channel, with its text (E6)."""

    Time: float
    Kind: Literal["PAGE"]
    ChannelType: ChannelType
    ContactChannelArn: str
    DeliveryAddress: str
    ContactArn: str
    EngagementArn: str
    PageArn: str
    Subject: NotRequired[str]
    Content: NotRequired[str]
    Code: str
    Attempt: int
    Outcome: Literal["SENT", "ERROR"]


class ActivationMessage(TypedDict):
    """An outbox ACTIVATION message: an activation code sent to a channel (R3)."""

    Time: float
    Kind: Literal["ACTIVATION"]
    ChannelType: ChannelType
    ContactChannelArn: str
    DeliveryAddress: str
    ContactArn: str
    Code: str


MessageRecord = PageMessage | ActivationMessage


def engagement_started(time: float, engagement: str, contact: str) -> EngagementStarted:
    return {
        "Time": time,
        "Type": "ENGAGEMENT_STARTED",
        "EngagementArn": engagement,
        "ContactArn": contact,
    }


def stage_started(
    time: float, engagement: str, contact: str, index: int, page: str | None = None
) -> StageStarted:
    record: StageStarted = {
        "Time": time,
        "Type": "STAGE_STARTED",
        "EngagementArn": engagement,
        "ContactArn": contact,
        "StageIndex": index,
    }
    if page is not None:
        record["PageArn"] = page
    return record


def page_created(time: float, engagement: str, page: str, contact: str) -> PageCreated:
    return {
        "Time": time,
        "Type": "PAGE_CREATED",
        "EngagementArn": engagement,
        "PageArn": page,
        "ContactArn": contact,
    }


def message(
    time: float,
    engagement: str,
    page: str,
    channel: str,
    kind: ChannelType,
    attempt: int,
    outcome: Literal["SENT", "ERROR"],
) -> MessageEvent:
    return {
        "Time": time,
        "Type": "MESSAGE",
        "EngagementArn": engagement,
        "PageArn": page,
        "ContactChannelArn": channel,
        "ChannelType": kind,
        "Attempt": attempt,
        "Outcome": outcome,
    }


def receipt(
    time: float,
    engagement: str,
    page: str,
    channel: str | None,
    kind: ReceiptType,
    info: str | None,
) -> ReceiptEvent:
    # Two literals rather than a dict built key by key: this runs for every receipt.
    record: ReceiptEvent
    if channel is None:
        record = {
            "Time": time,
            "Type": "RECEIPT",
            "EngagementArn": engagement,
            "PageArn": page,
            "ReceiptType": kind,
        }
    else:
        record = {
            "Time": time,
            "Type": "RECEIPT",
            "EngagementArn": engagement,
            "PageArn": page,
            "ContactChannelArn": channel,
            "ReceiptType": kind,
        }
    if info is not None:
        record["ReceiptInfo"] = info
    return record


def receipt_pair(engagement: str, page: str) -> str:
    """The engagement and page members of a receipt line, from the two ARNs already JSON-quoted:
    the same for every receipt of a page, so a streaming recorder builds it once per page."""
    return f'"EngagementArn": {engagement}, "PageArn": {page}'


def receipt_line(
    time: float,
    pair: str,
    channel: str | None,
    kind: ReceiptType,
    info: str | None,
) -> str:
    """``json.dumps(receipt(...)) + "\\n"`` from :func:`receipt_pair` and the channel ARN already
    JSON-quoted (``info`` is not): a streamed run writes one per receipt, without building the
    dict."""
    if channel is None:
        line = f'{{"Time": {time!r}, "Type": "RECEIPT", {pair}, "ReceiptType": "{kind}"'
    else:
        line = f'{{"Time": {time!r}, "Type": "RECEIPT", {pair}, "ContactChannelArn": {channel}, '
        line += f'"ReceiptType": "{kind}"'
    if info is None:
        return line + "}\n"
    return f'{line}, "ReceiptInfo": {encode_basestring_ascii(info)}}}\n'


def channel_skipped(
    time: float, engagement: str, page: str, channel: str | None, reason: str
) -> ChannelSkipped:
    return {
        "Time": time,
        "Type": "CHANNEL_SKIPPED",
        "EngagementArn": engagement,
        "PageArn": page,
        "ContactChannelArn": channel,
        "Reason": reason,
    }


def target_skipped(
    time: float, engagement: str, contact: str | None, stage: int | None, reason: str
) -> TargetSkipped:
    record: dict[str, object] = {
        "Time": time,
        "Type": "TARGET_SKIPPED",
        "EngagementArn": engagement,
        "ContactArn": contact,
    }
    if stage is not None:
        record["StageIndex"] = stage
    record["Reason"] = reason
    return cast("TargetSkipped", record)  # built in key order


def no_oncall(time: float, engagement: str, schedule: str, stage: int | None) -> NoOncall:
    record: NoOncall = {
        "Time": time,
        "Type": "NO_ONCALL",
        "EngagementArn": engagement,
        "ContactArn": schedule,
    }
    if stage is not None:
        record["StageIndex"] = stage
    return record


def escalation_stopped(time: float, engagement: str, page: str) -> EscalationStopped:
    return {
        "Time": time,
        "Type": "ESCALATION_STOPPED",
        "EngagementArn": engagement,
        "PageArn": page,
    }


def engagement_stopped(time: float, engagement: str, reason: str | None) -> EngagementStopped:
    record: EngagementStopped = {
        "Time": time,
        "Type": "ENGAGEMENT_STOPPED",
        "EngagementArn": engagement,
    }
    if reason is not None:
        record["Reason"] = reason
    return record


def engagement_ended(time: float, engagement: str) -> EngagementEnded:
    return {"Time": time, "Type": "ENGAGEMENT_ENDED", "EngagementArn": engagement}


def channel_event(
    time: float, kind: ChannelEventType, contact: str, channel: str, channel_type: ChannelType
) -> ChannelEvent:
    return {
        "Time": time,
        "Type": kind,
        "ContactArn": contact,
        "ContactChannelArn": channel,
        "ChannelType": channel_type,
    }


def page_message(
    time: float,
    page: PageState,
    channel: Channel,
    attempt: int,
    outcome: Literal["SENT", "ERROR"],
) -> PageMessage:
    """The outbox record of one send, with the text its channel type carries (E6)."""
    engagement = page.engagement
    message: dict[str, object] = {
        "Time": time,
        "Kind": "PAGE",
        "ChannelType": channel.type,
        "ContactChannelArn": channel.arn,
        "DeliveryAddress": channel.address,
        "ContactArn": page.contact_arn,
        "EngagementArn": engagement.arn,
        "PageArn": page.arn,
    }
    if channel.type == "SMS":
        # Secure fields never go to SMS.
        subject = engagement.public_subject
        content = engagement.public_content
        if subject is None and content is None:
            content = (
                f"{engagement.sender} is paging you (page {page.arn.rsplit('/', 1)[-1]}). "
                f"Reply with {page.code} to acknowledge."
            )
    else:
        subject = engagement.subject
        content = engagement.content
    if subject is not None:
        message["Subject"] = subject
    if content is not None:
        message["Content"] = content
    message["Code"] = page.code
    message["Attempt"] = attempt
    message["Outcome"] = outcome
    return cast("PageMessage", message)  # built in key order
