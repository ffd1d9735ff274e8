"""``escsim review FILE``: lint, coverage proof and Monte Carlo forecast of an organisation.

Reads a scenario file or a workspace. People get rich tables and a progress bar on stderr;
``--output json`` is byte-identical for the same inputs and seed whatever ran the replications;
``markdown`` is a pull-request comment and ``sarif`` the findings for code scanning. Exit 1 when
lint reports a finding of the ``--fail-on`` severity (default error) or a ``--require``
requirement fails (each named on stderr), 0 otherwise; 252 bad arguments, 253 an unreadable
input. The shared options and helpers serve ``escsim diff`` and ``escsim graph`` too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from engine.cli import exits
from engine.cli.output import add_output_option, dump_json
from engine.cli.render import console
from engine.cli.sources import SOURCE_HELP, add_source_options, say_notes, source_options
from engine.findings import SEVERITIES, Severity
from engine.review.document import review, window
from engine.review.executors import Executor, ExecutorError, choose_executor
from engine.review.forecast import ModelError, expected_incidents
from engine.review.gate import Verdict, review_verdict
from engine.review.inputs import InputError, ReviewInput, load_input
from engine.review.markdown import review_markdown
from engine.review.render import render_review
from engine.review.report import INSTALL_HINT, matplotlib_pyplot, write_report
from engine.review.requirements import (
    GRAMMAR,
    Requirement,
    RequirementError,
    evaluate,
    metrics_listing,
    parse_requirement,
)
from engine.review.sarif import artifact_uri, sarif_log
from engine.safetext import escape_controls, safe_text

__all__ = [
    "add_arguments",
    "add_run_arguments",
    "choose",
    "gate_exit",
    "handle",
    "progress_bar",
    "read_input",
    "translate_errors",
]

DEFAULT_REPLICATIONS = 20


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {text})")
    return value


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Options review and diff share: window, incident model, replications, executors."""
    parser.add_argument(
        "--scenario", metavar="NAME", help="the scenario to read, when the file holds several"
    )
    parser.add_argument(
        "--from", dest="start", metavar="INSTANT", help="window start (default: the input's start)"
    )
    parser.add_argument(
        "--to",
        dest="end",
        metavar="INSTANT|DURATION",
        help="window end, an instant or a duration after --from such as 90d (default: 365d)",
    )
    parser.add_argument(
        "--incidents",
        metavar="MODEL",
        help="incident model file (YAML or JSON) instead of the file's incidents: section",
    )
    parser.add_argument(
        "--replications",
        type=_positive,
        default=DEFAULT_REPLICATIONS,
        metavar="R",
        help=f"Monte Carlo replications (default {DEFAULT_REPLICATIONS})",
    )
    parser.add_argument("--seed", type=int, metavar="S", help="seed (default: the file's)")
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="processes: this one and N - 1 workers (default: this process for a small review, "
        "else this one and a worker per idle CPU; 1 runs everything in this process)",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run replications on the Dask scheduler at ADDRESS, or 'local' for a LocalCluster "
        "of --workers processes (needs: pip install 'escsim[dask]')",
    )
    add_output_option(
        parser,
        "table (default) for people, json for machines, markdown for a pull-request comment, "
        "sarif (SARIF 2.1.0 findings) for code scanning",
        ("table", "json", "markdown", "sarif"),
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )
    add_source_options(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="SOURCE", nargs="?", help=SOURCE_HELP)
    parser.add_argument(
        "--workspace", metavar="DIR", help="review a workspace's organisation instead of a file"
    )
    add_run_arguments(parser)
    parser.add_argument(
        "--report", metavar="DIR", help="also write an HTML report with plots into DIR"
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="exit 1 when lint finds a finding of this severity or worse (default: error)",
    )
    parser.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="EXPR",
        help="a requirement METRIC OP VALUE the review must meet, such as 'tta.p90 <= 15m' or "
        "'coverage.first_stage >= 99.9%%' (repeatable; exit 1 naming each that fails); "
        "--require '?' lists the metrics (see docs/ci.md)",
    )


@contextmanager
def translate_errors(command: str) -> Iterator[None]:
    """Turn the review package's errors into command errors with their exit codes."""
    try:
        yield
    except InputError as exc:
        code = exits.BAD_FILE if exc.unreadable else exits.BAD_ARGUMENTS
        raise exits.CommandError(f"{command}: {exc}", code) from None
    except ModelError as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.BAD_FILE) from None
    except ExecutorError as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.BAD_ARGUMENTS) from None


def read_input(
    file: str | None, args: argparse.Namespace, workspace: str | None = None
) -> ReviewInput:
    """The input named on the command line (the incident model file read once per call),
    what its source says of how it was read said on stderr."""
    command = f"escsim {args.command}"
    review_input = load_input(
        file,
        workspace=workspace,
        scenario_name=args.scenario,
        incidents_file=args.incidents,
        options=source_options(args, command),
    )
    say_notes([review_input.scenario], command)
    return review_input


def choose(
    args: argparse.Namespace, review_input: ReviewInput, window: tuple[Any, Any], runs: int = 1
) -> Executor:
    """The executor the options ask for, or the one that suits the review's size: ``runs``
    forecasts of ``--replications`` replications of the input's incidents over ``window``."""
    incidents = expected_incidents(review_input.incidents, *window)
    engagements = runs * args.replications * incidents
    return choose_executor(args.replications, args.workers, args.dask, engagements=engagements)


