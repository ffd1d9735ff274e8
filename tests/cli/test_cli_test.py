"""``escsim test PATH...``: the report, exit codes, JSON, options, and agreement with pytest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.cli.test import find_scenario_files
from tests.cli.conftest import SCENARIOS, SMALL

pytest_plugins = ["pytester"]

Write = Callable[..., str]

PASSING = (
    SMALL + "expect:\n  messages:\n    - {at: 0m, channel: SMS}\n    - {at: 5m, channel: VOICE}\n"
)
FAILING = PASSING.replace("{at: 5m, channel: VOICE}", "{at: 6m, channel: VOICE}")
FAILING_LINE = 21  # the row of the VOICE message, under messages at line 19


def test_passing_scenarios_exit_0_with_a_line_each(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(PASSING)
    assert main(["test", path]) == 0
    out = capsys.readouterr().out
    assert f"PASS {path}::small  one person, two channels" in out
    assert "1 passed, 0 failed (1 scenario(s) in 1 file(s))" in out


def test_a_mismatch_exits_1_with_the_diff_naming_file_and_line(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(FAILING)
    assert main(["test", path]) == 1
    out = capsys.readouterr().out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert f"FAIL {path}::small one person, two channels" in lines
    assert f"{path}:19: expect.messages: expected exactly 2 messages, found 2 that differ" in lines
    assert f"- 6m · VOICE · line {FAILING_LINE}: expected" in lines
    assert "+ 5m akuam VOICE voice SENT found instead" in lines
    assert "at: expected 6m, got 5m" in lines
    assert "0 passed, 1 failed (1 scenario(s) in 1 file(s))" in lines


def test_a_malformed_file_is_reported_and_exits_1(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(PASSING.replace("channel: VOICE}", "chanel: VOICE}"), "bad.scenario.yaml")
    assert main(["test", path]) == 1
    out = capsys.readouterr().out
    assert f"ERROR {path}" in out
    assert f"  {path}:21: expect.messages[1].chanel: unknown key 'chanel'" in out
    assert "0 passed, 0 failed, 1 file error(s)" in out


def test_a_name_in_expect_that_the_scenario_lacks_is_a_file_error(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(PASSING.replace("channel: VOICE}", "channel: pager}"), "bad.scenario.yaml")
    assert main(["test", path]) == 1
    out = capsys.readouterr().out
    assert f"ERROR {path}" in out
    assert f"  {path}:21: expect.messages[1].channel: no channel named 'pager'" in out
    assert "0 passed, 0 failed, 1 file error(s)" in out


def test_folders_are_searched_like_pytest_does(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.scenario.yaml").write_text(PASSING)
    (tmp_path / "a.scenario.yaml").write_text(PASSING)
    (tmp_path / "c.yaml").write_text(PASSING)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "h.scenario.yaml").write_text(PASSING)
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "v.scenario.yaml").write_text(PASSING)
    found = find_scenario_files([str(tmp_path)], ["*.scenario.yaml"])
    assert found == [tmp_path / "a.scenario.yaml", tmp_path / "b" / "z.scenario.yaml"]
    assert find_scenario_files([str(tmp_path)], ["*.yaml"])[0] == tmp_path / "a.scenario.yaml"


def test_a_path_that_does_not_exist_exits_252(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "no/such/place"]) == 252
    assert "escsim test: no such file or folder: no/such/place" in capsys.readouterr().err


def test_nothing_found_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(tmp_path)]) == 1
    assert "no scenarios found" in capsys.readouterr().out


def test_json_output_lists_every_result(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(PASSING, "good.scenario.yaml")
    bad = write(FAILING, "bad.scenario.yaml")
    assert main(["test", good, bad, "--output", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert (document["Passed"], document["Failed"], document["Errors"]) == (1, 1, 0)
    failed = document["Scenarios"][1]
    assert failed["File"] == bad and failed["Passed"] is False and failed["Seed"] == 0
    [mismatch] = failed["Mismatches"]
    assert (mismatch["Path"], mismatch["Line"]) == ("expect.messages", 19)


def test_seed_and_k_options(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(SMALL.replace("name: small", "name: pinned") + "\n")
    assert main(["test", path, "--seed", "4", "--output", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["Scenarios"][0]["Seed"] == 4
    assert main(["test", path, "-k", "PIN", "--output", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["Scenarios"]) == 1
    assert main(["test", path, "-k", "other"]) == 1
    assert main(["test", path, "--seed", "-2"]) == 252


def test_escsim_test_agrees_with_pytest_on_the_library(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["test", str(SCENARIOS), "--output", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    ours = sorted(
        f"{Path(item['File']).relative_to(SCENARIOS.parent)}::{item['Scenario']}"
        for item in document["Scenarios"]
    )
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.chdir(SCENARIOS.parent)
    result = pytester.runpytest_inprocess(
        "-p",
        "engine.scenario.plugin",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "-q",
        "-rA",
        "scenarios",
    )
    assert result.ret == pytest.ExitCode.OK
    collected = sorted(
        line.removeprefix("PASSED ") for line in result.stdout.lines if line.startswith("PASSED ")
    )
    assert ours == collected
    assert len(ours) >= 30 and document["Failed"] == 0 and document["Errors"] == 0
