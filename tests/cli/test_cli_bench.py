"""`escsim bench org-year` runs the workload at a tiny size; its summary agrees with its output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli.main import main


def test_bench_org_year_summary_counts_agree_with_the_receipts_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "receipts.jsonl"
    code = main(
        [
            "bench",
            "org-year",
            "--contacts",
            "50",
            "--engagements",
            "40",
            "--seed",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary["engagements"] == 40
    assert summary["receipts"] == len(records) > 0
    assert {r["Type"] for r in records} == {"RECEIPT"}
    assert summary["pages"] == len({r["PageArn"] for r in records})
    assert set(summary) == {"engagements", "pages", "receipts", "wall_s"}


def test_bench_org_year_emits_a_runnable_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "org.scenario.yaml"
    args = ["bench", "org-year", "--contacts", "20", "--engagements", "10", "--seed", "1"]
    assert main([*args, "--emit-scenario", str(scenario)]) == 0
    assert main(["validate", str(scenario)]) == 0
    capsys.readouterr()
    assert main(["run", str(scenario), "--output", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["engagements"]) == 10
