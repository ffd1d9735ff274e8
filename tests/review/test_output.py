"""What people read from review and diff: the report's place, every stage, incidents per
replication, the heatmap's unknown hours, the plots' axes and graph, the progress bar, and a diff
that opens with the organisation's changes in review's labels."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.progress import Progress

from engine.cli.review import progress_columns
from engine.review.document import ReviewRun
from engine.review.graph_layout import Box, GraphLayout, layout_graph
from engine.review.inputs import scenario_input
from engine.review.orgdiff import organisation_changes
from engine.review.render import figure_label, render_review, show_instant
from tests.review.conftest import SEED_ESCALATION, Run, people, run_review, scenario

FAST = ("--replications", "2", "--workers", "1", "--to", "30d")


@pytest.fixture(scope="module")
def seed_run() -> ReviewRun:
    return run_review(scenario_input(str(SEED_ESCALATION)), replications=2, end="30d")


def _text(document: dict[str, Any]) -> str:
    buffer = io.StringIO()
    render_review(Console(file=buffer, width=200), document)
    return buffer.getvalue()


# --- review ---------------------------------------------------------------------------------


def test_review_says_where_the_report_was_written(escsim: Run, tmp_path: Path) -> None:
    target = tmp_path / "report"
    code, out, err = escsim("review", str(SEED_ESCALATION), *FAST, "--report", str(target),
                            "--output", "json")  # fmt: skip
    assert code == 0
    assert f"escsim review: report written to {target / 'index.html'}" in err
    json.loads(out)  # stdout stays the document alone


def test_every_stage_of_the_plan_is_listed_unreached_ones_at_zero(seed_run: ReviewRun) -> None:
    # akuam's essential acknowledgement at 7 minutes stops the plan before its stage 2 (10 min).
    reach = seed_run.document["forecast"]["stage_reach"]
    assert [row["stage"] for row in reach] == [0, 1, 2]
    assert reach[2]["value"] == 0.0
    [target] = seed_run.document["forecast"]["targets"]
    assert [row["stage"] for row in target["stage_reach"]] == [0, 1, 2]
    assert re.search(r"│\s+2 │\s+0\.0% ", _text(seed_run.document))


def test_the_header_gives_incidents_per_replication(seed_run: ReviewRun) -> None:
    forecast = seed_run.document["forecast"]
    each = forecast["incidents_per_replication"]["value"]
    assert forecast["incidents"] == 2 * each
    assert f"about {each:,.0f} per replication ({forecast['incidents']:,} in all)" in _text(
        seed_run.document
    )


BUSINESS_HOURS = (
    """
contacts:
"""
    + people("a")
    + """
  office:
    rotations: [day]
rotations:
  day:
    members: [a]
    zone: UTC
    daily: ["09:00"]
    coverage: {MON: [["09:00", "17:00"]], TUE: [["09:00", "17:00"]], WED: [["09:00", "17:00"]],
               THU: [["09:00", "17:00"]], FRI: [["09:00", "17:00"]]}
"""
)


def test_heatmap_hours_outside_the_window_are_unknown_not_covered(
    reviewed: Callable[..., ReviewRun],
) -> None:
    # 2026-01-05 is a Monday: a two-day window holds Monday and Tuesday only.
    run = reviewed(scenario(BUSINESS_HOURS), replications=1, end="2d")
    [row] = run.document["coverage"]["heatmap"]
    shares = row["first_stage"]
    assert shares[:48] == [1.0] * 9 + [0.0] * 8 + [1.0] * 7 + [1.0] * 9 + [0.0] * 8 + [1.0] * 7
    assert shares[48:] == [None] * (168 - 48)


# --- plots ----------------------------------------------------------------------------------


@pytest.fixture
def pyplot() -> Any:
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the review extra)")
    from engine.review.report import matplotlib_pyplot

    return matplotlib_pyplot()


def test_time_to_acknowledge_plot_starts_at_zero_with_5_15_30_minute_markers(
    seed_run: ReviewRun, pyplot: Any
) -> None:
    from engine.review.report import _tta_cdf

    figure = _tta_cdf(pyplot, seed_run)
    axes = figure.axes[0]
    assert axes.get_xlim()[0] == 0
    lines = axes.get_lines()
    verticals = {line.get_xdata()[0] for line in lines if len(set(line.get_xdata())) == 1}
    assert {5, 15, 30} <= verticals
    assert {"5 min", "15 min", "30 min"} <= {text.get_text() for text in axes.texts}
    pyplot.close(figure)


def test_heatmap_draws_unknown_hours_empty_and_says_when_there_are_no_gaps(
    reviewed: Callable[..., ReviewRun], seed_run: ReviewRun, pyplot: Any
) -> None:
    import numpy

    from engine.review.report import _heatmap

    figure = _heatmap(pyplot, reviewed(scenario(BUSINESS_HOURS), replications=1, end="2d"))
    [image] = figure.axes[0].get_images()
    shown = image.get_array()
    unknown = numpy.ma.getmaskarray(shown)[0]
    assert shown[0][0] == 1.0 and not unknown[0] and unknown[100]  # drawn in the "bad" colour
    assert image.get_cmap().get_bad()[0] > 0.8  # light grey, not a shade of red
    assert "outside the window" in figure.axes[0].get_xlabel()
    pyplot.close(figure)
    empty = _heatmap(pyplot, seed_run)
    assert any("No gaps" in text.get_text() for text in empty.axes[0].texts)
    pyplot.close(empty)


TEAM = (
    """
