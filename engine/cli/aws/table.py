"""``--output table``: boxed tables laid out exactly as the AWS CLI lays them out.

The AWS CLI builds a table of titled sections from any response, without looking at its model:
scalar members of a structure become one row under sorted headers, lists of structures become
rows, and nested containers become indented sub-sections. Sections wider than the terminal are
turned on their side (one header and value per row) when that helps. The layout rules below are
the AWS CLI's, so that the same response gives the same bytes.
"""

from __future__ import annotations

import os
import unicodedata
from typing import Any, TextIO

__all__ = ["render_table", "terminal_width"]

_BRIGHT_BLUE = "\x1b[1m\x1b[34m"
_DIM_YELLOW = "\x1b[2m\x1b[33m"
_RESET = "\x1b[0m"


def terminal_width(stream: TextIO, default: int = 80) -> int:
    """Columns of the terminal ``stream`` writes to, or ``default`` when it is not a terminal."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return default


def _width(text: object) -> int:
    # East Asian wide, full-width and ambiguous characters take two columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in str(text))


class _Section:
    def __init__(self, title: str = "", indent: int = 0) -> None:
        self.title = title
        self.indent = indent
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._columns: int | None = None
        self._max_widths: list[int] = []

    def add_header(self, headers: list[str]) -> None:
        self._grow(headers)
        if self._columns is None:
            self._columns = len(headers)
        self.headers = headers

    def add_row(self, row: list[object]) -> None:
        if self._columns is None:
            self._columns = len(row)
        if len(row) != self._columns:
            raise ValueError(f"Row should have {self._columns} elements, instead it has {len(row)}")
        cells = [str(cell) for cell in row]
        self.rows.append(cells)
        self._grow(cells)

    def _grow(self, cells: list[str]) -> None:
        if not self._max_widths:
            self._max_widths = [_width(cell) for cell in cells]
        else:
            for i, cell in enumerate(cells):
                self._max_widths[i] = max(_width(cell), self._max_widths[i])

    def column_widths(self, max_width: int) -> list[int]:
        """The columns' widths (4 of padding each) scaled to add up to ``max_width``."""
        widths = [w + 4 for w in self._max_widths]
        if not widths:
            return widths
        scale = max_width / float(sum(widths))
        scaled = [round(scale * w) for w in widths]
        # Rounding leaves the sum a little off; take from the left, give to the right.
        off_by = sum(scaled) - max_width
        for step in range(abs(off_by)):
            if off_by > 0:
                scaled[step % len(scaled)] -= 1
            else:
                scaled[-1 - step % len(scaled)] += 1
        return scaled

    def total_width(self) -> int:
        total = sum(w + 4 for w in self._max_widths) + 2 + 2 * self.indent
        return max(_width(self.title) + 2 + 2 * self.indent, total)


