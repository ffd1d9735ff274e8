"""Review and diff as a pull-request comment (``--output markdown``).

The verdict comes first, as a heading that says pass or fail, with each reason to fail (a
failing requirement with its measured value and interval, a finding at the ``--fail-on``
severity, a regression); then the requirements, the key figures (or, for a diff, what changed),
and the findings as a list with their place in the file. Text from the organisation is escaped
so that it is read as text, never as Markdown or HTML. The same document gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from engine.review.gate import Verdict, gap_seconds
from engine.review.render import figure_label
from engine.review.requirements import METRICS, figure_text
from engine.safetext import escape_controls
from engine.timeutil import format_duration

__all__ = ["code", "diff_markdown", "md", "review_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LISTED = 50
_LOAD_SHOWN = 10
_FIGURES = (
    ("lint.errors", "lint errors"),
    ("lint.warnings", "lint warnings"),
    ("coverage.first_stage", "first-stage coverage (least covered plan or schedule)"),
    ("coverage.any_stage", "any-stage coverage (least covered plan or schedule)"),
    ("tta.p50", "time to acknowledge, P50"),
    ("tta.p90", "time to acknowledge, P90"),
    ("tta.p99", "time to acknowledge, P99"),
    ("tta.within_15m", "acknowledged within 15m"),
    ("tta.no_acknowledgement", "never acknowledged"),
    ("load.max_pages_per_week", "most pages per week for one person"),
    ("load.max_night_pages_per_week", "most night pages per week for one person"),
    ("fairness.pages.grafana_balance", "balance of pages (Grafana, 1 is even)"),
)


def md(text: object) -> str:
    """``text`` on one line, controls escaped, Markdown's special characters backslashed."""
    return _SPECIAL.sub(r"\\\1", escape_controls(text, one_line=True))


