"""Drawing results for people with rich: the run's timeline and summary, validation findings.

Colour only when the output is a terminal; when it is not (a pipe, a file, a test), the width is
fixed so that tables do not depend on the machine.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.cli.timeline import engagement_summaries, message_counts, timeline_rows
from engine.scenario.runner import RunOutcome
from engine.timeutil import isoformat

__all__ = ["console", "render_findings", "render_run"]

_PIPE_WIDTH = 160


def console(file: TextIO | None = None) -> Console:
    """A console on ``file`` (stdout by default), wide enough for a timeline when piped."""
    stream = file if file is not None else sys.stdout
    interactive = stream.isatty() if hasattr(stream, "isatty") else False
    width = None if interactive or os.environ.get("COLUMNS") else _PIPE_WIDTH
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def render_run(out: Console, outcome: RunOutcome) -> None:
    """Title, timeline table, engagements and message counts of one run."""
    scenario = outcome.scenario
    sim = outcome.simulator
    title = Text(f"Scenario {scenario.name}", style="bold")
    if scenario.description:
        title.append(f": {scenario.description}", style="")
    out.print(title)
    out.print(
        Text(
            f"start {isoformat(sim.start.timestamp())}  seed {sim.seed}  "
            f"account {sim.account}  region {sim.region}"
        )
    )
    out.print(_timeline(outcome))
    out.print(_engagements(outcome))
    out.print(_messages(outcome))
    failures = outcome.failures
    if failures:
        out.print(Text(f"{len(failures)} script step(s) did not go as written", style="bold red"))


def _timeline(outcome: RunOutcome) -> Table:
    table = Table(title="Timeline", title_justify="left", expand=False)
    table.add_column("offset", justify="right", no_wrap=True)
    table.add_column("time (UTC)", no_wrap=True)
    table.add_column("stage", no_wrap=True)
    table.add_column("contact", no_wrap=True)
    table.add_column("channel", no_wrap=True)
    table.add_column("what happened")
    table.add_column("text", overflow="fold")
    for row in timeline_rows(outcome):
        style = "red" if row.failed else None
        cells = (row.offset, row.time, row.stage, row.contact, row.channel, row.what, row.text)
        # Text cells: message texts are the user's, never rich markup.
        table.add_row(*(Text(cell) for cell in cells), style=style)
    return table


def _engagements(outcome: RunOutcome) -> Table:
    table = Table(title="Engagements", title_justify="left")
    table.add_column("engagement", overflow="fold")
    table.add_column("contact", no_wrap=True)
    table.add_column("started", justify="right", no_wrap=True)
    table.add_column("outcome")
    for summary in engagement_summaries(outcome):
        cells = (summary.engagement_arn, summary.contact, summary.started, summary.outcome)
        table.add_row(*(Text(cell) for cell in cells))
    return table


def _messages(outcome: RunOutcome) -> Table:
    table = Table(title="Messages per channel type", title_justify="left")
    table.add_column("channel type")
    for label in ("pages sent", "failed", "delivered", "activation codes"):
        table.add_column(label, justify="right")
    for count in message_counts(outcome):
        table.add_row(
            count.channel_type,
            str(count.sent),
            str(count.failed),
            str(count.delivered),
            str(count.activation_codes),
        )
    return table


def render_findings(out: Console, file: str, reports: list[dict[str, Any]]) -> None:
    """One table of findings per scenario, and a line saying how many errors and warnings and
    pointing to ``escsim review`` for what validate does not check."""
    for report in reports:
        findings = report["findings"]
        heading = f"{file}: scenario {report['scenario']}"
        if not findings:
            out.print(Text(f"{heading}: no problems found", style="green"))
            continue
        table = Table(title=Text(heading), title_justify="left")
        table.add_column("severity", no_wrap=True)
        table.add_column("id", no_wrap=True)
        table.add_column("where", overflow="fold")
        table.add_column("problem")
        for finding in findings:
            style = "red" if finding["Severity"] == "error" else "yellow"
            where = finding.get("Location") or finding["Path"]
            if "Line" in finding:
                where = f"{where} (line {finding['Line']})"
            table.add_row(
                Text(finding["Severity"], style=style),
                Text(f"{finding['Id']} {finding['Name']}"),
                Text(where),
                Text(finding["Message"]),
            )
        out.print(table)
    errors = sum(r["errors"] for r in reports)
    warnings = sum(r["warnings"] for r in reports)
    # validate checks the organisation's structure; the checks over time live in review.
    out.print(
        f"{errors} error(s), {warnings} warning(s); for coverage and channel-mix checks, run "
        f"escsim review {file}"
    )
