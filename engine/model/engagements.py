"""Engagements, the pages they send, the receipts pages collect, and how a page was resolved."""

from __future__ import annotations

from engine.model.base import DateTime, WireModel
from engine.model.constraints import (
    IncidentId,
    ReceiptInfo,
    Sender,
    SsmContactsArn,
    StageIndex,
)
from engine.vocabulary import ContactType, ReceiptType


class Engagement(WireModel):
    """An engagement as ListEngagements shows it: who was engaged, by whom, and when."""

    engagement_arn: SsmContactsArn
    contact_arn: SsmContactsArn
    sender: Sender
    incident_id: IncidentId | None = None
    start_time: DateTime | None = None
    stop_time: DateTime | None = None


class Page(WireModel):
    """One personal contact paged within an engagement, with its send, delivery and read times."""

    page_arn: SsmContactsArn
    engagement_arn: SsmContactsArn
    contact_arn: SsmContactsArn
    sender: Sender
    incident_id: IncidentId | None = None
    sent_time: DateTime | None = None
    delivery_time: DateTime | None = None
    read_time: DateTime | None = None


class Receipt(WireModel):
    """Something that happened to a page on a channel: sent, delivered, read, failed or stopped."""

    contact_channel_arn: SsmContactsArn | None = None
    receipt_type: ReceiptType
    receipt_info: ReceiptInfo | None = None
    receipt_time: DateTime


class ResolutionContact(WireModel):
    """One step on the path from the engaged contact down to the paged person."""

    contact_arn: SsmContactsArn
    type: ContactType
    stage_index: StageIndex | None = None
