"""The review and the diff as rich tables for a terminal; ``--output json`` prints the documents.

Tables show what a person acts on first; long lists (findings, people, gaps) are cut to their
heads here and given whole in the JSON.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.findings import CATALOGUE
from engine.timeutil import format_duration

__all__ = ["render_diff", "render_review", "show_estimate", "show_seconds"]

_FINDINGS_SHOWN = 25
_PEOPLE_SHOWN = 15
_SUBJECTS_SHOWN = 20


def show_seconds(value: float | None) -> str:
    """``4m03s``; ``never`` for None."""
    return "never" if value is None else format_duration(round(value))


def _number(value: float | None, percent: bool, seconds: bool) -> str:
    if value is None:
        return "never" if seconds else "-"
    if seconds:
        return show_seconds(value)
    if percent:
        return f"{100 * value:.1f}%"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def show_estimate(est: dict[str, Any], *, percent: bool = False, seconds: bool = False) -> str:
    """``62.0% [60.1%, 63.9%]``: a value and its 95% interval."""
    value = _number(est.get("value"), percent, seconds)
    low, high = est.get("ci") or [None, None]
    if low is None and high is None:
        return value
    return f"{value} [{_number(low, percent, seconds)}, {_number(high, percent, seconds)}]"


def render_review(out: Console, document: dict[str, Any]) -> None:
    """Every section of a review document."""
    info = document["input"]
    window = document["window"]
    forecast = document["forecast"]
    out.print(Text(f"Review of {info['name']} ({info['source']})", style="bold"))
    out.print(
        f"window {window['from']} to {window['to']}  replications {forecast['replications']}  "
        f"seed {forecast['seed']}  incidents {forecast['incidents']}"
    )
    model = document["incident_model"]
    rate = f"{model['rate_per_day']}/day" if model["rate_per_day"] is not None else ""
    volume = rate or f"{model['count']} per replication"
    out.print(f"incident model: {model['source']} ({volume}, {model['profile']})")
    _lint(out, document["lint"])
    _coverage(out, document["coverage"])
    _forecast(out, forecast)
    _load(out, forecast["load"])


def _lint(out: Console, lint: dict[str, Any]) -> None:
    findings = lint["findings"]
    if not findings:
        out.print(Text("Lint: no problems found", style="green"))
        return
    counts = Counter(f["Id"] for f in findings)
    summary = Table(title="Lint: findings by kind", title_justify="left")
    for column in ("id", "name", "severity", "count", "why it matters"):
        summary.add_column(column, overflow="fold")
    for kind_id in sorted(counts):
        kind = CATALOGUE[kind_id]
        style = "red" if kind.severity == "error" else "yellow"
        summary.add_row(
            kind_id, kind.name, Text(kind.severity, style=style), str(counts[kind_id]), kind.why
        )
    out.print(summary)
    table = Table(
        title=f"Lint: first {min(len(findings), _FINDINGS_SHOWN)} of {len(findings)}",
        title_justify="left",
    )
    for column in ("id", "where", "problem"):
        table.add_column(column, overflow="fold")
    for finding in findings[:_FINDINGS_SHOWN]:
        where = finding.get("Location") or finding["Path"]
        if "Line" in finding:
            where = f"{where} (line {finding['Line']})"
        table.add_row(Text(finding["Id"]), Text(where), Text(finding["Message"]))
    out.print(table)
    out.print(f"{lint['errors']} error(s), {lint['warnings']} warning(s)")


def _coverage(out: Console, coverage: dict[str, Any]) -> None:
    subjects = coverage["subjects"]
    totals = coverage["totals"]
    changes = sorted({change for s in subjects for change in s["dst_changes"]})
    if not totals["with_first_stage_gaps"] and not totals["with_gaps"]:
        out.print(
            Text(
                f"Coverage: all {totals['subjects']} escalation plans and schedules reach someone "
                f"in their first stage at every instant of the window ({len(changes)} DST "
                "change(s) crossed)",
                style="green",
            )
        )
        return
    gapped = [s for s in subjects if s["first_stage"]["gaps"] or s["nobody"]["gaps"]]
    gapped.sort(key=lambda s: (-s["nobody"]["seconds"], -s["first_stage"]["seconds"], s["contact"]))
    table = Table(
        title=f"Coverage: {len(gapped)} of {totals['subjects']} with gaps "
        f"({len(changes)} DST change(s) crossed)",
        title_justify="left",
    )
    for column in (
        "contact",
        "type",
        "zone",
        "first stage: gaps",
        "time",
        "share",
        "nobody: gaps",
        "time",
        "share",
    ):
        table.add_column(column, justify="right" if column in ("time", "share") else "left")
    for subject in gapped[:_SUBJECTS_SHOWN]:
        first, nobody = subject["first_stage"], subject["nobody"]
        table.add_row(
            subject["contact"],
            subject["type"],
            subject["zone"],
            str(first["gaps"]),
            format_duration(first["seconds"]),
            f"{100 * first['share']:.2f}%",
            str(nobody["gaps"]),
            format_duration(nobody["seconds"]),
            f"{100 * nobody['share']:.2f}%",
        )
    out.print(table)


def _forecast(out: Console, forecast: dict[str, Any]) -> None:
    if not forecast["incidents"]:
        out.print(Text("Forecast: no incident arrived in the window; widen it or raise the rate"))
        return
    tta = forecast["time_to_acknowledge"]
    table = Table(title="Time to acknowledge (95% intervals)", title_justify="left")
    table.add_column("figure")
    table.add_column("estimate", justify="right")
    for name in ("p50", "p90", "p99"):
        table.add_row(name.upper(), show_estimate(tta[name], seconds=True))
    table.add_row("mean (acknowledged)", show_estimate(tta["mean_when_acknowledged"], seconds=True))
    for label, est in tta["within"].items():
        table.add_row(f"acknowledged within {label}", show_estimate(est, percent=True))
    table.add_row("never acknowledged", show_estimate(tta["no_acknowledgement"], percent=True))
    out.print(table)
    if forecast["stage_reach"]:
        reach = Table(title="Escalation stage reached", title_justify="left")
        reach.add_column("stage", justify="right")
        reach.add_column("P(reaching it)", justify="right")
        for row in forecast["stage_reach"]:
            reach.add_row(str(row["stage"]), show_estimate(row, percent=True))
        out.print(reach)
    messages = Table(title="Messages per engagement", title_justify="left")
    messages.add_column("channel type")
    messages.add_column("messages", justify="right")
    for kind, est in forecast["messages_per_engagement"].items():
        messages.add_row(kind, show_estimate(est))
    messages.add_row("pages", show_estimate(forecast["pages_per_engagement"]))
    out.print(messages)


def _load(out: Console, load: dict[str, Any]) -> None:
    people = sorted(
        load["people"], key=lambda p: (-(p["pages_per_week"]["value"] or 0.0), p["contact"])
    )
    table = Table(
        title=f"Load per person, per week (busiest {min(len(people), _PEOPLE_SHOWN)} of "
        f"{len(people)})",
        title_justify="left",
    )
    for column in (
        "contact",
        "zone",
        "pages",
        "at night",
        "at weekends",
        "acknowledged",
        "on call (h)",
    ):
        table.add_column(column, justify="left" if column in ("contact", "zone") else "right")
    for person in people[:_PEOPLE_SHOWN]:
        hours = person["on_call_hours"]
        table.add_row(
            person["contact"],
            person["zone"],
            show_estimate(person["pages_per_week"]),
            show_estimate(person["night_pages_per_week"]),
            show_estimate(person["weekend_pages_per_week"]),
            show_estimate(person["acknowledgements_per_week"]),
            "-" if hours is None else f"{hours:,.0f}",
        )
    out.print(table)
    fairness = Table(title="Fairness", title_justify="left")
    for column in ("load", "Grafana balance", "Gini", "above average"):
        fairness.add_column(column)
    for name, label in (("pages", "pages"), ("on_call_hours", "on-call hours")):
        figures = load["fairness"][name]
        above = ", ".join(
            f"{o['contact']} +{o['percent_above_average']}%" for o in figures["overloaded"][:5]
        )
        fairness.add_row(
            label,
            show_estimate(figures["grafana_balance"]),
            show_estimate(figures["gini"]),
            above or "balanced",
        )
    out.print(fairness)


def render_diff(out: Console, document: dict[str, Any]) -> None:
    """The changes between two versions, or a line saying there are none."""
    old, new = document["old"], document["new"]
    out.print(Text(f"Diff of {old['source']} -> {new['source']}", style="bold"))
    out.print(
        f"window {document['window']['from']} to {document['window']['to']}  replications "
        f"{document['replications']}  seed {document['seed']}"
    )
    changes = document["changes"]
    if document["identical"]:
        out.print(
            Text("No differences: same coverage, load and time to acknowledge", style="green")
        )
        return
    if changes["coverage"]:
        table = Table(title="Coverage gaps gained and lost", title_justify="left")
        for column in ("contact", "kind", "gained", "lost", "first gained", "first lost"):
            table.add_column(column, overflow="fold")
        for row in changes["coverage"]:
            gained, lost = row["gained"], row["lost"]
            table.add_row(
                row["contact"],
                row["kind"],
                format_duration(sum(i["seconds"] for i in gained)),
                format_duration(sum(i["seconds"] for i in lost)),
                f"{gained[0]['start']} to {gained[0]['end']}" if gained else "-",
                f"{lost[0]['start']} to {lost[0]['end']}" if lost else "-",
            )
        out.print(table)
    if changes["load"]:
        table = Table(title="Load per person (pages per week)", title_justify="left")
        for column in ("contact", "old", "new", "change"):
            table.add_column(column, justify="left" if column == "contact" else "right")
        for row in changes["load"][: _PEOPLE_SHOWN * 2]:
            table.add_row(
                row["contact"],
                show_estimate(row["old"]),
                show_estimate(row["new"]),
                show_estimate(row["change"]),
            )
        out.print(table)
    tta = changes["time_to_acknowledge"]
    if tta:
        table = Table(title="Time to acknowledge", title_justify="left")
        for column in ("figure", "old", "new"):
            table.add_column(column, justify="left" if column == "figure" else "right")
        for row in tta:
            percent = row["figure"] not in ("p50", "p90", "p99", "mean_when_acknowledged")
            table.add_row(
                row["figure"],
                show_estimate(row["old"], percent=percent, seconds=not percent),
                show_estimate(row["new"], percent=percent, seconds=not percent),
            )
        out.print(table)
    incidents = changes["incidents"]
    if incidents["changed"]:
        table = Table(
            title=f"Incidents whose outcome changed: {incidents['changed']} "
            f"({incidents['better']} sooner, {incidents['worse']} later or never)",
            title_justify="left",
        )
        for column in ("replication", "incident", "at", "target", "old", "new"):
            table.add_column(column)
        for row in incidents["examples"]:
            table.add_row(
                str(row["replication"]),
                str(row["incident"]),
                row["at"],
                row["target"],
                show_seconds(row["old"]),
                show_seconds(row["new"]),
            )
        out.print(table)