class _Rate(ProgressColumn):
    """Replications finished per second, over the last half minute."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        if not speed:
            return Text("-/s", style="progress.data.speed")
        shown = f"{speed:.1f}" if speed < 10 else f"{speed:,.0f}"
        return Text(f"{shown}/s", style="progress.data.speed")


def progress_columns() -> tuple[ProgressColumn, ...]:
    """What the bar shows: label, bar, done of total, replications a second, elapsed, ETA."""
    return (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )


@contextmanager
def progress_bar(total: int, label: str, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (only on a terminal); yields the callback to advance it.

    It shows replications a second and the time left as well as the time spent."""
    stream = sys.stderr
    interactive = enabled and hasattr(stream, "isatty") and stream.isatty()
    progress = Progress(
        *progress_columns(),
        console=Console(file=stream),
        transient=True,
        disable=not interactive,
    )
    with progress:
        task = progress.add_task(label, total=total)

        def advance(done: int) -> None:
            progress.update(task, completed=done)

        yield advance


def handle(args: argparse.Namespace) -> int:
    command = "escsim review"
    if any(text.strip() == "?" for text in args.require):
        # As --set '?' does: the list on stdout, then done.
        sys.stdout.write(metrics_listing() + f"{GRAMMAR}; see docs/ci.md.\n")
        return exits.OK
    if args.file is None and args.workspace is None:
        raise exits.CommandError(
            f"{command}: name a scenario file, or a workspace with --workspace DIR",
            exits.BAD_ARGUMENTS,
        )
    if args.file is not None and args.workspace is not None:
        raise exits.CommandError(
            f"{command}: give a scenario file or --workspace, not both", exits.BAD_ARGUMENTS
        )
    requirements = parse_requirements(command, args.require)
    with translate_errors(command):
        review_input = read_input(args.file, args, args.workspace)
        start, end = window(review_input, args.start, args.end)
        seed = review_input.seed if args.seed is None else args.seed
        executor = choose(args, review_input, (start, end))
        label = f"{args.replications} replications ({executor.name})"
        with progress_bar(args.replications, label, not args.no_progress) as advance:
            run = review(review_input, start, end, args.replications, seed, executor, advance)
    if args.report:
        _write_report(run, args.report, command)
    fail_on: Severity = args.fail_on or "error"
    verdict = review_verdict(run.document["lint"], evaluate(requirements, run.document), fail_on)
    document = run.document
    if args.require or args.fail_on:
        document = {**run.document, "gate": gate_section(verdict, fail_on)}
    uri = artifact_uri(args.file) if args.file is not None else None
    if args.output == "json":
        print(dump_json(document))
    elif args.output == "markdown":
        print(review_markdown(document, verdict, uri, fail_on), end="")
    elif args.output == "sarif":
        print(dump_json(sarif_log(document["lint"]["findings"], uri)))
    else:
        render_review(console(), document)
        if verdict.outcomes:
            render_requirements(console(), verdict)
    return gate_exit(command, verdict)


def parse_requirements(command: str, texts: list[str]) -> list[Requirement]:
    """Every ``--require`` read before anything runs; a bad one exits 252 naming it."""
    try:
        return [parse_requirement(text) for text in texts]
    except RequirementError as exc:
        raise exits.CommandError(f"{command}: --require: {exc}", exits.BAD_ARGUMENTS) from None


def gate_section(verdict: Verdict, fail_on: str) -> dict[str, object]:
    """The ``gate`` section of the JSON document: the verdict and each requirement judged."""
    rows = []
    for outcome in verdict.outcomes:
        found = outcome.measured
        rows.append(
            {
                "requirement": outcome.requirement.text,
                "metric": outcome.requirement.metric.name,
                "operator": outcome.requirement.operator,
                "limit": outcome.requirement.limit,
                "passed": outcome.passed,
                "value": None if found is None else found.value,
                "ci": None if found is None or found.exact else [found.low, found.high],
                "of": None if found is None or not found.owner else found.owner,
                "compared": outcome.compared,
                "measured": outcome.measured_text(),
            }
        )
    return {
        "fail_on": fail_on,
        "passed": verdict.passed,
        "reasons": list(verdict.reasons),
        "requirements": rows,
    }


def render_requirements(out: Console, verdict: Verdict) -> None:
    """The requirements as a table for people: each with pass or fail and what was measured."""
    table = Table(title="Requirements (the interval's end on the failing side is compared)")
    for column in ("requirement", "result", "measured", "compared"):
        table.add_column(column)
    for outcome in verdict.outcomes:
        table.add_row(
            safe_text(outcome.requirement.text),
            Text("pass", style="green") if outcome.passed else Text("FAIL", style="bold red"),
            safe_text(outcome.measured_text()),
            safe_text(outcome.compared),
        )
    out.print(table)


def gate_exit(command: str, verdict: Verdict) -> int:
    """Exit 1 naming each reason to fail on stderr (whatever stdout holds), else 0."""
    for reason in verdict.reasons:
        print(f"{command}: {escape_controls(reason, one_line=True)}", file=sys.stderr)
    return exits.OK if verdict.passed else exits.FINDINGS


def _write_report(run: Any, directory: str, command: str) -> None:
    try:
        written = write_report(run, directory)
    except OSError as exc:
        raise exits.CommandError(
            f"{command}: cannot write the report to {directory}: {exc.strerror or exc}",
            exits.BAD_ARGUMENTS,
        ) from None
    # On stderr, so that --output json keeps stdout to the document alone.
    print(f"{command}: report written to {written[0]}", file=sys.stderr)
    if matplotlib_pyplot() is None:
        print(f"{command}: the report in {directory} has no plots: {INSTALL_HINT}", file=sys.stderr)
