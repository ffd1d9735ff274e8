"""``escsim coverage FILE``: when engaging a rotation, schedule or escalation plan reaches nobody.

The file's organisation is imported as ``escsim run`` would (its script is not run); the gaps of
every rotation, on-call schedule and escalation plan (or the ``--subject`` ones) over the window
are worked out exactly from the shifts (:mod:`engine.coverage`). People get a summary table per
scenario, and with ``--gaps`` every gap in the subject's zone and in UTC; ``--output json`` gives
all of it. The window is read as ``escsim review`` reads it (default: a year from the scenario's
start). Gaps are not errors: exit 0, 252 for bad arguments, 253 for a file that cannot be used.
The helpers for choosing scenarios, reading the window and writing times serve ``escsim shifts``
(and ``workspace init``) too.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.cli import exits
from engine.cli.output import add_output_option, dump_json
from engine.cli.render import console
from engine.cli.sources import SOURCE_HELP, add_source_options, read_scenarios
from engine.coverage import Coverage, CoverageError, Subject, coverage, find_subject, subjects
from engine.oncall import load_zone
from engine.safetext import safe_text
from engine.scenario.loader import Scenario
from engine.scenario.runner import build_simulator
from engine.timeutil import parse_window

__all__ = [
    "DEFAULT_DAYS",
    "add_arguments",
    "add_window_arguments",
    "chosen_scenarios",
    "format_length",
    "format_local",
    "format_utc",
    "handle",
    "window_of",
]

DEFAULT_DAYS = 365
"""Length of coverage's default window in days, from the scenario's start (as review's)."""


def add_window_arguments(parser: argparse.ArgumentParser, default_days: int = DEFAULT_DAYS) -> None:
    """``--from``, ``--to``, ``--scenario`` and ``--output``, as coverage and shifts take them."""
    parser.set_defaults(window_days=default_days)
    parser.add_argument(
        "--from",
        dest="window_start",
        metavar="INSTANT",
        help="start of the window, ISO 8601 or epoch seconds (default: the scenario's start)",
    )
    parser.add_argument(
        "--to",
        dest="window_end",
        metavar="INSTANT|DURATION",
        help="end of the window, an instant or a duration after --from such as 90d "
        f"(default: {default_days}d)",
    )
    parser.add_argument(
        "--scenario", metavar="NAME", help="use only this scenario of a file that holds several"
    )
    add_output_option(parser)
    add_source_options(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="SOURCE", help=SOURCE_HELP)
    add_window_arguments(parser)
    parser.add_argument(
        "--subject",
        dest="subjects",
        action="extend",
        nargs="+",
        metavar="NAME_OR_ARN",
        help="only these rotations (name or ARN) or contacts (alias or ARN); repeatable",
    )
    parser.add_argument(
        "--first-stage-only",
        action="store_true",
        help="for escalation plans, count only what their first stage reaches",
    )
    parser.add_argument(
        "--gaps",
        action="store_true",
        help="after the summary, list every gap (the json output always holds them)",
    )


def chosen_scenarios(scenarios: list[Scenario], name: str | None, command: str) -> list[Scenario]:
    """The scenario called ``name``, or all of them; an unknown name exits 252 (``command``:
    the words that begin the message, ``escsim coverage``)."""
    if name is None:
        return scenarios
    chosen = [scenario for scenario in scenarios if scenario.name == name]
    if not chosen:
        names = ", ".join(scenario.name for scenario in scenarios)
        raise exits.CommandError(
            f"{command}: {scenarios[0].file} has no scenario named {name!r} (it has: {names})",
            exits.BAD_ARGUMENTS,
        )
    return chosen


def window_of(
    args: argparse.Namespace, scenario: Scenario, command: str
) -> tuple[dt.datetime, dt.datetime]:
    """[--from, --to) as review reads them, from the scenario's start by default. Exits 252 for
    an unreadable instant or duration, an empty window, or no start to default to."""
    if args.window_start is None and scenario.start is None:
        raise exits.CommandError(
            f"escsim {command}: scenario {scenario.name!r} has no start; give --from",
            exits.BAD_ARGUMENTS,
        )
    try:
        return parse_window(
            args.window_start,
            args.window_end,
            scenario.start,
            length=dt.timedelta(days=args.window_days),
            name=f"{command} window",
        )
    except ValueError as exc:
        raise exits.CommandError(f"escsim {command}: {exc}", exits.BAD_ARGUMENTS) from None


def format_local(instant: dt.datetime, zone_id: str) -> str:
    """``Thu 2026-01-01 04:00 EST``: the wall clock of ``zone_id`` with its abbreviation."""
    local = instant.astimezone(load_zone(zone_id))
    text = local.strftime("%a %Y-%m-%d %H:%M")
    if local.second or local.microsecond:
        text += local.strftime(":%S")
    return f"{text} {local.tzname()}"


def format_utc(instant: dt.datetime) -> str:
    """``2026-01-01 09:00Z``."""
    moment = instant.astimezone(dt.UTC)
    seconds = moment.strftime(":%S") if moment.second or moment.microsecond else ""
    return moment.strftime("%Y-%m-%d %H:%M") + seconds + "Z"


def format_length(seconds: float) -> str:
    """``2d 3h``, ``8h 30m``, ``45m``, ``12s``: a length for people, largest units first."""
    whole = round(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value}{unit}"
        for value, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s"))
        if value
    ]
    return " ".join(parts) if parts else "0s"


