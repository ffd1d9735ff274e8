"""Aligned columns sized to the console: listings that stay readable at any width and length.

A rich ``Table`` costs a millisecond or more a row, and a run of 10,000 steps has some 80,000
timeline rows. Here each column is measured once, the columns that do not fit are dropped (least
important first), a cell too wide wraps under itself, and the lines go out as plain segments:
the work grows linearly with the rows. Text is escaped before it is measured.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment, Segments
from rich.style import Style
from rich.text import Text

from engine.safetext import NEEDS_ESCAPE, escape_controls

__all__ = ["Column", "Row", "fit", "render_columns", "wrap"]

_GAP = 2
_BREAKS = re.compile(r"(?<=[ /])")
_ASCII = re.compile(r"[\x00-\x7f]+")
#: The flexible column is never squeezed below this many cells while other columns remain.
_FLEX_MIN = 24
#: Capped columns widen only while the flexible column keeps this many cells.
_FLEX_ROOM = 60


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    """A column. ``rank`` 0 is never dropped, else the highest rank goes first when the console
    is too narrow; ``cap`` is the widest it grows; the ``flex`` column takes what is left."""

    header: str
    rank: int
    right: bool = False
    cap: int | None = None
    flex: bool = False


class Row(NamedTuple):
    """The cells of one row (one per column), and its style (e.g. red for a failure)."""

    cells: tuple[str, ...]
    style: str | None = None


def _width(text: str) -> int:
    """Cells of ``text``: its length when ASCII, else rich's measure of what is not (cached)."""
    return len(text) if text.isascii() else _wide_width(text)


@functools.lru_cache(maxsize=1 << 16)
def _wide_width(text: str) -> int:
    wide = _ASCII.sub("", text)
    return len(text) - len(wide) + cell_len(wide)


