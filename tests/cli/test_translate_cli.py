"""``escsim translate``: the document on stdout or in a file, what the target cannot express on
stderr (plain lines, a table on a terminal, or JSON), and the exit codes of bad input."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from engine.cli.main import main
from engine.policy.model import OnCallSetup
from tests.cli.conftest import ESCALATION, SCENARIOS

LAYERED = (
    SCENARIOS
    / "oncall"
    / "layered-schedules-page-the-last-rotation-with-anyone-on-call.scenario.yaml"
)
OVERRIDES = SCENARIOS / "oncall" / "overlapping-overrides-the-latest-wins.scenario.yaml"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["translate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_scenario_goes_to_stdout_and_nothing_to_stderr_when_all_is_expressed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run([str(ESCALATION), "--to", "aws"], capsys)
    assert code == 0
    assert err == ""
    document = yaml.safe_load(out)
    assert document["version"] == 1
    assert [c["Alias"] for c in document["contacts"]] == [
        "akuam",
        "alejr",
        "anasi",
        "example_escalation",
    ]
    assert "script" not in document and "settings" not in document


def test_output_file_holds_the_document_and_stdout_stays_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.scenario.yaml"
    code, out, _ = _run([str(ESCALATION), "--to", "aws", "--output-file", str(target)], capsys)
    assert code == 0 and out == ""
    code, again, _ = _run([str(ESCALATION), "--to", "aws"], capsys)
    assert target.read_text(encoding="utf-8") == again  # same bytes either way, every time
    assert main(["validate", str(target)]) == 0


def test_constructs_are_plain_lines_on_stderr_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run([str(LAYERED), "--to", "aws"], capsys)
    assert code == 0
    assert "settings" not in yaml.safe_load(out)
    assert err.splitlines() == [
        "escsim translate: setting schedule_layers=last_wins: an escsim setting of the source, "
        "not part of an AWS organisation: left out (give it to escsim run with --set "
        "schedule_layers=last_wins)"
    ]


def test_output_json_lists_the_constructs_on_stderr_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [str(OVERRIDES), "--to", "aws", "--format", "cloudformation", "--output", "json"]
    code, out, err = _run(argv, capsys)
    assert code == 0
    assert out.startswith("# Translated by `escsim translate --to aws --format cloudformation`")
    constructs = json.loads(err)
    assert len(constructs) == 3
    assert all("create-rotation-override" in line for line in constructs)
    assert all(line.startswith("rotation primary: override ") for line in constructs)


def test_a_terminal_gets_a_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    assert main(["translate", str(OVERRIDES), "--to", "aws", "--format", "cloudformation"]) == 0
    table = stream.getvalue()
    assert "What aws cannot express, and what it became" in table
    assert "object" in table and "rotation primary" in table
    assert table.count("create-rotation-override") == 3


def test_another_product_is_written_by_its_module(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(setup: OnCallSetup) -> tuple[dict[str, object], list[str]]:
        people = [person.handle for person in setup.people]
        return {"users": people}, [f"policy {p.handle}: written as is" for p in setup.policies]

    module = ModuleType("engine.vendors.pagerduty")
    module.write = write  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "engine.vendors.pagerduty", module)
    code, out, err = _run([str(ESCALATION), "--to", "pagerduty"], capsys)
    assert code == 0
    assert json.loads(out) == {"users": ["akuam", "alejr", "anasi"]}
    assert err == "escsim translate: policy example_escalation: written as is\n"


def test_a_bad_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run([str(ESCALATION), "--to", "splunk"], capsys)
    assert code == 252 and out == ""
    assert "argument --to: invalid choice: 'splunk'" in err


def test_a_format_for_another_product_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([str(ESCALATION), "--to", "opsgenie", "--format", "cloudformation"], capsys)
    assert code == 252
    assert err == (
        "escsim translate: --format cloudformation is for --to aws; opsgenie has one document "
        "form (its export JSON)\n"
    )


def test_an_unreadable_source_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "gone.scenario.yaml"
    code, out, err = _run([str(missing), "--to", "aws"], capsys)
    assert code == 253 and out == ""
    assert "gone.scenario.yaml" in err


def test_a_malformed_source_names_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text(
        "version: 1\nname: bad\ncontacts:\n  akuam:\n"
        "    channels: {sms: {type: PIGEON, address: x}}\n",
        encoding="utf-8",
    )
    code, out, err = _run([str(bad), "--to", "aws"], capsys)
    assert code == 253 and out == ""
    assert "bad.scenario.yaml:5" in err and "PIGEON" in err


def test_an_unwritable_output_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-dir" / "out.yaml"
    code, out, err = _run([str(ESCALATION), "--to", "aws", "-o", str(target)], capsys)
    assert code == 252 and out == ""
    assert err.startswith(f"escsim translate: cannot write {target}: ")
