"""The review as an HTML report with plots, written to a directory.

``index.html`` holds every section as tables; with matplotlib installed (the ``review`` extra)
four PNG plots sit beside it: the time-to-acknowledge CDF, load per person with its intervals,
the coverage heatmap by hour of the week, and the contact graph drawn with networkx. Without
matplotlib the report is written all the same and says what to install.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from engine.review.render import show_estimate, show_seconds

if TYPE_CHECKING:
    from engine.review.document import ReviewRun

__all__ = ["INSTALL_HINT", "PLOTS", "matplotlib_pyplot", "write_report"]

INSTALL_HINT = "pip install 'escsim[review]'"
PLOTS = ("tta_cdf.png", "load.png", "coverage_heatmap.png", "graph.png")
_PEOPLE_PLOTTED = 30
_HEATMAP_ROWS = 40
_GRAPH_NODES = 150
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
    if values and finite:
        shares = [(i + 1) / len(values) for i in range(len(finite))]
        axes.step(finite, shares, where="post")
        axes.axhline(len(finite) / len(values), linestyle=":", color="grey")
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
    if rows:
        matrix = [row["first_stage"] for row in rows]
        image = axes.imshow(matrix, aspect="auto", cmap="Reds", vmin=0, vmax=1)
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels([f"{r['contact']} ({r['zone']})" for r in rows], fontsize=8)
        figure.colorbar(image, ax=axes, label="share of the hour in a first-stage gap")
    else:
        axes.text(0.5, 0.5, "no gaps in the window", ha="center", va="center")
        axes.set_yticks([])
    axes.set_xticks([24 * d for d in range(7)])
    axes.set_xticklabels(_DAYS)
    axes.set_xlabel("local hour of the week")
    axes.set_title("First stage reaching nobody, by hour of the week")
    return figure


def _graph_plot(pyplot: Any, run: ReviewRun) -> Any:
    import networkx as nx

    graph = run.review.simulator.graph().nx_graph
    keep = [n for n, d in graph.nodes(data=True) if d.get("kind") != "channel"]
    if len(graph) <= _GRAPH_NODES:
        keep = list(graph.nodes)
    view = nx.DiGraph(graph.subgraph(keep))
    layers = {
        node: (
            {"ESCALATION": 0, "ONCALL_SCHEDULE": 1, "PERSONAL": 3}.get(
                str(data.get("contact_type")), 3
            )
            if data.get("kind") == "contact"
            else {"rotation": 2, "channel": 4}.get(str(data.get("kind")), 5)
        )
        for node, data in view.nodes(data=True)
    }
    nx.set_node_attributes(view, layers, "layer")
    figure, axes = pyplot.subplots(figsize=(10, 7))
    if len(view):
        position = nx.multipartite_layout(view, subset_key="layer")
        colours = [("C0", "C2", "C4", "C1", "C7", "C3")[layers[n]] for n in view.nodes]
        nx.draw_networkx(
            view,
            position,
            ax=axes,
            node_color=colours,
            node_size=700 if len(view) <= 60 else 30,
            with_labels=len(view) <= 60,
            labels={
                n: graph.nodes[n].get("alias") or graph.nodes[n].get("name") or "" for n in view
            },
            font_size=7,
            arrowsize=8,
        )
    axes.set_title("Contact graph: plans, schedules, rotations, people, channels (left to right)")
    axes.axis("off")
    return figure


# --- HTML ----------------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 1200px; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { background: #fff6d6; padding: 0.6em 1em; border-left: 4px solid #e0b000; }
"""


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
        f"{forecast['incidents']} incidents; escsim {_e(doc['escsim'])}.</p>",
    ]
    if not with_plots:
        parts.append(
            "<p class='note'>Plots need matplotlib, which is not installed: "
            f"<code>{_e(INSTALL_HINT)}</code></p>"
        )
    parts.append("<h2>Lint</h2>")
    lint = doc["lint"]
    parts.append(
        _table(
            ["id", "name", "severity", "where", "problem", "why it matters"],
            [
                [
                    f["Id"],
                    f["Name"],
                    f["Severity"],
                    f.get("Location") or f["Path"],
                    f["Message"],
                    f["Why"],
                ]
                for f in lint["findings"]
            ],
        )
        if lint["findings"]
        else "<p>No problems found.</p>"
    )
    parts.append("<h2>Coverage</h2>")
    if with_plots:
        parts.append("<img src='coverage_heatmap.png' alt='coverage heatmap by hour of week'>")
    parts.append(
        _table(
            [
                "contact",
                "type",
                "zone",
                "first-stage gaps",
                "first-stage share",
                "gaps",
                "share",
                "DST changes",
            ],
            [
                [
                    s["contact"],
                    s["type"],
                    s["zone"],
                    str(s["first_stage"]["gaps"]),
                    f"{100 * s['first_stage']['share']:.3f}%",
                    str(s["nobody"]["gaps"]),
                    f"{100 * s['nobody']['share']:.3f}%",
                    ", ".join(s["dst_changes"]) or "-",
                ]
                for s in doc["coverage"]["subjects"]
            ],
        )
    )
    parts.append("<h2>Time to acknowledge</h2>")
    if with_plots:
        parts.append("<img src='tta_cdf.png' alt='time to acknowledge CDF'>")
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
    parts.append(
        _table(
            ["target", "type", "incidents", "P50", "never acknowledged"],
            [
                [
                    t["contact"],
                    t["type"],
                    str(t["incidents"]),
                    show_seconds(t["p50"]["value"]),
                    show_estimate(t["no_acknowledgement"], percent=True),
                ]
                for t in forecast["targets"]
            ],
        )
    )
    load = forecast["load"]
    parts.append("<h2>Load per person</h2>")
    if with_plots:
        parts.append("<img src='load.png' alt='load per person'>")
    parts.append(
        _table(
            [
                "contact",
                "zone",
                "pages/week",
                "at night",
                "at weekends",
                "acknowledged",
                "on call (h)",
            ],
            [
                [
                    p["contact"],
                    p["zone"],
                    show_estimate(p["pages_per_week"]),
                    show_estimate(p["night_pages_per_week"]),
                    show_estimate(p["weekend_pages_per_week"]),
                    show_estimate(p["acknowledgements_per_week"]),
                    "-" if p["on_call_hours"] is None else f"{p['on_call_hours']:,.1f}",
                ]
                for p in load["people"]
            ],
        )
    )
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
    parts.append("<h2>Contact graph</h2>")
    if with_plots:
        parts.append("<img src='graph.png' alt='contact graph'>")
    parts.append("<p>Text versions: <code>escsim graph FILE --format dot|mermaid</code>.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
