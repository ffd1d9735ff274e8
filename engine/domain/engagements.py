"""Engagements and their pages as a finished or running escalation shows them, read-only.

The engine keeps its own mutable runtime state while it runs; these are the snapshots
``Simulator.state()`` hands out. Times are epoch seconds rounded to the millisecond, as records
carry them.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

from engine.vocabulary import ContactType, ReceiptType

#: One step from the engaged contact down to the paged person: (contact ARN, its type, the
#: escalation stage it was engaged in or None).
ResolutionStep = tuple[str, ContactType, int | None]
#: The whole path, top first (docs/semantics.md E14).
Resolution = tuple[ResolutionStep, ...]


class Receipt(NamedTuple):
    """Something that happened to a page on a channel."""

    time: float
    type: ReceiptType
    channel_arn: str | None
    info: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    """One personal contact engaged within an engagement."""

    arn: str
    engagement_arn: str
    contact_arn: str
    essential: bool
    resolution: Resolution
    sent_time: float | None
    delivery_time: float | None
    read_time: float | None
    receipts: tuple[Receipt, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Engagement:
    """A StartEngagement and the pages it has created so far."""

    arn: str
    contact_arn: str
    sender: str
    incident_id: str | None
    start: float
    stop: float | None
    finished: bool
    pages: tuple[Page, ...]
