"""``escsim diff OLD NEW``: what changes between two versions of an organisation, for whom, when.

Both versions run through the same window, incidents and random numbers (see
``engine.review.diff``). Exit 0 when nothing differs, 1 when something does (as diff(1) does);
with ``--fail-on-regression``, 1 only for a regression (coverage lost, P90 worse beyond its
interval, a new finding; see ``engine.review.gate``), each named on stderr. ``--output
markdown`` is a pull-request comment, ``sarif`` the findings NEW gained. 252 bad arguments, 253
an unreadable file.
"""

from __future__ import annotations

import argparse
import dataclasses

from engine.cli import exits
from engine.cli.output import dump_json
from engine.cli.render import console
from engine.cli.review import (
    add_run_arguments,
    choose,
    gate_exit,
    progress_bar,
    read_input,
    translate_errors,
)
from engine.cli.sources import SOURCE_HELP
from engine.review.diff import diff, shared_model
from engine.review.document import window
from engine.review.gate import diff_verdict
from engine.review.markdown import diff_markdown
from engine.review.render import render_diff
from engine.review.sarif import artifact_uri, sarif_log

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the current organisation: " + SOURCE_HELP)
    parser.add_argument("new", metavar="NEW", help="the changed organisation, of any kind too")
    add_run_arguments(parser)
    parser.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 only for a regression: coverage lost, P90 time to acknowledge worse beyond "
        "its interval, or a new finding (each named on stderr); 0 for any other change",
    )


def handle(args: argparse.Namespace) -> int:
    command = "escsim diff"
    with translate_errors(command):
        old = read_input(args.old, args)
        new = read_input(args.new, args)
        start, end = window(old, args.start, args.end)
        seed = old.seed if args.seed is None else args.seed
        model = old.incidents if args.incidents else None
        shared = dataclasses.replace(old, incidents=shared_model(old, new, model))
        executor = choose(args, shared, (start, end), runs=2)
        label = f"2 x {args.replications} replications ({executor.name})"
        with progress_bar(2 * args.replications, label, not args.no_progress) as advance:
            run = diff(
                old,
                new,
                start,
                end,
                args.replications,
                seed,
                executor,
                incidents=model,
                progress=advance,
            )
    verdict = diff_verdict(run.document)
    if args.output == "json":
        print(dump_json(run.document))
    elif args.output == "markdown":
        print(diff_markdown(run.document, verdict), end="")
    elif args.output == "sarif":
        lint = run.document["changes"]["lint"]  # type: ignore[index]
        print(dump_json(sarif_log(lint["gained"], artifact_uri(args.new))))
    else:
        render_diff(console(), run.document)
    if args.fail_on_regression:
        return gate_exit(command, verdict)
    return exits.OK if run.identical else exits.FINDINGS
