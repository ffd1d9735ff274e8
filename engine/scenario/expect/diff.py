"""Lists of expected rows against lists of facts, drawn as a diff a person can read.

Three comparisons: ``exactly`` (these rows and no others, in order: an alignment that keeps as
many rows matched as possible), ``include`` (these rows in order, others allowed between) and
``exclude`` (no fact may match a row). Each returns the lines of a table: ``=`` a row that
matched, ``-`` an expected row not found, ``+`` a fact that was not expected, and under a
``+`` or ``-`` the fields that differ from its nearest counterpart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from engine.scenario.expect.facts import Fact, RunFacts
from engine.scenario.expect.rows import COLUMN_ORDER, Pattern, actual_cell

__all__ = ["DiffLine", "columns_for", "exact_diff", "exclude_diff", "include_diff", "render_table"]

_CONTEXT = 3
_SHORT = 24
_MAX_CELLS = 250_000  # above this the alignment is greedy rather than optimal


@dataclasses.dataclass
class DiffLine:
    """One line of a diff table."""

    marker: str
    """``=`` matched, ``-`` expected and missing, ``+`` present and not expected, `` `` other."""
    cells: list[str]
    note: str = ""
    hints: list[str] = dataclasses.field(default_factory=list)


def columns_for(kind_columns: Sequence[str], patterns: Sequence[Pattern]) -> list[str]:
    """The base columns of a kind, then every other column a row names, in table order."""
    wanted: set[str] = set()
    for pattern in patterns:
        wanted |= pattern.columns
    extra = [column for column in COLUMN_ORDER if column in wanted and column not in kind_columns]
    return [*kind_columns, *extra]


def render_table(columns: Sequence[str], lines: Sequence[DiffLine]) -> list[str]:
    """The table as text: a header, then one line per row, long runs of context folded."""
    widths = [len(column) for column in columns]
    for line in lines:
        for index, cell in enumerate(line.cells):
            widths[index] = max(widths[index], len(cell))

    def row(marker: str, cells: Sequence[str], note: str) -> str:
        text = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return f"  {marker} {text}  {note}".rstrip()

    out = [row(" ", list(columns), "")]
    keep = _kept(lines)
    index = 0
    while index < len(lines):
        if not keep[index]:
            end = index
            while end < len(lines) and not keep[end]:
                end += 1
            out.append(f"    … {end - index} more row(s) …")
            index = end
            continue
        line = lines[index]
        out.append(row(line.marker, line.cells, line.note))
        out.extend(f"        {hint}" for hint in line.hints)
        index += 1
    return out


def _kept(lines: Sequence[DiffLine]) -> list[bool]:
    if len(lines) <= _SHORT:
        return [True] * len(lines)
    changed = [i for i, line in enumerate(lines) if line.marker in "-+"]
    keep = [False] * len(lines)
    for i in changed:
        for j in range(max(0, i - _CONTEXT), min(len(lines), i + _CONTEXT + 1)):
            keep[j] = True
    return keep


def _fact_line(marker: str, fact: Fact, columns: Sequence[str], run: RunFacts) -> DiffLine:
    return DiffLine(marker, [actual_cell(column, fact, run) for column in columns])


def _pattern_line(pattern: Pattern, columns: Sequence[str], note: str) -> DiffLine:
    return DiffLine("-", [pattern.cell(column) for column in columns], note)


def _nearest(pattern: Pattern, facts: Sequence[Fact], run: RunFacts) -> int | None:
    """The index of the first fact differing from ``pattern`` in fewest fields, if it shares
    one."""
    counts = [len(pattern.differences(fact, run)) for fact in facts]
    best = min(range(len(counts)), key=counts.__getitem__, default=None)
    return best if best is not None and counts[best] < len(pattern.fields) else None


def _where(pattern: Pattern) -> str:
    return f"line {pattern.line}" if pattern.line is not None else "expected"


# --- exactly --------------------------------------------------------------------------------------


def _align(
    patterns: Sequence[Pattern], facts: Sequence[Fact], run: RunFacts
) -> list[tuple[int | None, int | None]]:
    """(pattern index, fact index) pairs in order; None on one side for a row left unmatched."""
    n, m = len(patterns), len(facts)
    if n * m > _MAX_CELLS:
        return _greedy_align(patterns, facts, run)
    hit = [[patterns[i].matches(facts[j], run) for j in range(m)] for i in range(n)]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if hit[i][j]:
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if hit[i][j] and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs.extend((k, None) for k in range(i, n))
    pairs.extend((None, k) for k in range(j, m))
    return pairs


def _greedy_align(
    patterns: Sequence[Pattern], facts: Sequence[Fact], run: RunFacts
) -> list[tuple[int | None, int | None]]:
    pairs: list[tuple[int | None, int | None]] = []
    j = 0
    for i, pattern in enumerate(patterns):
        k = next((k for k in range(j, len(facts)) if pattern.matches(facts[k], run)), None)
        if k is None:
            pairs.append((i, None))
            continue
        pairs.extend((None, extra) for extra in range(j, k))
        pairs.append((i, k))
        j = k + 1
    pairs.extend((None, extra) for extra in range(j, len(facts)))
    return pairs


def exact_diff(
    patterns: Sequence[Pattern], facts: Sequence[Fact], columns: Sequence[str], run: RunFacts
) -> list[DiffLine] | None:
    """None when ``facts`` are exactly ``patterns`` in order, else the diff."""
    pairs = _align(patterns, facts, run)
    if all(p is not None and f is not None for p, f in pairs):
        return None
    lines: list[DiffLine] = []
    gap: list[tuple[int | None, int | None]] = []
    for pair in [*pairs, (None, None)]:
        p, f = pair
        if (p is not None and f is not None) or pair == (None, None):
            lines.extend(_gap_lines(gap, patterns, facts, columns, run))
            gap = []
            if p is not None and f is not None:
                lines.append(_fact_line("=", facts[f], columns, run))
            continue
        gap.append(pair)
    return lines


def _gap_lines(
    gap: Sequence[tuple[int | None, int | None]],
    patterns: Sequence[Pattern],
    facts: Sequence[Fact],
    columns: Sequence[str],
    run: RunFacts,
) -> list[DiffLine]:
    """Missing rows and extra facts between two matches, each missing row shown just above
    the extra fact it is nearest to (when they share a field)."""
    missing = [p for p, _ in gap if p is not None]
    extra = [f for _, f in gap if f is not None]
    partner: dict[int, int] = {}
    low = 0
    for p in missing:
        best = _nearest(patterns[p], [facts[f] for f in extra[low:]], run)
        if best is not None:
            partner[p] = low + best
            low += best + 1
    lines: list[DiffLine] = []
    placed = {position: p for p, position in partner.items()}
    lines.extend(
        _pattern_line(patterns[p], columns, f"{_where(patterns[p])}: expected, not found")
        for p in missing
        if p not in partner
    )
    for position, f in enumerate(extra):
        fact = facts[f]
        paired = placed.get(position)
        if paired is not None:
            pattern = patterns[paired]
            lines.append(_pattern_line(pattern, columns, f"{_where(pattern)}: expected"))
            line = _fact_line("+", fact, columns, run)
            line.note = "found instead"
            line.hints = pattern.differences(fact, run)
            lines.append(line)
        else:
            line = _fact_line("+", fact, columns, run)
            line.note = "not expected"
            lines.append(line)
    return lines


# --- include --------------------------------------------------------------------------------------


def include_diff(
    patterns: Sequence[Pattern], facts: Sequence[Fact], columns: Sequence[str], run: RunFacts
) -> list[DiffLine] | None:
    """None when every row matches a fact, in order; else every fact, with each missing row
    placed where it was expected: after the fact the row above it matched, and, when the row
    names a time, among the facts of that time."""
    found: list[int | None] = []
    position = 0
    for pattern in patterns:
        index = next(
            (f for f in range(position, len(facts)) if pattern.matches(facts[f], run)), None
        )
        found.append(index)
        if index is not None:
            position = index + 1
    if all(index is not None for index in found):
        return None
    matched = {index for index in found if index is not None}
    missing_after: dict[int, list[int]] = {}
    for p, index in enumerate(found):
        if index is None:
            anchor = _anchor(p, patterns[p], found, facts, run)
            missing_after.setdefault(anchor, []).append(p)
    lines: list[DiffLine] = []
    for anchor in range(-1, len(facts)):
        if anchor >= 0:
            marker = "=" if anchor in matched else " "
            lines.append(_fact_line(marker, facts[anchor], columns, run))
        for p in missing_after.get(anchor, []):
            lines.append(_missing_line(patterns[p], _after_match(p, found), facts, columns, run))
    return lines


def _after_match(p: int, found: Sequence[int | None]) -> int:
    """The first fact the row at ``p`` could have matched: the one after the last match above."""
    earlier = [index for index in found[:p] if index is not None]
    return earlier[-1] + 1 if earlier else 0


def _anchor(
    p: int, pattern: Pattern, found: Sequence[int | None], facts: Sequence[Fact], run: RunFacts
) -> int:
    """The fact after which a missing row is shown (-1: before every fact)."""
    low = _after_match(p, found)
    later = [index for index in found[p + 1 :] if index is not None]
    high = later[0] if later else len(facts)
    when = pattern.fields.get("at", pattern.fields.get("after"))
    if when is None:
        return low - 1
    offset = run.offset(when)
    anchor = low - 1
    for index in range(low, high):
        if facts[index].at <= offset + 0.0005:
            anchor = index
    return anchor


def _missing_line(
    pattern: Pattern, start: int, facts: Sequence[Fact], columns: Sequence[str], run: RunFacts
) -> DiffLine:
    line = _pattern_line(pattern, columns, f"{_where(pattern)}: expected, not found")
    earlier = next((fact for fact in facts[:start] if pattern.matches(fact, run)), None)
    if earlier is not None:
        line.hints.append(
            f"a record at {actual_cell('at', earlier, run)} matches this row, but it comes "
            "before the row above it: the rows are out of order"
        )
        return line
    nearest = _nearest(pattern, facts[start:], run)
    if nearest is not None:
        fact = facts[start + nearest]
        shown = "  ".join(actual_cell(column, fact, run) for column in columns)
        line.hints.append(f"nearest record: {shown}")
        line.hints.extend(f"  {difference}" for difference in pattern.differences(fact, run))
    return line


# --- exclude --------------------------------------------------------------------------------------


def exclude_diff(
    patterns: Sequence[Pattern],
    facts: Sequence[Fact],
    columns: Sequence[str],
    run: RunFacts,
    labels: Sequence[str],
) -> list[DiffLine] | None:
    """None when no fact matches any row; else each fact that does, naming the row."""
    lines = []
    for fact in facts:
        for pattern, label in zip(patterns, labels, strict=True):
            if pattern.matches(fact, run):
                line = _fact_line("+", fact, columns, run)
                line.note = f"matches {label} ({_where(pattern)}): {pattern.describe()}"
                lines.append(line)
                break
    return lines or None
