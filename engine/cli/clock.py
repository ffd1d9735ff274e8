"""``escsim clock show|advance DURATION|set INSTANT``: the workspace's virtual clock.

``advance 15m`` runs everything due up to and including the new instant; a bare number is
refused, as in scenario files (``15`` could be minutes or seconds, and the clock never goes back).
``set`` moves to an instant. Each move is one journal entry; with ``--endpoint-url`` the same
commands drive a running ``escsim serve``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from engine.cli import exits
from engine.cli.control import Move, MoveRefused, add_target_arguments, client_for
from engine.cli.output import add_output_option
from engine.timeutil import MissingUnitError, parse_duration, to_datetime

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", choices=("show", "advance", "set"), help="show, advance or set the clock"
    )
    parser.add_argument(
        "value",
        nargs="?",
        metavar="DURATION|INSTANT",
        help="for advance: a duration with its unit (90s, 15m, 5m30s, 2h, 1d, 1w); "
        "for set: an ISO 8601 instant or epoch seconds",
    )
    add_target_arguments(parser)
    add_output_option(
        parser,
        "text (default): the instant in ISO 8601; json: Now, Start and ElapsedSeconds",
        ("text", "json"),
    )


def handle(args: argparse.Namespace) -> int:
    if args.action == "show" and args.value is not None:
        raise exits.CommandError(
            f"escsim clock show: unexpected value {args.value!r}", exits.BAD_ARGUMENTS
        )
    if args.action != "show" and args.value is None:
        what = "a duration such as 15m" if args.action == "advance" else "an ISO 8601 instant"
        raise exits.CommandError(f"escsim clock {args.action}: give {what}", exits.BAD_ARGUMENTS)
    client = client_for(args, "escsim clock")
    move: Move | None = None
    if args.action == "advance":
        move = _seconds(args.value)
    elif args.action == "set":
        move = _instant(args.value)
    try:
        clock = client.clock(move, written=args.value or "")
    except MoveRefused as exc:
        raise exits.CommandError(
            f"escsim clock {args.action}: {exc}", exits.BAD_ARGUMENTS
        ) from None
    now, start = clock.now, clock.start
    if args.output == "json":
        record = {
            "Now": now.isoformat(),
            "Start": start.isoformat() if start is not None else None,
            "ElapsedSeconds": (now - start).total_seconds() if start is not None else None,
        }
        print(json.dumps({k: v for k, v in record.items() if v is not None}, indent=2))
    else:
        print(now.isoformat())
    return exits.OK


def _seconds(text: str) -> float:
    try:
        return parse_duration(text, unit_required=True)
    except MissingUnitError as exc:
        raise exits.CommandError(
            f"escsim clock advance: {text}: {exc}", exits.BAD_ARGUMENTS
        ) from None
    except ValueError as exc:
        raise exits.CommandError(f"escsim clock advance: {exc}", exits.BAD_ARGUMENTS) from None


def _instant(text: str) -> dt.datetime:
    try:
        return to_datetime(text)
    except ValueError as exc:
        raise exits.CommandError(f"escsim clock set: {exc}", exits.BAD_ARGUMENTS) from None
