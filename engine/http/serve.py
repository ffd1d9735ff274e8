"""``escsim serve``: the command-line front of the HTTP endpoint.

Options: ``--host`` (127.0.0.1), ``--port`` (4566; 0 picks a free port), ``--seed``, ``--start``,
``--account``, ``--region`` (for unsigned requests), ``--set NAME=VALUE``, ``--clock
virtual|realtime[:FACTOR]``, ``--workspace DIR``, ``--allow-remote``, ``--accounts FILE``
(credentials checked with SigV4, one namespace per account), ``--admin-token TOKEN`` (guards the
control paths), ``--rate-limit N[/s|/m]`` (ThrottlingException beyond it) and ``--quiet``. When
ready it prints one line to stdout, ``escsim listening on http://HOST:PORT``, and
``GET /_escsim/health`` answers 200. Notes, warnings, one line per request (operation or path,
status, error code, milliseconds; ``--quiet`` drops these) and one line on stopping go to stderr.
SIGTERM and SIGINT (Ctrl-C) stop it gracefully: no new connections, requests in flight are
answered, a held workspace is released; the exit code is 0 after SIGTERM and 130 after SIGINT.
Bad options or settings exit 252, a workspace that is held or unreadable 253, an address that
cannot be bound 255. Run as ``python -m engine.http.serve`` or, wired into the command line,
``escsim serve``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from engine.http.clock import VIRTUAL, ClockMode
from engine.knob_option import add_set_option
from engine.knobs import KnobError, parse_assignment
from engine.timeutil import start_instant

if TYPE_CHECKING:
    from engine.http.endpoint import Endpoint
    from engine.http.server import EscsimHTTPServer

# Imported by `escsim --help` to describe this command: the server and the simulator load only
# when it runs.
DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-east-1"

__all__ = ["HELP", "add_arguments", "handle", "main"]

HELP = "Answer ssm-contacts requests over HTTP (AWS JSON 1.1) from a simulator on loopback."

# Exit codes, the same numbers as the rest of the command line (and the AWS CLI where it has them).
EXIT_OK = 0
EXIT_BAD_ARGUMENTS = 252
EXIT_BAD_FILE = 253
EXIT_UNEXPECTED = 255
EXIT_INTERRUPTED = 130

_ACCOUNT = re.compile(r"\d{12}")
_REGION = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 252 as the AWS CLI's bad arguments do."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_ARGUMENTS, f"{self.prog}: error: {message}\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``escsim serve``, on ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument(
        "--port", type=_port, default=4566, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulation (0)")
    parser.add_argument(
        "--start",
        type=_instant,
        default=None,
        help="instant virtual time starts at, ISO 8601 (default: now, to the second)",
    )
    parser.add_argument(
        "--account",
        type=_account,
        default=os.environ.get("ESCSIM_ACCOUNT_ID", DEFAULT_ACCOUNT),
        help=f"AWS account id of the simulated state (ESCSIM_ACCOUNT_ID, {DEFAULT_ACCOUNT})",
    )
    parser.add_argument(
        "--region",
        type=_region,
        default=DEFAULT_REGION,
        help="region of unsigned requests; signed ones use their credential scope's",
    )
    add_set_option(parser, "--set latency.SMS=3", convert=_assignment)
    parser.add_argument(
        "--clock",
        type=_clock,
        default=VIRTUAL,
        metavar="virtual|realtime[:FACTOR]",
        help="virtual: time moves only through POST /_escsim/clock (default); realtime: it "
        "follows the wall clock, FACTOR times faster",
    )
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None,
        help="keep the simulation in this workspace (created with the options above if new; "
        "an existing one keeps its own seed, start, account, region and settings), held "
        "exclusively while serving",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not loopback (anyone who can connect can use the endpoint "
        "unless --accounts and --admin-token are given)",
    )
    parser.add_argument(
        "--accounts",
        metavar="FILE",
        default=None,
        help="check credentials: a JSON or YAML mapping of access key id -> {secret: ..., "
        'account: "123456789012"}; every AWS request must then be SigV4-signed by a listed key '
        "and acts in its account; unknown keys and bad signatures are refused, and the control "
        "paths need --admin-token",
    )
    parser.add_argument(
        "--admin-token",
        metavar="TOKEN",
        default=os.environ.get("ESCSIM_ADMIN_TOKEN") or None,
        help="control paths (/_escsim/...) then answer only requests with 'Authorization: "
        "Bearer TOKEN' ($ESCSIM_ADMIN_TOKEN, which keeps it out of the process list)",
    )
    parser.add_argument(
        "--rate-limit",
        metavar="N[/s|/m]",
        type=_rate,
        default=None,
        help="refuse AWS requests beyond N a second (or a minute) with ThrottlingException, "
        "which AWS clients retry; off by default",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no line per request on stderr (by default each request logs its operation or "
        "path, status, error code and milliseconds)",
    )


def handle(args: argparse.Namespace) -> int:
    """Serve until SIGTERM (exit 0) or SIGINT (exit 130); see the module docstring for codes."""
    from engine.http.endpoint import Endpoint
    from engine.simulator import Simulator

    guards = _guards(args)
    if isinstance(guards, int):
        return guards
    _log_errors_to_stderr()
    try:
        simulator = Simulator(
            seed=args.seed,
            start=args.start,
            account=args.account,
            region=args.region,
            **dict(args.settings),
        )
    except KnobError as exc:
        return _fail(f"escsim serve: {exc}", EXIT_BAD_ARGUMENTS)
    if args.workspace is None:
        code, stopped = _listen(args, Endpoint(simulator, clock=args.clock, **guards), None)
        return _stopped(code, stopped)
    from engine.http.journal import WorkspaceJournal
    from engine.workspace import Header, Workspace, WorkspaceError, WorkspaceHeld, hold

    header = Header(
        simulator.account,
        simulator.region,
        simulator.seed,
        simulator.start.timestamp(),
        dict(args.settings),
    )
    try:
        with hold(args.workspace, wait=0.5) as record_endpoint:
            workspace, _created = Workspace.open_or_create(args.workspace, header)
            with workspace:
                journal = WorkspaceJournal(workspace)
                endpoint = Endpoint(
                    journal.simulator(), clock=args.clock, journal=journal, **guards
                )
                code, stopped = _listen(args, endpoint, record_endpoint)
    except WorkspaceHeld as exc:
        return _fail(f"escsim serve: {exc}", EXIT_BAD_FILE)
    except WorkspaceError as exc:
        return _fail(f"escsim serve: workspace {args.workspace}: {exc}", EXIT_BAD_FILE)
    if stopped is not None:
        stopped += f"; workspace {args.workspace} released"
    return _stopped(code, stopped)


def _listen(
    args: argparse.Namespace, endpoint: Endpoint, record_endpoint: Callable[[str], None] | None
) -> tuple[int, str | None]:
    """Serve ``endpoint`` as the options say: the exit code, and the line saying how serving
    stopped (None when it never started)."""
    from engine.http.server import EscsimHTTPServer, LoopbackRequired, is_loopback

    simulator = endpoint.simulator
    try:
        server = EscsimHTTPServer(
            endpoint,
            args.host,
            args.port,
            allow_remote=args.allow_remote,
            log=None if args.quiet else _log_request,
        )
    except LoopbackRequired as exc:
        return _fail(f"escsim serve: {exc}", EXIT_BAD_ARGUMENTS), None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return _fail(
            f"escsim serve: cannot listen on {args.host}:{args.port}: {reason}", EXIT_UNEXPECTED
        ), None
    if record_endpoint is not None:
        record_endpoint(server.url)
    if not is_loopback(args.host):
        _warn_remote(args.host, endpoint)
    if endpoint.accounts is not None:
        _note(
            f"escsim serve: credentials from {args.accounts}: {len(endpoint.accounts)} access "
            f"keys, accounts {', '.join(endpoint.accounts.account_ids)}; unsigned or unknown "
            "requests are refused"
        )
    if endpoint.rate_limit is not None:
        _note(f"escsim serve: rate limit {endpoint.rate_limit} (ThrottlingException beyond it)")
    _note(
        f"escsim serve: seed {simulator.seed}, start {simulator.start.isoformat()}, clock "
        f"{endpoint.clock}, "
        + (
            f"account {simulator.account}, unsigned requests in {simulator.region}"
            if endpoint.accounts is None
            else "account and region from each request's credentials"
        )
    )
    return _serve(server)


def _guards(args: argparse.Namespace) -> dict[str, Any] | int:
    """The endpoint's credentials, admin guard and rate limit, or an exit code after saying why
    they cannot be had."""
    from engine.http.accounts import AccountsFileError, load_accounts
    from engine.http.admin import AdminGuard
    from engine.http.ratelimit import RateLimit

    accounts = None
    if args.accounts is not None:
        try:
            accounts = load_accounts(args.accounts)
        except AccountsFileError as exc:
            return _fail(f"escsim serve: --accounts {exc}", EXIT_BAD_FILE)
    token = args.admin_token
    if token is not None and not token.strip():
        return _fail("escsim serve: --admin-token must not be empty", EXIT_BAD_ARGUMENTS)
    return {
        "accounts": accounts,
        "admin": AdminGuard(token, closed=accounts is not None),
        "rate_limit": RateLimit(args.rate_limit) if args.rate_limit is not None else None,
    }


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
        _note(line)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) as ``escsim serve`` options and serve."""
    parser = _Parser(prog="escsim serve", description=HELP)
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_ARGUMENTS
    return handle(args)


