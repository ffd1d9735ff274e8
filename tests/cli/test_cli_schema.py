"""``escsim schema``: the JSON Schema of scenario files on stdout, or in a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.scenario.schema import scenario_schema


def test_schema_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == scenario_schema()
    assert captured.err == ""


def test_schema_can_be_written_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "scenario.schema.json"
    assert main(["schema", "--output-file", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8")) == scenario_schema()


def test_an_unwritable_schema_file_exits_252(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-dir" / "schema.json"
    assert main(["schema", "--output-file", str(target)]) == 252
    assert capsys.readouterr().err.startswith(f"escsim schema: cannot write {target}: ")
