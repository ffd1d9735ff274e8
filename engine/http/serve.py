"""Running an endpoint over HTTP until a signal stops it: what ``escsim serve`` does once its
options are read (:mod:`engine.cli.serve` reads them and turns outcomes into exit codes).

:func:`listen` binds the server and says on stderr what it serves; :func:`serve_until_stopped`
announces ``escsim listening on http://HOST:PORT`` on stdout and serves until SIGTERM or SIGINT
stops it gracefully. Request lines and failures inside the server go to stderr.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from engine.http.endpoint import Endpoint
from engine.http.server import EscsimHTTPServer, is_loopback, wait_until_started


@dataclasses.dataclass(frozen=True, slots=True)
class Stopped:
    """How serving ended: the signal that stopped it (None: the server stopped by itself), the
    requests answered, and the exception it crashed on, if it did."""

    signal: signal.Signals | None
    requests: int
    crash: BaseException | None = None

    def line(self) -> str:
        """``escsim serve: stopped on SIGTERM after 3 requests``."""
        how = f" on {self.signal.name}" if self.signal is not None else ""
        plural = "s" if self.requests != 1 else ""
        return f"escsim serve: stopped{how} after {self.requests} request{plural}"


def listen(
    endpoint: Endpoint,
    host: str,
    port: int,
    *,
    allow_remote: bool,
    quiet: bool,
    accounts_file: str | None,
) -> EscsimHTTPServer:
    """A server for ``endpoint`` bound to ``host:port``, once it has said what it serves."""
    _log_errors_to_stderr()
    server = EscsimHTTPServer(
        endpoint, host, port, allow_remote=allow_remote, log=None if quiet else _log_request
    )
    if not is_loopback(host):
        _warn_remote(host, endpoint)
    if endpoint.accounts is not None:
        note(
            f"escsim serve: credentials from {accounts_file}: {len(endpoint.accounts)} access "
            f"keys, accounts {', '.join(endpoint.accounts.account_ids)}; unsigned or unknown "
            "requests are refused"
        )
    if endpoint.rate_limit is not None:
        note(f"escsim serve: rate limit {endpoint.rate_limit} (ThrottlingException beyond it)")
    simulator = endpoint.simulator
    note(
        f"escsim serve: seed {simulator.seed}, start {simulator.start.isoformat()}, clock "
        f"{endpoint.clock}, "
        + (
            f"account {simulator.account}, unsigned requests in {simulator.region}"
            if endpoint.accounts is None
            else "account and region from each request's credentials"
        )
    )
    return server


def _warn_remote(host: str, endpoint: Endpoint) -> None:
    """Several lines on stderr, so that nobody misses what binding beyond loopback exposes."""
    if endpoint.accounts is None:
        who = (
            "escsim checks NO credentials (no --accounts): anyone who can connect can read "
            "and change every account's simulated contacts and engagements"
        )
    else:
        who = "AWS requests need a key from --accounts; the traffic is plain HTTP, not TLS"
    control = (
        "control paths are OPEN to anyone: they move the clock, read every outbox and reset"
        if endpoint.admin.open
        else "control paths need the admin token"
    )
    banner = "escsim serve: " + "!" * 60
    for line in (
        banner,
        f"escsim serve: WARNING: listening on {host}, which other machines can reach.",
        f"escsim serve: WARNING: {who}.",
        f"escsim serve: WARNING: {control}.",
        "escsim serve: WARNING: escsim is a test tool; do not expose it to untrusted networks.",
        banner,
    ):
        note(line)


def serve_until_stopped(server: EscsimHTTPServer, announcement: str | None = None) -> Stopped:
    """Serve until a signal (or a crash) stops the server; then stop it gracefully. Once it
    answers, ``announcement`` (default ``escsim listening on URL``) goes to stdout."""
    stop = threading.Event()
    caught: list[int] = []
    crashed: list[BaseException] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)
        stop.set()

    def run() -> None:
        try:
            server.serve_forever()
        except BaseException as exc:  # reported by the caller; the process must still stop
            crashed.append(exc)
        finally:
            stop.set()

    previous = _install_signal_handlers(on_signal)
    thread = threading.Thread(target=run, name="escsim-serve", daemon=True)
    thread.start()
    try:
        try:
            wait_until_started(server, thread)
        except RuntimeError:
            pass  # the thread ended: `crashed` says why
        else:
            _announce(announcement or f"escsim listening on {server.url}")
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()  # in-flight requests are answered before it returns
        server.server_close()
        thread.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return Stopped(
        signal.Signals(caught[0]) if caught else None,
        server.requests_served,
        crashed[0] if crashed else None,
    )


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (tests swap it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("escsim serve: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _log_errors_to_stderr() -> None:
    """Failures inside the server (a bug's traceback, with its request id) go to stderr."""
    for name in ("escsim.http", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
            logger.addHandler(_StderrHandler())
        logger.propagate = False


def _install_signal_handlers(handler: Callable[[int, FrameType | None], None]) -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals reach only the main thread; the caller stops the server itself
    return {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def _announce(line: str) -> None:
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass  # nobody reads stdout; serving goes on


def _log_request(line: str) -> None:
    note(f"escsim serve: {line}")


def note(line: str) -> None:
    """One line on stderr, at once."""
    print(line, file=sys.stderr, flush=True)
