"""``escsim console SOURCE``: serve a scenario's organisation, or a workspace, with the console.

The endpoint is the one ``escsim serve`` runs (same options, same guards, same exit codes); the
console is at ``/_escsim/console`` of it, and the command prints that address on stdout once it
answers (``escsim console at http://127.0.0.1:4566/_escsim/console``). It opens no browser.
SOURCE is a ``*.scenario.yaml`` file: its organisation, responders, settings, seed, start,
account and region, without running its script. ``--workspace DIR`` serves a workspace instead.
"""

from __future__ import annotations

import argparse
import os

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION
from engine.cli import exits, serve
from engine.cli.coverage import chosen_scenarios
from engine.cli.sources import add_source_options, read_scenarios
from engine.console import ROOT
from engine.scenario.runner import build_simulator

__all__ = ["add_arguments", "handle"]

COMMAND = "escsim console"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``escsim console``: a source, then those of ``escsim serve``."""
    parser.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help="a scenario file whose organisation, responders and settings to serve (its script "
        "is not run), a CloudFormation template or other organisation source "
        "(docs/sources.md); or give --workspace DIR",
    )
    parser.add_argument(
        "--scenario", metavar="NAME", default=None, help="which scenario of a file holding several"
    )
    serve.add_arguments(parser)
    add_source_options(parser, region=False)  # serve has its own --region
    # A scenario brings its own seed, start, account and region: the options are told apart
    # from their defaults, which apply to a new workspace only.
    parser.set_defaults(seed=None, account=None, region=None)


def console_line(url: str) -> str:
    """``escsim console at URL/_escsim/console``: what the command prints once it answers."""
    return f"escsim console at {url}{ROOT}"


def handle(args: argparse.Namespace) -> int:
    """Serve until a signal stops it; the exit codes of ``escsim serve``."""
    if (args.source is None) == (args.workspace is None):
        raise exits.CommandError(
            f"{COMMAND}: give a scenario file or --workspace DIR (one of them)",
            exits.BAD_ARGUMENTS,
        )
    if args.source is None:
        args.seed = 0 if args.seed is None else args.seed
        args.account = args.account or os.environ.get("ESCSIM_ACCOUNT_ID", DEFAULT_ACCOUNT)
        args.region = args.region or DEFAULT_REGION
        return serve.serve(args, announce=console_line)
    given = [
        option
        for option, value in (
            ("--start", args.start),
            ("--account", args.account),
            ("--region", args.region),
        )
        if value is not None
    ]
    if given:
        raise exits.CommandError(
            f"{COMMAND}: {', '.join(given)} cannot be given with a scenario file: its "
            f"start, account and region are the scenario's ({args.source})",
            exits.BAD_ARGUMENTS,
        )
    scenarios = chosen_scenarios(read_scenarios(args.source, args, COMMAND), args.scenario, COMMAND)
    if len(scenarios) > 1:
        names = ", ".join(scenario.name for scenario in scenarios)
        raise exits.CommandError(
            f"{COMMAND}: {args.source} holds several scenarios; choose one with --scenario "
            f"({names})",
            exits.BAD_ARGUMENTS,
        )
    simulator, _arns = build_simulator(scenarios[0], seed=args.seed, settings=dict(args.settings))
    return serve.serve(args, simulator, announce=console_line)
