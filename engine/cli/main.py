"""``escsim`` entry point: parse the command line, dispatch to a command, map errors to exits.

Commands are registered in :data:`COMMANDS` (name -> module path); each module provides
``HELP`` (or ``HELPS``, one line per command name it serves), ``add_arguments(parser)`` and
``handle(args) -> int``. Every other first word is an ssm-contacts operation, run the AWS CLI's
way by :mod:`engine.cli.aws`. ``--workspace DIR`` may come before any command, as after it.
Every failure is reported once on stderr as a line or a few, never as a traceback; see
:mod:`engine.cli.exits` for the codes.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
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
    "completion": "engine.cli.completion",
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
        epilog=_operations_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"escsim {__version__}")
    parser.add_argument(
        "--workspace",
        dest=GLOBAL_WORKSPACE,
        metavar="DIR",
        help="workspace directory of the command ($ESCSIM_WORKSPACE, ./.escsim); may also "
        "come after the command",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        module = _command(module_name)
        summary = getattr(module, "HELPS", {}).get(name, module.HELP)
        sub = commands.add_parser(name, help=summary, description=summary)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.handle)
    return parser


GLOBAL_WORKSPACE = "global_workspace"
"""Where ``--workspace`` given before the command lands; the command's own option wins."""


def _operations_epilog() -> str:
    from engine.cli.aws.driver import operation_names

    lines = textwrap.wrap(
        "ssm-contacts operations, as `aws ssm-contacts <operation>` names them (`escsim "
        "<operation> help` describes one; `escsim help` lists them with the commands above):",
        width=78,
    )
    for title, names in aws.grouped_operations(operation_names()):
        lines += textwrap.wrap(
            f"{title}: {', '.join(names)}",
            width=78,
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    lines += [
        "",
        "Shell completion: `escsim completion bash` or `escsim completion zsh`.",
    ]
    return "\n".join(lines)


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
    _place_global_workspace(args)
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


def _place_global_workspace(args: argparse.Namespace) -> None:
    # The command's own --workspace wins; a command without a workspace ignores the option,
    # as the AWS CLI's commands accept every global option.
    given = getattr(args, GLOBAL_WORKSPACE, None)
    if given is not None and getattr(args, "workspace", None) is None and "workspace" in args:
        args.workspace = given


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