def fit(columns: Sequence[Column], natural: Sequence[int], width: int) -> list[int]:
    """The width of each column on a console ``width`` cells wide (0: dropped). Columns are
    added by rank while the flexible one keeps ``_FLEX_MIN`` cells (or its natural width)."""
    sizes = [
        min(n, c.cap) if c.cap is not None else n for c, n in zip(columns, natural, strict=True)
    ]
    flex = next((i for i, c in enumerate(columns) if c.flex), None)
    flex_need = min(natural[flex], _FLEX_MIN) if flex is not None else 0
    shown = {i for i, c in enumerate(columns) if c.rank == 0}

    def used(chosen: set[int]) -> int:
        fixed = sum(sizes[i] for i in chosen if i != flex)
        return fixed + _GAP * (len(chosen) - 1) + (flex_need if flex in chosen else 0)

    for i in sorted(
        (i for i, c in enumerate(columns) if c.rank > 0), key=lambda i: columns[i].rank
    ):
        if used(shown | {i}) <= width:
            shown.add(i)
    widths = [sizes[i] if i in shown else 0 for i in range(len(columns))]
    if flex is not None:
        # A capped column grows back towards its natural width while the flexible one keeps
        # room enough (a wide console need not wrap a long "what happened").
        spare = width - used(shown) - (min(natural[flex], _FLEX_ROOM) - flex_need)
        for i in sorted(shown, key=lambda i: columns[i].rank):
            grow = max(0, min(natural[i] - widths[i], spare)) if i != flex else 0
            widths[i] += grow
            spare -= grow
        others = sum(widths[i] for i in shown if i != flex) + _GAP * (len(shown) - 1)
        widths[flex] = max(1, min(natural[flex], width - others))
    # Too narrow even for the columns that always show: shrink them, widest first.
    while sum(widths) + _GAP * (len(shown) - 1) > width:
        widest = max(shown, key=lambda i: widths[i])
        if widths[widest] <= 1:
            break
        widths[widest] -= 1
    return widths


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken after a space or a slash, inside a
    word only when a word is too long."""
    if _width(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for piece in _BREAKS.split(text):
        if not piece:
            continue
        if _width((current + piece).rstrip(" ")) <= width:
            current += piece
            continue
        if current.strip(" "):
            lines.append(current.rstrip(" "))
        current = piece
        while _width(current.rstrip(" ")) > width:
            cut = _cut(current, width)
            lines.append(current[:cut])
            current = current[cut:]
    if current.strip(" ") or not lines:
        lines.append(current.rstrip(" "))
    return lines


def _cut(word: str, width: int) -> int:
    """How many characters of ``word`` fill ``width`` cells (at least one)."""
    if word.isascii():
        return max(1, width)
    total = 0
    for index, char in enumerate(word):
        total += cell_len(char)
        if total > width:
            return max(1, index)
    return len(word)


def _escaped_column(cells: Sequence[str]) -> list[str]:
    """The cells of a column made safe to print; one scan when none needs it."""
    if not NEEDS_ESCAPE.search("".join(cells)):
        return list(cells)
    return [escape_controls(cell, one_line=True) for cell in cells]


def _lay_out(
    columns: Sequence[Column], by_column: list[list[str]], width: int
) -> tuple[str, list[str]]:
    """The header and one string per row (a line or more each), padded a column at a time; the
    few rows with a cell too wide for its column are laid out again on several lines."""
    headers = [c.header for c in columns]
    sizes = [
        list(map(len, column)) if "".join(column).isascii() else list(map(_width, column))
        for column in by_column
    ]
    natural = [
        max([_width(header), *column_sizes])
        for header, column_sizes in zip(headers, sizes, strict=True)
    ]
    widths = fit(columns, natural, width)
    shown = [i for i, w in enumerate(widths) if w]
    last = shown[-1]
    padded: list[list[str]] = []
    too_wide: set[int] = set()
    for i in shown:
        w = widths[i]
        cells, cell_sizes = by_column[i], sizes[i]
        too_wide.update(r for r, size in enumerate(cell_sizes) if size > w)
        if columns[i].right:
            padded.append([c.rjust(w + len(c) - n) for c, n in zip(cells, cell_sizes, strict=True)])
        elif i == last:
            padded.append(cells)
        else:
            padded.append([c.ljust(w + len(c) - n) for c, n in zip(cells, cell_sizes, strict=True)])
    gap = " " * _GAP
    lines = [gap.join(parts).rstrip() + "\n" for parts in zip(*padded, strict=True)]

    def wrapped(cells: Sequence[str]) -> str:
        pieces = [wrap(cells[i], widths[i]) for i in shown]
        out = []
        for n in range(max(len(p) for p in pieces)):
            parts = []
            for i, piece in zip(shown, pieces, strict=True):
                text = piece[n] if n < len(piece) else ""
                if i != last or columns[i].right:
                    room = widths[i] - _width(text)
                    text = " " * room + text if columns[i].right else text + " " * room
                parts.append(text)
            out.append(gap.join(parts).rstrip() + "\n")
        return "".join(out)

    for r in too_wide:
        lines[r] = wrapped([column[r] for column in by_column])
    return wrapped(headers), lines


def render_columns(
    out: Console, title: str, columns: Sequence[Column], rows: Sequence[Row]
) -> None:
    """A title line, a bold header and the rows, fitted to ``out``'s width; consecutive lines of
    one style go out as one segment."""
    by_column = [_escaped_column([row.cells[i] for row in rows]) for i in range(len(columns))]
    header, lines = _lay_out(columns, by_column, out.width)
    out.print(Text(title, style="bold"))
    segments = [Segment(header, out.get_style("bold"))]
    styles: dict[str, Style] = {}
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index].style != rows[start].style:
            segments.append(_segment(out, "".join(lines[start:index]), rows[start].style, styles))
            start = index
    out.print(Segments(segments), end="", crop=False)


def _segment(out: Console, text: str, style: str | None, styles: dict[str, Style]) -> Segment:
    if style is None:
        return Segment(text)
    if style not in styles:
        styles[style] = out.get_style(style)
    return Segment(text, styles[style])
