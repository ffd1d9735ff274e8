"""The table of operation handlers: AWS operation name -> function(Context, request) -> answer.

Each handler takes the validated request model of its operation (``engine.model.requests``) and
returns the answer in AWS member names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from engine.model.base import WireModel
from engine.service.context import Context

#: An operation's answer: the members of its result shape, in AWS names.
Answer = dict[str, object]
Request = TypeVar("Request", bound=WireModel)
#: A handler of some request type (the table holds many, so their request type is erased).
Handler = Callable[[Context, Any], Answer]

HANDLERS: dict[str, Handler] = {}


def handles(
    operation: str,
) -> Callable[[Callable[[Context, Request], Answer]], Callable[[Context, Request], Answer]]:
    """Register the decorated function as the handler of ``operation``."""

    def register(fn: Callable[[Context, Request], Answer]) -> Callable[[Context, Request], Answer]:
        HANDLERS[operation] = fn
        return fn

    return register
