"""``escsim schema``: print the JSON Schema of scenario files, for editors to complete and check."""

from __future__ import annotations

import argparse

from engine.cli import exits
from engine.cli.output import dump_json
from engine.scenario.schema import scenario_schema

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output-file",
        metavar="FILE",
        help="write the schema to FILE instead of standard output",
    )


def handle(args: argparse.Namespace) -> int:
    text = dump_json(scenario_schema()) + "\n"
    if args.output_file is None:
        print(text, end="")
        return exits.OK
    try:
        with open(args.output_file, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise exits.CommandError(
            f"escsim schema: cannot write {args.output_file}: {exc.strerror or exc}",
            exits.BAD_ARGUMENTS,
        ) from None
    return exits.OK