def code(text: object) -> str:
    """``text`` as an inline code span (controls escaped; a fence longer than any run of
    backticks inside), or ``(none)`` for empty text."""
    value = escape_controls("" if text is None else text, one_line=True)
    if not value:
        return "(none)"
    longest = max((len(run) for run in re.findall("`+", value)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {value} " if value.startswith("`") or value.endswith("`") else value
    return f"{fence}{padded}{fence}"


def _rows(value: object) -> list[Mapping[str, object]]:
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def _verdict(command: str, verdict: Verdict, failing: str) -> list[str]:
    if verdict.passed:
        return [f"## ✅ {command}: pass", ""]
    lines = [f"## ❌ {command}: fail", "", failing, ""]
    lines += [f"- {md(reason)}" for reason in verdict.reasons]
    return [*lines, ""]


def _findings(rows: Sequence[Mapping[str, object]], uri: str | None, title: str) -> list[str]:
    if not rows:
        return [f"### {title}", "", "None.", ""]
    lines = [f"### {title} ({len(rows)})", ""]
    for row in rows[:_LISTED]:
        where = md(row.get("Path", ""))
        line = row.get("Line")
        if uri is not None and isinstance(line, int):
            where = f"{md(uri)}:{line}, {where}"
        lines.append(
            f"- **{md(row.get('Severity'))} {md(row.get('Id'))}** {md(row.get('Name'))} "
            f"({where}): {md(row.get('Message'))}"
        )
    if len(rows) > _LISTED:
        lines.append(f"- and {len(rows) - _LISTED} more (see the JSON or SARIF output)")
    return [*lines, ""]


def review_markdown(
    document: Mapping[str, object], verdict: Verdict, uri: str | None, fail_on: str
) -> str:
    """A pull-request comment for a review ``document`` judged by ``verdict``."""
    source = document.get("input")
    window = document.get("window")
    forecast = document.get("forecast")
    lines = _verdict(
        "escsim review", verdict, f"Failing (lint at {fail_on} or worse, then requirements):"
    )
    if isinstance(source, Mapping) and isinstance(window, Mapping):
        replications = forecast.get("replications") if isinstance(forecast, Mapping) else None
        seed = forecast.get("seed") if isinstance(forecast, Mapping) else None
        lines += [
            f"{md(source.get('source'))} ({md(source.get('name'))}), window "
            f"{md(window.get('from'))} to {md(window.get('to'))}, {replications} replications, "
            f"seed {seed}. Requirements hold only over the whole 95% interval: the end on the "
            "failing side is compared.",
            "",
        ]
    if verdict.outcomes:
        lines += ["### Requirements", "", "| requirement | result | measured | compared |"]
        lines.append("|---|---|---|---|")
        for outcome in verdict.outcomes:
            result = "pass" if outcome.passed else "**fail**"
            compared = outcome.compared if outcome.measured is not None else "nothing"
            lines.append(
                f"| `{outcome.requirement.text.replace('|', '/')}` | {result} | "
                f"{md(outcome.measured_text())} | {md(compared)} |"
            )
        lines.append("")
    lines += ["### Key figures", "", "| figure | value |", "|---|---|"]
    for name, label in _FIGURES:
        metric = METRICS[name]
        lines.append(f"| {label} (`{name}`) | {md(figure_text(metric, metric.read(document)))} |")
    lines.append("")
    lint = document.get("lint")
    findings = _rows(lint.get("findings")) if isinstance(lint, Mapping) else []
    lines += _findings(findings, uri, "Findings")
    return "\n".join(lines)


def _rate(value: object) -> str:
    """A per-week estimate with its interval: ``7.1 (6.97 to 7.22)``."""
    if not isinstance(value, Mapping) or not isinstance(value.get("value"), int | float):
        return "none"
    text = f"{value['value']:.3g}"
    ci = value.get("ci")
    if isinstance(ci, list) and len(ci) == 2 and all(isinstance(v, int | float) for v in ci):
        text += f" ({ci[0]:.3g} to {ci[1]:.3g})"
    return text


def _source(version: object) -> str | None:
    source = version.get("source") if isinstance(version, Mapping) else None
    return source if isinstance(source, str) else None


def _estimate(value: object, seconds: bool) -> str:
    if not isinstance(value, Mapping):
        return "none"
    figure = value.get("value")
    if figure is None:
        return "never" if seconds else "none"
    if not isinstance(figure, int | float):
        return md(figure)
    return format_duration(figure) if seconds else f"{100 * figure:.2f}%"


def diff_markdown(document: Mapping[str, object], verdict: Verdict) -> str:
    """A pull-request comment for a diff ``document`` judged by ``verdict`` (its regressions)."""
    old, new = document.get("old"), document.get("new")
    lines = _verdict("escsim diff", verdict, "Regressions:")
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        lines += [
            f"{md(old.get('source'))} against {md(new.get('source'))}: "
            + ("identical." if document.get("identical") else "they differ."),
            "",
        ]
    changes = document.get("changes")
    changes = changes if isinstance(changes, Mapping) else {}
    organisation = _rows(changes.get("organisation"))
    lines += ["### What changed", ""]
    if not organisation:
        lines.append("Nothing in the organisation itself.")
    for row in organisation[:_LISTED]:
        field = f" {md(row.get('field'))}" if row.get("field") else ""
        lines.append(
            f"- {md(row.get('change'))} {md(row.get('kind'))} **{md(row.get('name'))}**{field}: "
            f"{code(row.get('old'))} → {code(row.get('new'))}"
        )
    lines.append("")
    coverage = _rows(changes.get("coverage"))
    if coverage:
        lines += [
            "### Coverage",
            "",
            "| plan or schedule | stages | gap time gained | gap time lost |",
        ]
        lines.append("|---|---|---|---|")
        for row in coverage:
            gained = format_duration(gap_seconds(row.get("gained")))
            lost = format_duration(gap_seconds(row.get("lost")))
            which = "first" if row.get("kind") == "first_stage" else "any"
            lines.append(f"| {md(row.get('contact'))} | {which} | {gained} | {lost} |")
        lines.append("")
    figures = _rows(changes.get("time_to_acknowledge"))
    if figures:
        lines += ["### Time to acknowledge and reach", "", "| figure | old | new |"]
        lines.append("|---|---|---|")
        for row in figures:
            name = str(row.get("figure"))
            seconds = name in ("p50", "p90", "p99", "mean_when_acknowledged")
            lines.append(
                f"| {md(figure_label(name))} | {_estimate(row.get('old'), seconds)} | "
                f"{_estimate(row.get('new'), seconds)} |"
            )
        lines.append("")
    load = _rows(changes.get("load"))
    if load:
        lines += ["### Pages per week", "", "| person | old | new | change |", "|---|---|---|---|"]
        for row in load[:_LOAD_SHOWN]:
            lines.append(
                f"| {md(row.get('contact'))} | {_rate(row.get('old'))} | {_rate(row.get('new'))} "
                f"| {_rate(row.get('change'))} |"
            )
        if len(load) > _LOAD_SHOWN:
            lines.append(f"\nFirst {_LOAD_SHOWN} of {len(load)} people whose load changed.")
        lines.append("")
    lint = changes.get("lint")
    lint = lint if isinstance(lint, Mapping) else {}
    lines += _findings(_rows(lint.get("gained")), _source(new), "Findings gained")
    lines += _findings(_rows(lint.get("lost")), _source(old), "Findings lost")
    return "\n".join(lines)