def _serve(server: EscsimHTTPServer) -> tuple[int, str | None]:
    from engine.http.server import wait_until_started

    stop = threading.Event()
    caught: list[int] = []
    crashed: list[BaseException] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)
        stop.set()

    def run() -> None:
        try:
            server.serve_forever()
        except BaseException as exc:  # reported below; the process must still stop cleanly
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
            _announce(f"escsim listening on {server.url}")
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()  # in-flight requests are answered before it returns
        server.server_close()
        thread.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if crashed:
        why = f"{type(crashed[0]).__name__}: {crashed[0]}"
        return _fail(f"escsim serve: stopped by {why}", EXIT_UNEXPECTED), None
    how = f" on {signal.Signals(caught[0]).name}" if caught else ""
    count = server.requests_served
    line = f"escsim serve: stopped{how} after {count} request{'s' if count != 1 else ''}"
    return (EXIT_INTERRUPTED if signal.SIGINT in caught else EXIT_OK), line


def _stopped(code: int, line: str | None) -> int:
    if line is not None:
        _note(line)
    return code


def _log_request(line: str) -> None:
    _note(f"escsim serve: {line}")


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


def _note(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _fail(line: str, code: int) -> int:
    _note(line)
    return code


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"port {text!r} must be a number from 0 to 65535")
    return int(text)


def _instant(text: str) -> dt.datetime:
    try:
        return start_instant(text)
    except (ValueError, OverflowError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _account(text: str) -> str:
    if not _ACCOUNT.fullmatch(text):
        raise argparse.ArgumentTypeError(f"account {text!r} must be 12 digits")
    return text


def _region(text: str) -> str:
    if len(text) > 64 or not _REGION.fullmatch(text):
        raise argparse.ArgumentTypeError(f"region {text!r} is not a region name such as us-east-2")
    return text


def _assignment(text: str) -> tuple[str, Any]:
    try:
        return parse_assignment(text)
    except KnobError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=VALUE ({exc.why})") from None


def _rate(text: str) -> float:
    from engine.http.ratelimit import parse_rate

    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _clock(text: str) -> ClockMode:
    try:
        return ClockMode.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


if __name__ == "__main__":
    sys.exit(main())
