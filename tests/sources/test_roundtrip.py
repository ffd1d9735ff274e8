"""A template and the equivalent scenario file give the same review figures.

payments-oncall.template.yaml (10 people, 2 rotations, 2 on-call schedules, 3 escalation plans,
written with parameters, conditions, mappings and short-form functions) and
payments-oncall.aws-form.yaml (the same organisation in the AWS form) must lint, prove coverage
and forecast alike with the same seed; only where each finding sits differs, and the template's
findings point at the template's own lines.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.cli.main import main
from tests.sources.conftest import PAYMENTS_SCENARIO, PAYMENTS_TEMPLATE

WINDOW = ["--from", "2026-01-05T00:00:00Z", "--to", "60d"]


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any, str]:
    code = main([*argv, "--output", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _placeless(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in f.items() if k not in ("Location", "Line")} for f in findings]


def test_review_figures_are_those_of_the_equivalent_scenario_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = ["review", *WINDOW, "--replications", "8", "--seed", "11", "--no-progress"]
    code_t, template, _ = _json([*run, str(PAYMENTS_TEMPLATE)], capsys)
    code_s, scenario, _ = _json([*run, str(PAYMENTS_SCENARIO)], capsys)
    assert code_t == code_s
    assert template["lint"]["findings"], "the example is meant to have findings to compare"
    assert _placeless(template["lint"]["findings"]) == _placeless(scenario["lint"]["findings"])
    assert template["lint"]["errors"] == scenario["lint"]["errors"]
    assert template["coverage"] == scenario["coverage"]
    assert template["forecast"] == scenario["forecast"]
    assert template["window"] == scenario["window"]


def test_template_findings_name_the_template_line(capsys: pytest.CaptureFixture[str]) -> None:
    run = ["review", *WINDOW, "--replications", "2", "--no-progress"]
    _, document, _ = _json([*run, str(PAYMENTS_TEMPLATE)], capsys)
    lines = PAYMENTS_TEMPLATE.read_text(encoding="utf-8").splitlines()
    located = [f for f in document["lint"]["findings"] if "Location" in f]
    assert located
    for finding in located:
        assert finding["Location"].startswith("Resources.")
        logical_id = finding["Location"].split(".")[1]
        # The line is inside that resource's block: at or after the line declaring it.
        declared = lines.index(f"  {logical_id}:") + 1
        assert finding["Line"] >= declared, finding


def test_validate_findings_are_those_of_the_scenario_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, template, _ = _json(["validate", str(PAYMENTS_TEMPLATE)], capsys)
    _, scenario, _ = _json(["validate", str(PAYMENTS_SCENARIO)], capsys)
    assert _placeless(template["scenarios"][0]["findings"]) == _placeless(
        scenario["scenarios"][0]["findings"]
    )


def test_coverage_is_that_of_the_scenario_file(capsys: pytest.CaptureFixture[str]) -> None:
    run = ["coverage", "--from", "2026-01-05T00:00:00Z", "--to", "30d"]
    code_t, template, _ = _json([*run, str(PAYMENTS_TEMPLATE)], capsys)
    code_s, scenario, _ = _json([*run, str(PAYMENTS_SCENARIO)], capsys)
    assert code_t == code_s == 0
    assert template["scenarios"][0]["subjects"] == scenario["scenarios"][0]["subjects"]


def test_shifts_are_those_of_the_scenario_file(capsys: pytest.CaptureFixture[str]) -> None:
    run = ["shifts", "--from", "2026-01-05T00:00:00Z", "--to", "14d"]
    _, template, _ = _json([*run, str(PAYMENTS_TEMPLATE), "payments_secondary"], capsys)
    _, scenario, _ = _json([*run, str(PAYMENTS_SCENARIO), "payments_secondary"], capsys)
    template.pop("file", None)
    scenario.pop("file", None)
    assert template == scenario
