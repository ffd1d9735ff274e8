"""``escsim diff OLD NEW``: what changes between two versions of an organisation, for whom, when.

Both versions run through the same window, incidents and random numbers (see
``engine.review.diff``). Exit 0 when nothing differs, 1 when something does (as diff(1) does);
252 bad arguments, 253 an unreadable file.
"""

from __future__ import annotations

import argparse
import dataclasses

from engine.cli import exits
from engine.cli.output import dump_json
from engine.cli.render import console
from engine.cli.review import add_run_arguments, choose, progress_bar, read_input, translate_errors
from engine.cli.sources import SOURCE_HELP
from engine.review.diff import diff, shared_model
from engine.review.document import window
from engine.review.render import render_diff

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the current organisation: " + SOURCE_HELP)
    parser.add_argument("new", metavar="NEW", help="the changed organisation, of any kind too")
    add_run_arguments(parser)


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
    if args.output == "json":
        print(dump_json(run.document))
    else:
        render_diff(console(), run.document)
    return exits.OK if run.identical else exits.FINDINGS
