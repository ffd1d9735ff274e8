"""``escsim serve``: the command-line front of the HTTP endpoint.

Options: ``--host`` (127.0.0.1), ``--port`` (4566; 0 picks a free port), ``--seed``, ``--start``,
``--account``, ``--region`` (for unsigned requests), ``--set NAME=VALUE``, ``--clock
virtual|realtime[:FACTOR]``, ``--workspace DIR`` and ``--allow-remote``. When ready it
prints one line to stdout, ``escsim listening on http://HOST:PORT``; notes and warnings go to
stderr. SIGTERM stops it with exit 0, SIGINT (Ctrl-C) with 130; bad options or settings exit
252, a workspace that is held or unreadable 253, an address that cannot be bound 255. Run as
``python -m engine.http.serve`` or, wired into the command line, ``escsim serve``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from engine.http.clock import VIRTUAL, ClockMode
from engine.knobs import KnobError, parse_assignment
from engine.timeutil import to_datetime

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
    parser.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        type=_assignment,
        metavar="NAME=VALUE",
        help="a simulation setting (repeatable), e.g. --set latency.SMS=3",
    )
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
        help="allow a --host that is not loopback (the endpoint has no authentication)",
    )


def handle(args: argparse.Namespace) -> int:
    """Serve until SIGTERM (exit 0) or SIGINT (exit 130); see the module docstring for codes."""
    from engine.http.endpoint import Endpoint
    from engine.simulator import Simulator

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
        return _listen(args, Endpoint(simulator, clock=args.clock), None)
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
                endpoint = Endpoint(journal.simulator(), clock=args.clock, journal=journal)
                return _listen(args, endpoint, record_endpoint)
    except WorkspaceHeld as exc:
        return _fail(f"escsim serve: {exc}", EXIT_BAD_FILE)
    except WorkspaceError as exc:
        return _fail(f"escsim serve: workspace {args.workspace}: {exc}", EXIT_BAD_FILE)


def _listen(
    args: argparse.Namespace, endpoint: Endpoint, record_endpoint: Callable[[str], None] | None
) -> int:
    from engine.http.server import EscsimHTTPServer, LoopbackRequired, is_loopback

    simulator = endpoint.simulator
    try:
        server = EscsimHTTPServer(endpoint, args.host, args.port, allow_remote=args.allow_remote)
    except LoopbackRequired as exc:
        return _fail(f"escsim serve: {exc}", EXIT_BAD_ARGUMENTS)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return _fail(
            f"escsim serve: cannot listen on {args.host}:{args.port}: {reason}", EXIT_UNEXPECTED
        )
    if record_endpoint is not None:
        record_endpoint(server.url)
    if not is_loopback(args.host):
        _note(
            f"escsim serve: WARNING: listening on {args.host}, which other machines can reach. "
            "escsim checks no credentials or signatures: anyone who can connect can read and "
            "change the simulation."
        )
    _note(
        f"escsim serve: seed {simulator.seed}, start {simulator.start.isoformat()}, clock "
        f"{endpoint.clock}, account {simulator.account}, unsigned requests in {simulator.region}"
    )
    return _serve(server)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) as ``escsim serve`` options and serve."""
    parser = _Parser(prog="escsim serve", description=HELP)
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_ARGUMENTS
    return handle(args)


def _serve(server: EscsimHTTPServer) -> int:
    stop = threading.Event()
    caught: list[int] = []
    crashed: list[BaseException] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)
        stop.set()

    def run() -> None:
        try:
            server.serve_forever(poll_interval=0.1)
        except BaseException as exc:  # reported below; the process must still stop cleanly
            crashed.append(exc)
        finally:
            stop.set()

    previous = _install_signal_handlers(on_signal)
    thread = threading.Thread(target=run, name="escsim-serve", daemon=True)
    thread.start()
    try:
        _announce(f"escsim listening on {server.url}")
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if crashed:
        return _fail(
            f"escsim serve: stopped by {type(crashed[0]).__name__}: {crashed[0]}", EXIT_UNEXPECTED
        )
    return EXIT_INTERRUPTED if signal.SIGINT in caught else EXIT_OK


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
        return to_datetime(text)
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


def _clock(text: str) -> ClockMode:
    try:
        return ClockMode.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


if __name__ == "__main__":
    sys.exit(main())
