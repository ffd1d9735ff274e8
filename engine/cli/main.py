"""``escsim`` entry point: parse the command line, dispatch to a command, map errors to exits.

Commands are registered in :data:`COMMANDS` (name -> module path); each module provides
``HELP``, ``add_arguments(parser)`` and ``handle(args) -> int``. Every failure is reported once
on stderr as a line or a few, never as a traceback; see :mod:`engine.cli.exits` for the codes.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from engine import __version__
from engine.cli import aws, exits
from engine.knobs import KnobError

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: dict[str, str] = {
    "run": "engine.cli.run",
    "validate": "engine.cli.validate",
    "coverage": "engine.cli.coverage",
    "shifts": "engine.cli.shifts",
    "schema": "engine.cli.schema",
    "test": "engine.cli.test",
    "workspace": "engine.cli.workspace",
    "clock": "engine.cli.clock",
    "outbox": "engine.cli.records",
    "events": "engine.cli.records",
    "bench": "engine.cli.bench",
    "review": "engine.cli.review",
    "diff": "engine.cli.diff",
    "graph": "engine.cli.graph",
    "serve": "engine.http.serve",
    "check": "engine.cli.check",
}
"""Command name -> module implementing it."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 252 as the AWS CLI's bad arguments do."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(exits.BAD_ARGUMENTS, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser: global options and one subparser per command of :data:`COMMANDS`."""
    parser = _Parser(
        prog="escsim",
        description="Dry-run AWS Incident Manager contacts, escalation plans and engagements "
        "in virtual time.",
    )
    parser.add_argument("--version", action="version", version=f"escsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        module = _command(module_name)
        sub = commands.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.handle)
    return parser


def _command(module_name: str) -> ModuleType:
    return importlib.import_module(module_name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``escsim`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    name = aws.command_name(words)
    if name is not None and name not in COMMANDS:  # ssm-contacts operations: the AWS CLI's way
        return aws.run(words, COMMANDS)
    from engine.scenario.errors import ScenarioError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return _exit_code(exc)
    if args.command is None:
        parser.print_help(sys.stderr)
        return exits.BAD_ARGUMENTS
    try:
        code: int = args.handler(args)
    except exits.CommandError as exc:
        _report(exc.lines)
        return exc.exit_code
    except ScenarioError as exc:
        _report(exc.lines())
        return exc.exit_code
    except KnobError as exc:
        _report([f"escsim {args.command}: {exc}"])
        return exits.BAD_ARGUMENTS
    except KeyboardInterrupt:
        _report(["escsim: interrupted"])
        return exits.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `escsim run ... | head`); nothing left to say to it.
        _silence_stdout()
        return exits.OK
    except Exception as exc:  # a bug: say so briefly, without a traceback
        _report([f"escsim: unexpected error: {type(exc).__name__}: {exc}"])
        return exits.UNEXPECTED
    return code


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return exits.OK
    if isinstance(exc.code, int):
        return exc.code
    _report([str(exc.code)])
    return exits.BAD_ARGUMENTS


def _report(lines: list[str]) -> None:
    from engine.safetext import escape_controls

    for line in lines:  # file text quoted in a message must not drive the terminal
        print(escape_controls(line), file=sys.stderr)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
