"""The simulator's control endpoints under ``/_escsim/``: clock, outbox, event log and reset.

They are never reached through ``X-Amz-Target``, so an AWS client cannot call them by accident.
Bodies and answers are JSON objects; bad input is an AWS-shaped 400 naming the member.

- ``GET /_escsim/clock`` -> ``{"Now": <epoch>}``
- ``POST /_escsim/clock`` with ``{"AdvanceSeconds": N}`` or ``{"Until": <epoch or ISO 8601>}``
  -> ``{"Now": <epoch>}``
- ``GET /_escsim/outbox``, ``GET /_escsim/events`` -> ``{"Messages": [...]}``, ``{"Events": [...]}``
- ``POST /_escsim/reset`` -> ``{"Now": <start>}``: empty state, clock back at the start instant

What answers them is a :class:`Controlled` (the endpoint is one), so this module needs no endpoint.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Final, Protocol

from engine.errors import ValidationException, field_error
from engine.http.refusals import MethodNotAllowedException, NotFoundException
from engine.http.wire import decode_body
from engine.timeutil import parse_duration, to_datetime

PREFIX: Final = "/_escsim/"
#: How far one request may move the clock: 100 years of 365 days.
MAX_MOVE_SECONDS: Final = 100 * 365 * 86400.0


class Controlled(Protocol):
    """What the control paths drive: a clock (epoch seconds), the records, and a reset."""

    def now(self) -> float: ...
    def advance(self, seconds: float) -> float: ...
    def advance_to(self, instant: float) -> float: ...
    def outbox(self) -> Sequence[Mapping[str, object]]: ...
    def events(self) -> Sequence[Mapping[str, object]]: ...
    def reset(self) -> float: ...


#: A control path's answer: a JSON object.
_Answer = dict[str, object]
_Handler = Callable[[Controlled, bytes], _Answer]


def dispatch(endpoint: Controlled, method: str, route: str, body: bytes) -> _Answer:
    """The answer of the control endpoint at ``route`` (a trailing slash is ignored)."""
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


def _move_clock(endpoint: Controlled, body: bytes) -> _Answer:
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
    return _read(
        "AdvanceSeconds",
        value,
        "Member must be a number of seconds from 0 to 3153600000, or a duration such as 15m",
        parse_duration,
        lambda seconds: math.isfinite(seconds) and seconds <= MAX_MOVE_SECONDS,
    )


def _instant(endpoint: Controlled, value: object) -> float:
    return _read(
        "Until",
        value,
        "Member must be an instant (epoch seconds or ISO 8601) within 100 years from now",
        lambda given: to_datetime(given).timestamp(),
        lambda epoch: epoch - endpoint.now() <= MAX_MOVE_SECONDS,
    )


def _read(
    name: str,
    value: object,
    constraint: str,
    parse: Callable[[str | float], float],
    allowed: Callable[[float], bool],
) -> float:
    """Member ``name`` read with ``parse`` (a number, or text such as ``15m``); a field error
    naming the value and ``constraint`` when it cannot be read or is not ``allowed``."""

    def refusal() -> ValidationException:
        violation = f"Value '{value}' at '{name}' failed to satisfy constraint: {constraint}"
        return field_error(name, violation)

    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise refusal()
    try:
        number = parse(value)
    except (ValueError, OverflowError, OSError):
        raise refusal() from None
    if not allowed(number):
        raise refusal()
    return number


def _reset(endpoint: Controlled, body: bytes) -> _Answer:
    members = decode_body(body)
    if members:
        raise ValidationException(
            f"reset takes no members (got {', '.join(sorted(members))}); send an empty body or {{}}"
        )
    return {"Now": endpoint.reset()}


#: Control path -> method -> handler.
ROUTES: Final[dict[str, dict[str, _Handler]]] = {
    "/_escsim/clock": {"GET": lambda endpoint, _: {"Now": endpoint.now()}, "POST": _move_clock},
    "/_escsim/outbox": {"GET": lambda endpoint, _: {"Messages": endpoint.outbox()}},
    "/_escsim/events": {"GET": lambda endpoint, _: {"Events": endpoint.events()}},
    "/_escsim/reset": {"POST": _reset},
}
