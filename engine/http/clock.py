"""How virtual time moves under ``escsim serve``: only when told to, or along with the wall clock.

``virtual`` (the default): time stands still until ``POST /_escsim/clock`` moves it, so a test
sees exactly what it asked for. ``realtime[:FACTOR]``: virtual time follows a monotonic wall
clock, sped up FACTOR times, for demos against a running system; the control endpoint can still
jump it forward.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable


@dataclasses.dataclass(frozen=True, slots=True)
class ClockMode:
    """``factor`` is None for a virtual clock, else how many virtual seconds pass per second."""

    factor: float | None = None

    @classmethod
    def parse(cls, text: str) -> ClockMode:
        """``virtual``, ``realtime`` or ``realtime:FACTOR`` (FACTOR > 0); ValueError otherwise."""
        name, sep, factor_text = text.strip().partition(":")
        if name == "virtual" and not sep:
            return cls()
        if name == "realtime":
            if not sep:
                return cls(1.0)
            try:
                factor = float(factor_text)
            except ValueError:
                factor = math.nan
            if math.isfinite(factor) and factor > 0:
                return cls(factor)
            raise ValueError(
                f"clock {text!r}: the speed-up after 'realtime:' must be a positive number, "
                "such as realtime:60"
            )
        raise ValueError(f"clock {text!r}: expected virtual, realtime or realtime:FACTOR")

    def __str__(self) -> str:
        if self.factor is None:
            return "virtual"
        return "realtime" if self.factor == 1.0 else f"realtime:{self.factor:g}"


VIRTUAL = ClockMode()


class Pacer:
    """Maps a monotonic clock onto virtual seconds since the run's start."""

    def __init__(self, factor: float, elapsed: float, monotonic: Callable[[], float]) -> None:
        self.factor = factor
        self._monotonic = monotonic
        self.anchor(elapsed)

    def anchor(self, elapsed: float) -> None:
        """From now on, count from ``elapsed`` virtual seconds."""
        self._wall = self._monotonic()
        self._elapsed = elapsed

    def due(self) -> float:
        """The virtual seconds since the start that the wall clock has reached."""
        return self._elapsed + (self._monotonic() - self._wall) * self.factor
