"""Responder models: when, if ever, a paged contact acknowledges (docs/semantics.md E15).

The engine asks a model twice per page when the contact is engaged: for a delay from the page's
creation to the acknowledgement (or None), and whether it reacts to messages. A model that does
is then told of each message as it reaches the person (after the channel type's latency) and
answers with a reaction delay (or None); the engine schedules each reaction as an
acknowledgement, so the earliest one wins and a page closed first cancels them. Draws are keyed by
the page's engagement, contact and occurrence (and a message's channel, stage and attempt), so
they do not move when unrelated things change.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Protocol

from engine.sim.rng import KeyedRandom
from engine.vocabulary import ACCEPT_TYPE_VALUES, CHANNEL_TYPES, ChannelType


class Delay(Protocol):
    """A distribution of delays in seconds."""

    def draw(self, rng: KeyedRandom, key: tuple[str, ...]) -> float:
        """One delay in seconds for ``key``."""


@dataclasses.dataclass(frozen=True, slots=True)
class Fixed:
    """Always ``seconds``."""

    seconds: float

    def __post_init__(self) -> None:
        _check_non_negative("seconds", self.seconds)

    def draw(self, rng: KeyedRandom, key: tuple[str, ...]) -> float:
        return self.seconds


@dataclasses.dataclass(frozen=True, slots=True)
class Exponential:
    """Exponential with mean ``mean`` seconds."""

    mean: float

    def __post_init__(self) -> None:
        _check_non_negative("mean", self.mean)

    def draw(self, rng: KeyedRandom, key: tuple[str, ...]) -> float:
        return rng.exponential(self.mean, "delay", *key)


@dataclasses.dataclass(frozen=True, slots=True)
class LogNormal:
    """Lognormal with median ``median`` seconds and shape ``sigma``."""

    median: float
    sigma: float

    def __post_init__(self) -> None:
        _check_non_negative("median", self.median)
        _check_non_negative("sigma", self.sigma)

    def draw(self, rng: KeyedRandom, key: tuple[str, ...]) -> float:
        return rng.lognormal(self.median, self.sigma, "delay", *key)


@dataclasses.dataclass(frozen=True, slots=True)
class Uniform:
    """Uniform between ``low`` and ``high`` seconds."""

    low: float
    high: float

    def __post_init__(self) -> None:
        _check_non_negative("low", self.low)
        if not self.high >= self.low:
            raise ValueError(f"high must be at least low (got low={self.low}, high={self.high})")

    def draw(self, rng: KeyedRandom, key: tuple[str, ...]) -> float:
        return self.low + (self.high - self.low) * rng.uniform("delay", *key)


class Responder(Protocol):
    """What a contact does when paged."""

    @property
    def accept_type(self) -> str:
        """READ to acknowledge, DELIVERED to confirm delivery only."""

    @property
    def channel_type(self) -> str | None:
        """The channel type acknowledged through; None for the page's latest message."""

    def acknowledgement_delay(self, rng: KeyedRandom, key: tuple[str, ...]) -> float | None:
        """Seconds from page creation to the acknowledgement, or None for never."""

    def reacts_to_messages(self, rng: KeyedRandom, key: tuple[str, ...], instant: float) -> bool:
        """Whether each message of this page that reaches the person goes to
        :meth:`reaction_delay`; ``instant`` is the page's creation in epoch seconds."""

    def reaction_delay(
        self, rng: KeyedRandom, key: tuple[str, ...], channel_type: ChannelType
    ) -> float | None:
        """Seconds from a message's arrival to the acknowledgement it prompts, or None."""


class _AtCreation:
    """A responder whose answer is fixed when the page is created: it ignores messages."""

    __slots__ = ()

    def reacts_to_messages(self, rng: KeyedRandom, key: tuple[str, ...], instant: float) -> bool:
        return False

    def reaction_delay(
        self, rng: KeyedRandom, key: tuple[str, ...], channel_type: ChannelType
    ) -> float | None:
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class ScriptedResponder(_AtCreation):
    """Acknowledges every page ``delay`` seconds after it is created.

    ``accept_type`` READ acknowledges; DELIVERED only confirms delivery. ``channel_type`` names
    the channel type the acknowledgement comes through (default: the page's latest message).
    """

    delay: float
    accept_type: str = "READ"
    channel_type: str | None = None

    def __post_init__(self) -> None:
        _check_non_negative("delay", self.delay)
        _check_accept(self.accept_type, self.channel_type)

    def acknowledgement_delay(self, rng: KeyedRandom, key: tuple[str, ...]) -> float | None:
        return self.delay


@dataclasses.dataclass(frozen=True, slots=True)
class ProbabilisticResponder(_AtCreation):
    """Acknowledges with ``probability``, after a delay drawn from ``delay``; otherwise never."""

    probability: float
    delay: Delay
    accept_type: str = "READ"
    channel_type: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"probability must be from 0 to 1 (got {self.probability!r})")
        _check_accept(self.accept_type, self.channel_type)

    def acknowledgement_delay(self, rng: KeyedRandom, key: tuple[str, ...]) -> float | None:
        if rng.uniform("responds", *key) >= self.probability:
            return None
        return self.delay.draw(rng, key)


def _check_non_negative(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds (got {value!r})")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value!r})")


def _check_accept(accept_type: str, channel_type: str | None) -> None:
    if accept_type not in ACCEPT_TYPE_VALUES:
        raise ValueError(f"accept_type must be READ or DELIVERED (got {accept_type!r})")
    if channel_type is not None and channel_type not in CHANNEL_TYPES:
        raise ValueError(f"channel_type must be SMS, VOICE or EMAIL (got {channel_type!r})")
