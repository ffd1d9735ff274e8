"""The ASGI application that puts an ``Endpoint`` on HTTP: routing, bodies, the request log.

uvicorn (:mod:`engine.http.server`) parses HTTP/1.1 and hands each request here. The table
``EscsimApp.routes`` maps an exact path to an ASGI handler (the readiness probe ``GET
/_escsim/health``); every other path goes to ``Endpoint.handle``, which knows no transport.
Bodies are read up to ``MAX_BODY_BYTES`` and never kept beyond it. Every answer is AWS-shaped
JSON; an unexpected failure answers ``InternalServerException`` with the request id, and the
exception goes to the ``escsim.http`` log. With ``log``, each request leaves one line.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from http import HTTPStatus
from typing import Any, Final

from engine import __version__
from engine.api.registry import OPERATIONS
from engine.errors import ServiceError
from engine.http.endpoint import TARGET_PREFIX, Endpoint, body_too_large, internal_error
from engine.http.refusals import (
    BadRequestException,
    HttpVersionNotSupportedException,
    MethodNotAllowedException,
)
from engine.http.wire import MAX_BODY_BYTES, PLAIN_JSON, Reply, failure, success

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
#: An ASGI application: what each entry of ``EscsimApp.routes`` is.
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

HEALTH_PATH: Final = "/_escsim/health"
#: A refused body declared up to this size is still read (and dropped) before the answer, as
#: clients that send the whole body before reading it expect, and the connection stays usable;
#: a larger one is refused at once and the connection closed.
DRAIN_LIMIT_BYTES: Final = 64 * 1024 * 1024
_VERSIONS: Final = ("1.0", "1.1")
_log = logging.getLogger("escsim.http")


class _Refused(Exception):
    """A request refused while its body was read; ``close`` ends the connection after."""

    def __init__(self, error: ServiceError, close: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.close = close


class _ClientGone(Exception):
    """The client hung up before the whole body arrived."""


class EscsimApp:
    """Serves ``endpoint`` to an ASGI server; ``log`` gets one line per request. Requests run on
    the event loop's thread: the endpoint answers one at a time anyway."""

    def __init__(self, endpoint: Endpoint, *, log: Callable[[str], None] | None = None) -> None:
        self.endpoint = endpoint
        self.log = log
        #: Exact path -> handler; everything else goes to ``Endpoint.handle``.
        self.routes: dict[str, Asgi] = {HEALTH_PATH: self.health}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan events are needed, and no other protocol is served
        began = time.perf_counter()
        answered: dict[str, object] = {}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
                answered["error"] = _header(message.get("headers", ()), b"x-amzn-errortype")
            await send(message)

        try:
            if scope.get("http_version") not in _VERSIONS:
                version = str(scope.get("http_version"))
                error = HttpVersionNotSupportedException(
                    f"HTTP/{version} is not served here; send HTTP/1.1 (or HTTP/1.0)"
                )
                await _send_reply(sending, self.endpoint.refusal(error), close=True)
            else:
                route = self.routes.get(_route(scope), self._endpoint)
                await route(scope, receive, sending)
        except Exception:  # a bug: answer as AWS would, keep the details in the log
            request_id = self.endpoint.next_request_id()
            _log.exception("request %s failed", request_id)
            if "status" not in answered:
                reply = failure(internal_error(request_id), request_id)
                await _send_reply(sending, reply, close=True)
        finally:
            if self.log is not None and "status" in answered:
                self.log(_line(scope, answered, time.perf_counter() - began))

    def refuse(self, error: ServiceError) -> bytes:
        """The bytes answering a request the HTTP parser refused, logged like any other."""
        reply = self.endpoint.refusal(error)
        if self.log is not None:
            self.log(f"malformed request {reply.status} {error.code}")
        return raw_reply(reply)

    def refuses_body(self, scope: Scope) -> bool:
        """Whether this request is refused whatever its body holds, even if it stops half-way."""
        return _route(scope) not in self.routes and _framing_refused(_headers(scope))

    async def health(self, scope: Scope, receive: Receive, send: Send) -> None:
        """``GET /_escsim/health``, the readiness probe: 200 while the server answers, even where
        control paths are guarded; it carries only the service's name and escsim's version."""
        # A body is never read here: the connection ends after the answer rather than read it.
        headers = _headers(scope)
        unread = "transfer-encoding" in headers or bool(_declared_length(headers))
        if scope["method"] in ("GET", "HEAD"):
            payload = {"Status": "ready", "Service": "ssm-contacts", "Version": __version__}
            body = json.dumps(payload, separators=(",", ":")).encode()
            reply = success(body, self.endpoint.next_request_id(), PLAIN_JSON)
        else:
            error = MethodNotAllowedException(
                f"{HEALTH_PATH} takes GET or HEAD, not {scope['method']}", ("GET", "HEAD")
            )
            reply = self.endpoint.refusal(error)
        await _send_reply(send, reply, close=unread)

    async def _endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        try:
            body = await _read_body(headers, receive)
        except _Refused as refused:
            await _send_reply(send, self.endpoint.refusal(refused.error), close=refused.close)
            return
        except _ClientGone:
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        target = raw_path.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        reply = self.endpoint.handle(scope["method"], target, headers, body)
        await _send_reply(send, reply)


