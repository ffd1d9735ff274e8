"""AWS JSON 1.1 on the wire: request bodies to parameters, results and errors to HTTP replies.

The HTTP server and the in-process boto3 hook both answer through these functions, so a reply
is the same bytes whichever way a client reaches the simulator. Timestamps leave as epoch
seconds (JSON numbers, millisecond precision) wherever they sit in a response; absent members
are left out rather than sent as ``null``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Final

from engine.errors import ServiceError
from engine.http.refusals import MethodNotAllowedException, SerializationException
from engine.timeutil import UTC, epoch_seconds

AMZ_JSON: Final = "application/x-amz-json-1.1"
PLAIN_JSON: Final = "application/json"
#: Bodies up to this size are read: 4 MiB, room for the largest valid request (a 395,000
#: character policy, even with every character written as a six-character \u escape).
MAX_BODY_BYTES: Final = 4 * 1024 * 1024
# What a JSON value other than an object is, by the type json.loads gives it.
_KINDS: Final = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP response: status, headers in sending order, and the body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def decode_body(body: bytes) -> dict[str, object]:
    """The members of a request body, a JSON object (none for an empty body); anything else
    (not UTF-8, not JSON, too deep, NaN, a lone surrogate...) is a SerializationException."""
    if not body.strip():
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SerializationException(
            f"The request body is not UTF-8 text: {exc.reason} at byte {exc.start}"
        ) from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise SerializationException(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except ValueError as exc:
        raise SerializationException(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise SerializationException("The request body is nested too deeply to read") from None
    if not isinstance(value, dict):
        kind = _KINDS.get(type(value), "a number")
        raise SerializationException(
            f"The request body must be a JSON object of members, not {kind}"
        )
    # A \uD800-\uDFFF escape outside a surrogate pair decodes to text that no UTF-8 answer,
    # journal or log can hold; refuse it here rather than fail later with half the work done.
    if "\\u" in text and _has_lone_surrogate(value):
        raise SerializationException(
            "The request body holds a \\u escape of a lone UTF-16 surrogate (\\uD800-\\uDFFF "
            "outside a pair), which is not text"
        )
    return value


def to_wire(value: object) -> object:
    """``value`` with datetimes as epoch seconds and ``None`` members dropped, at any depth;
    TypeError for a value JSON cannot carry."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return epoch_seconds(aware)
    if isinstance(value, Mapping):
        return {str(k): to_wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a {type(value).__name__} cannot be sent as JSON")


def encode(value: object) -> bytes:
    """Compact UTF-8 JSON of :func:`to_wire` of ``value``; NaN and infinities are refused."""
    return json.dumps(
        to_wire(value), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode("utf-8")


def success(body: bytes, request_id: str, content_type: str = AMZ_JSON) -> Reply:
    """HTTP 200 carrying an encoded result."""
    return Reply(200, _headers(content_type, body, request_id), body)


def failure(error: ServiceError, request_id: str, content_type: str = AMZ_JSON) -> Reply:
    """The error's HTTP status with ``{"__type": <code>, "Message": ..., **members}``; botocore
    reads ``__type``, and ``x-amzn-ErrorType`` is sent as AWS sends it, for raw traffic."""
    body = encode(error.wire_body())
    headers = (*_headers(content_type, body, request_id), ("x-amzn-ErrorType", error.code))
    if isinstance(error, MethodNotAllowedException):
        headers = (*headers, ("Allow", ", ".join(error.allow)))
    return Reply(error.http_status, headers, body)


def _headers(content_type: str, body: bytes, request_id: str) -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", request_id),
    )


def _has_lone_surrogate(value: object) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text} is too large")
    return number
