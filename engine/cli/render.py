"""Drawing results for people with rich: the run's timeline and summary, validation findings.

Colour only when the output is a terminal; when it is not (a pipe, a file, a test), the width is
fixed so that tables do not depend on the machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO, TypedDict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.cli.columns import Column, Row, render_columns
from engine.cli.timeline import engagement_summaries, message_counts, short_arn, timeline_rows
from engine.safetext import escape_controls, safe_text
from engine.scenario.runner import RunOutcome
from engine.timeutil import isoformat

__all__ = ["ScenarioFindings", "console", "findings_table", "render_findings", "render_run"]

_PIPE_WIDTH = 160


def console(file: TextIO | None = None) -> Console:
    """A console on ``file`` (stdout by default), wide enough for a timeline when piped."""
    stream = file if file is not None else sys.stdout
    interactive = stream.isatty() if hasattr(stream, "isatty") else False
    width = None if interactive or os.environ.get("COLUMNS") else _PIPE_WIDTH
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def render_run(out: Console, outcome: RunOutcome) -> None:
    """Title, timeline, engagements and message counts of one run."""
    scenario = outcome.scenario
    sim = outcome.simulator
    title = Text(f"Scenario {escape_controls(scenario.name)}", style="bold")
    if scenario.description:
        title.append(f": {escape_controls(scenario.description)}", style="")
    out.print(title)
    out.print(
        Text(
            f"start {isoformat(sim.start.timestamp())}  seed {sim.seed}  "
            f"account {sim.account}  region {sim.region}"
        )
    )
    render_columns(
        out,
        "Timeline",
        _TIMELINE,
        # A row's cells are its fields up to ``text``.
        [Row(row[:7], "red" if row.failed else None) for row in timeline_rows(outcome)],
    )
    render_columns(
        out,
        "Engagements",
        _ENGAGEMENTS,
        [
            Row((short_arn(s.engagement_arn), s.started, s.outcome))
            for s in engagement_summaries(outcome)
        ],
    )
    out.print(_messages(outcome))
    failures = outcome.failures
    if failures:
        out.print(Text(f"{len(failures)} script step(s) did not go as written", style="bold red"))


# What happened and its text always show; the others go, highest rank first, when the console
# is too narrow for them.
_TIMELINE = (
    Column("offset", rank=1, right=True),
    Column("time (UTC)", rank=3),
    Column("stage", rank=5, cap=24),
    Column("contact", rank=2, cap=24),
    Column("channel", rank=4, cap=20),
    Column("what happened", rank=0, cap=24),
    Column("text", rank=0, flex=True),
)
_ENGAGEMENTS = (
    Column("engagement", rank=1),
    Column("started", rank=2, right=True),
    Column("outcome", rank=0, flex=True),
)


def _messages(outcome: RunOutcome) -> Table:
    counts = message_counts(outcome)
    # DELIVERED receipts exist only under delivery_receipts=carrier or through AcceptPage
    # (semantics E7); a column of zeros would read as "nothing arrived".
    delivered = any(count.delivered for count in counts)
    table = Table(title="Messages per channel type", title_justify="left")
    table.add_column("channel type")
    labels = ("pages sent", "failed", "delivered", "activation codes")
    for label in labels if delivered else labels[:2] + labels[3:]:
        table.add_column(label, justify="right")
    for count in counts:
        cells = [str(count.sent), str(count.failed), str(count.delivered)]
        table.add_row(
            count.channel_type, *(cells if delivered else cells[:2]), str(count.activation_codes)
        )
    return table


class ScenarioFindings(TypedDict):
    """``escsim validate``'s findings for one scenario, as its JSON output holds them."""

    scenario: str
    findings: list[dict[str, object]]
    errors: int
    warnings: int


def findings_table(title: str, findings: Iterable[Mapping[str, object]]) -> Table:
    """Severity, id and name, where (with the line when known) and problem of each finding."""
    table = Table(title=safe_text(title), title_justify="left")
    table.add_column("severity", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("where", overflow="fold")
    table.add_column("problem")
    for finding in findings:
        where = str(finding.get("Location") or finding["Path"])
        if "Line" in finding:
            where = f"{where} (line {finding['Line']})"
        severity = str(finding["Severity"])
        table.add_row(
            Text(severity, style="red" if severity == "error" else "yellow"),
            Text(f"{finding['Id']} {finding['Name']}"),
            safe_text(where),
            safe_text(str(finding["Message"])),
        )
    return table


def render_findings(out: Console, file: str, reports: list[ScenarioFindings]) -> None:
    """One table of findings per scenario, and a line saying how many errors and warnings and
    pointing to ``escsim review`` for what validate does not check."""
    for report in reports:
        heading = f"{file}: scenario {report['scenario']}"
        if report["findings"]:
            out.print(findings_table(heading, report["findings"]))
        else:
            out.print(safe_text(f"{heading}: no problems found", style="green"))
    errors = sum(r["errors"] for r in reports)
    warnings = sum(r["warnings"] for r in reports)
    # validate checks the organisation's structure; the checks over time live in review.
    out.print(
        safe_text(
            f"{errors} error(s), {warnings} warning(s); for coverage and channel-mix checks, "
            f"run escsim review {file}"
        )
    )
