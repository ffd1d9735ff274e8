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


def _width(text: Any) -> int:
    # East Asian wide, full-width and ambiguous characters take two columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in str(text))


class _Styler:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def element(self, text: str) -> str:
        return f"{_BRIGHT_BLUE}{text}{_RESET}" if self.colour else text

    def indent(self, text: str) -> str:
        return f"{_DIM_YELLOW}{text}{_RESET}" if self.colour else text


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

    def add_row(self, row: list[Any]) -> None:
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

    def column_widths(self, padding: int = 0, max_width: int | None = None) -> list[int]:
        widths = [w + padding for w in self._max_widths]
        if max_width is None or not widths:
            return widths
        scale = max_width / float(sum(widths))
        scaled = [round(scale * w) for w in widths]
        # Rounding leaves the sum a little off; take from the left, give to the right.
        off_by = sum(scaled) - max_width
        while off_by != 0:
            order = range(len(scaled)) if off_by > 0 else reversed(range(len(scaled)))
            for i in order:
                if off_by > 0:
                    scaled[i] -= 1
                    off_by -= 1
                else:
                    scaled[i] += 1
                    off_by += 1
                if off_by == 0:
                    break
        return scaled

    def total_width(self, padding: int = 0, border: bool = False, outer: int = 0) -> int:
        total = sum(w + padding for w in self.column_widths())
        if border:
            total += 2
        total += 2 * outer
        return max(_width(self.title) + 2 + 2 * outer, total)


def _centre(text: str, length: int, left: str = "|", right: str = "|", size: int = -1) -> str:
    size = _width(text) if size < 0 else size
    start = (length // 2) - (size // 2) - 1
    so_far = _width(left) + start + size
    return left + " " * start + text + " " * (length - _width(right) - so_far) + right


def _align_left(text: str, length: int, left: str, right: str, size: int) -> str:
    padding = 2 if length - (size + 2 + _width(left) + _width(right)) >= 0 else 0
    so_far = len(left) + padding + size
    return left + " " * padding + text + " " * (length - so_far - len(right)) + right


class _Table:
    def __init__(self, width: int, styler: _Styler) -> None:
        self.sections: list[_Section] = []
        self.current: _Section | None = None
        self.width = width
        self.styler = styler

    def new_section(self, title: str, indent: int = 0) -> None:
        self.current = _Section(title, indent)
        self.sections.append(self.current)

    def render(self, out: list[str]) -> None:
        widest = self._widest()
        if widest > self.width:
            self._turn_single_rows_on_their_side()
            widest = self._widest()
        out.append("-" * widest + "\n")
        for section in self.sections:
            self._render_section(section, widest, out)

    def _widest(self) -> int:
        return max(s.total_width(padding=4, border=True, outer=s.indent) for s in self.sections)

    def _turn_single_rows_on_their_side(self) -> None:
        for i, section in enumerate(self.sections):
            if len(section.rows) == 1 and section.headers:
                turned = _Section(section.title, section.indent)
                for header, cell in zip(section.headers, section.rows[0], strict=False):
                    turned.add_row([header, cell])
                self.sections[i] = turned

    def _render_section(self, section: _Section, widest: int, out: list[str]) -> None:
        bar = self.styler.indent("|")
        lines: list[str] = []
        width = widest - section.indent * 2
        if section.title:
            lines.append(_centre(section.title, width, size=_width(section.title)) + "\n")
            if not section.headers and not section.rows:
                lines.append("+" + "-" * (width - 2) + "+\n")
        if section.headers:
            widths = section.column_widths(padding=4, max_width=width)
            cells = "".join(
                _centre(header, w, "|" if i == 0 else "", "|", _width(header))
                for i, (w, header) in enumerate(zip(widths, section.headers, strict=False))
            )
            lines.append(_line_break(widths))
            lines.append(cells + "\n")
        if section.rows:
            widths = section.column_widths(padding=4, max_width=width)
            if widths:
                lines.append(_line_break(widths))
                for row in section.rows:
                    cells = "".join(
                        _align_left(
                            self.styler.element(cell),
                            w,
                            "|" if i == 0 else "",
                            "|",
                            _width(cell),
                        )
                        for i, (w, cell) in enumerate(zip(widths, row, strict=False))
                    )
                    lines.append(cells + "\n")
                lines.append(_line_break(widths))
        for line in lines:
            out.append(bar * section.indent)
            if line.endswith("\n"):
                out.append(line[:-1] + bar * section.indent + "\n")
            else:
                out.append(line)


def _line_break(widths: list[int]) -> str:
    parts = [
        "+" + "-" * (w - 2) + "+" if i == 0 else "-" * (w - 1) + "+" for i, w in enumerate(widths)
    ]
    return "".join(parts) + "\n"


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, list | dict)


def _split_keys(item: dict[str, Any]) -> tuple[list[str], list[str]]:
    scalars = sorted(k for k in item if _is_scalar(item[k]))
    nested = sorted(k for k in item if not _is_scalar(item[k]))
    return scalars, nested


class _Builder:
    def __init__(self, table: _Table) -> None:
        self.table = table

    def build(self, title: str | None, current: Any, indent: int = 0) -> bool:
        if not current:
            return False
        if title is not None:
            self.table.new_section(title, indent)
        if isinstance(current, list):
            if isinstance(current[0], dict):
                self._rows_of_dicts(current, indent, title)
            else:
                for item in current:
                    if _is_scalar(item):
                        self._add_row([item])
                    elif all(_is_scalar(element) for element in item):
                        self._add_row(list(item))
                    else:
                        self.build(None, item)
        if isinstance(current, dict):
            self._single_dict(current, indent)
        return True

    def _add_row(self, row: list[Any]) -> None:
        if self.table.current is None:
            self.table.new_section("")
        assert self.table.current is not None
        self.table.current.add_row(row)

    def _add_header(self, headers: list[str]) -> None:
        if self.table.current is None:
            self.table.new_section("")
        assert self.table.current is not None
        self.table.current.add_header(headers)

    def _single_dict(self, current: dict[str, Any], indent: int) -> None:
        headers, nested = _split_keys(current)
        if len(headers) == 1:
            self._add_row([headers[0], current[headers[0]]])
        elif headers:
            self._add_header(headers)
            self._add_row([current[k] for k in headers])
        for key in nested:
            self.build(key, current[key], indent + 1)

    def _rows_of_dicts(self, items: list[Any], indent: int, title: str | None) -> None:
        headers_seen: set[str] = set()
        nested_seen: set[str] = set()
        for item in items:
            scalars, nested = _split_keys(item)
            headers_seen.update(scalars)
            nested_seen.update(nested)
        headers, nested = sorted(headers_seen), sorted(nested_seen)
        self._add_header(headers)
        for index, item in enumerate(items):
            if index > 0 and nested:
                self.table.new_section(title or "", indent)
                self._add_header(headers)
            self._add_row([item.get(h, "") for h in headers])
            for key in nested:
                if key in item:
                    self.build(key, item[key], indent + 1)


def render_table(title: str, data: Any, stream: TextIO, *, colour: bool, width: int) -> None:
    """Write ``data`` as the AWS CLI's table titled ``title``; nothing for empty data."""
    table = _Table(width, _Styler(colour))
    if not _Builder(table).build(title, data):
        return
    out: list[str] = []
    table.render(out)
    stream.write("".join(out))
