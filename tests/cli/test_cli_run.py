"""``escsim run``: human and JSON output, event files, settings, exit codes and error messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.cli.main import main
from tests.cli.conftest import ESCALATION, PERSONAL, SMALL

Write = Callable[..., str]
START = 1767258000.0


def test_table_output_shows_timeline_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(ESCALATION)]) == 0
    out = capsys.readouterr().out
    assert "Timeline" in out and "Engagements" in out and "Messages per channel type" in out
    assert "acknowledged by akuam at 7m via SMS; escalation stopped at 7m" in out
    assert "example_escalation[1]" in out
    assert "cli-test: Testing engagements va CLI [code " in out


def test_json_output_is_the_whole_result_and_nothing_else(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", str(PERSONAL), "--output", "json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert captured.err == ""
    assert result["scenario"]["name"] == "seed-personal-engagement"
    assert result["region"] == "us-east-2" and result["seed"] == 0
    [engagement] = result["engagements"]
    assert engagement["EngagementArn"] == result["steps"][0]["Response"]["EngagementArn"]
    assert [m["ChannelType"] for m in result["outbox"]] == ["SMS", "VOICE", "EMAIL"]
    assert result["events"][0]["Type"] == "CHANNEL_CREATED"


def test_json_output_is_byte_identical_across_runs(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for _ in range(2):
        assert main(["run", str(ESCALATION), "--output", "json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_seed_option_changes_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    main(["run", str(ESCALATION), "--output", "json"])
    default = json.loads(capsys.readouterr().out)
    main(["run", str(ESCALATION), "--output", "json", "--seed", "5"])
    seeded = json.loads(capsys.readouterr().out)
    assert seeded["seed"] == 5
    assert seeded["engagements"][0]["EngagementArn"] != default["engagements"][0]["EngagementArn"]


def test_events_option_writes_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "events.jsonl"
    assert main(["run", str(ESCALATION), "--output", "json", "--events", str(target)]) == 0
    result = json.loads(capsys.readouterr().out)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == result["events"]
    assert all(line.startswith("{") and line.endswith("}") for line in lines)


def test_set_overrides_a_knob(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(SMALL)
    settings = ["--set", "latency.SMS=12", "--set", "delivery_receipts=carrier"]
    assert main(["run", path, "--output", "json", *settings]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["settings"]["latency.SMS"] == 12
    assert result["settings"]["delivery_receipts"] == "carrier"
    delivered = [e for e in result["events"] if e.get("ReceiptType") == "DELIVERED"]
    assert delivered[0]["Time"] == START + 12


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("latency.SMS=99999", "escsim: --set latency.SMS=99999: setting 'latency.SMS': must be"),
        ("repeats=1", "escsim: --set repeats=1: setting 'repeats': unknown setting"),
        ("repeat", "escsim: --set repeat: setting 'repeat': expected NAME=VALUE"),
    ],
)
def test_a_bad_set_exits_252_naming_the_knob(
    write: Write, capsys: pytest.CaptureFixture[str], assignment: str, expected: str
) -> None:
    assert main(["run", write(SMALL), "--set", assignment]) == 252
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(expected)


def test_a_knob_out_of_range_in_the_file_exits_252(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(SMALL + "settings:\n  max_retries: 500\n")
    assert main(["run", path]) == 252
    [line] = capsys.readouterr().err.splitlines()
    assert line == (f"{path}:19: settings.max_retries: must be an integer from 0 to 100 (got 500)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: 1\nname: [oops\n", ":3: invalid YAML: "),
        (SMALL + "colour: red\n", ":18: colour: unknown key 'colour'"),
        (
            SMALL.replace("retry: 1", "retry: soon"),
            ":12: contacts.akuam.plan[0].targets[0].retry: write whole minutes, e.g. 5 or 5m "
            "(got 'soon')",
        ),
        (
            SMALL + "responders:\n  akuam: {acknowledges_after: 7 minutes}\n",
            ":19: responders.akuam.acknowledges_after: write a duration with a unit",
        ),
        (
            SMALL.replace("channel: voice", "channel: pager"),
            ":13: contacts.akuam.plan[1].targets[0].channel: no channel named 'pager' on contact "
            "'akuam' (known: sms, voice)",
        ),
        (
            SMALL + "  - {at: 1m, acknowledge: {contact: bob, engagement: start1}}\n",
            ":18: script[1].acknowledge.contact: no contact named 'bob' in this scenario",
        ),
        (
            SMALL + "expect:\n  messages:\n    - {contact: bob}\n",
            ":20: expect.messages[0].contact: no contact named 'bob' in this scenario",
        ),
        (
            SMALL.replace(
                "duration: 5, targets: [{channel: voice}]",
                "duration: 31, targets: [{channel: voice}]",
            ),
            ":13: contacts.akuam.plan[1].duration: must be less than or equal to 30 (got 31)",
        ),
    ],
)
def test_a_malformed_file_exits_253_with_one_clear_line(
    write: Write, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = write(text)
    assert main(["run", path]) == 253
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(path + expected)
    assert "Traceback" not in captured.err


def test_a_missing_file_exits_253(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "absent.scenario.yaml")
    assert main(["run", path]) == 253
    assert capsys.readouterr().err == f"{path}: no such file\n"


def test_a_failed_step_exits_254_naming_file_step_and_aws_error(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(SMALL + "  - at: 1m\n    StopEngagement: {EngagementId: not-an-arn}\n")
    assert main(["run", path, "--output", "json"]) == 254
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["steps"][1]["Error"]["Code"] == "ValidationException"
    [line] = captured.err.splitlines()
    assert line.startswith(
        f"{path}:18: script[1] (StopEngagement): An error occurred (ValidationException) when "
        "calling the StopEngagement operation: "
    )


def test_an_expected_error_exits_0(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        SMALL
        + "  - {at: 1m, StopEngagement: {EngagementId: x}, expect_error: ValidationException}\n"
    )
    assert main(["run", path]) == 0
    out = capsys.readouterr().out
    assert "StopEngagement failed as expected" in out


def test_an_expected_error_that_does_not_happen_exits_254(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        SMALL + "  - {at: 1m, GetContact: {ContactId: akuam}, expect_error: ValidationException}\n"
    )
    assert main(["run", path]) == 254
    [line] = capsys.readouterr().err.splitlines()
    assert line == (
        f"{path}:18: script[1] (GetContact): expected ValidationException, but the GetContact "
        "call succeeded"
    )


def test_scenario_option_picks_one_of_several(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SMALL.replace("name: small\ndescription: one person, two channels\n", "") + (
        "scenarios:\n  - name: one\n  - name: two\n    seed: 3\n"
    )
    path = write(text)
    assert main(["run", path, "--output", "json", "--scenario", "two"]) == 0
    assert json.loads(capsys.readouterr().out)["seed"] == 3
    assert main(["run", path, "--output", "json"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert [result["scenario"]["name"] for result in both] == ["one", "two"]
    assert main(["run", path, "--scenario", "three"]) == 252
    assert "has no scenario named 'three' (it has: one, two)" in capsys.readouterr().err


def test_usage_errors_exit_252(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 252
    assert "the following arguments are required: FILE" in capsys.readouterr().err
    assert main(["run", str(PERSONAL), "--output", "xml"]) == 252
    assert "invalid choice: 'xml'" in capsys.readouterr().err
    assert main([]) == 252
    assert main(["frobnicate"]) == 252


def test_version_and_help_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == "escsim 0.2.0\n"
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "run" in out and "validate" in out and "schema" in out


def test_unexpected_failures_exit_255_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("engine.cli.run.run_scenario", explode)
    assert main(["run", str(PERSONAL)]) == 255
    assert capsys.readouterr().err == "escsim: unexpected error: RuntimeError: boom\n"


def test_ctrl_c_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("engine.cli.run.run_scenario", interrupt)
    assert main(["run", str(PERSONAL)]) == 130
    assert capsys.readouterr().err == "escsim: interrupted\n"


def test_events_of_several_scenarios_name_their_scenario(
    write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SMALL.replace("name: small\ndescription: one person, two channels\n", "") + (
        "scenarios:\n  - name: one\n  - name: two\n"
    )
    target = tmp_path / "events.jsonl"
    assert main(["run", write(text), "--output", "json", "--events", str(target)]) == 0
    results = json.loads(capsys.readouterr().out)
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["Scenario"] for r in records] == ["one"] * len(results[0]["events"]) + ["two"] * len(
        results[1]["events"]
    )
    assert [{k: v for k, v in r.items() if k != "Scenario"} for r in records] == (
        results[0]["events"] + results[1]["events"]
    )


def test_the_delivered_column_shows_only_when_something_was_delivered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", str(ESCALATION)]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines() if "pages sent" in line)
    assert "delivered" not in header  # delivery_receipts=accept: no DELIVERED receipt
    assert main(["run", str(ESCALATION), "--set", "delivery_receipts=carrier"]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines() if "pages sent" in line)
    assert "delivered" in header
