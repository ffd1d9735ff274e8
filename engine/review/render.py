"""The review and the diff as rich tables for a terminal; ``--output json`` prints the documents.

Tables show what a person acts on first; long lists (findings, people, gaps, incidents) are cut
to their heads here, with a title saying "first N of M", and given whole in the JSON. Figures
carry the same labels in both (``P90``, ``acknowledged within 15m``), instants are shown to the
second, and text from the files (names, messages) is escaped (see :mod:`engine.safetext`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine.findings import CATALOGUE
from engine.review.stats import Estimate
from engine.safetext import safe_text
from engine.timeutil import format_duration

_FINDINGS_SHOWN = 25
_PEOPLE_SHOWN = 15
_SUBJECTS_SHOWN = 20
_ROWS_SHOWN = 20
_LABELS = {
    "p50": "P50",
    "p90": "P90",
    "p99": "P99",
    "mean_when_acknowledged": "mean (acknowledged)",
    "no_acknowledgement": "never acknowledged",
}


def figure_label(name: str) -> str:
    """The label people read for a figure's JSON key: ``P90``, ``acknowledged within 15m``,
    ``reaching stage 2``."""
    if name in _LABELS:
        return _LABELS[name]
    if name.startswith("within_"):
        return f"acknowledged within {name.removeprefix('within_')}"
    if name.startswith("reach_stage_"):
        return f"reaching stage {name.removeprefix('reach_stage_')}"
    return name.replace("_", " ")


def show_instant(text: str) -> str:
    """An ISO 8601 instant to the second: ``2026-01-03T04:05:06+00:00``."""
    head, dot, rest = text.partition(".")
    if not dot:
        return text
    offset = rest.lstrip("0123456789")
    return head + offset


def _titled(what: str, shown: int, total: int) -> str:
    """``what`` and, when the table is cut, which part of it is shown."""
    return f"{what}: first {shown} of {total}" if shown < total else what


def _table(
    title: str | None, columns: Sequence[str], *, right: Collection[str] = (), fold: bool = False
) -> Table:
    """A table with a left-aligned title; ``right`` names the right-justified columns."""
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(
            column,
            justify="right" if column in right else "left",
            overflow="fold" if fold else "ellipsis",
        )
    return table


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


def show_estimate(est: Estimate, *, percent: bool = False, seconds: bool = False) -> str:
    """``62.0% [60.1%, 63.9%]``: a value and its 95% interval."""
    value = _number(est.get("value"), percent, seconds)
    low, high = est.get("ci") or [None, None]
    if low is None and high is None:
        return value
    return f"{value} [{_number(low, percent, seconds)}, {_number(high, percent, seconds)}]"


def incidents_per_replication(forecast: dict[str, Any]) -> str:
    """``about 364 per replication (18,205 in all)``: the count a person compares with a year."""
    total = forecast["incidents"]
    replications = forecast["replications"]
    if replications <= 1:
        return f"{total:,}"
    each = forecast["incidents_per_replication"]["value"] or 0.0
    return f"about {each:,.0f} per replication ({total:,} in all)"


def render_review(out: Console, document: dict[str, Any]) -> None:
    """Every section of a review document."""
    info = document["input"]
    window = document["window"]
    forecast = document["forecast"]
    out.print(safe_text(f"Review of {info['name']} ({info['source']})", style="bold"))
    out.print(
        Text(
            f"window {show_instant(window['from'])} to {show_instant(window['to'])}  "
            f"replications {forecast['replications']}  seed {forecast['seed']}  "
            f"incidents {incidents_per_replication(forecast)}"
        )
    )
    model = document["incident_model"]
    rate = f"{model['rate_per_day']}/day" if model["rate_per_day"] is not None else ""
    volume = rate or f"{model['count']} per replication"
    out.print(safe_text(f"incident model: {model['source']} ({volume}, {model['profile']})"))
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
    columns = ("id", "name", "severity", "count", "why it matters")
    summary = _table("Lint: findings by kind", columns, fold=True)
    for kind_id in sorted(counts):
        kind = CATALOGUE[kind_id]
        style = "red" if kind.severity == "error" else "yellow"
        summary.add_row(
            Text(kind_id),
            Text(kind.name),
            Text(kind.severity, style=style),
            str(counts[kind_id]),
            Text(kind.why),
        )
    out.print(summary)
    title = _titled("Lint", min(len(findings), _FINDINGS_SHOWN), len(findings))
    table = _table(title, ("id", "where", "problem"), fold=True)
    for finding in findings[:_FINDINGS_SHOWN]:
        where = finding.get("Location") or finding["Path"]
        if "Line" in finding:
            where = f"{where} (line {finding['Line']})"
        table.add_row(Text(finding["Id"]), safe_text(where), safe_text(finding["Message"]))
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
    title = (
        f"Coverage: {len(gapped)} of {totals['subjects']} with gaps "
        f"({len(changes)} DST change(s) crossed)"
    )
    columns = ("contact", "type", "zone", "first stage: gaps", "time", "share", "nobody: gaps")
    table = _table(
        _titled(title, min(len(gapped), _SUBJECTS_SHOWN), len(gapped)),
        (*columns, "time", "share"),
        right=("time", "share"),
    )
    for subject in gapped[:_SUBJECTS_SHOWN]:
        first, nobody = subject["first_stage"], subject["nobody"]
        table.add_row(
            safe_text(subject["contact"]),
            subject["type"],
            Text(subject["zone"]),
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
    table = _table(
        "Time to acknowledge (95% intervals)", ("figure", "estimate"), right=("estimate",)
    )
    for name in ("p50", "p90", "p99", "mean_when_acknowledged"):
        table.add_row(figure_label(name), show_estimate(tta[name], seconds=True))
    for label, est in tta["within"].items():
        table.add_row(figure_label(f"within_{label}"), show_estimate(est, percent=True))
    table.add_row(
        figure_label("no_acknowledgement"), show_estimate(tta["no_acknowledgement"], percent=True)
    )
    out.print(table)
    if forecast["stage_reach"]:
        title = "Escalation stage reached (every stage of the plans)"
        columns = ("stage", "P(reaching it)")
        reach = _table(title, columns, right=columns)
        for row in forecast["stage_reach"]:
            reach.add_row(str(row["stage"]), show_estimate(row, percent=True))
        out.print(reach)
    messages = _table("Messages per engagement", ("channel type", "messages"), right=("messages",))
    for kind, est in forecast["messages_per_engagement"].items():
        messages.add_row(kind, show_estimate(est))
    messages.add_row("pages", show_estimate(forecast["pages_per_engagement"]))
    out.print(messages)


def _load(out: Console, load: dict[str, Any]) -> None:
    people = sorted(
        load["people"], key=lambda p: (-(p["pages_per_week"]["value"] or 0.0), p["contact"])
    )
    shown = min(len(people), _PEOPLE_SHOWN)
    title = f"Load per person, per week (busiest {shown} of {len(people)})"
    table = Table(title=title if shown < len(people) else "Load per person, per week")
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
            safe_text(person["contact"]),
            Text(person["zone"]),
            show_estimate(person["pages_per_week"]),
            show_estimate(person["night_pages_per_week"]),
            show_estimate(person["weekend_pages_per_week"]),
            show_estimate(person["acknowledgements_per_week"]),
            "-" if hours is None else f"{hours:,.0f}",
        )
    out.print(table)
    fairness = _table("Fairness", ("load", "Grafana balance", "Gini", "above average"))
    for name, label in (("pages", "pages"), ("on_call_hours", "on-call hours")):
        figures = load["fairness"][name]
        above = ", ".join(
            f"{o['contact']} +{o['percent_above_average']}%" for o in figures["overloaded"][:5]
        )
        fairness.add_row(
            label,
            show_estimate(figures["grafana_balance"]),
            show_estimate(figures["gini"]),
            safe_text(above or "balanced"),
        )
    out.print(fairness)


def render_diff(out: Console, document: dict[str, Any]) -> None:
    """What changed in the organisation, then its effects; or a line saying nothing changed."""
    old, new = document["old"], document["new"]
    out.print(safe_text(f"Diff of {old['source']} -> {new['source']}", style="bold"))
    window = document["window"]
    out.print(
        Text(
            f"window {show_instant(window['from'])} to {show_instant(window['to'])}  "
            f"replications {document['replications']}  seed {document['seed']}"
        )
    )
    changes = document["changes"]
    if document["identical"]:
        out.print(
            Text(
                "No differences: same organisation, coverage, load and time to acknowledge",
                style="green",
            )
        )
        return
    _organisation_changes(out, changes["organisation"])
    _lint_changes(out, changes["lint"])
    if changes["coverage"]:
        columns = ("contact", "kind", "gained", "lost", "first gained", "first lost")
        table = _table("Coverage gaps gained and lost", columns, fold=True)
        for row in changes["coverage"]:
            gained, lost = row["gained"], row["lost"]
            table.add_row(
                safe_text(row["contact"]),
                row["kind"].replace("_", " "),
                format_duration(sum(i["seconds"] for i in gained)),
                format_duration(sum(i["seconds"] for i in lost)),
                _interval(gained[0]) if gained else "-",
                _interval(lost[0]) if lost else "-",
            )
        out.print(table)
    if changes["load"]:
        rows = changes["load"]
        shown = min(len(rows), _PEOPLE_SHOWN * 2)
        title = _titled("Load per person (pages per week)", shown, len(rows))
        table = _table(title, ("contact", "old", "new", "change"), right=("old", "new", "change"))
        for row in rows[:shown]:
            estimates = (show_estimate(row[key]) for key in ("old", "new", "change"))
            table.add_row(safe_text(row["contact"]), *estimates)
        out.print(table)
    tta = changes["time_to_acknowledge"]
    if tta:
        title = "Time to acknowledge and stage reached"
        table = _table(title, ("figure", "old", "new"), right=("old", "new"))
        for row in tta:
            percent = row["figure"] not in ("p50", "p90", "p99", "mean_when_acknowledged")
            table.add_row(
                figure_label(row["figure"]),
                show_estimate(row["old"], percent=percent, seconds=not percent),
                show_estimate(row["new"], percent=percent, seconds=not percent),
            )
        out.print(table)
    incidents = changes["incidents"]
    if incidents["changed"]:
        examples = incidents["examples"]
        title = (
            f"Incidents whose outcome changed: {incidents['changed']:,} "
            f"({incidents['better']:,} sooner, {incidents['worse']:,} later or never)"
        )
        # On a line of its own: a table's title wraps at the (narrow) table's width.
        out.print(Text(_titled(title, len(examples), incidents["changed"]), style="italic"))
        table = _table(None, ("replication", "incident", "at", "target", "old", "new"))
        for row in examples:
            table.add_row(
                str(row["replication"]),
                str(row["incident"]),
                show_instant(row["at"]),
                safe_text(row["target"]),
                show_seconds(row["old"]),
                show_seconds(row["new"]),
            )
        out.print(table)


def _interval(interval: Mapping[str, str]) -> str:
    return f"{show_instant(interval['start'])} to {show_instant(interval['end'])}"


def _organisation_changes(out: Console, rows: list[dict[str, str]]) -> None:
    if not rows:
        out.print(Text("Organisation: unchanged (the differences below come from the model)"))
        return
    shown = min(len(rows), _ROWS_SHOWN * 2)
    title = _titled(f"Organisation changes ({len(rows)})", shown, len(rows))
    table = _table(title, ("what", "change", "old", "new"), fold=True)
    for row in rows[:shown]:
        what = f"{row['kind']} {row['name']}" + (f": {row['field']}" if row["field"] else "")
        table.add_row(
            safe_text(what),
            row["change"],
            safe_text(row["old"] or "-"),
            safe_text(row["new"] or "-"),
        )
    out.print(table)


def _lint_changes(out: Console, lint: dict[str, list[dict[str, Any]]]) -> None:
    rows = [("gained", f) for f in lint["gained"]] + [("lost", f) for f in lint["lost"]]
    if not rows:
        return
    shown = min(len(rows), _FINDINGS_SHOWN)
    title = _titled("Findings gained and lost", shown, len(rows))
    table = _table(title, ("", "id", "where", "problem"), fold=True)
    for change, finding in rows[:shown]:
        where = finding.get("Location") or finding["Path"]
        table.add_row(
            Text(change, style="red" if change == "gained" else "green"),
            Text(finding["Id"]),
            safe_text(where),
            safe_text(finding["Message"]),
        )
    out.print(table)