def _framing_refused(headers: dict[str, str]) -> bool:
    """Whether a request's transfer coding or declared length refuses it whatever its body."""
    encoding = headers.get("transfer-encoding")
    if encoding is not None:
        return encoding.strip().lower() != "chunked"
    length = _declared_length(headers)
    return length is not None and length > MAX_BODY_BYTES


def _declared_length(headers: dict[str, str]) -> int | None:
    declared = headers.get("content-length")
    if declared is None or "transfer-encoding" in headers:
        return None
    return int(declared)  # the HTTP parser has checked it is a number of at most 20 digits


async def _read_body(headers: dict[str, str], receive: Receive) -> bytes:
    """The request body, at most MAX_BODY_BYTES; raises _Refused or _ClientGone."""
    encoding = headers.get("transfer-encoding")
    if encoding is not None and encoding.strip().lower() != "chunked":
        raise _Refused(
            BadRequestException(
                f"Transfer-Encoding '{encoding}' is not supported: send Content-Length or chunked"
            ),
            close=True,
        )
    length = _declared_length(headers)
    if length is not None:
        if length > MAX_BODY_BYTES:
            # A client waiting for 100 Continue sends nothing more; one that sends the body
            # at once reads the answer only after sending it, so a body small enough to
            # drain is read and dropped first.
            waiting = headers.get("expect", "").strip().lower() == "100-continue"
            if not waiting and length <= DRAIN_LIMIT_BYTES:
                await _drain(receive)
                raise _Refused(body_too_large(length), close=False)
            raise _Refused(body_too_large(length), close=True)
        if length == 0:
            return b""
    parts: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > MAX_BODY_BYTES:
            # Only a chunked body gets here: its size is known once it is too late to drain.
            raise _Refused(body_too_large(total), close=True)
        if chunk:
            parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


async def _drain(receive: Receive) -> None:
    """Read the rest of a body and drop it; _ClientGone if the client hangs up first."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        if not message.get("more_body", False):
            return


async def _send_reply(send: Send, reply: Reply, *, close: bool = False) -> None:
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in reply.headers]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body, "more_body": False})


def raw_reply(reply: Reply) -> bytes:
    """``reply`` as the bytes of an HTTP/1.1 response that closes the connection."""
    try:
        phrase = HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = ""
    lines = [f"HTTP/1.1 {reply.status} {phrase}"]
    lines.extend(f"{name}: {value}" for name, value in (*reply.headers, ("Connection", "close")))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + reply.body


def _headers(scope: Scope) -> dict[str, str]:
    """Header names lower-cased, values as text; a repeated header keeps its last value."""
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


def _header(headers: Iterable[tuple[bytes, bytes]], wanted: bytes) -> str | None:
    for name, value in headers:
        if name.lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


def _route(scope: Scope) -> str:
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    path = raw.decode("latin-1")
    return path.rstrip("/") or "/"


def _line(scope: Scope, answered: Mapping[str, object], seconds: float) -> str:
    """``<what> <status> [<error code>] <ms> ms``, safe to print: nothing raw from the client."""
    what = f"{scope['method']} {_printable(_route(scope))}"
    if _route(scope) == "/":
        target = _header(scope["headers"], b"x-amz-target") or ""
        prefix, _, name = target.partition(".")
        if prefix == TARGET_PREFIX and name in OPERATIONS:
            what = name
    error = answered.get("error")
    code = f" {_printable(str(error))}" if error else ""
    return f"{what} {answered['status']}{code} {seconds * 1000:.1f} ms"


def _printable(text: str, limit: int = 120) -> str:
    shown = "".join(c if c.isprintable() and c != " " else f"\\x{ord(c):02x}" for c in text)
    return shown if len(shown) <= limit else shown[:limit] + "..."
