"""The simulator's control endpoints under ``/_escsim/``: clock, outbox, event log and reset.

They live on their own paths and are never reached through ``X-Amz-Target``, so an AWS client
cannot call them by accident. Bodies and answers are JSON objects; bad input is refused with an
AWS-shaped 400 naming the member.

- ``GET /_escsim/clock`` -> ``{"Now": <epoch>}``
- ``POST /_escsim/clock`` with ``{"AdvanceSeconds": N}`` or ``{"Until": <epoch or ISO 8601>}``
  -> ``{"Now": <epoch>}``
- ``GET /_escsim/outbox`` -> ``{"Messages": [...]}``
- ``GET /_escsim/events`` -> ``{"Events": [...]}``
- ``POST /_escsim/reset`` -> ``{"Now": <start>}``: empty state, clock back at the start instant
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from engine.errors import ValidationException, field_error
from engine.http.refusals import MethodNotAllowedException, NotFoundException
from engine.http.wire import decode_body
from engine.timeutil import parse_duration, to_datetime

if TYPE_CHECKING:
    from engine.http.endpoint import Endpoint

__all__ = ["MAX_MOVE_SECONDS", "PREFIX", "ROUTES", "dispatch"]

PREFIX: Final = "/_escsim/"
#: How far one request may move the clock: 100 years of 365 days.
MAX_MOVE_SECONDS: Final = 100 * 365 * 86400.0

_Handler = Callable[["Endpoint", bytes], dict[str, Any]]


def dispatch(endpoint: Endpoint, method: str, route: str, body: bytes) -> dict[str, Any]:
    """The answer of the control endpoint at ``route`` (a trailing slash is ignored).

    Raises ``NotFoundException`` for an unknown path, ``MethodNotAllowedException`` for a method
    the path does not take, and ``ValidationException`` or ``SerializationException`` for bad
    input.
    """
    path = route.rstrip("/")
    methods = ROUTES.get(path)
    if methods is None:
        raise NotFoundException(f"No control endpoint at {route}; there are {', '.join(ROUTES)}")
    handler = methods.get(method)
    if handler is None:
        allowed = tuple(methods)
        raise MethodNotAllowedException(
            f"{path} takes {' or '.join(allowed)}, not {method}", allowed
        )
    return handler(endpoint, body)


def _read_clock(endpoint: Endpoint, body: bytes) -> dict[str, Any]:
    return {"Now": endpoint.now()}


def _move_clock(endpoint: Endpoint, body: bytes) -> dict[str, Any]:
    members = decode_body(body)
    unknown = [name for name in members if name not in ("AdvanceSeconds", "Until")]
    if unknown:
        raise ValidationException.for_fields(
            [
                {"Name": name, "Message": f"Unknown member '{name}'; give AdvanceSeconds or Until"}
                for name in unknown
            ]
        )
    if ("AdvanceSeconds" in members) == ("Until" in members):
        raise ValidationException(
            "Give exactly one of AdvanceSeconds (seconds to move forward) or Until (the "
            "instant to move to, epoch seconds or ISO 8601)"
        )
    if "AdvanceSeconds" in members:
        return {"Now": endpoint.advance(_seconds(members["AdvanceSeconds"]))}
    return {"Now": endpoint.advance_to(_instant(endpoint, members["Until"]))}


def _seconds(value: object) -> float:
    problem = "Member must be a number of seconds from 0 to 3153600000, or a duration such as 15m"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise field_error("AdvanceSeconds", _violation(value, "AdvanceSeconds", problem))
    try:
        seconds = parse_duration(value)
    except ValueError:
        raise field_error("AdvanceSeconds", _violation(value, "AdvanceSeconds", problem)) from None
    if not math.isfinite(seconds) or seconds > MAX_MOVE_SECONDS:
        raise field_error("AdvanceSeconds", _violation(value, "AdvanceSeconds", problem))
    return seconds


def _instant(endpoint: Endpoint, value: object) -> float:
    problem = "Member must be an instant (epoch seconds or ISO 8601) within 100 years from now"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise field_error("Until", _violation(value, "Until", problem))
    try:
        epoch = to_datetime(value).timestamp()
    except (ValueError, OverflowError, OSError):
        raise field_error("Until", _violation(value, "Until", problem)) from None
    if epoch - endpoint.now() > MAX_MOVE_SECONDS:
        raise field_error("Until", _violation(value, "Until", problem))
    return epoch


def _violation(value: object, name: str, constraint: str) -> str:
    return f"Value '{value}' at '{name}' failed to satisfy constraint: {constraint}"


def _outbox(endpoint: Endpoint, body: bytes) -> dict[str, Any]:
    return {"Messages": endpoint.outbox()}


def _events(endpoint: Endpoint, body: bytes) -> dict[str, Any]:
    return {"Events": endpoint.events()}


def _reset(endpoint: Endpoint, body: bytes) -> dict[str, Any]:
    members = decode_body(body)
    if members:
        raise ValidationException(
            f"reset takes no members (got {', '.join(sorted(members))}); send an empty body or {{}}"
        )
    return {"Now": endpoint.reset()}


#: Control path -> method -> handler.
ROUTES: Final[dict[str, dict[str, _Handler]]] = {
    "/_escsim/clock": {"GET": _read_clock, "POST": _move_clock},
    "/_escsim/outbox": {"GET": _outbox},
    "/_escsim/events": {"GET": _events},
    "/_escsim/reset": {"POST": _reset},
}
