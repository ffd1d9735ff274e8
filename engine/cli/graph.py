"""``escsim graph FILE --format dot|mermaid``: the contact graph as text for documentation.

Prints Graphviz dot (default) or a Mermaid flowchart of a scenario file's organisation, or of a
workspace's with ``--workspace DIR``: plans and their stages, schedules, rotations, people and
channels. 253 for an unreadable file or workspace, 252 for bad arguments.
"""

from __future__ import annotations

import argparse
import sys

from engine.cli import exits
from engine.cli.review import translate_errors
from engine.cli.sources import SOURCE_HELP, add_source_options, say_notes, source_options
from engine.review.export import export
from engine.review.inputs import load_input

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="SOURCE", nargs="?", help=SOURCE_HELP)
    parser.add_argument("--workspace", metavar="DIR", help="draw a workspace's organisation")
    parser.add_argument(
        "--scenario", metavar="NAME", help="the scenario to draw, when the file holds several"
    )
    parser.add_argument(
        "--format", choices=("dot", "mermaid"), default="dot", help="dot (default) or mermaid"
    )
    add_source_options(parser)


def handle(args: argparse.Namespace) -> int:
    command = "escsim graph"
    if (args.file is None) == (args.workspace is None):
        raise exits.CommandError(
            f"{command}: name a scenario file or a workspace with --workspace DIR (one of them)",
            exits.BAD_ARGUMENTS,
        )
    with translate_errors(command):
        review_input = load_input(
            args.file,
            workspace=args.workspace,
            scenario_name=args.scenario,
            options=source_options(args, command),
        )
    say_notes([review_input.scenario], command)
    graph = review_input.simulator.graph()
    sys.stdout.write(export(graph, args.format, review_input.name))
    return exits.OK
