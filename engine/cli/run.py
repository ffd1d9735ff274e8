"""``escsim run FILE``: run a scenario file and show what happened.

People get a rich timeline and summary; ``--output json`` prints the whole result (ARNs, pages,
receipts, outbox, events, steps) and nothing else. ``--events FILE`` writes the event log as JSON
Lines. A script step that does not go as written is reported on stderr and exits 254.
"""

from __future__ import annotations

import argparse

from engine.cli import exits
from engine.cli.coverage import chosen_scenarios
from engine.cli.output import add_output_option, dump_json, write_json_lines
from engine.cli.render import console, render_run
from engine.knob_option import add_set_option
from engine.knobs import KnobError, Knobs, parse_assignment
from engine.scenario.expect.compile import compile_checks
from engine.scenario.loader import load_file
from engine.scenario.paths import format_path
from engine.scenario.runner import StepOutcome, run_scenario

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a *.scenario.yaml file")
    add_output_option(
        parser,
        "table (default): timeline and summary for people; json: the whole result",
    )
    parser.add_argument("--events", metavar="FILE", help="write the event log as JSON Lines")
    add_set_option(parser, "--set latency.SMS=10 --set repeat=1")
    parser.add_argument("--seed", type=int, metavar="N", help="seed instead of the file's")
    parser.add_argument(
        "--scenario", metavar="NAME", help="run only this scenario of a file that holds several"
    )


def handle(args: argparse.Namespace) -> int:
    overrides = setting_overrides(args.settings)
    if args.seed is not None and args.seed < 0:
        raise exits.CommandError(
            f"escsim run: --seed must be zero or more (got {args.seed})", exits.BAD_ARGUMENTS
        )
    scenarios = load_file(args.file)
    compile_checks(scenarios)  # a bad name in expect: is a file error, though run checks nothing
    scenarios = chosen_scenarios(scenarios, args.scenario, "escsim run")
    outcomes = [run_scenario(s, seed=args.seed, settings=overrides) for s in scenarios]
    if args.events:
        several = len(outcomes) > 1
        records = [
            {**event, "Scenario": outcome.scenario.name} if several else event
            for outcome in outcomes
            for event in outcome.simulator.events
        ]
        write_json_lines(args.events, records)
    if args.output == "json":
        results = [outcome.result() for outcome in outcomes]
        print(dump_json(results[0] if len(results) == 1 else results))
    else:
        out = console()
        for outcome in outcomes:
            render_run(out, outcome)
    failures = [
        _failure_line(outcome.scenario.file, step)
        for outcome in outcomes
        for step in outcome.failures
    ]
    if failures:
        raise exits.CommandError(failures, exits.SERVICE_ERROR)
    return exits.OK


def _failure_line(file: str, outcome: StepOutcome) -> str:
    step = outcome.step
    where = f"{file}:{step.line}" if step.line is not None else file
    return f"{where}: {format_path(step.path)} ({step.operation}): {outcome.failure()}"


def setting_overrides(assignments: list[str]) -> dict[str, object]:
    """``--set NAME=VALUE`` options as knob values, each checked; a bad one exits 252."""
    values: dict[str, object] = {}
    for text in assignments:
        try:
            name, value = parse_assignment(text)
            Knobs.from_mapping({name: value})
        except KnobError as exc:
            raise exits.CommandError(f"escsim: --set {text}: {exc}", exits.BAD_ARGUMENTS) from None
        values[name] = value
    return values
