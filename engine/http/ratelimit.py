"""An optional request rate limit (``escsim serve --rate-limit N[/s|/m]``): a token bucket.

Off unless asked for. When on, AWS requests beyond the rate (with a burst of one second's worth)
are refused with ThrottlingException, which AWS SDKs and the AWS CLI retry with back-off, so a
client under the limit only slows down. The bucket follows a monotonic clock, never the
simulation's virtual time: it limits how fast the endpoint is called, not what it simulates.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from typing import Final

from engine.errors import ThrottlingException

_RATE: Final = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:/\s*(s|sec|second|m|min|minute))?\s*")


def parse_rate(text: str) -> float:
    """Requests per second from ``N``, ``N/s`` or ``N/m`` (N > 0). Raises ValueError naming it."""
    match = _RATE.fullmatch(text)
    if match is None:
        raise ValueError(f"rate limit {text!r}: expected N, N/s or N/m, such as 50/s")
    count = float(match.group(1))
    rate = count / 60.0 if match.group(2) in ("m", "min", "minute") else count
    if not math.isfinite(rate) or rate <= 0:
        raise ValueError(f"rate limit {text!r}: the number of requests must be more than 0")
    return rate


class RateLimit:
    """At most ``rate`` requests a second on average, a burst of one second's worth (at least 1)."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError("the rate must be more than 0 requests a second")
        self.rate = rate
        self.burst = max(1.0, rate)
        self._monotonic = monotonic
        self._tokens = self.burst
        self._last = monotonic()
        self._lock = threading.Lock()
        self.refused = 0

    def take(self) -> None:
        """Admit one request, or raise ThrottlingException saying when to come back."""
        with self._lock:
            now = self._monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return
            self.refused += 1
            wait = (1.0 - self._tokens) / self.rate
        raise ThrottlingException(
            f"Rate exceeded: this endpoint answers {self.rate:g} requests a second "
            "(escsim serve --rate-limit); retry later",
            retry_after_seconds=max(1, math.ceil(wait)),
        )

    def __str__(self) -> str:
        return f"{self.rate:g}/s"
