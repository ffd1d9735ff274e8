"""The behaviour library in scenarios/: named and described files that cover every rule in scope,
as the table of docs/scenario-tests.md says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.scenario.expect.compile import compile_checks
from engine.scenario.loader import load_file

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ROOT / "scenarios"
TABLE_DOC = ROOT / "docs" / "scenario-tests.md"

TIME_AND_RESOURCES = ("T0", "T1", "T1b", "T1c", "T2", "R1", "R2", "R3", "R3b", "R4")
ENGAGEMENT = ("E1", "E1a", "E1b", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10", "E11")
ENDINGS_LISTS_ERRORS = ("E12", "E12b", "E13", "E14", "E15", "L1", "X1", "X1b", "X2")
IN_SCOPE = (*TIME_AND_RESOURCES, *ENGAGEMENT, *ENDINGS_LISTS_ERRORS)
"""Rules of docs/semantics.md that need no on-call rotation."""

FILES = sorted(SCENARIOS.rglob("*.scenario.yaml"))


def rule_table() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in TABLE_DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| ([A-Z][0-9]+[a-z]?) \| (.+) \|$", line)
        if match:
            rows[match.group(1)] = re.findall(r"`([^`]+\.scenario\.yaml)`", match.group(2))
    return rows


def test_the_library_holds_at_least_thirty_files_grouped_by_area() -> None:
    assert len(FILES) >= 30
    areas = {path.parent.name for path in FILES if path.parent != SCENARIOS}
    assert areas >= {
        "personal-plans",
        "escalation",
        "essential-ack",
        "stop",
        "retries-and-failures",
        "channel-activation",
        "idempotency",
        "content",
        "errors",
    }


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SCENARIOS)) for p in FILES])
def test_each_file_is_named_for_its_behaviour_and_described_in_one_line(path: Path) -> None:
    scenarios = load_file(path)
    compiled = compile_checks(scenarios)
    stem = path.name.removesuffix(".scenario.yaml")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", stem)
    if len(scenarios) == 1:
        assert scenarios[0].name == stem
    text = path.read_text(encoding="utf-8")
    top = re.search(r"^description: (.+)$", text, flags=re.MULTILINE)
    assert top is not None and len(top.group(1)) <= 120
    for scenario, checks in zip(scenarios, compiled, strict=True):
        assert scenario.description
        expects_errors = any(step.expect_error for step in scenario.steps)
        assert checks or expects_errors, f"{scenario.name} expects nothing"


def test_every_rule_in_scope_has_a_file_and_every_file_a_rule() -> None:
    table = rule_table()
    assert [rule for rule in IN_SCOPE if not table.get(rule)] == []
    listed = {name for names in table.values() for name in names}
    assert sorted(name for name in listed if not (SCENARIOS / name).is_file()) == []
    assert sorted({str(p.relative_to(SCENARIOS)) for p in FILES} - listed) == []
