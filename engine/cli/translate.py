"""``escsim translate SOURCE --to aws|pagerduty|opsgenie|goalert``: another product's shapes.

Reads any organisation source (docs/sources.md) into the neutral policy and writes the target's
document to stdout or ``--output-file``: for AWS a scenario file (``--format scenario``, the
default) or a CloudFormation template; for the others their export document as JSON. Every
construct the target cannot express, with what it became, goes to stderr: a table on a
terminal, plain lines otherwise, a JSON list of lines with ``--output json``; stdout carries the
document alone. 252 for bad arguments, 253 for an unreadable or malformed source. See
docs/translate.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from engine.cli import exits
from engine.cli.output import add_output_option, dump_json
from engine.cli.sources import SOURCE_HELP, add_source_options, source_options
from engine.safetext import escape_controls, safe_text
from engine.sources import split_spec
from engine.sources.setup import load_setup
from engine.sources.translation import FORMATS, TARGETS, translate

__all__ = ["add_arguments", "handle"]

_COMMAND = "escsim translate"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help=SOURCE_HELP)
    parser.add_argument(
        "--to", dest="target", required=True, choices=TARGETS, help="the product to write"
    )
    parser.add_argument(
        "--format",
        dest="form",
        choices=FORMATS,
        default=None,
        help="for --to aws: a scenario file (default) or a CloudFormation template",
    )
    parser.add_argument(
        "-o", "--output-file", metavar="FILE", help="write the document here, not to stdout"
    )
    add_output_option(
        parser,
        help="how the constructs the target cannot express are listed on stderr: text "
        "(default; a table on a terminal) or json",
        choices=("text", "json"),
    )
    add_source_options(parser)


def handle(args: argparse.Namespace) -> int:
    if args.form is not None and args.target != "aws":
        raise exits.CommandError(
            f"{_COMMAND}: --format {args.form} is for --to aws; {args.target} has one "
            "document form (its export JSON)",
            exits.BAD_ARGUMENTS,
        )
    options = source_options(args, _COMMAND)
    setup = load_setup(args.source, options)
    document = translate(
        setup,
        args.target,
        _origin(args.source),
        form=args.form or "scenario",
        region=options.region,
    )
    if args.output_file:
        try:
            Path(args.output_file).write_text(document.text, encoding="utf-8")
        except OSError as exc:
            raise exits.CommandError(
                f"{_COMMAND}: cannot write {args.output_file}: {exc.strerror or exc}",
                exits.BAD_ARGUMENTS,
            ) from None
    else:
        sys.stdout.write(document.text)
        sys.stdout.flush()
    _say(document.constructs, args.output, args.target)
    return exits.OK


def _origin(spec: str) -> str:
    """The source as the document names it: its kind, if forced, and the file's name (so the
    output does not depend on where the file lies)."""
    kind, path = split_spec(spec)
    name = Path(path).name or path
    return f"{kind}:{name}" if kind else name


def _say(constructs: Sequence[str], output: str, target: str) -> None:
    if output == "json":
        sys.stderr.write(dump_json(list(constructs)) + "\n")
        return
    if not constructs:
        return
    if not sys.stderr.isatty():
        for line in constructs:
            print(f"{_COMMAND}: {escape_controls(line)}", file=sys.stderr)
        return
    table = Table(title=safe_text(f"What {target} cannot express, and what it became"))
    table.add_column("object", no_wrap=True)
    table.add_column("construct and what it became")
    for line in constructs:
        subject, colon, detail = line.partition(": ")
        row = (subject, detail) if colon else ("", line)
        table.add_row(*(safe_text(cell) for cell in row))
    Console(file=sys.stderr, highlight=False).print(table)
