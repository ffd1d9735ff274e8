"""``escsim equivalence A B``: prove that two organisations page the same, or show where not.

The exact part (``engine.review.equivalence``) compares, for every instant of the window, what an
incident on each policy pages under A and under B; the statistical part (unless
``--no-statistics``) is ``escsim diff``'s forecast of both under one seed and incident model.
Exit 0 when the exact part finds them equivalent, 1 when not; 252 bad arguments (an unknown
``--policy`` alias, a bad window), 253 an unreadable source.
"""

from __future__ import annotations

import argparse
import re

from engine.cli import exits
from engine.cli.output import add_output_option, dump_json
from engine.cli.render import console
from engine.cli.review import read_input, translate_errors
from engine.cli.sources import SOURCE_HELP, add_source_options
from engine.review.diff import diff
from engine.review.document import window
from engine.review.equivalence import compare
from engine.review.equivalence_report import document, render
from engine.review.executors import choose_executor
from engine.safetext import escape_controls
from engine.timeutil import parse_duration

__all__ = ["add_arguments", "handle"]

DEFAULT_REPLICATIONS = 20
_YEARS = re.compile(r"^(\d+)y$", re.IGNORECASE)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {text})")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="the organisation you have: " + SOURCE_HELP)
    parser.add_argument("b", metavar="B", help="the organisation to compare it with, of any kind")
    parser.add_argument(
        "--window",
        dest="end",  # as review's --to: it bounds the overrides an account: source reads
        type=window_length,
        default="1y",
        metavar="DURATION",
        help="how long after --from to compare: 1y (the default, 365 days), 90d, 2w...",
    )
    parser.add_argument(
        "--from", dest="start", metavar="INSTANT", help="window start (default: A's start)"
    )
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="A_ALIAS[=B_ALIAS]",
        help="compare this policy of A with B's of the same alias, or B_ALIAS (repeatable; "
        "default: every escalation plan of either, by alias)",
    )
    parser.add_argument(
        "--scenario", metavar="NAME", help="the scenario to read, when a file holds several"
    )
    parser.add_argument(
        "--incidents", metavar="MODEL", help="incident model file for the statistical part"
    )
    parser.add_argument("--seed", type=int, metavar="N", help="seed (default: A's)")
    parser.add_argument(
        "--replications",
        type=_positive,
        default=DEFAULT_REPLICATIONS,
        metavar="R",
        help=f"replications of the statistical part (default {DEFAULT_REPLICATIONS})",
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="processes for the statistical part: this one and N - 1 workers (default 1); the "
        "same seed gives the same document whichever ran it",
    )
    parser.add_argument(
        "--no-statistics", action="store_true", help="the exact part only, no forecast"
    )
    add_output_option(parser, "text (default) for people, json for machines", ("text", "json"))
    add_source_options(parser)


def window_length(text: str) -> str:
    """``--window`` as the review window reads a duration after ``--from``: ``Ny`` is N times
    365 days, anything else a duration such as 90d or 12h, kept as written."""
    years = _YEARS.match(text)
    if years:
        return f"{int(years[1]) * 365}d"
    try:
        seconds = parse_duration(text, unit_required=True)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"not a duration such as 1y, 90d or 12h (got {escape_controls(text)!r})"
        )
    return text


def handle(args: argparse.Namespace) -> int:
    command = "escsim equivalence"
    with translate_errors(command):
        a = read_input(args.a, args)
        b = read_input(args.b, args)
        start, end = window(a, args.start, args.end)
        result = compare(a, b, start, end, args.policy)
        statistics = None
        if not args.no_statistics:
            seed = a.seed if args.seed is None else args.seed
            executor = choose_executor(args.replications, args.workers)
            model = a.incidents if args.incidents else None
            run = diff(a, b, start, end, args.replications, seed, executor, incidents=model)
            statistics = run.document
    doc = document(result, a, b, statistics)
    if args.output == "json":
        print(dump_json(doc))
    else:
        render(console(), doc)
    return exits.OK if result.equivalent else exits.FINDINGS