contacts:
"""
    + people("primary1", "primary2", "secondary1", "mgr", "lead")
    + """
  primary_oncall:
    rotations: [primary]
  secondary_oncall:
    rotations: [secondary]
  payments_escalation:
    plan:
      - {duration: 5, targets: [{contact: primary_oncall, essential: true}]}
      - {duration: 10, targets: [{contact: secondary_oncall}]}
      - {duration: 15, targets: [{contact: mgr, essential: true}, {contact: lead}]}
  db_escalation:
    plan:
      - {duration: 5, targets: [{contact: secondary_oncall, essential: true}]}
      - {duration: 5, targets: [{contact: lead}]}
rotations:
  primary:
    members: [primary1, primary2]
    zone: Europe/London
    weekly: [{day: MON, at: "09:00"}]
  secondary:
    members: [secondary1, mgr]
    zone: America/New_York
    weekly: [{day: MON, at: "09:00"}]
"""
)


def _crosses(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    """Does the segment pass through the inside of ``box``? (Liang-Barsky clipping.)"""
    (x0, y0), (x1, y1) = start, end
    low, high = 0.0, 1.0
    for p, q in (
        (-(x1 - x0), x0 - box.x),
        (x1 - x0, box.x + box.width - x0),
        (-(y1 - y0), y0 - box.y),
        (y1 - y0, box.y + box.height - y0),
    ):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    return high - low > 1e-9


def _layout(write: Callable[..., str], text: str) -> GraphLayout:
    return layout_graph(scenario_input(write(text)).simulator.graph().nx_graph)


def test_graph_edges_never_pass_through_a_box_they_do_not_join(
    write: Callable[..., str],
) -> None:
    for plan in (
        _layout(write, scenario(TEAM)),
        layout_graph(scenario_input(str(SEED_ESCALATION)).simulator.graph().nx_graph),
    ):
        assert plan.edges
        for edge in plan.edges:
            for start, end in zip(edge.points, edge.points[1:], strict=False):
                for box in plan.boxes:
                    if box.node in (edge.source, edge.target):
                        continue
                    assert not _crosses(start, end, box), (edge.label, box.lines[0])
        for one in plan.boxes:  # and no two boxes overlap
            for other in plan.boxes:
                if one is not other:
                    assert not _crosses(
                        (one.x + 0.01, one.y + 0.01),
                        (one.x + one.width - 0.01, one.y + one.height - 0.01),
                        other,
                    )


def test_graph_labels_stages_and_lists_channels_under_their_owner(
    write: Callable[..., str],
) -> None:
    plan = _layout(write, scenario(TEAM))
    labels = {edge.label for edge in plan.edges if edge.style in ("plan", "essential")}
    assert "stage 2 · 15m · essential" in labels and "stage 1 · 10m · not essential" in labels
    [mgr] = [box for box in plan.boxes if box.lines[0] == "mgr"]
    assert mgr.lines[1:] == (
        "sms SMS: stage 0 (5m, retry 1m)",
        "voice VOICE: stage 1 (5m, retry 1m)",
    )
    assert not any(box.kind == "channel" for box in plan.boxes)
    # Every edge runs from a column to a later one (plans left, people right).
    x = {box.node: box.x for box in plan.boxes}
    assert all(x[edge.source] < x[edge.target] for edge in plan.edges)


def test_graph_plot_has_a_legend_and_edge_labels(
    write: Callable[..., str], reviewed: Callable[..., ReviewRun], pyplot: Any
) -> None:
    from engine.review.report import _graph_plot

    figure = _graph_plot(pyplot, reviewed(scenario(TEAM), replications=1, end="7d"))
    axes = figure.axes[0]
    legend = {text.get_text() for text in axes.get_legend().get_texts()}
    assert {"escalation plan", "on-call schedule", "rotation", "plan target, essential"} <= legend
    assert "stage 0 · 5m · essential" in {text.get_text() for text in axes.texts}
    pyplot.close(figure)


# --- progress -------------------------------------------------------------------------------


def test_progress_bar_shows_rate_and_time_left() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with Progress(*progress_columns(), console=console, auto_refresh=False) as progress:
        task = progress.add_task("20 replications (in-process)", total=20)
        progress.update(task, completed=5)
        progress.refresh()
    shown = buffer.getvalue()
    assert "5/20" in shown and "/s" in shown and "ETA" in shown


# --- diff -----------------------------------------------------------------------------------


DIFF_TEAM = (
    """
