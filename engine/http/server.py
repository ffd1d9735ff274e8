"""The HTTP/1.1 server in front of an ``Endpoint``: uvicorn and httptools on one event loop.

httptools (llhttp, the parser of Node.js) refuses malformed HTTP outright; uvicorn runs the
connections and hands each request to :class:`engine.http.app.EscsimApp`. escsim adds refusals of
malformed HTTP in the same JSON shape as every other error, a bound on a request's head, and an
idle timeout from the moment a connection opens. The socket is bound before serving starts (so
``port=0`` has its port at once); stopping is graceful, answering requests in flight first.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any, Final

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import (
    HttpToolsProtocol,
    RequestResponseCycle,
)

from engine import __version__
from engine.errors import ServiceError
from engine.http.app import EscsimApp
from engine.http.endpoint import Endpoint
from engine.http.refusals import (
    BadRequestException,
    RequestEntityTooLargeException,
    RequestHeaderFieldsTooLargeException,
)
from engine.simulator import Simulator

#: Connections the kernel queues before they are accepted: room for a burst of hundreds of
#: clients at once (the kernel caps it at net.core.somaxconn).
BACKLOG: Final = 1024
#: The request line and headers of one request may take this many bytes.
MAX_HEAD_BYTES: Final = 64 * 1024
#: A connection that sends nothing for this long is closed (between requests, or before one).
IDLE_TIMEOUT_SECONDS: Final = 60
#: How long stopping waits for requests in flight.
GRACE_SECONDS: Final = 30


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


class EscsimHTTPServer:
    """Serves ``endpoint`` at ``host:port`` (0: a free port) once ``serve_forever`` runs; ``log``
    gets a line per request. Raises ``LoopbackRequired`` (unless ``allow_remote``) or OSError."""

    def __init__(
        self,
        endpoint: Endpoint,
        host: str = "127.0.0.1",
        port: int = 4566,
        *,
        allow_remote: bool = False,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise LoopbackRequired(
                f"refusing to listen on {host}: it is not a loopback address, so other machines "
                "could reach the simulator; pass --allow-remote (allow_remote=True) to do it anyway"
            )
        self.endpoint = endpoint
        self.host = host.strip("[]")
        self.socket = _listen(self.host, port)
        self.app = EscsimApp(endpoint, log=log)
        self._server = _Server(
            uvicorn.Config(
                self.app,
                http=_Protocol,
                loop="asyncio",
                ws="none",
                lifespan="off",
                interface="asgi3",
                proxy_headers=False,
                server_header=False,
                headers=[("Server", f"escsim/{__version__}")],
                log_config=None,
                log_level=logging.ERROR,
                access_log=False,
                backlog=BACKLOG,
                timeout_keep_alive=IDLE_TIMEOUT_SECONDS,
                timeout_graceful_shutdown=GRACE_SECONDS,
            )
        )
        self._running = threading.Lock()
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def port(self) -> int:
        """The port listened on (the one picked when 0 was asked for)."""
        return int(self.socket.getsockname()[1])

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` of this server, IPv6 hosts in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def started(self) -> bool:
        """Whether the server accepts connections (``serve_forever`` is past its start-up)."""
        return bool(self._server.started)

    @property
    def requests_served(self) -> int:
        """Requests answered so far."""
        return int(self._server.server_state.total_requests)

    def serve_forever(self) -> None:
        """Answer requests in this thread until :meth:`shutdown`; signals are left alone."""
        with self._running:
            self._stopped.clear()
            self.endpoint.changes.reopen()  # streams closed by an earlier shutdown may run again
            try:
                self._server.run(sockets=[self.socket])
            finally:
                self._stopped.set()

    def shutdown(self) -> None:
        """Stop accepting, let requests in flight finish, and wait until serving has ended."""
        self.endpoint.changes.close()  # live streams end, so that requests in flight can finish
        self._server.should_exit = True
        self._stopped.wait()

    def server_close(self) -> None:
        """Close the listening socket (serving closes it too)."""
        self.socket.close()


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The caller decides what a signal means (escsim serve maps SIGINT and SIGTERM to exit
        # codes); uvicorn would install handlers and raise the signal again afterwards.
        yield


class _HeadTooLarge(Exception):
    """Raised from a parser callback: the request's head has passed MAX_HEAD_BYTES."""


