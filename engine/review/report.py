"""The review as an HTML report with plots, written to a directory.

``index.html`` holds every section as tables; with matplotlib installed (the ``review`` extra)
four PNG plots sit beside it: the time-to-acknowledge CDF (from zero, with 5, 15 and 30-minute
markers), load per person with its intervals, the coverage heatmap by hour of the week (hours
outside the window left grey), and the contact graph in layers (see
:mod:`engine.review.graph_layout`), its edges labelled and its legend below. Without matplotlib
the report is written all the same and says what to install.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from engine.review.graph_layout import layout_graph
from engine.review.render import incidents_per_replication, show_estimate, show_seconds

if TYPE_CHECKING:
    from engine.review.document import ReviewRun


INSTALL_HINT = "pip install 'escsim[review]'"
PLOTS = ("tta_cdf.png", "load.png", "coverage_heatmap.png", "graph.png")
_PEOPLE_PLOTTED = 30
_HEATMAP_ROWS = 40
_GRAPH_BOXES = 60
_MARKERS = (5, 15, 30)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def matplotlib_pyplot() -> ModuleType | None:
    """matplotlib's pyplot on the file-only Agg backend, or None when it is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    return pyplot


def write_report(run: ReviewRun, directory: str | Path) -> list[Path]:
    """Write the report into ``directory`` (created if needed); returns the files written.

    Raises OSError when the directory cannot be written.
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    pyplot = matplotlib_pyplot()
    written: list[Path] = []
    if pyplot is not None:
        for name, draw in (
            ("tta_cdf.png", _tta_cdf),
            ("load.png", _load_plot),
            ("coverage_heatmap.png", _heatmap),
            ("graph.png", _graph_plot),
        ):
            figure = draw(pyplot, run)
            path = target / name
            figure.savefig(path, dpi=110, bbox_inches="tight")
            pyplot.close(figure)
            written.append(path)
    page = target / "index.html"
    page.write_text(_html(run, pyplot is not None), encoding="utf-8")
    return [page, *written]


# --- plots ---------------------------------------------------------------------------------------


def _tta_cdf(pyplot: Any, run: ReviewRun) -> Any:
    values = sorted(t for r in run.results for t in r.tta)
    figure, axes = pyplot.subplots(figsize=(7, 4))
    finite = [t / 60.0 for t in values if not math.isinf(t)]
    # From zero, so that a deterministic responder's one step reads as "always at 7 minutes".
    right = max([*_MARKERS, *finite]) * 1.05
    if values and finite:
        shares = [(i + 1) / len(values) for i in range(len(finite))]
        axes.step([0.0, *finite, right], [0.0, *shares, shares[-1]], where="post")
        axes.axhline(len(finite) / len(values), linestyle=":", color="grey")
    for minutes in _MARKERS:
        axes.axvline(minutes, color="C3", linewidth=0.8, alpha=0.6)
        axes.annotate(
            f"{minutes} min",
            (minutes, 1.0),
            xytext=(2, -2),
            textcoords="offset points",
            fontsize=8,
            color="C3",
            va="top",
        )
    axes.set_xlim(0, right)
    axes.set_xlabel("minutes from StartEngagement to the first acknowledgement")
    axes.set_ylabel("share of incidents acknowledged")
    axes.set_ylim(0, 1.02)
    axes.set_title("Time to acknowledge (dotted: share ever acknowledged)")
    axes.grid(alpha=0.3)
    return figure


def _load_plot(pyplot: Any, run: ReviewRun) -> Any:
    people = sorted(
        run.document["forecast"]["load"]["people"],
        key=lambda p: (-(p["pages_per_week"]["value"] or 0.0), p["contact"]),
    )[:_PEOPLE_PLOTTED]
    figure, axes = pyplot.subplots(figsize=(max(6.0, 0.35 * len(people) + 2), 4))
    names = [p["contact"] for p in people]
    values = [p["pages_per_week"]["value"] or 0.0 for p in people]
    lows = [v - (p["pages_per_week"]["ci"][0] or v) for v, p in zip(values, people, strict=True)]
    highs = [(p["pages_per_week"]["ci"][1] or v) - v for v, p in zip(values, people, strict=True)]
    nights = [p["night_pages_per_week"]["value"] or 0.0 for p in people]
    positions = list(range(len(people)))
    axes.bar(positions, values, yerr=[lows, highs], capsize=2, label="all pages")
    axes.bar(positions, nights, label="at night")
    axes.set_xticks(positions)
    axes.set_xticklabels(names, rotation=60, ha="right", fontsize=8)
    axes.set_ylabel("pages per week (95% interval)")
    axes.set_title("Load per person (busiest first)")
    axes.legend()
    return figure


def _heatmap(pyplot: Any, run: ReviewRun) -> Any:
    rows = run.document["coverage"]["heatmap"][:_HEATMAP_ROWS]
    figure, axes = pyplot.subplots(figsize=(10, max(2.0, 0.3 * len(rows) + 1.5)))
    axes.set_title("First stage reaching nobody, by local hour of the week")
    if not rows:
        axes.axis("off")
        axes.text(
            0.5,
            0.5,
            "No gaps: every escalation plan and schedule reaches someone in its first stage\n"
            "at every hour of the window.",
            ha="center",
            va="center",
            fontsize=11,
            transform=axes.transAxes,
        )
        return figure
    # Hours the window does not hold are unknown, not covered: NaN, drawn in light grey.
    matrix = [[math.nan if v is None else v for v in row["first_stage"]] for row in rows]
    colours = pyplot.get_cmap("Reds").with_extremes(bad="#e6e6e6")
    image = axes.imshow(matrix, aspect="auto", cmap=colours, vmin=0, vmax=1)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels([f"{r['contact']} ({r['zone']})" for r in rows], fontsize=8)
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    bar.set_label("share of the hour uncovered", fontsize=8)
    axes.set_xticks([24 * d for d in range(7)])
    axes.set_xticklabels(_DAYS)
    outside = any(v is None for row in rows for v in row["first_stage"])
    note = "; grey: hours outside the window" if outside else ""
    axes.set_xlabel(f"local hour of the week{note}")
    figure.tight_layout()
    return figure


_NODE_COLOURS = {
    "ESCALATION": ("#cfe2f3", "escalation plan"),
    "ONCALL_SCHEDULE": ("#d9ead3", "on-call schedule"),
    "rotation": ("#fff2cc", "rotation"),
    "PERSONAL": ("#f4cccc", "person, with its channels"),
    "missing": ("#ffffff", "missing contact"),
}
_EDGE_STYLES: dict[str, tuple[dict[str, Any], str]] = {
    "essential": ({"color": "C3", "linewidth": 1.6}, "plan target, essential"),
    "plan": ({"color": "C0", "linewidth": 1.0, "linestyle": "--"}, "plan target"),
    "rotation": ({"color": "C2", "linewidth": 1.0, "linestyle": ":"}, "schedule rotation"),
    "member": ({"color": "grey", "linewidth": 0.8}, "rotation member"),
    "override": ({"color": "C1", "linewidth": 0.8, "linestyle": "-."}, "override"),
}
_CELL_INCHES = (0.075, 0.17)  # a character cell across, a text line down, at font size 8


def _graph_plot(pyplot: Any, run: ReviewRun) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

    plan = layout_graph(run.review.graph.nx_graph, _GRAPH_BOXES)
    width = max(6.0, plan.width * _CELL_INCHES[0] + 1.0)
    height = max(3.0, plan.height * _CELL_INCHES[1] + 1.5)
    figure, axes = pyplot.subplots(figsize=(width, height))
    axes.set_xlim(-1, plan.width + 1)
    axes.set_ylim(plan.height + 1, -1)  # y grows downwards, as in the layout
    axes.axis("off")
    for edge in plan.edges:
        style, _ = _EDGE_STYLES[edge.style]
        axes.plot([x for x, _y in edge.points], [y for _x, y in edge.points], **style)
        (x0, y0), (x1, y1) = edge.points[-2], edge.points[-1]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        axes.add_patch(  # the head alone, at the target's edge
            FancyArrowPatch(
                (x1 - (x1 - x0) / length, y1 - (y1 - y0) / length),
                (x1, y1),
                arrowstyle="-|>",
                mutation_scale=10,
                shrinkA=0,
                shrinkB=0,
                color=style["color"],
                linewidth=style["linewidth"],
            )
        )
        if edge.label:
            axes.text(
                *edge.label_at,
                edge.label,
                fontsize=7,
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            )
    for box in plan.boxes:
        colour, _ = _NODE_COLOURS.get(box.kind, _NODE_COLOURS["missing"])
        border = "C3" if box.kind == "missing" else "#444444"
        corner = (box.x, box.y)
        axes.add_patch(Rectangle(corner, box.width, box.height, facecolor=colour, edgecolor=border))
        for index, line in enumerate(box.lines):
            axes.text(
                box.x + 1.0,
                box.y + 1.0 + index,
                line,
                fontsize=8,
                family="monospace",
                weight="bold" if index == 0 else "normal",
                va="center",
            )
    handles: list[Any] = [
        Patch(facecolor=colour, edgecolor="#444444", label=label)
        for kind, (colour, label) in _NODE_COLOURS.items()
        if any(box.kind == kind for box in plan.boxes)
    ]
    handles += [
        Line2D([0], [0], label=label, **style)
        for name, (style, label) in _EDGE_STYLES.items()
        if any(edge.style == name for edge in plan.edges)
    ]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.01), ncol=4, fontsize=8)
    title = "Contact graph: who each stage pages, and when (left to right)"
    if plan.left_out:
        title += (
            f"\nthe first {plan.roots - plan.left_out} of {plan.roots} plans and schedules that "
            "nothing targets, with what they reach; escsim graph --format dot draws them all"
        )
    axes.set_title(title)
    return figure


# --- HTML ----------------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


Column = tuple[str, Callable[[Any], str]]
"""A table column: its header, and how a row's cell is written from the JSON record."""


