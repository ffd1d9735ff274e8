"""Contacts, channels, plans, rotations and overrides: the organisation an escalation runs on.

References between objects are ARNs, as AWS keeps them: a plan may still name a channel, contact
or rotation that was deleted since (docs/semantics.md R4), and the engine skips such targets with
a diagnostic. A :class:`Plan` compiles itself once, when it is made, into the stage tables the
escalation processes walk, so the hot path never looks at a target object.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TypeVar

from engine.vocabulary import ChannelType, ContactType

#: A compiled channel target: (channel ARN, retry interval in seconds, 0 for never).
ChannelStep = tuple[str, float]
#: A compiled contact target: (contact ARN, essential).
ContactStep = tuple[str | None, bool]


@dataclasses.dataclass(frozen=True, slots=True)
class ChannelTarget:
    """A stage target that pages one channel; ``retry_interval`` in minutes, None if not given."""

    channel_arn: str
    retry_interval: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class ContactTarget:
    """A stage target that engages a contact; an essential one's acknowledgement ends escalation.

    ``contact_arn`` is None only in an organisation read for lint, where a target may lack it.
    """

    contact_arn: str | None
    essential: bool


Target = ChannelTarget | ContactTarget
_T = TypeVar("_T", ChannelTarget, ContactTarget)
_S = TypeVar("_S")


@dataclasses.dataclass(frozen=True, slots=True)
class Stage:
    """One step of a plan: its targets are engaged together, then it waits ``duration`` minutes."""

    duration: int
    targets: tuple[Target, ...] = ()


def _table(
    stages: tuple[Stage, ...], kind: type[_T], step: Callable[[_T], _S]
) -> tuple[tuple[float, tuple[_S, ...]], ...]:
    """Per stage: (duration in seconds, the steps of its targets of type ``kind``)."""
    return tuple(
        (stage.duration * 60.0, tuple(step(t) for t in stage.targets if isinstance(t, kind)))
        for stage in stages
    )


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """A contact's stages, or an on-call schedule's rotations. None means "not given", which the
    AWS answers keep apart from an empty list.

    ``channel_table`` and ``contact_table`` are the stages compiled for the engine: per stage,
    (duration in seconds, its channel steps) and (duration in seconds, its contact steps).
    """

    stages: tuple[Stage, ...] | None = None
    rotation_ids: tuple[str, ...] | None = None
    channel_table: tuple[tuple[float, tuple[ChannelStep, ...]], ...] = dataclasses.field(
        init=False, repr=False, compare=False
    )
    contact_table: tuple[tuple[float, tuple[ContactStep, ...]], ...] = dataclasses.field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        stages = self.stages or ()
        channels = _table(
            stages, ChannelTarget, lambda t: (t.channel_arn, (t.retry_interval or 0) * 60.0)
        )
        contacts = _table(stages, ContactTarget, lambda t: (t.contact_arn, t.essential))
        object.__setattr__(self, "channel_table", channels)
        object.__setattr__(self, "contact_table", contacts)

    @property
    def rotations(self) -> tuple[str, ...]:
        """The schedule's rotation ARNs (none when not given)."""
        return self.rotation_ids or ()


@dataclasses.dataclass(frozen=True, slots=True)
class Contact:
    """A person, an escalation plan or an on-call schedule."""

    arn: str
    alias: str
    type: ContactType
    plan: Plan
    display_name: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Channel:
    """A way to reach a personal contact; only an activated channel is paged (R3)."""

    arn: str
    contact_arn: str
    name: str
    type: ChannelType
    address: str
    activated: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Override:
    """Other contacts on call over [start, end) of a rotation (S6). ``order`` numbers a
    rotation's overrides by creation: the later one wins where they overlap."""

    id: str
    contact_ids: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime
    create_time: dt.datetime
    order: int


@dataclasses.dataclass(frozen=True, slots=True)
class Rotation:
    """An on-call rotation: members in shift order, start, zone, recurrence and overrides.

    ``recurrence`` is the RecurrenceSettings as given, in AWS member names: the shift algorithm
    (``engine.oncall``) reads that form, and answers give it back unchanged.
    """

    arn: str
    name: str
    contact_ids: tuple[str, ...]
    start: dt.datetime
    time_zone_id: str
    recurrence: Mapping[str, object]
    overrides: tuple[Override, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Organisation:
    """One account and region's contacts, channels and rotations, keyed by ARN in creation
    order. A snapshot: changing the simulator later does not change it."""

    account: str
    region: str
    contacts: Mapping[str, Contact]
    channels: Mapping[str, Channel]
    rotations: Mapping[str, Rotation]

    def contact_named(self, name: str) -> Contact | None:
        """The contact ``name`` names (its ARN or its alias), or None."""
        found = self.contacts.get(name)
        if found is not None:
            return found
        return next((c for c in self.contacts.values() if c.alias == name), None)
