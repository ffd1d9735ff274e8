"""``escsim serve``: answer ssm-contacts requests over HTTP from a simulator on loopback.

Here the options are read and outcomes become exit codes; :mod:`engine.http.serve` runs the
server, which prints ``escsim listening on http://HOST:PORT`` to stdout when ready and its notes
to stderr. SIGTERM stops it gracefully (exit 0), SIGINT too (130), releasing a held workspace.
Bad options or settings exit 252, a held or unreadable workspace 253, an unbindable address 255.
"""

from __future__ import annotations

import argparse
import os
import signal
from collections.abc import Callable
from typing import TypedDict, TypeVar

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION, is_account, is_region
from engine.cli import exits
from engine.console import ROOT as CONSOLE_ROOT
from engine.console import mount
from engine.http.accounts import Accounts, AccountsFileError, load_accounts
from engine.http.admin import AdminGuard
from engine.http.clock import VIRTUAL, ClockMode
from engine.http.endpoint import Endpoint
from engine.http.journal import WorkspaceJournal
from engine.http.ratelimit import RateLimit, parse_rate
from engine.http.serve import listen, note, serve_until_stopped
from engine.http.server import LoopbackRequired
from engine.knob_option import add_set_option
from engine.knobs import KnobError, parse_assignment
from engine.simulator import Simulator
from engine.timeutil import start_instant
from engine.workspace import Header, Workspace, WorkspaceError, WorkspaceHeld, hold

__all__ = ["add_arguments", "handle", "serve"]

T = TypeVar("T")


def listening_line(url: str) -> str:
    """``escsim listening on URL``: what ``escsim serve`` prints once it answers."""
    return f"escsim listening on {url}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``escsim serve``, on ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument(
        "--port", type=_port, default=4566, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulation (0)")
    parser.add_argument(
        "--start",
        type=_parsed(start_instant),
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
        type=_parsed(ClockMode.parse),
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
        type=_parsed(parse_rate),
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
    return serve(args)


def serve(
    args: argparse.Namespace,
    simulator: Simulator | None = None,
    *,
    announce: Callable[[str], str] = listening_line,
) -> int:
    """Serve ``simulator`` (default: a new one as the options say, or the workspace's) until a
    signal stops it; ``announce`` makes the stdout line from the server's URL."""
    guards = _guards(args)
    if isinstance(guards, int):
        return guards
    if simulator is None:
        try:
            simulator = Simulator(
                seed=args.seed,
                start=args.start,
                account=args.account,
                region=args.region,
                **dict(args.settings),
            )
        except KnobError as exc:
            return _leave(exits.BAD_ARGUMENTS, f"escsim serve: {exc}")
    if args.workspace is None:
        endpoint = Endpoint(simulator, clock=args.clock, **guards)
        code, stopped = _serve(args, endpoint, None, announce)
        return _leave(code, stopped)
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
                code, stopped = _serve(args, endpoint, record_endpoint, announce)
    except WorkspaceHeld as exc:
        return _leave(exits.BAD_FILE, f"escsim serve: {exc}")
    except WorkspaceError as exc:
        return _leave(exits.BAD_FILE, f"escsim serve: workspace {args.workspace}: {exc}")
    if stopped is not None:
        stopped += f"; workspace {args.workspace} released"
    return _leave(code, stopped)


def _serve(
    args: argparse.Namespace,
    endpoint: Endpoint,
    record_endpoint: Callable[[str], None] | None,
    announce: Callable[[str], str],
) -> tuple[int, str | None]:
    """Serve ``endpoint`` as the options say: the exit code, and the line saying how serving
    stopped (None when it never started, or crashed)."""
    try:
        server = listen(
            endpoint,
            args.host,
            args.port,
            allow_remote=args.allow_remote,
            quiet=args.quiet,
            accounts_file=args.accounts,
        )
    except LoopbackRequired as exc:
        return _leave(exits.BAD_ARGUMENTS, f"escsim serve: {exc}"), None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return _leave(
            exits.UNEXPECTED, f"escsim serve: cannot listen on {args.host}:{args.port}: {reason}"
        ), None
    mount(server.app, listening=server.host)
    note(f"escsim serve: console at {server.url}{CONSOLE_ROOT}")
    if record_endpoint is not None:
        record_endpoint(server.url)
    stopped = serve_until_stopped(server, announce(server.url))
    if stopped.crash is not None:
        why = f"{type(stopped.crash).__name__}: {stopped.crash}"
        return _leave(exits.UNEXPECTED, f"escsim serve: stopped by {why}"), None
    code = exits.INTERRUPTED if stopped.signal is signal.SIGINT else exits.OK
    return code, stopped.line()


class _Guards(TypedDict):
    """What guards the endpoint: credentials, the control paths' token, a rate limit."""

    accounts: Accounts | None
    admin: AdminGuard
    rate_limit: RateLimit | None


def _guards(args: argparse.Namespace) -> _Guards | int:
    """The endpoint's credentials, admin guard and rate limit, or an exit code after saying why
    they cannot be had."""
    accounts = None
    if args.accounts is not None:
        try:
            accounts = load_accounts(args.accounts)
        except AccountsFileError as exc:
            return _leave(exits.BAD_FILE, f"escsim serve: --accounts {exc}")
    token = args.admin_token
    if token is not None and not token.strip():
        return _leave(exits.BAD_ARGUMENTS, "escsim serve: --admin-token must not be empty")
    return {
        "accounts": accounts,
        "admin": AdminGuard(token, closed=accounts is not None),
        "rate_limit": RateLimit(args.rate_limit) if args.rate_limit is not None else None,
    }


def _leave(code: int, line: str | None) -> int:
    """``code``, after saying ``line`` on stderr."""
    if line is not None:
        note(line)
    return code


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"port {text!r} must be a number from 0 to 65535")
    return int(text)


def _account(text: str) -> str:
    if not is_account(text):
        raise argparse.ArgumentTypeError(f"account {text!r} must be 12 digits")
    return text


def _region(text: str) -> str:
    if not is_region(text):
        raise argparse.ArgumentTypeError(f"region {text!r} is not a region name such as us-east-2")
    return text


def _assignment(text: str) -> tuple[str, object]:
    try:
        return parse_assignment(text)
    except KnobError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=VALUE ({exc.why})") from None


def _parsed(parse: Callable[[str], T]) -> Callable[[str], T]:
    """``parse`` as an argparse type: its ValueError (or OverflowError) is the usage error."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except (ValueError, OverflowError) as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert
