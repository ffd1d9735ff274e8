"""Diff tables: columns, alignment of long tables, and folding of rows far from a difference."""

from __future__ import annotations

from engine.scenario.expect.diff import DiffLine, columns_for, render_table
from engine.scenario.expect.rows import Pattern


def row(marker: str, at: str, note: str = "") -> DiffLine:
    return DiffLine(marker, [at, "akuam"], note)


def test_columns_are_the_base_ones_then_those_the_rows_name_in_table_order() -> None:
    patterns = [
        Pattern("message", {"content": "x", "after": 60.0}, ("expect", "messages", 0), 3),
        Pattern("message", {"attempt": 2}, ("expect", "messages", 1), 4),
    ]
    assert columns_for(("at", "contact", "channel", "outcome"), patterns) == [
        "at",
        "contact",
        "channel",
        "outcome",
        "attempt",
        "content",
    ]


def test_cells_are_aligned_under_their_header_with_notes_at_the_end() -> None:
    lines = render_table(["at", "contact"], [row("=", "0s"), row("-", "5m30s", "line 9")])
    assert lines == [
        "    at     contact",
        "  = 0s     akuam",
        "  - 5m30s  akuam    line 9",
    ]


def test_hints_follow_their_row() -> None:
    line = row("+", "5m", "found instead")
    line.hints = ["at: expected 5m30s, got 5m"]
    assert render_table(["at", "contact"], [line])[-1] == "        at: expected 5m30s, got 5m"


def test_long_runs_of_matching_rows_are_folded_around_a_difference() -> None:
    lines = [row("=", f"{minute}m") for minute in range(40)]
    lines[20] = row("-", "20m", "line 30")
    text = render_table(["at", "contact"], lines)
    assert text[1] == "    … 17 more row(s) …"
    assert [line.split()[1] for line in text[2:9]] == [f"{m}m" for m in range(17, 24)]
    assert text[2 + 3].startswith("  - 20m")
    assert text[9] == "    … 16 more row(s) …"
    assert len(text) == 10


def test_short_tables_are_shown_whole() -> None:
    lines = [row("=", f"{minute}m") for minute in range(10)]
    assert len(render_table(["at", "contact"], lines)) == 11
