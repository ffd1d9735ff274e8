"""Runtime state of one (account, region): contacts, channels, engagements and pages.

Plain slotted classes, not pydantic: the escalation processes touch them on every event. Times
are virtual seconds since the run's start instant; the service turns them into datetimes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from engine.oncall import Rotation

__all__ = [
    "ChannelState",
    "ContactState",
    "EngagementState",
    "EscalationRun",
    "Namespace",
    "OverrideState",
    "PageState",
    "Receipt",
    "RotationState",
]

# (virtual time, ReceiptType, ContactChannelArn or None, ReceiptInfo or None)
Receipt = tuple[float, str, str | None, str | None]

# A plan compiled for the escalation processes: per stage, (duration in seconds, targets).
# Personal stages target (channel ARN, retry interval in seconds); escalation stages target
# (contact ARN or None, essential). Targets of the other kind are dropped: the rules forbid them.
ChannelTargets = tuple[tuple[str, float], ...]
ContactTargets = tuple[tuple[str | None, bool], ...]
CompiledPlan = tuple[tuple[float, Any], ...]


@dataclasses.dataclass(slots=True, eq=False)
class ContactState:
    """A contact of any type; ``plan`` is the stored Plan in AWS member names.

    Plans are replaced whole, never edited in place, so :meth:`stages` can compile a plan once
    and reuse it until the next replacement.
    """

    arn: str
    alias: str
    type: str
    plan: dict[str, Any]
    display_name: str | None = None
    tags: dict[str, str] = dataclasses.field(default_factory=dict)
    policy: str | None = None
    _compiled: tuple[dict[str, Any] | None, CompiledPlan] = (None, ())

    def stages(self) -> CompiledPlan:
        """The plan's stages as (duration seconds, targets) tuples; see ``CompiledPlan``."""
        source, compiled = self._compiled
        if source is not self.plan:
            compiled = compile_plan(self.plan, personal=self.type == "PERSONAL")
            self._compiled = (self.plan, compiled)
        return compiled


def compile_plan(plan: dict[str, Any], *, personal: bool) -> CompiledPlan:
    """Stages of ``plan`` as (duration seconds, targets); see ``CompiledPlan``.

    A personal plan keeps its channel targets, any other plan its contact targets.
    """
    stages = []
    for stage in plan.get("Stages", ()):
        targets: list[Any] = []
        for target in stage.get("Targets", ()):
            if personal:
                info = target.get("ChannelTargetInfo")
                if info is not None:
                    retry = info.get("RetryIntervalInMinutes") or 0
                    targets.append((info.get("ContactChannelId"), retry * 60.0))
            else:
                info = target.get("ContactTargetInfo")
                if info is not None:
                    targets.append((info.get("ContactId"), bool(info.get("IsEssential"))))
        stages.append((stage.get("DurationInMinutes", 0) * 60.0, tuple(targets)))
    return tuple(stages)


@dataclasses.dataclass(slots=True, eq=False)
class ChannelState:
    """A contact channel. ``activation_code`` is the last code sent (None when none was sent)."""

    arn: str
    contact_arn: str
    name: str
    type: str
    address: str
    activated: bool = False
    activation_code: str | None = None
    codes_sent: int = 0


class _Owner:
    """Something that owns scheduled work: closing it cancels all of that work at once."""

    __slots__ = ("closed", "engagement", "pending")

    def __init__(self, engagement: EngagementState) -> None:
        self.engagement = engagement
        self.pending = 0
        self.closed = False


class PageState(_Owner):
    """One personal contact engaged within an engagement (docs/semantics.md E4)."""

    __slots__ = (
        "alias",
        "arn",
        "code",
        "contact_arn",
        "created",
        "delivery_time",
        "essential",
        "last_channel",
        "last_channel_by_type",
        "read_time",
        "receipts",
        "resolution",
        "sent_time",
    )

    def __init__(
        self,
        engagement: EngagementState,
        arn: str,
        contact_arn: str,
        alias: str,
        code: str,
        created: float,
        resolution: tuple[tuple[str, str, int | None], ...],
        essential: bool,
    ) -> None:
        super().__init__(engagement)
        self.arn = arn
        self.contact_arn = contact_arn
        self.alias = alias
        self.code = code
        self.created = created
        self.resolution = resolution
        self.essential = essential
        self.sent_time: float | None = None
        self.delivery_time: float | None = None
        self.read_time: float | None = None
        self.last_channel: str | None = None
        self.last_channel_by_type: dict[str, str] = {}
        self.receipts: list[Receipt] = []


class EscalationRun(_Owner):
    """The stage clock of an escalation plan within one engagement."""

    __slots__ = ("contact_arn", "stages")

    def __init__(self, engagement: EngagementState, contact_arn: str, stages: CompiledPlan) -> None:
        super().__init__(engagement)
        self.contact_arn = contact_arn
        self.stages = stages


@dataclasses.dataclass(slots=True, eq=False)
class EngagementState:
    """A StartEngagement and everything it set going.

    ``pending`` counts scheduled work that is still live (docs/semantics.md E12); ``finished``
    is set once it ended naturally or was stopped.
    """

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


@dataclasses.dataclass(slots=True, eq=False)
class Namespace:
    """Everything of one (account, region), in creation order where order is observable."""

    account: str
    region: str
    contacts: dict[str, ContactState] = dataclasses.field(default_factory=dict)
    channels: dict[str, ChannelState] = dataclasses.field(default_factory=dict)
    engagements: dict[str, EngagementState] = dataclasses.field(default_factory=dict)
    pages: dict[str, PageState] = dataclasses.field(default_factory=dict)
    rotations: dict[str, RotationState] = dataclasses.field(default_factory=dict)
    idempotency: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = dataclasses.field(
        default_factory=dict
    )
    counters: dict[str, int] = dataclasses.field(default_factory=dict)

    def next_count(self, purpose: str) -> int:
        """0, 1, 2... per purpose: the entity index that keyed ids are drawn for."""
        n = self.counters.get(purpose, 0)
        self.counters[purpose] = n + 1
        return n

    def channels_of(self, contact_arn: str) -> list[ChannelState]:
        """The contact's channels in creation order."""
        return [c for c in self.channels.values() if c.contact_arn == contact_arn]


@dataclasses.dataclass(slots=True, eq=False)
class OverrideState:
    """A rotation override: other contacts on call over [start, end). ``created`` orders
    overrides by creation (later wins where they overlap, docs/semantics.md S6)."""

    id: str
    new_contact_ids: list[str]
    start: dt.datetime
    end: dt.datetime
    create_time: float
    created: int


@dataclasses.dataclass(slots=True, eq=False)
class RotationState:
    """An on-call rotation in AWS member terms, with the shift algorithm's view of it.

    ``schedule`` is rebuilt by the service whenever the rotation or its overrides change.
    """

    arn: str
    name: str
    contact_ids: list[str]
    start: dt.datetime
    time_zone_id: str
    recurrence: dict[str, Any]
    schedule: Rotation
    tags: dict[str, str] = dataclasses.field(default_factory=dict)
    overrides: dict[str, OverrideState] = dataclasses.field(default_factory=dict)
    overrides_created: int = 0
