"""Responder models: when, if ever, a paged contact acknowledges (docs/semantics.md E15).

A model is asked once per page, when the contact is engaged, and answers with the delay from the
page's creation to the acknowledgement, or None for never. Draws are keyed by the page's
engagement, contact and occurrence, so they do not move when unrelated things change.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Protocol

from engine.sim.rng import KeyedRandom

__all__ = [
    "Delay",
    "Exponential",
    "Fixed",
    "LogNormal",
    "ProbabilisticResponder",
    "Responder",
    "ScriptedResponder",
    "Uniform",
]


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


@dataclasses.dataclass(frozen=True, slots=True)
class ScriptedResponder:
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
class ProbabilisticResponder:
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
    if accept_type not in ("READ", "DELIVERED"):
        raise ValueError(f"accept_type must be READ or DELIVERED (got {accept_type!r})")
    if channel_type not in (None, "SMS", "VOICE", "EMAIL"):
        raise ValueError(f"channel_type must be SMS, VOICE or EMAIL (got {channel_type!r})")
