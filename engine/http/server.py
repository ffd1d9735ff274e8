"""The HTTP/1.1 server in front of an ``Endpoint``: threaded, keep-alive, loopback unless told.

Every response, refusals of malformed HTTP included, is JSON with ``__type`` and carries
``x-amzn-RequestId``; only a bug answers 500. Bodies larger than the endpoint reads are refused
with 413; when such a body is not too large to drain, it is read and dropped so the connection
stays usable, else the connection is closed after the answer.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Final

from engine import __version__
from engine.errors import ServiceError
from engine.http.endpoint import Endpoint, body_too_large
from engine.http.refusals import (
    BadRequestException,
    MethodNotAllowedException,
    NotFoundException,
    RequestHeaderFieldsTooLargeException,
    RequestUriTooLongException,
)
from engine.http.wire import Reply
from engine.simulator import Simulator

__all__ = [
    "DRAIN_LIMIT_BYTES",
    "EscsimHTTPServer",
    "LoopbackRequired",
    "RunningServer",
    "is_loopback",
    "start_server",
]

#: An oversized body up to this size is read and dropped so the connection can be reused.
DRAIN_LIMIT_BYTES: Final = 64 * 1024 * 1024
_CHUNK: Final = 64 * 1024
_IDLE_TIMEOUT_SECONDS: Final = 120.0
_METHODS: Final = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
_log = logging.getLogger("escsim.http")


class LoopbackRequired(ValueError):
    """A non-loopback address was asked for without ``allow_remote``."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback IP address (no name is looked up)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class EscsimHTTPServer(ThreadingHTTPServer):
    """Serves ``endpoint`` at ``host:port`` (port 0 picks a free one), a thread per connection.

    Raises ``LoopbackRequired`` for a host that is not loopback unless ``allow_remote``, and
    ``OSError`` when the address cannot be bound.
    """

    daemon_threads = True

    def __init__(
        self,
        endpoint: Endpoint,
        host: str = "127.0.0.1",
        port: int = 4566,
        *,
        allow_remote: bool = False,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise LoopbackRequired(
                f"refusing to listen on {host}: it is not a loopback address, so other machines "
                "could reach the simulator; pass --allow-remote (allow_remote=True) to do it anyway"
            )
        self.endpoint = endpoint
        self.host = host.strip("[]")
        self.address_family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        super().__init__((self.host, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host name up (getfqdn); nothing here needs it.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.host
        self.server_port = int(self.server_address[1])

    @property
    def port(self) -> int:
        """The port listened on (the one picked when 0 was asked for)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` of this server, IPv6 hosts in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up mid-request is routine; keep tracebacks off the console.
        _log.debug("connection from %s failed", client_address, exc_info=True)


class _BodyRefused(Exception):
    def __init__(self, error: ServiceError, close: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.close = close


class _ClientGone(Exception):
    """The client closed the connection before sending the whole body."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"escsim/{__version__}"
    timeout = _IDLE_TIMEOUT_SECONDS
    # Headers and body leave in separate writes; with Nagle's algorithm the body would wait
    # for the client's delayed ACK (tens of milliseconds per keep-alive request).
    disable_nagle_algorithm = True
    server: EscsimHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def do_POST(self) -> None:
        self._serve()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_POST

    def _serve(self) -> None:
        endpoint = self.server.endpoint
        try:
            body = self._read_body(endpoint.max_body_bytes)
        except _BodyRefused as refused:
            if refused.close:
                self.close_connection = True
            self._send(endpoint.refusal(refused.error))
            return
        except _ClientGone:
            self.close_connection = True
            return
        headers = dict(self.headers.items())
        self._send(endpoint.handle(self.command, self.path, headers, body))

    def _read_body(self, limit: int) -> bytes:
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise _BodyRefused(
                    BadRequestException(f"Transfer-Encoding '{encoding}' is not supported"), True
                )
            return self._read_chunked(limit)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not length_text.strip().isdigit():
            raise _BodyRefused(
                BadRequestException(f"Content-Length '{length_text}' is not a byte count"), True
            )
        length = int(length_text)
        if length > limit:
            drained = length <= DRAIN_LIMIT_BYTES and self._drain(length)
            raise _BodyRefused(body_too_large(length, limit), close=not drained)
        return self._read_exactly(length)

    def _read_exactly(self, length: int) -> bytes:
        data = self.rfile.read(length)
        if len(data) < length:
            raise _ClientGone
        return data

    def _drain(self, length: int) -> bool:
        remaining = length
        while remaining:
            chunk = self.rfile.read(min(remaining, _CHUNK))
            if not chunk:
                return False
            remaining -= len(chunk)
        return True

    def _read_chunked(self, limit: int) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            if not line:
                raise _ClientGone
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise _BodyRefused(
                    BadRequestException(f"Malformed chunk size {size_text!r}"), True
                ) from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailer fields are not used
                return b"".join(parts)
            total += size
            if total > limit:
                raise _BodyRefused(body_too_large(total, limit), True)
            parts.append(self._read_exactly(size))
            self.rfile.readline(1024)  # the CRLF that ends each chunk

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Refusals of malformed HTTP, in the same JSON shape as every other error."""
        self.close_connection = True
        # A request line that could not be read leaves HTTP/0.9, which would drop the status
        # line and headers; answer as HTTP/1.1 whatever the client wrote.
        self.request_version = self.protocol_version
        self._send(self.server.endpoint.refusal(_http_refusal(code, message)))

    def log_message(self, format: str, *args: object) -> None:
        _log.debug("%s - %s", self.address_string(), format % args)


def _http_refusal(code: int, message: str | None) -> ServiceError:
    text = message or "The request could not be read"
    if code == 404:
        return NotFoundException(text)
    if code == 414:
        return RequestUriTooLongException(text)
    if code == 431:
        return RequestHeaderFieldsTooLargeException(text)
    if code == 501:  # a method http.server has no handler for
        return MethodNotAllowedException(text, _METHODS)
    # 505 and anything else: the client's fault, and never a 5xx that invites a retry.
    return BadRequestException(text)


@dataclasses.dataclass
class RunningServer:
    """A server answering in a background thread; ``stop()`` (or leaving ``with``) ends it."""

    server: EscsimHTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        """``http://HOST:PORT``."""
        return self.server.url

    @property
    def port(self) -> int:
        """The port listened on."""
        return self.server.port

    @property
    def endpoint(self) -> Endpoint:
        """The endpoint served."""
        return self.server.endpoint

    @property
    def simulator(self) -> Simulator:
        """The simulator answering now (a new one after each reset)."""
        return self.server.endpoint.simulator

    def stop(self) -> None:
        """Stop accepting, close the socket and wait for the serving thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_server(
    target: Endpoint | Simulator,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    allow_remote: bool = False,
) -> RunningServer:
    """Serve ``target`` (an endpoint, or a simulator wrapped in a virtual-clock one) in a thread.

    Raises ``LoopbackRequired`` or ``OSError`` as ``EscsimHTTPServer`` does.
    """
    endpoint = target if isinstance(target, Endpoint) else Endpoint(target)
    server = EscsimHTTPServer(endpoint, host, port, allow_remote=allow_remote)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.1},
        name=f"escsim-http-{server.port}",
        daemon=True,
    )
    thread.start()
    return RunningServer(server, thread)