def _columns(columns: Sequence[Column], records: Sequence[Any]) -> str:
    """A table of ``records``, one row each, written column by column."""
    return _table([h for h, _ in columns], [[cell(r) for _, cell in columns] for r in records])


_FINDING_COLUMNS: tuple[Column, ...] = (
    ("id", lambda f: f["Id"]),
    ("name", lambda f: f["Name"]),
    ("severity", lambda f: f["Severity"]),
    ("where", lambda f: f.get("Location") or f["Path"]),
    ("problem", lambda f: f["Message"]),
    ("why it matters", lambda f: f["Why"]),
)
_SUBJECT_COLUMNS: tuple[Column, ...] = (
    ("contact", lambda s: s["contact"]),
    ("type", lambda s: s["type"]),
    ("zone", lambda s: s["zone"]),
    ("first-stage gaps", lambda s: str(s["first_stage"]["gaps"])),
    ("first-stage share", lambda s: f"{100 * s['first_stage']['share']:.3f}%"),
    ("gaps", lambda s: str(s["nobody"]["gaps"])),
    ("share", lambda s: f"{100 * s['nobody']['share']:.3f}%"),
    ("DST changes", lambda s: ", ".join(s["dst_changes"]) or "-"),
)
_TARGET_COLUMNS: tuple[Column, ...] = (
    ("target", lambda t: t["contact"]),
    ("type", lambda t: t["type"]),
    ("incidents", lambda t: str(t["incidents"])),
    ("P50", lambda t: show_seconds(t["p50"]["value"])),
    ("never acknowledged", lambda t: show_estimate(t["no_acknowledgement"], percent=True)),
)
_PERSON_COLUMNS: tuple[Column, ...] = (
    ("contact", lambda p: p["contact"]),
    ("zone", lambda p: p["zone"]),
    ("pages/week", lambda p: show_estimate(p["pages_per_week"])),
    ("at night", lambda p: show_estimate(p["night_pages_per_week"])),
    ("at weekends", lambda p: show_estimate(p["weekend_pages_per_week"])),
    ("acknowledged", lambda p: show_estimate(p["acknowledgements_per_week"])),
    ("on call (h)", lambda p: "-" if p["on_call_hours"] is None else f"{p['on_call_hours']:,.1f}"),
)


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 1200px; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { background: #fff6d6; padding: 0.6em 1em; border-left: 4px solid #e0b000; }
"""


def _heading(title: str, image: str, alt: str, with_plots: bool) -> list[str]:
    """A section's heading, and its plot when there are plots."""
    return [f"<h2>{title}</h2>", *([f"<img src='{image}' alt='{alt}'>"] if with_plots else [])]


def _html(run: ReviewRun, with_plots: bool) -> str:
    doc = run.document
    info, window, forecast = doc["input"], doc["window"], doc["forecast"]
    parts = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>escsim review: {_e(info['name'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Review of {_e(info['name'])}</h1>",
        f"<p>Source {_e(info['source'])}; window {_e(window['from'])} to {_e(window['to'])}; "
        f"{forecast['replications']} replications, seed {forecast['seed']}, "
        f"incidents {_e(incidents_per_replication(forecast))}; escsim {_e(doc['escsim'])}.</p>",
    ]
    if not with_plots:
        parts.append(
            "<p class='note'>Plots need matplotlib, which is not installed: "
            f"<code>{_e(INSTALL_HINT)}</code></p>"
        )
    parts.append("<h2>Lint</h2>")
    lint = doc["lint"]
    parts.append(
        _columns(_FINDING_COLUMNS, lint["findings"])
        if lint["findings"]
        else "<p>No problems found.</p>"
    )
    parts += _heading(
        "Coverage", "coverage_heatmap.png", "coverage heatmap by hour of week", with_plots
    )
    parts.append(_columns(_SUBJECT_COLUMNS, doc["coverage"]["subjects"]))
    parts += _heading("Time to acknowledge", "tta_cdf.png", "time to acknowledge CDF", with_plots)
    tta = forecast["time_to_acknowledge"]
    rows = [
        [name.upper(), show_estimate(tta[name], seconds=True)] for name in ("p50", "p90", "p99")
    ]
    rows.append(
        ["mean when acknowledged", show_estimate(tta["mean_when_acknowledged"], seconds=True)]
    )
    rows += [[f"within {k}", show_estimate(v, percent=True)] for k, v in tta["within"].items()]
    rows.append(["never acknowledged", show_estimate(tta["no_acknowledgement"], percent=True)])
    parts.append(_table(["figure", "estimate (95% interval)"], rows))
    parts.append(
        _table(
            ["stage", "P(reaching it)"],
            [[str(r["stage"]), show_estimate(r, percent=True)] for r in forecast["stage_reach"]],
        )
    )
    parts.append(
        _table(
            ["channel type", "messages per engagement"],
            [[k, show_estimate(v)] for k, v in forecast["messages_per_engagement"].items()],
        )
    )
    parts.append(_columns(_TARGET_COLUMNS, forecast["targets"]))
    load = forecast["load"]
    parts += _heading("Load per person", "load.png", "load per person", with_plots)
    parts.append(_columns(_PERSON_COLUMNS, load["people"]))
    fairness_rows = []
    for name in ("pages", "on_call_hours"):
        figures = load["fairness"][name]
        fairness_rows.append(
            [
                name.replace("_", " "),
                show_estimate(figures["grafana_balance"]),
                show_estimate(figures["gini"]),
                ", ".join(
                    f"{o['contact']} +{o['percent_above_average']}%" for o in figures["overloaded"]
                )
                or "balanced",
            ]
        )
    parts.append(_table(["load", "Grafana balance", "Gini", "above average"], fairness_rows))
    parts += _heading("Contact graph", "graph.png", "contact graph", with_plots)
    parts.append("<p>Text versions: <code>escsim graph FILE --format dot|mermaid</code>.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