def _centre(text: str, length: int, left: str = "|") -> str:
    size = _width(text)
    start = (length // 2) - (size // 2) - 1
    so_far = _width(left) + start + size
    return left + " " * start + text + " " * (length - 1 - so_far) + "|"


def _align_left(text: str, length: int, left: str, size: int) -> str:
    padding = 2 if length - (size + 3 + len(left)) >= 0 else 0
    so_far = len(left) + padding + size
    return left + " " * padding + text + " " * (length - so_far - 1) + "|"


def _line_break(widths: list[int]) -> str:
    parts = [
        "+" + "-" * (w - 2) + "+" if i == 0 else "-" * (w - 1) + "+" for i, w in enumerate(widths)
    ]
    return "".join(parts) + "\n"


class _Table:
    def __init__(self, width: int, colour: bool) -> None:
        self.sections: list[_Section] = []
        self.width = width
        self.colour = colour

    def section(self, title: str = "", indent: int = 0) -> _Section:
        self.sections.append(_Section(title, indent))
        return self.sections[-1]

    @property
    def current(self) -> _Section:
        return self.sections[-1] if self.sections else self.section()

    def render(self) -> str:
        widest = max(section.total_width() for section in self.sections)
        if widest > self.width:
            # Too wide: single rows are turned on their side, one header and value per row.
            for i, section in enumerate(self.sections):
                if len(section.rows) == 1 and section.headers:
                    turned = _Section(section.title, section.indent)
                    for header, cell in zip(section.headers, section.rows[0], strict=False):
                        turned.add_row([header, cell])
                    self.sections[i] = turned
            widest = max(section.total_width() for section in self.sections)
        out = ["-" * widest + "\n"]
        for section in self.sections:
            bar = self._paint("|", _DIM_YELLOW) * section.indent
            out += [bar + line[:-1] + bar + "\n" for line in self._lines(section, widest)]
        return "".join(out)

    def _paint(self, text: str, colour: str) -> str:
        return f"{colour}{text}{_RESET}" if self.colour else text

    def _lines(self, section: _Section, widest: int) -> list[str]:
        lines: list[str] = []
        width = widest - section.indent * 2
        if section.title:
            lines.append(_centre(section.title, width) + "\n")
            if not section.headers and not section.rows:
                lines.append("+" + "-" * (width - 2) + "+\n")
        widths = section.column_widths(width)
        if section.headers:
            cells = "".join(
                _centre(header, w, "|" if i == 0 else "")
                for i, (w, header) in enumerate(zip(widths, section.headers, strict=False))
            )
            lines += [_line_break(widths), cells + "\n"]
        if section.rows and widths:
            lines.append(_line_break(widths))
            for row in section.rows:
                cells = "".join(
                    _align_left(
                        self._paint(cell, _BRIGHT_BLUE), w, "|" if i == 0 else "", _width(cell)
                    )
                    for i, (w, cell) in enumerate(zip(widths, row, strict=False))
                )
                lines.append(cells + "\n")
            lines.append(_line_break(widths))
        return lines


def _is_scalar(value: object) -> bool:
    return not isinstance(value, list | dict)


def _split_keys(item: dict[str, object]) -> tuple[list[str], list[str]]:
    scalars = sorted(k for k in item if _is_scalar(item[k]))
    nested = sorted(k for k in item if not _is_scalar(item[k]))
    return scalars, nested


def _build(table: _Table, title: str | None, current: object, indent: int = 0) -> bool:
    """Add the sections of ``current`` (titled ``title``) to ``table``; False when empty."""
    if not current:
        return False
    if title is not None:
        table.section(title, indent)
    if isinstance(current, list):
        if isinstance(current[0], dict):
            _rows_of_dicts(table, current, indent, title)
        else:
            for item in current:
                if _is_scalar(item):
                    table.current.add_row([item])
                elif all(_is_scalar(element) for element in item):
                    table.current.add_row(list(item))
                else:
                    _build(table, None, item)
    if isinstance(current, dict):
        headers, nested = _split_keys(current)
        if len(headers) == 1:
            table.current.add_row([headers[0], current[headers[0]]])
        elif headers:
            table.current.add_header(headers)
            table.current.add_row([current[k] for k in headers])
        for key in nested:
            _build(table, key, current[key], indent + 1)
    return True


def _rows_of_dicts(table: _Table, items: list[Any], indent: int, title: str | None) -> None:
    headers_seen: set[str] = set()
    nested_seen: set[str] = set()
    for item in items:
        scalars, nested = _split_keys(item)
        headers_seen.update(scalars)
        nested_seen.update(nested)
    headers, nested = sorted(headers_seen), sorted(nested_seen)
    table.current.add_header(headers)
    for index, item in enumerate(items):
        if index > 0 and nested:
            table.section(title or "", indent).add_header(headers)
        table.current.add_row([item.get(h, "") for h in headers])
        for key in nested:
            if key in item:
                _build(table, key, item[key], indent + 1)


def render_table(title: str, data: object, stream: TextIO, *, colour: bool, width: int) -> None:
    """Write ``data`` as the AWS CLI's table titled ``title``; nothing for empty data."""
    table = _Table(width, colour)
    if _build(table, title, data):
        stream.write(table.render())
