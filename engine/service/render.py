"""State -> AWS output shapes: members in the AWS model's order, absent ones left out."""

from __future__ import annotations

from typing import Any

from engine.service.context import Context
from engine.sim.state import ChannelState, ContactState, EngagementState, PageState, Receipt

__all__ = [
    "channel_detail",
    "channel_summary",
    "contact_detail",
    "contact_summary",
    "engagement_detail",
    "engagement_summary",
    "page_detail",
    "page_summary",
    "receipt",
]


def contact_summary(contact: ContactState) -> dict[str, Any]:
    """A ``Contact`` list item."""
    out: dict[str, Any] = {"ContactArn": contact.arn, "Alias": contact.alias}
    if contact.display_name is not None:
        out["DisplayName"] = contact.display_name
    out["Type"] = contact.type
    return out


def contact_detail(contact: ContactState) -> dict[str, Any]:
    """GetContact's answer."""
    out = contact_summary(contact)
    out["Plan"] = contact.plan
    return out


def channel_summary(channel: ChannelState) -> dict[str, Any]:
    """A ``ContactChannel`` list item."""
    return {
        "ContactChannelArn": channel.arn,
        "ContactArn": channel.contact_arn,
        "Name": channel.name,
        "Type": channel.type,
        "DeliveryAddress": {"SimpleAddress": channel.address},
        "ActivationStatus": "ACTIVATED" if channel.activated else "NOT_ACTIVATED",
    }


def channel_detail(channel: ChannelState) -> dict[str, Any]:
    """GetContactChannel's answer."""
    return {
        "ContactArn": channel.contact_arn,
        "ContactChannelArn": channel.arn,
        "Name": channel.name,
        "Type": channel.type,
        "DeliveryAddress": {"SimpleAddress": channel.address},
        "ActivationStatus": "ACTIVATED" if channel.activated else "NOT_ACTIVATED",
    }


def engagement_summary(ctx: Context, engagement: EngagementState) -> dict[str, Any]:
    """An ``Engagement`` list item."""
    out: dict[str, Any] = {
        "EngagementArn": engagement.arn,
        "ContactArn": engagement.contact_arn,
        "Sender": engagement.sender,
    }
    if engagement.incident_id is not None:
        out["IncidentId"] = engagement.incident_id
    out["StartTime"] = ctx.datetime(engagement.start)
    if engagement.stop is not None:
        out["StopTime"] = ctx.datetime(engagement.stop)
    return out


def engagement_detail(ctx: Context, engagement: EngagementState) -> dict[str, Any]:
    """DescribeEngagement's answer."""
    out: dict[str, Any] = {
        "ContactArn": engagement.contact_arn,
        "EngagementArn": engagement.arn,
        "Sender": engagement.sender,
        "Subject": engagement.subject,
        "Content": engagement.content,
    }
    _texts(out, engagement)
    out["StartTime"] = ctx.datetime(engagement.start)
    if engagement.stop is not None:
        out["StopTime"] = ctx.datetime(engagement.stop)
    return out


def page_summary(ctx: Context, page: PageState) -> dict[str, Any]:
    """A ``Page`` list item."""
    engagement = page.engagement
    out: dict[str, Any] = {
        "PageArn": page.arn,
        "EngagementArn": engagement.arn,
        "ContactArn": page.contact_arn,
        "Sender": engagement.sender,
    }
    if engagement.incident_id is not None:
        out["IncidentId"] = engagement.incident_id
    for name, value in (
        ("SentTime", page.sent_time),
        ("DeliveryTime", page.delivery_time),
        ("ReadTime", page.read_time),
    ):
        if value is not None:
            out[name] = ctx.datetime(value)
    return out


def page_detail(ctx: Context, page: PageState) -> dict[str, Any]:
    """DescribePage's answer."""
    engagement = page.engagement
    out: dict[str, Any] = {
        "PageArn": page.arn,
        "EngagementArn": engagement.arn,
        "ContactArn": page.contact_arn,
        "Sender": engagement.sender,
        "Subject": engagement.subject,
        "Content": engagement.content,
    }
    _texts(out, engagement)
    for name, value in (
        ("SentTime", page.sent_time),
        ("ReadTime", page.read_time),
        ("DeliveryTime", page.delivery_time),
    ):
        if value is not None:
            out[name] = ctx.datetime(value)
    return out


def receipt(ctx: Context, item: Receipt) -> dict[str, Any]:
    """A ``Receipt``."""
    time, kind, channel_arn, info = item
    out: dict[str, Any] = {}
    if channel_arn is not None:
        out["ContactChannelArn"] = channel_arn
    out["ReceiptType"] = kind
    if info is not None:
        out["ReceiptInfo"] = info
    out["ReceiptTime"] = ctx.datetime(time)
    return out


def _texts(out: dict[str, Any], engagement: EngagementState) -> None:
    if engagement.public_subject is not None:
        out["PublicSubject"] = engagement.public_subject
    if engagement.public_content is not None:
        out["PublicContent"] = engagement.public_content
    if engagement.incident_id is not None:
        out["IncidentId"] = engagement.incident_id
