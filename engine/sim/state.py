"""Runtime state of one (account, region): the organisation, and the engagements in flight.

The organisation is held as immutable domain objects (``engine.domain``), replaced whole on every
change, so a snapshot or a fork shares them safely. Engagements and pages are plain slotted
classes, not pydantic: the escalation processes touch them on every event. Times are virtual
seconds since the run's start instant; the service turns them into datetimes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from engine import oncall
from engine.domain import (
    Channel,
    Contact,
    ContactStep,
    Engagement,
    Organisation,
    Page,
    Receipt,
    Resolution,
    Rotation,
)

if TYPE_CHECKING:
    from engine.sim.responders import Responder


def schedule_of(rotation: Rotation) -> oncall.Rotation:
    """The shift algorithm's view of a rotation and its overrides; raises RotationError."""
    return oncall.Rotation(
        rotation.contact_ids,
        rotation.start,
        rotation.time_zone_id,
        rotation.recurrence,
        [oncall.Override(o.start, o.end, o.contact_ids, o.order) for o in rotation.overrides],
    )


@dataclasses.dataclass(slots=True, eq=False)
class _Owner:
    """Something that owns scheduled work: closing it cancels all of that work at once."""

    engagement: EngagementState = dataclasses.field(repr=False)
    pending: int = dataclasses.field(default=0, init=False)
    closed: bool = dataclasses.field(default=False, init=False)


@dataclasses.dataclass(slots=True, eq=False)
class PageState(_Owner):
    """One personal contact engaged within an engagement (docs/semantics.md E4).

    ``key`` keys the page's draws; ``listener`` is the responder that reacts to each message
    reaching the person, when there is one (E15).
    """

    arn: str
    contact_arn: str
    alias: str
    code: str
    created: float
    resolution: Resolution
    essential: bool
    key: tuple[str, str, str]
    listener: Responder | None = None
    sent_time: float | None = None
    delivery_time: float | None = None
    read_time: float | None = None
    last_channel: str | None = None
    last_channel_by_type: dict[str, str] = dataclasses.field(default_factory=dict)
    receipts: list[Receipt] = dataclasses.field(default_factory=list)

    def snapshot(self, epoch: Callable[[float], float]) -> Page:
        """The page as a read-only domain object, times as epoch seconds."""

        def at(value: float | None) -> float | None:
            return None if value is None else epoch(value)

        return Page(
            self.arn,
            self.engagement.arn,
            self.contact_arn,
            self.essential,
            self.resolution,
            at(self.sent_time),
            at(self.delivery_time),
            at(self.read_time),
            tuple(r._replace(time=epoch(r.time)) for r in self.receipts),
        )


@dataclasses.dataclass(slots=True, eq=False)
class EscalationRun(_Owner):
    """The stage clock of an escalation plan within one engagement."""

    contact_arn: str
    stages: tuple[tuple[float, tuple[ContactStep, ...]], ...]