class _Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with escsim's refusals, head bound, idle timeout, half-close."""

    app: EscsimApp

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._in_head = True
        self._received_in_head = 0  # bytes fed while a head was incomplete, whole reads
        self._head_size = 0  # the request line and headers as parsed
        self._running_cycle: RequestResponseCycle | None = None
        self._deferred: bytes | None = None
        self._client_done = False
        # uvicorn arms its idle timer only after a response; a connection that never sends a
        # request would otherwise stay open for good.
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self._deferred is not None:
            return  # a refusal is waiting to go: nothing more is read on this connection
        if self._in_head:
            self._received_in_head += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # No protocol upgrade is served; the request went to the app as plain HTTP, and
            # the connection closes after its answer.
            if self.cycle is not None:
                self.cycle.keep_alive = False
            return
        except httptools.HttpParserError as exc:
            self._refuse(_parse_error(exc))
            return
        # httptools keeps a header it has not seen the end of; a head that never ends must
        # not grow without bound, however it is cut into reads.
        if self._in_head and self._received_in_head > MAX_HEAD_BYTES:
            self._refuse(_head_too_large())

    def eof_received(self) -> bool:  # type: ignore[override]  # asyncio's contract allows it
        # A client may half-close once it has sent its requests and still read the answers.
        self._client_done = True
        cycle = self.cycle
        if cycle is not None and cycle.more_body and not cycle.response_started:
            # Its body will never be complete: a request refused whatever its body holds gets
            # its refusal; any other is dropped unanswered.
            if self.app.refuses_body(dict(cycle.scope)):
                cycle.more_body = False
                cycle.message_event.set()
            else:
                self._abandon(cycle)
        if not self._busy():
            self._finish()
        return True  # keep the transport open for the answers still to be written

    def send_400_response(self, msg: str) -> None:
        self._refuse(BadRequestException(f"The request is not valid HTTP/1.1: {msg}"))

    def on_message_begin(self) -> None:
        self._in_head = True
        self._head_size = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._received_in_head = 0
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        # A client that sends its body without waiting needs no 100 Continue.
        if self.cycle is not None:
            self.cycle.waiting_for_100_continue = False
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._in_head = True
        super().on_message_complete()

    def _count_head(self, size: int) -> None:
        self._head_size += size
        if self._head_size > MAX_HEAD_BYTES:
            raise _HeadTooLarge

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        self._running_cycle = cycle
        super()._start_asgi_task(cycle, app)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._busy() and (self._deferred is not None or self._client_done):
            self._finish()

    def _refuse(self, error: ServiceError) -> None:
        """Answer an unreadable request with ``error`` once earlier answers have gone, and close
        the connection; a request whose body broke off gets the refusal as its answer."""
        self.flow.pause_reading()
        cycle = self.cycle
        if not self._in_head and cycle is not None:  # the body of the newest request is bad
            if cycle.response_started:
                cycle.keep_alive = False  # it was answered already: just end the connection
                if cycle.response_complete:
                    self.transport.close()
                return
            self._abandon(cycle)
        self._deferred = self.app.refuse(error)
        if not self._busy():
            self._finish()

    def _abandon(self, cycle: RequestResponseCycle) -> None:
        """Stop ``cycle`` waiting for a body that will not come; it gets no answer of its own."""
        cycle.disconnected = True
        cycle.message_event.set()
        for queued in list(self.pipeline):
            if queued[0] is cycle:
                self.pipeline.remove(queued)

    def _busy(self) -> bool:
        running = self._running_cycle
        in_flight = (
            running is not None and not running.response_complete and not running.disconnected
        )
        return in_flight or bool(self.pipeline)

    def _finish(self) -> None:
        """Write the refusal waiting to go, if any, and close the connection."""
        answer, self._deferred = self._deferred, None
        if not self.transport.is_closing():
            if answer is not None:
                self.transport.write(answer)
            self.transport.close()


def _parse_error(exc: Exception) -> ServiceError:
    """The refusal of a request httptools could not parse."""
    if isinstance(exc.__cause__ or exc.__context__, _HeadTooLarge):
        return _head_too_large()
    if str(exc) == "Content-Length overflow":  # llhttp's words for more than 2**64 - 1
        return RequestEntityTooLargeException(
            "The request's Content-Length is larger than any body escsim reads"
        )
    return BadRequestException(f"The request is not valid HTTP/1.1: {exc}")


def _head_too_large() -> RequestHeaderFieldsTooLargeException:
    return RequestHeaderFieldsTooLargeException(
        f"The request line and headers take more than {MAX_HEAD_BYTES} bytes"
    )


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named outright: asyncio turns Nagle's algorithm off only on sockets that say
    # so, and with it on, every keep-alive answer would wait for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class RunningServer(EscsimHTTPServer):
    """A server answering in a background ``thread``; ``stop()`` (or leaving ``with``) ends it."""

    thread: threading.Thread

    @property
    def simulator(self) -> Simulator:
        """The simulator answering now (a new one after each reset)."""
        return self.endpoint.simulator

    def stop(self) -> None:
        """Stop accepting, finish requests in flight and wait for the serving thread."""
        self.shutdown()
        self.server_close()
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
    log: Callable[[str], None] | None = None,
) -> RunningServer:
    """Serve ``target`` (an endpoint, or a simulator on a virtual clock) in a thread, ready."""
    endpoint = target if isinstance(target, Endpoint) else Endpoint(target)
    server = RunningServer(endpoint, host, port, allow_remote=allow_remote, log=log)
    server.thread = threading.Thread(
        target=server.serve_forever, name=f"escsim-http-{server.port}", daemon=True
    )
    server.thread.start()
    wait_until_started(server, server.thread)
    return server


def wait_until_started(server: EscsimHTTPServer, thread: threading.Thread) -> None:
    """Return once ``server`` accepts connections; RuntimeError if its thread ended first."""
    ready = threading.Event()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the HTTP server stopped while starting")
        ready.wait(0.005)
