"""The equivalence verdict as a JSON document, its counterexample sentence, and rich tables.

The document is the one source of both outputs: instants in ISO 8601 UTC, offsets in seconds,
differences in time order, page lists sorted; the same inputs give byte-identical JSON. The
counterexample is the earliest difference at its shortest offset, told in the zone of the
schedule involved: "an incident at Sun 2026-03-29 01:30 Europe/London pages alejr by SMS at +5m
under A, nobody under B".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from engine import __version__
from engine.oncall import load_zone
from engine.review.equivalence import Difference, Equivalence, PolicyResult
from engine.review.equivalence_eval import Paged
from engine.review.inputs import ReviewInput
from engine.review.render import render_diff, show_instant
from engine.safetext import safe_text
from engine.timeutil import format_duration, isoformat

TABLE_ROWS = 50
"""Differing intervals shown in the text output; the JSON document lists every one."""


class PagedEntry(TypedDict):
    """One (person, channel, offset) in the document."""

    person: str
    channel: str
    offset: float | int


def _seconds(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _entries(pages: Iterable[Paged]) -> list[PagedEntry]:
    ordered = sorted(pages, key=lambda p: (p[2], p[0], p[1]))
    return [{"person": p, "channel": c, "offset": _seconds(o)} for p, c, o in ordered]


def _who(pages: Iterable[Paged]) -> str:
    """``alejr by SMS, akuam by SMS and VOICE``, or ``nobody``."""
    by_person: dict[str, list[str]] = {}
    for person, channel, _ in sorted(pages):
        by_person.setdefault(person, []).append(channel)
    if not by_person:
        return "nobody"
    return ", ".join(f"{p} by {' and '.join(cs)}" for p, cs in by_person.items())


def local_time(instant: dt.datetime, zone: str) -> str:
    """``Sun 2026-03-29 01:30 Europe/London`` (seconds only when there are some)."""
    local = instant.astimezone(load_zone(zone))
    shown = local.strftime("%a %Y-%m-%d %H:%M" + (":%S" if local.second else ""))
    return f"{shown} {zone}"


def sentence(policy: PolicyResult, difference: Difference) -> str:
    """The counterexample: the difference's first instant, at its shortest differing offset."""
    name = policy.a if policy.a is not None else policy.b
    when = local_time(difference.start, difference.zone)
    offsets = [o for _, _, o in difference.only_a | difference.only_b]
    if not offsets:  # a policy only one side has, which pages nobody then
        return f"an incident at {when} on policy {name}: {difference.causes[0]}"
    offset = min(offsets)
    under_a = [p for p in difference.only_a if p[2] == offset]
    under_b = [p for p in difference.only_b if p[2] == offset]
    return (
        f"an incident at {when} pages {_who(under_a)} at +{format_duration(offset)} under A, "
        f"{_who(under_b)} under B (policy {name})"
    )


def _difference(difference: Difference) -> dict[str, object]:
    return {
        "from": isoformat(difference.start.timestamp()),
        "to": isoformat(difference.end.timestamp()),
        "seconds": _seconds(round((difference.end - difference.start).total_seconds(), 3)),
        "zone": difference.zone,
        "only_a": _entries(difference.only_a),
        "only_b": _entries(difference.only_b),
        "causes": list(difference.causes),
    }


def document(
    result: Equivalence,
    a: ReviewInput,
    b: ReviewInput,
    statistics: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The JSON-ready verdict; ``statistics`` is the forecast diff's document when run."""
    first = result.first()
    doc: dict[str, object] = {
        "escsim": __version__,
        "a": {"source": a.label, "name": a.name},
        "b": {"source": b.label, "name": b.name},
        "window": {
            "from": isoformat(result.start.timestamp()),
            "to": isoformat(result.end.timestamp()),
        },
        "equivalent": result.equivalent,
        "counterexample": None if first is None else sentence(*first),
        "checked": {
            "policies": len(result.policies),
            "intervals": result.intervals,
            "engine_runs": result.engine_runs,
        },
        "policies": [
            {
                "a": policy.a,
                "b": policy.b,
                "type": policy.kind,
                "intervals": policy.intervals,
                "equivalent": not policy.differences,
                "differences": [_difference(d) for d in policy.differences],
            }
            for policy in result.policies
        ],
    }
    if statistics is not None:
        doc["statistics"] = dict(statistics)
    return doc


def _pages_text(entries: list[PagedEntry]) -> str:
    return (
        "\n".join(f"{e['person']} {e['channel']} +{format_duration(e['offset'])}" for e in entries)
        or "-"
    )


def render(out: Console, doc: Mapping[str, Any]) -> None:
    """The verdict, the counterexample first, then a table of the differing intervals."""
    a, b = doc["a"], doc["b"]
    out.print(safe_text(f"Equivalence of A = {a['source']} and B = {b['source']}", style="bold"))
    window, checked = doc["window"], doc["checked"]
    out.print(
        Text(
            f"window {show_instant(window['from'])} to {show_instant(window['to'])}  "
            f"policies {checked['policies']}  intervals {checked['intervals']}  "
            f"engine runs {checked['engine_runs']}"
        )
    )
    if doc["equivalent"]:
        out.print(
            Text(
                "Equivalent: every incident in the window pages the same under A and B.",
                style="green",
            )
        )
    else:
        out.print(safe_text("Not equivalent: " + str(doc["counterexample"]), style="red"))
        rows = [
            (policy["a"] if policy["a"] is not None else policy["b"], row)
            for policy in doc["policies"]
            for row in policy["differences"]
        ]
        shown = rows[:TABLE_ROWS]
        title = "Differing intervals (UTC)"
        if len(shown) < len(rows):
            title += f": first {len(shown)} of {len(rows)} (--output json lists them all)"
        table = Table(title=title, title_justify="left", show_lines=True)
        for column in ("policy", "from", "to", "only A pages", "only B pages", "cause"):
            table.add_column(column, overflow="fold")  # a cause is never cut short
        for name, row in shown:
            table.add_row(
                safe_text(name),
                show_instant(row["from"]),
                show_instant(row["to"]),
                safe_text(_pages_text(row["only_a"])),
                safe_text(_pages_text(row["only_b"])),
                safe_text("\n".join(row["causes"]) or "-"),
            )
        out.print(table)
    statistics = doc.get("statistics")
    if statistics is not None:
        out.print(
            Text(
                "Statistical part: the forecast of both under one seed and incident model",
                style="bold",
            )
        )
        render_diff(out, statistics)
