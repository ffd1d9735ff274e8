"""The table of operation handlers: AWS operation name -> function(Context, request) -> response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.service.context import Context

__all__ = ["HANDLERS", "Handler", "handles"]

Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {}


def handles(operation: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``operation``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[operation] = fn
        return fn

    return register
