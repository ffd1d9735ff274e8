"""The options every command reading an organisation source shares, declared once.

``--parameter NAME=VALUE`` (a CloudFormation parameter), ``--var NAME=VALUE`` (a Terraform
variable), ``--channels intended|as-deployed``, and for the live account source ``--profile``,
``--region``, ``--endpoint-url`` and ``--redact``, and ``--vendor-setting NAME=VALUE`` for
another product's source (the account source also reads the command's
``--from``/``--to`` as the window of the overrides it takes); :func:`read_scenarios` reads a
source with them and says on stderr, once, what the source says of how it was read (so
``--output json`` keeps stdout to the document). See docs/sources.md.
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


def add_source_options(parser: argparse.ArgumentParser, *, region: bool = True) -> None:
    """``--parameter``, ``--var``, ``--channels`` and the account source's options, as every
    source-reading command takes them; ``region=False`` for a command with its own ``--region``
    (``workspace init``, whose region is the source's too)."""
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
        "creates them, not activated (as-deployed); an account's keep their own status",
    )
    group.add_argument(
        "--profile",
        dest="source_profile",
        metavar="NAME",
        default=None,
        help="the AWS profile an account: source is read with (default: the standard chain's)",
    )
    if region:
        group.add_argument(
            "--region",
            dest="source_region",
            metavar="REGION",
            default=None,
            help="the region an account: source is read in, and templates are placed in",
        )
    group.add_argument(
        "--endpoint-url",
        dest="source_endpoint_url",
        metavar="URL",
        default=None,
        help="where an account: source is read from, e.g. a running escsim serve",
    )
    group.add_argument(
        "--vendor-setting",
        dest="source_vendor_settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of a pagerduty:, opsgenie: or goalert: source, where the product "
        "leaves a rule open (docs/vendors/; repeatable)",
    )
    group.add_argument(
        "--redact",
        dest="source_redact",
        action="store_true",
        help="an account: source's delivery addresses and names replaced with stable "
        "placeholders, so the output can be shared",
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
        region=getattr(args, "source_region", None),
        profile=getattr(args, "source_profile", None),
        endpoint_url=getattr(args, "source_endpoint_url", None),
        redact=getattr(args, "source_redact", False),
        vendor_settings=_assignments(
            getattr(args, "source_vendor_settings", []), "--vendor-setting", command
        ),
        # review and diff keep the window in start/end, coverage and shifts in window_*.
        window_from=getattr(args, "window_start", None) or getattr(args, "start", None),
        window_to=getattr(args, "window_end", None) or getattr(args, "end", None),
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
