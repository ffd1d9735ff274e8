"""The vendor-neutral on-call policy: people, escalation policies, rotations and schedules.

Every product escsim reads (AWS Incident Manager, PagerDuty, Opsgenie, GoAlert) is brought into
these few types, and every product's organisation leaves them the same way: compiled into the
engine's organisation by :mod:`engine.policy.compile`. The types say what a product means, not how
its API spells it: delays are minutes after the moment a person or step is reached, a rotation's
hand-offs are wall-clock times in its zone, and a schedule says whether its rotations add up
(AWS, Opsgenie, GoAlert) or the last one with someone on call wins (PagerDuty's layers).

Identifiers are the product's own (an ARN for AWS, a PagerDuty id such as ``PXPGF42``), so a
translation can name what it came from; ``handle`` is the short name a person types (an AWS
alias, a GoAlert user name) and must be unique per kind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Literal

__all__ = [
    "METHOD_KINDS",
    "PAGED_KINDS",
    "HandOff",
    "Method",
    "NotifyRule",
    "OnCallSetup",
    "Override",
    "Person",
    "Policy",
    "Product",
    "Rotation",
    "Schedule",
    "Step",
    "Target",
    "Window",
]

Product = Literal["aws", "pagerduty", "opsgenie", "goalert"]

METHOD_KINDS = ("SMS", "VOICE", "EMAIL", "PUSH", "CHAT", "WEBHOOK")
"""Every kind of contact method a product has; the engine pages only :data:`PAGED_KINDS`."""

PAGED_KINDS = ("SMS", "VOICE", "EMAIL")
"""The kinds the engine delivers (AWS's channel types); others are kept and reported."""


@dataclasses.dataclass(frozen=True, slots=True)
class Method:
    """One way to reach a person: an AWS contact channel, a PagerDuty contact method."""

    id: str
    kind: str
    """One of :data:`METHOD_KINDS`."""
    address: str
    name: str = ""
    active: bool = True
    """False for a method the person has not verified (an AWS channel NOT_ACTIVATED)."""


@dataclasses.dataclass(frozen=True, slots=True)
class NotifyRule:
    """Page ``method`` ``delay`` minutes after the person is reached.

    ``urgency`` is ``high``, ``low`` or ``any`` (products without urgency); ``retry`` is AWS's
    RetryIntervalInMinutes, None where not given; ``stage`` the index of the AWS personal-plan
    stage the rule was read from (None for other products)."""

    method: str
    delay: int
    urgency: str = "any"
    retry: int | None = None
    stage: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Person:
    """Someone who can be paged, with their own notification rules.

    ``span`` is how long, in minutes, the person's rules run after the last rule's delay (an AWS
    personal plan's last stage duration); None where the product has no such notion.
    ``stages`` keeps an AWS personal plan's stage durations as written, so the plan can be
    written back stage for stage (None for other products)."""

    id: str
    handle: str
    name: str = ""
    methods: tuple[Method, ...] = ()
    rules: tuple[NotifyRule, ...] = ()
    span: int | None = None
    time_zone: str | None = None
    stages: tuple[int, ...] | None = None


TargetKind = Literal["person", "schedule", "policy"]


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """Who a step reaches: a person, whoever a schedule has on call, or (AWS only, and only as
    the thing an incident starts on) another policy.

    ``stops_on_ack`` False means an acknowledgement by this target does not stop the policy
    (an AWS target not IsEssential, an Opsgenie ``if-not-closed`` rule)."""

    kind: TargetKind
    id: str | None
    stops_on_ack: bool = True


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """One rung of a policy: its targets are reached together, then ``delay`` minutes pass
    before the next step (or the next pass, or the end).

    ``round_robin`` reaches one target per incident, in turn (PagerDuty's round robin)."""

    delay: int
    targets: tuple[Target, ...] = ()
    round_robin: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Policy:
    """An escalation policy: its steps run in order, then ``repeat`` more passes.

    ``repeat_wait`` minutes pass between the end of one pass and the start of the next (Opsgenie's
    ``waitInterval``); a pass ends when its last step's delay has passed."""

    id: str
    handle: str
    name: str = ""
    steps: tuple[Step, ...] = ()
    repeat: int = 0
    repeat_wait: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class HandOff:
    """A wall-clock hand-off: ``day`` is None (every day), a weekday (0 = Monday) or a day of
    the month (1..31), according to the rotation's ``period``."""

    time: dt.time
    day: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Window:
    """Time when a rotation has someone on call: ``minutes`` from ``start`` on ``weekday``
    (0 = Monday) or on every day when None, in the rotation's zone. A window may run past
    midnight."""

    start: dt.time
    minutes: int
    weekday: int | None = None


OverrideMode = Literal["replace", "add", "remove"]


@dataclasses.dataclass(frozen=True, slots=True)
class Override:
    """A change of who is on call over [start, end).

    ``replace`` with ``replaces`` None: ``people`` are on call instead of everyone (AWS,
    PagerDuty, Opsgenie); ``replace`` with ``replaces``: ``people`` instead of that one person
    (GoAlert); ``add``: ``people`` on call besides; ``remove``: ``people`` off call."""

    start: dt.datetime
    end: dt.datetime
    people: tuple[str, ...] = ()
    mode: OverrideMode = "replace"
    replaces: str | None = None
    id: str = ""
    created: dt.datetime | None = None


Period = Literal["day", "week", "month"]


@dataclasses.dataclass(frozen=True, slots=True)
class Rotation:
    """Members take turns, ``on_call`` at a time, from ``start``; a turn ends at every
    ``every``-th hand-off after ``start`` (the engine's S2 and S3 rules).

    ``windows`` limit on-call time (empty: always). ``end`` ends the rotation (nobody after)."""

    id: str
    name: str
    members: tuple[str, ...]
    start: dt.datetime
    time_zone: str
    period: Period
    hand_offs: tuple[HandOff, ...]
    every: int = 1
    on_call: int = 1
    windows: tuple[Window, ...] | None = None
    overrides: tuple[Override, ...] = ()
    end: dt.datetime | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Schedule:
    """Who is on call, from rotations: all of theirs together, or, ``layered``, only the last
    rotation that has someone on call (PagerDuty's bottom layer wins). ``overrides`` apply to
    the schedule as a whole, after its rotations."""

    id: str
    handle: str
    name: str = ""
    rotations: tuple[str, ...] = ()
    layered: bool = False
    overrides: tuple[Override, ...] = ()
    time_zone: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class OnCallSetup:
    """One product's organisation in neutral terms, with the product settings it was read
    under (each named in docs/vendors/<product>.md, with its default) and what reading it
    noted (constructs kept but not simulated, values that were read a certain way)."""

    product: Product
    people: tuple[Person, ...] = ()
    policies: tuple[Policy, ...] = ()
    rotations: tuple[Rotation, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    settings: Mapping[str, object] = dataclasses.field(default_factory=dict)
    notes: tuple[str, ...] = ()
