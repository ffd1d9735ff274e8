"""``escsim clock show|advance DURATION|set INSTANT``: the workspace's virtual clock.

``advance 15m`` (or ``2h``, ``90s``, ``5m30s``, ``1d``, ``1w``) runs everything due up to and
including the new instant: stage starts, sends, deliveries, retries and responders'
acknowledgements. A bare number is refused, as in scenario files: ``15`` could be minutes or
seconds, and the clock cannot go back. ``set`` moves to an absolute instant; the clock never
goes back. Each move is one journal entry. With
``--endpoint-url`` the same commands drive a running ``escsim serve`` (``/_escsim/clock``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from engine.cli import exits

__all__ = ["HELP", "add_arguments", "handle"]

HELP = "Show or move the workspace's virtual clock: show, advance DURATION, set INSTANT."


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
    parser.add_argument(
        "--output",
        choices=("text", "json"),
        default="text",
        help="text (default): the instant in ISO 8601; json: Now, Start and ElapsedSeconds",
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workspace`` and ``--endpoint-url``, shared with ``escsim outbox`` and ``events``."""
    parser.add_argument(
        "--workspace", metavar="DIR", help="workspace directory ($ESCSIM_WORKSPACE, ./.escsim)"
    )
    parser.add_argument(
        "--endpoint-url", metavar="URL", help="a running `escsim serve` instead of a workspace"
    )


def handle(args: argparse.Namespace) -> int:
    if args.action == "show" and args.value is not None:
        raise exits.CommandError(
            f"escsim clock show: unexpected value {args.value!r}", exits.BAD_ARGUMENTS
        )
    if args.action != "show" and args.value is None:
        what = "a duration such as 15m" if args.action == "advance" else "an ISO 8601 instant"
        raise exits.CommandError(f"escsim clock {args.action}: give {what}", exits.BAD_ARGUMENTS)
    if args.endpoint_url:
        now, start = _remote(args)
    else:
        now, start = _local(args)
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
    from engine.timeutil import MissingUnitError, parse_duration

    try:
        return parse_duration(text, unit_required=True)
    except MissingUnitError as exc:
        raise exits.CommandError(
            f"escsim clock advance: {text}: {exc}", exits.BAD_ARGUMENTS
        ) from None
    except ValueError as exc:
        raise exits.CommandError(f"escsim clock advance: {exc}", exits.BAD_ARGUMENTS) from None


def _beyond_the_calendar(now: dt.datetime, seconds: float, text: str) -> exits.CommandError | None:
    """The refusal of a move that would take the clock past the last instant a date can hold."""
    try:
        now + dt.timedelta(seconds=seconds)
    except OverflowError:
        return exits.CommandError(
            f"escsim clock advance: {text} takes the clock from {now.isoformat()} past the "
            "year 9999, the end of the calendar",
            exits.BAD_ARGUMENTS,
        )
    return None


def _instant(text: str) -> dt.datetime:
    from engine.timeutil import to_datetime

    try:
        return to_datetime(text)
    except ValueError as exc:
        raise exits.CommandError(f"escsim clock set: {exc}", exits.BAD_ARGUMENTS) from None


def _local(args: argparse.Namespace) -> tuple[dt.datetime, dt.datetime]:
    from engine.cli.aws.session import open_workspace, workspace_errors
    from engine.errors import ServiceError
    from engine.workspace import replay

    moving = args.action != "show"
    seconds = _seconds(args.value) if args.action == "advance" else 0.0
    target = _instant(args.value) if args.action == "set" else None
    with (
        workspace_errors("escsim clock"),
        open_workspace(args.workspace) as workspace,
        workspace.transaction(write=moving) as tx,
    ):
        sim = replay(workspace.header, tx.entries())
        if moving:
            refusal = (
                None if target is not None else _beyond_the_calendar(sim.now, seconds, args.value)
            )
            if refusal is not None:
                raise refusal
            try:
                if target is not None:
                    sim.advance_to(target)
                else:
                    sim.advance(seconds)
            except ServiceError as exc:
                raise exits.CommandError(
                    f"escsim clock {args.action}: {exc.message}", exits.BAD_ARGUMENTS
                ) from None
            tx.append("advance", sim.elapsed, {})
        return sim.now, sim.start


def _remote(args: argparse.Namespace) -> tuple[dt.datetime, dt.datetime | None]:
    from engine.cli.records import transport

    client = transport(args.endpoint_url, "escsim clock")
    if args.action == "show":
        answer = _control(client, None)
    elif args.action == "advance":
        answer = _control(client, {"AdvanceSeconds": _seconds(args.value)})
    else:
        answer = _control(client, {"Until": _instant(args.value).timestamp()})
    now = answer.get("Now")
    if not isinstance(now, int | float):
        raise exits.CommandError(
            f"escsim clock: the endpoint answered without a clock: {answer!r}", exits.UNEXPECTED
        )
    start = answer.get("Start")
    return (
        dt.datetime.fromtimestamp(now, dt.UTC),
        dt.datetime.fromtimestamp(start, dt.UTC) if isinstance(start, int | float) else None,
    )


def _control(client: object, payload: dict[str, float] | None) -> dict[str, object]:
    from engine.cli.records import control

    return control(client, "/_escsim/clock", payload, "escsim clock")