@dataclasses.dataclass(slots=True, eq=False)
class EngagementState:
    """A StartEngagement and everything it set going; ``pending`` counts its live work (E12)."""

    arn: str
    contact_arn: str
    sender: str
    subject: str
    content: str
    public_subject: str | None
    public_content: str | None
    incident_id: str | None
    start: float
    stop: float | None = None
    stopped: bool = False
    finished: bool = False
    pending: int = 0
    pages: list[PageState] = dataclasses.field(default_factory=list)
    escalation: EscalationRun | None = None
    engaged: dict[str, int] = dataclasses.field(default_factory=dict)
    on_idle: Callable[[EngagementState], None] = dataclasses.field(default=lambda _e: None)
    namespace: Namespace | None = None

    def snapshot(self, epoch: Callable[[float], float]) -> Engagement:
        """The engagement and its pages as read-only domain objects."""
        return Engagement(
            self.arn,
            self.contact_arn,
            self.sender,
            self.incident_id,
            epoch(self.start),
            None if self.stop is None else epoch(self.stop),
            self.finished,
            tuple(page.snapshot(epoch) for page in self.pages),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class NamespaceSnapshot:
    """A namespace without its engagements: what a fork starts from. Picklable (the shift
    schedules, which hold time zones read from files, are rebuilt where it is loaded)."""

    organisation: Organisation
    tags: Mapping[str, Mapping[str, str]]
    policies: Mapping[str, str]
    codes: Mapping[str, tuple[str | None, int]]
    counters: Mapping[str, int]


@dataclasses.dataclass(slots=True, eq=False)
class Namespace:
    """Everything of one (account, region), in creation order where order is observable.

    ``schedules`` holds each rotation compiled for the shift algorithm; ``codes`` the last
    activation code sent to each channel and how many were sent.
    """

    account: str
    region: str
    contacts: dict[str, Contact] = dataclasses.field(default_factory=dict)
    channels: dict[str, Channel] = dataclasses.field(default_factory=dict)
    rotations: dict[str, Rotation] = dataclasses.field(default_factory=dict)
    schedules: dict[str, oncall.Rotation] = dataclasses.field(default_factory=dict)
    engagements: dict[str, EngagementState] = dataclasses.field(default_factory=dict)
    pages: dict[str, PageState] = dataclasses.field(default_factory=dict)
    tags: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    policies: dict[str, str] = dataclasses.field(default_factory=dict)
    codes: dict[str, tuple[str | None, int]] = dataclasses.field(default_factory=dict)
    idempotency: dict[tuple[str, str], tuple[dict[str, object], dict[str, object]]] = (
        dataclasses.field(default_factory=dict)
    )
    counters: dict[str, int] = dataclasses.field(default_factory=dict)

    def next_count(self, purpose: str) -> int:
        """0, 1, 2... per purpose: the entity index that keyed ids are drawn for."""
        n = self.counters.get(purpose, 0)
        self.counters[purpose] = n + 1
        return n

    def channels_of(self, contact_arn: str) -> list[Channel]:
        """The contact's channels in creation order."""
        return [c for c in self.channels.values() if c.contact_arn == contact_arn]

    def put_rotation(self, rotation: Rotation, schedule: oncall.Rotation) -> None:
        """Store a rotation (new or changed) with its compiled schedule."""
        self.rotations[rotation.arn] = rotation
        self.schedules[rotation.arn] = schedule

    def forget(self, arn: str) -> None:
        """Drop what is kept beside a deleted resource: its tags, policy and codes."""
        self.tags.pop(arn, None)
        self.policies.pop(arn, None)
        self.codes.pop(arn, None)

    def organisation(self) -> Organisation:
        """The organisation as it is now, as a snapshot."""
        return Organisation(
            self.account,
            self.region,
            dict(self.contacts),
            dict(self.channels),
            dict(self.rotations),
        )

    def holds_anything(self) -> bool:
        """Whether any contact, channel, rotation, engagement or page is here."""
        return bool(self.contacts or self.channels or self.rotations or self.engagements)

    def snapshot(self) -> NamespaceSnapshot:
        """Everything but the engagements, for a fork."""
        return NamespaceSnapshot(
            self.organisation(),
            {arn: dict(tags) for arn, tags in self.tags.items()},
            dict(self.policies),
            dict(self.codes),
            dict(self.counters),
        )

    @classmethod
    def restore(
        cls, snapshot: NamespaceSnapshot, schedules: Mapping[str, oncall.Rotation] | None = None
    ) -> Namespace:
        """A namespace holding ``snapshot``, sharing the given shift ``schedules``."""
        org = snapshot.organisation
        known = schedules or {}
        return cls(
            org.account,
            org.region,
            contacts=dict(org.contacts),
            channels=dict(org.channels),
            rotations=dict(org.rotations),
            schedules={
                arn: known[arn] if arn in known else schedule_of(rotation)
                for arn, rotation in org.rotations.items()
            },
            tags={arn: dict(tags) for arn, tags in snapshot.tags.items()},
            policies=dict(snapshot.policies),
            codes=dict(snapshot.codes),
            counters=dict(snapshot.counters),
        )
