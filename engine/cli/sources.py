"""The options every command reading an organisation source shares, declared once.

``--parameter NAME=VALUE`` (a CloudFormation parameter), ``--var NAME=VALUE`` (a Terraform
variable) and ``--channels intended|as-deployed``; :func:`read_scenarios` reads a source with
them and says on stderr, once, what the source says of how it was read (so ``--output json``
keeps stdout to the document). See docs/sources.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from engine.cli import exits
from engine.safetext import escape_controls
from engine.scenario.loader import Scenario
from engine.sources import SourceOptions, load_organisation

__all__ = [
    "SOURCE_HELP",
    "add_source_options",
    "read_scenarios",
    "say_notes",
    "source_options",
]

SOURCE_HELP = (
    "a scenario file, CloudFormation template or other organisation source (see docs/sources.md)"
)


def add_source_options(parser: argparse.ArgumentParser) -> None:
    """``--parameter``, ``--var`` and ``--channels``, as every source-reading command takes them."""
    group = parser.add_argument_group("organisation sources (docs/sources.md)")
    group.add_argument(
        "--parameter",
        dest="source_parameters",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a CloudFormation template parameter's value (repeatable)",
    )
    group.add_argument(
        "--var",
        dest="source_variables",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Terraform variable's value (repeatable)",
    )
    group.add_argument(
        "--channels",
        dest="source_channels",
        choices=("intended", "as-deployed"),
        default="intended",
        help="a template's channels read as activated (intended, the default) or as AWS "
        "creates them, not activated (as-deployed)",
    )


def _assignments(items: Iterable[str], option: str, command: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name:
            raise exits.CommandError(
                f"{command}: {option} takes NAME=VALUE (got {escape_controls(item)!r})",
                exits.BAD_ARGUMENTS,
            )
        if name in values:
            raise exits.CommandError(
                f"{command}: {option} {escape_controls(name)} is given twice",
                exits.BAD_ARGUMENTS,
            )
        values[name] = value
    return values


def source_options(args: argparse.Namespace, command: str) -> SourceOptions:
    """The :class:`SourceOptions` the command line asks for. Exits 252 for a malformed one."""
    return SourceOptions(
        parameters=_assignments(getattr(args, "source_parameters", []), "--parameter", command),
        variables=_assignments(getattr(args, "source_variables", []), "--var", command),
        channels=getattr(args, "source_channels", "intended"),
    )


def say_notes(scenarios: Iterable[Scenario | None], command: str) -> None:
    """What the sources say of how they were read, once each, on stderr."""
    seen: set[str] = set()
    for scenario in scenarios:
        for note in () if scenario is None else scenario.notes:
            if note not in seen:
                seen.add(note)
                print(f"{command}: {escape_controls(note)}", file=sys.stderr)


def read_scenarios(spec: str, args: argparse.Namespace, command: str) -> list[Scenario]:
    """The scenarios of the source ``spec``, its notes said. Raises ScenarioError."""
    scenarios = load_organisation(spec, source_options(args, command))
    say_notes(scenarios, command)
    return scenarios
