"""``escsim`` entry point: parse the command line, dispatch to a command, map errors to exits.

Only the module of the command given is imported (:data:`COMMANDS`), so ``escsim --version``
imports none. Every other first word is an ssm-contacts operation, run the AWS CLI's way by
:mod:`engine.cli.aws`. Every failure is reported on stderr in a line or a few, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple, NoReturn

from engine import __version__
from engine.cli import aws, exits
from engine.knobs import KnobError

if TYPE_CHECKING:
    from engine.scenario.errors import ScenarioError

__all__ = ["COMMANDS", "Command", "build_parser", "main", "scenario_exit"]


class Command(NamedTuple):
    """Where a command is implemented, and what it does in one line."""

    module: str
    summary: str


COMMANDS: dict[str, Command] = {
    "run": Command(
        "engine.cli.run", "Run a scenario file: timeline and summary, or the whole result as JSON."
    ),
    "validate": Command(
        "engine.cli.validate",
        "Check an organisation (scenario file, CloudFormation template) and print every problem "
        "found.",
    ),
    "coverage": Command(
        "engine.cli.coverage",
        "Show when engaging each rotation, on-call schedule or escalation plan reaches nobody.",
    ),
    "shifts": Command(
        "engine.cli.shifts",
        "Show a rotation's shifts over a time window: who is on call, overrides, uncovered time.",
    ),
    "schema": Command("engine.cli.schema", "Print the JSON Schema of *.scenario.yaml files."),
    "test": Command(
        "engine.cli.test",
        "Run scenario files and check them against their expectations (exit 1 on any mismatch).",
    ),
    "workspace": Command(
        "engine.cli.workspace",
        "Create, reset, export, import into, show or verify the workspace (state between "
        "commands).",
    ),
    "clock": Command(
        "engine.cli.clock",
        "Show or move the workspace's virtual clock: show, advance DURATION, set INSTANT.",
    ),
    "outbox": Command(
        "engine.cli.records",
        "Print every message the workspace's simulation sent (pages and activation codes): "
        "time, contact, channel, code, text.",
    ),
    "events": Command(
        "engine.cli.records",
        "Print the workspace's event log: engagements, stages, pages, messages, receipts, "
        "channel changes.",
    ),
    "bench": Command(
        "engine.cli.bench",
        "Run a benchmark workload (org-year) through the engine; prints a JSON summary.",
    ),
    "review": Command(
        "engine.cli.review",
        "Review an organisation: lint, coverage over a window, and a Monte Carlo forecast.",
    ),
    "diff": Command(
        "engine.cli.diff",
        "Compare two versions of an organisation through the same incidents and random numbers.",
    ),
    "equivalence": Command(
        "engine.cli.equivalence",
        "Prove two organisations page the same people, on the same channels, at the same times "
        "for every incident in a window, or show each interval where they differ.",
    ),
    "translate": Command(
        "engine.cli.translate",
        "Write an organisation in another product's shapes (AWS scenario or CloudFormation, "
        "PagerDuty, Opsgenie, GoAlert), listing what the target cannot express.",
    ),
    "graph": Command(
        "engine.cli.graph",
        "Print the contact graph of an organisation as Graphviz dot or Mermaid.",
    ),
    "serve": Command(
        "engine.cli.serve",
        "Answer ssm-contacts requests over HTTP (AWS JSON 1.1) from a simulator on loopback.",
    ),
    "console": Command(
        "engine.cli.console",
        "Serve a scenario's organisation (or a workspace) with the console, a live web page of "
        "inboxes, engagements, actions, the clock and who is on call; prints its address.",
    ),
    "check": Command(
        "engine.cli.check",
        "Check a run's event log (and outbox) against the engine's invariants; exit 1 if broken.",
    ),
    "completion": Command(
        "engine.cli.completion",
        "Print a shell completion script (bash or zsh) for escsim's commands and operations.",
    ),
}
"""Command name -> the module implementing it and its summary."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 252 as the AWS CLI's bad arguments do."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(exits.BAD_ARGUMENTS, f"{self.prog}: error: {message}\n")


class _RootParser(_Parser):
    """The ``escsim`` parser, whose epilog (every operation, read from the registry) is made
    only when help is shown."""

    def format_help(self) -> str:
        if self.epilog is None:
            self.epilog = _operations_epilog()
        return super().format_help()


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser: global options and one subparser per command of :data:`COMMANDS`, with the
    options (and module) of the ``commands`` named, or of every command when None."""
    parser = _RootParser(
        prog="escsim",
        description="Dry-run AWS Incident Manager contacts, escalation plans and engagements "
        "in virtual time.",
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
    # `escsim completion` describes every command: it builds the whole parser again.
    parser.set_defaults(build_parser=build_parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, summary) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=summary, description=summary)
        if commands is None or name in commands:
            module = importlib.import_module(module_name)
            module.add_arguments(sub)
            sub.set_defaults(handler=module.handle)
    return parser


GLOBAL_WORKSPACE = "global_workspace"
"""Where ``--workspace`` given before the command lands; the command's own option wins."""


def _operations_epilog() -> str:
    # Imported here: the registry loads the whole model, which only help needs.
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``escsim`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    name = aws.command_name(words)
    if name is not None and name not in COMMANDS:  # ssm-contacts operations: the AWS CLI's way
        return aws.run(words, COMMANDS)
    # Imported here: an operation command (above) loads nothing of the scenario layer.
    from engine.scenario.errors import ScenarioError

    parser = build_parser([name] if name is not None else [])
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
        return scenario_exit(exc)
    except KnobError as exc:
        _report([f"escsim {args.command}: {exc}"])
        return exits.BAD_ARGUMENTS
    except KeyboardInterrupt:
        _report(["escsim: interrupted"])
        return exits.INTERRUPTED
    except BrokenPipeError:
        exits.silence(sys.stdout)
        return exits.OK
    except Exception as exc:  # a bug: say so briefly, without a traceback
        _report([f"escsim: unexpected error: {type(exc).__name__}: {exc}"])
        return exits.UNEXPECTED
    return code


def scenario_exit(error: ScenarioError) -> int:
    """The exit code of a scenario file that cannot be run: 252 when only its settings are
    wrong (as for ``--set``), 253 otherwise; a source read from a service (``account:``) exits
    as the AWS CLI does: 252 for a malformed spec, 253 for missing credentials, profile or
    region, 254 for an error the service answered, 255 for an endpoint not reached."""
    from engine.sources import SourceUnavailable

    if isinstance(error, SourceUnavailable):
        return _UNAVAILABLE.get(error.cause, exits.UNEXPECTED)
    return exits.BAD_ARGUMENTS if error.settings else exits.BAD_FILE


_UNAVAILABLE = {
    "arguments": exits.BAD_ARGUMENTS,
    "configuration": exits.BAD_FILE,
    "service": exits.SERVICE_ERROR,
    "connection": exits.UNEXPECTED,
}


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
    # Imported here: safetext loads rich, which an operation command does not need.
    from engine.safetext import escape_controls

    for line in lines:  # file text quoted in a message must not drive the terminal
        print(escape_controls(line), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