@dataclasses.dataclass(frozen=True, slots=True)
class _Report:
    """One scenario's window and the coverage of each subject."""

    scenario: Scenario
    start: dt.datetime
    end: dt.datetime
    results: list[tuple[Subject, Coverage]]


def handle(args: argparse.Namespace) -> int:
    command = "escsim coverage"
    scenarios = chosen_scenarios(read_scenarios(args.file, args, command), args.scenario, command)
    reports: list[_Report] = []
    for scenario in scenarios:
        start, end = window_of(args, scenario, "coverage")
        sim, arns = build_simulator(scenario)
        try:
            picked = (
                [find_subject(sim, arns.get(key, key)) for key in args.subjects]
                if args.subjects
                else subjects(sim)
            )
            results = [
                (
                    subject,
                    coverage(sim, subject.arn, start, end, first_stage_only=args.first_stage_only),
                )
                for subject in picked
            ]
        except CoverageError as exc:
            raise exits.CommandError(
                f"escsim coverage: scenario {scenario.name!r}: {exc}", exits.BAD_ARGUMENTS
            ) from None
        reports.append(_Report(scenario, start, end, results))
    if args.output == "json":
        document = {
            "file": args.file,
            "first_stage_only": args.first_stage_only,
            "scenarios": [
                {
                    "scenario": report.scenario.name,
                    "from": report.start.isoformat(),
                    "to": report.end.isoformat(),
                    "subjects": [_subject_record(s, c) for s, c in report.results],
                }
                for report in reports
            ],
        }
        print(dump_json(document))
    else:
        out = console()
        for report in reports:
            _render(out, args.file, report, args.gaps)
    return exits.OK


def _subject_record(subject: Subject, result: Coverage) -> dict[str, object]:
    zone = load_zone(subject.time_zone_id)
    return {
        "Subject": subject.arn,
        "Kind": subject.kind,
        "Name": subject.name,
        "TimeZoneId": subject.time_zone_id,
        "WindowSeconds": result.window_seconds,
        "UncoveredSeconds": result.uncovered_seconds,
        "CoveredPercent": round(result.percent_covered, 4),
        "UncoveredSecondsByReason": result.seconds_by_reason(),
        "Gaps": [
            {
                "Start": gap.start.isoformat(),
                "End": gap.end.isoformat(),
                "StartLocal": gap.start.astimezone(zone).isoformat(),
                "EndLocal": gap.end.astimezone(zone).isoformat(),
                "Seconds": gap.seconds,
                "Reason": gap.reason,
            }
            for gap in result.gaps
        ],
    }


def _render(out: Console, file: str, report: _Report, show_gaps: bool) -> None:
    results, start, end = report.results, report.start, report.end
    out.print(
        safe_text(
            f"{file}: scenario {report.scenario.name}: coverage from {format_utc(start)} to "
            f"{format_utc(end)} ({format_length((end - start).total_seconds())})",
            style="bold",
        )
    )
    if not results:
        out.print("no rotations, on-call schedules or escalation plans")
        return
    summary = Table(title="Coverage", title_justify="left")
    for column in ("subject", "kind", "zone"):
        summary.add_column(column, no_wrap=True)
    for column in ("gaps", "uncovered", "covered"):
        summary.add_column(column, justify="right", no_wrap=True)
    for subject, result in results:
        style = "green" if not result.gaps else "yellow"
        summary.add_row(
            safe_text(subject.name),
            subject.kind,
            subject.time_zone_id,
            str(len(result.gaps)),
            format_length(result.uncovered_seconds),
            Text(f"{result.percent_covered:.2f}%", style=style),
        )
    out.print(summary)
    count = sum(len(result.gaps) for _, result in results)
    if not count:
        out.print(Text("no gaps: every subject reaches someone throughout", style="green"))
        return
    uncovered = sum(result.uncovered_seconds for _, result in results)
    out.print(
        f"{count} gap(s) in {sum(1 for _, r in results if r.gaps)} of {len(results)} "
        f"subject(s), {format_length(uncovered)} uncovered in all"
        + ("" if show_gaps else "; --gaps lists them")
    )
    if show_gaps:
        out.print(_gap_table(results))


def _gap_table(results: list[tuple[Subject, Coverage]]) -> Table:
    table = Table(title="Gaps", title_justify="left")
    for column in ("subject", "from (local)", "to (local)", "from (UTC)", "to (UTC)"):
        table.add_column(column, no_wrap=True)
    table.add_column("length", justify="right", no_wrap=True)
    table.add_column("reason", no_wrap=True)
    for subject, result in results:
        for gap in result.gaps:
            table.add_row(
                safe_text(subject.name),
                format_local(gap.start, subject.time_zone_id),
                format_local(gap.end, subject.time_zone_id),
                format_utc(gap.start),
                format_utc(gap.end),
                format_length(gap.seconds),
                Text(gap.reason, style="red" if gap.reason != "not-started" else "dim"),
            )
    return table