contacts:
"""
    + people("a", "b", "c")
    + """
  oncall:
    rotations: [weekly]
  team:
    plan:
      - {duration: MINUTES, targets: [{contact: oncall, essential: true}]}
      - {duration: 5, targets: [{contact: c, essential: true}]}
rotations:
  weekly:
    members: [a, MEMBER]
    zone: UTC
    weekly: [{day: MON, at: "09:00"}]
responders:
  a: {probability: 0.5, delay: {fixed: 7m}}
  b: {probability: 0.5, delay: {fixed: 8m}}
  c: {acknowledges_after: 2m}
incidents: {rate: 6/day}
"""
)


def _versions(write: Callable[..., str]) -> tuple[str, str]:
    old = scenario(DIFF_TEAM.replace("MINUTES", "5").replace("MEMBER", "b"))
    new = scenario(DIFF_TEAM.replace("MINUTES", "10").replace("MEMBER", "c"))
    return write(old, "old.scenario.yaml"), write(new, "new.scenario.yaml")


def test_organisation_changes_name_the_stage_duration_and_the_member(
    write: Callable[..., str],
) -> None:
    old, new = _versions(write)
    rows = organisation_changes(scenario_input(old), scenario_input(new))
    assert {(r["kind"], r["name"], r["field"], r["old"], r["new"]) for r in rows} == {
        ("contact", "team", "stage 0", "5m: oncall (essential)", "10m: oncall (essential)"),
        ("rotation", "weekly", "members", "a, b", "a, c"),
    }
    assert organisation_changes(scenario_input(old), scenario_input(old)) == []


def test_diff_opens_with_the_organisation_in_review_labels_and_says_where_it_cuts(
    escsim: Run, write: Callable[..., str]
) -> None:
    old, new = _versions(write)
    code, out, _ = escsim("diff", old, new, *FAST)
    assert code == 1
    assert out.index("Organisation changes (2)") < out.index("Time to acknowledge")
    assert "contact team: stage 0" in out and "10m: oncall (essential)" in out
    assert "rotation weekly: members" in out
    code, document, _ = escsim("diff", old, new, *FAST, "--output", "json")
    changes = json.loads(document)["changes"]
    for row in changes["time_to_acknowledge"]:
        assert figure_label(row["figure"]) in out
    assert not re.search(r"\b(p90|within_\d+m|reach_stage_\d|mean_when_acknowledged)\b", out)
    changed = changes["incidents"]["changed"]
    assert changed > 20
    assert f"first 20 of {changed:,}" in out
    assert not re.search(r"\d\d:\d\d:\d\d\.\d", out)  # instants to the second


def test_figure_labels_and_instants_for_people() -> None:
    assert [figure_label(k) for k in ("p90", "within_15m", "reach_stage_2")] == [
        "P90",
        "acknowledged within 15m",
        "reaching stage 2",
    ]
    assert show_instant("2026-01-03T04:05:06.123456+00:00") == "2026-01-03T04:05:06+00:00"
    assert show_instant("2026-01-03T04:05:06+00:00") == "2026-01-03T04:05:06+00:00"


def test_a_large_graph_is_drawn_from_its_first_plans_and_says_so(
    write: Callable[..., str],
) -> None:
    graph = scenario_input(write(scenario(TEAM))).simulator.graph().nx_graph
    whole = layout_graph(graph)
    assert (whole.left_out, whole.roots) == (0, 2)  # db_escalation and payments_escalation
    cut = layout_graph(graph, limit=6)
    assert (cut.left_out, cut.roots) == (1, 2)
    drawn = {box.lines[0] for box in cut.boxes}
    assert "db_escalation" in drawn and "payments_escalation" not in drawn
    assert len(cut.boxes) < len(whole.boxes)
