"""Reports how many fuzz cases ran, per front end and operation, at the end of the test run."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.fuzz.shapes import CASES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not CASES:
        return
    by_front: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for (front, operation), count in sorted(CASES.items()):
        by_front[front][operation] = count
    terminalreporter.section("escsim fuzz cases")
    for front, counts in by_front.items():
        values = sorted(counts.values())
        terminalreporter.write_line(
            f"{front}: {sum(values)} cases over {len(values)} operations or kinds "
            f"(fewest {values[0]}, most {values[-1]} each)"
        )
