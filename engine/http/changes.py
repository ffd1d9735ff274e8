"""Telling waiting streams that the simulation changed: a counter and a bounded set of waiters.

The endpoint calls :meth:`Changes.notify` after every change it accepts (a request that is not a
read, a clock move, a reset), from whichever thread ran it. Live views (the console's event
stream) hold a :class:`Subscription` and wait on it in the server's event loop. A waiter keeps no
queue: it sees only that the count moved, so a slow reader costs one flag, never a backlog. At
most ``limit`` subscriptions exist at once; :meth:`Changes.close` ends them all (server shutdown).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Final

#: How many live streams may wait at once by default.
MAX_SUBSCRIPTIONS: Final = 64


class TooManySubscriptions(Exception):
    """Every subscription slot is taken."""


class Subscription:
    """One waiter: its event loop and the flag set when the count moves or the changes close."""

    def __init__(self, changes: Changes, loop: asyncio.AbstractEventLoop) -> None:
        self._changes = changes
        self.loop = loop
        self.flag = asyncio.Event()

    async def wait(self, timeout: float) -> bool:
        """Whether something changed (or the changes closed) within ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self.flag.wait(), timeout)
        except TimeoutError:
            return False
        self.flag.clear()
        return True

    def close(self) -> None:
        """Give the slot back."""
        self._changes.unsubscribe(self)


class Changes:
    """Counts accepted changes and wakes every subscription when the count moves."""

    def __init__(self, limit: int = MAX_SUBSCRIPTIONS) -> None:
        self.limit = limit
        self._version = 0
        self._closed = False
        self._lock = threading.Lock()
        self._waiting: set[Subscription] = set()

    @property
    def version(self) -> int:
        """How many changes have been accepted so far."""
        return self._version

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called: streams should end."""
        return self._closed

    def subscribe(self) -> Subscription:
        """A subscription in the running event loop; TooManySubscriptions when all are taken."""
        subscription = Subscription(self, asyncio.get_running_loop())
        with self._lock:
            if len(self._waiting) >= self.limit:
                raise TooManySubscriptions(f"{self.limit} live streams are open already")
            self._waiting.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget ``subscription`` (twice is harmless)."""
        with self._lock:
            self._waiting.discard(subscription)

    def notify(self) -> None:
        """Count one change and wake every subscription."""
        with self._lock:
            self._version += 1
            waiting = list(self._waiting)
        _wake(waiting)

    def reopen(self) -> None:
        """Let streams run again (a server starts serving this endpoint anew)."""
        with self._lock:
            self._closed = False

    def close(self) -> None:
        """Wake every subscription for the last time: the server is stopping."""
        with self._lock:
            self._closed = True
            waiting = list(self._waiting)
        _wake(waiting)


def _wake(waiting: list[Subscription]) -> None:
    for subscription in waiting:
        # The loop may have stopped already (the server is gone): nobody is left to wake.
        with contextlib.suppress(RuntimeError):
            subscription.loop.call_soon_threadsafe(subscription.flag.set)
