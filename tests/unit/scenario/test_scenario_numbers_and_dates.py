"""Numbers and dates no program could hold get their file, line and field like any bad value.

YAML reads ``seed: 999...`` (5000 digits) as an integer and ``2026-02-30T25:61:00+99:00`` as a
timestamp, and Python cannot build either; instants that fall outside years 1 to 9999 once in
UTC, durations too large to count, script steps after the year 9999 and settings of hundreds of
digits are refused the same way, by ``validate`` and ``run`` alike (exit 253, 252 for settings).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import Simulator
from engine.cli.exits import BAD_ARGUMENTS, BAD_FILE
from engine.cli.main import main, scenario_exit
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_text

FILE = "numbers.scenario.yaml"
HEAD = "version: 1\nname: n\nstart: 2026-01-01T09:00:00Z\nregion: us-east-2\n"
PERSON = """\
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15005550100", activated: true}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
"""
STEP = "script:\n  - at: {at}\n    StartEngagement: {{ContactId: akuam, Sender: s, Subject: s, Content: c}}\n"  # noqa: E501
DIGITS = "9" * 5000


def problems(text: str) -> tuple[int, list[str]]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, FILE)
    return scenario_exit(caught.value), caught.value.lines()


CASES = {
    "seed-5000-digits": (
        HEAD + f"seed: {DIGITS}\n",
        f"{FILE}:5: seed: a number of more than 4300 digits is too large to read (got '999",
    ),
    "seed-5000-hex-digits": (
        HEAD + f"seed: 0x{'f' * 5000}\n",
        f"{FILE}:5: seed: a number of more than 4300 digits is too large to read (got '0xff",
    ),
    "start-impossible": (
        "version: 1\nname: n\nstart: 2026-02-30T25:61:00+99:00\n",
        f"{FILE}:3: start: not a valid date and time: the UTC offset must lie between -23:59 "
        "and +23:59 (got '2026-02-30T25:61:00+99:00')",
    ),
    "start-february-30": (
        "version: 1\nname: n\nstart: 2026-02-30T09:00:00Z\n",
        f"{FILE}:3: start: not a valid date and time: day is out of range for month",
    ),
    "start-hour-25": (
        "version: 1\nname: n\nstart: 2026-01-01T25:00:00Z\n",
        f"{FILE}:3: start: not a valid date and time: hour must be in 0..23",
    ),
    "start-before-year-1-in-utc": (
        "version: 1\nname: n\nstart: 0001-01-01T00:00:00+01:00\n",
        f"{FILE}:3: start: not an instant: 0001-01-01T00:00:00+01:00 is out of range in UTC",
    ),
    "start-too-late-for-a-run": (
        "version: 1\nname: n\nstart: 9999-12-31T23:59:00Z\n",
        f"{FILE}:3: start: start 9999-12-31T23:59:00+00:00 is out of range: it must lie from "
        "1900-01-01 to before 9900-01-01",
    ),
    "rotation-start-february-30": (
        HEAD
        + PERSON
        + "rotations:\n  primary: {members: [akuam], zone: UTC, start: 2026-02-30T00:00:00Z,"
        + ' daily: ["09:00"]}\n',
        f"{FILE}:10: rotations.primary.start: not a valid date and time: day is out of range",
    ),
    "step-after-year-9999": (
        HEAD + PERSON + STEP.format(at="3000000d"),
        f"{FILE}:10: script[0].at: the step falls after the year 9999",
    ),
    "step-too-large-to-count": (
        HEAD + PERSON + STEP.format(at=DIGITS[:400] + "d"),
        f"{FILE}:10: script[0].at: write a duration with a unit",
    ),
    "acknowledgement-too-large-to-count": (
        HEAD
        + PERSON
        + f"responders:\n  akuam: {{acknowledges_after: {DIGITS[:400]}s, via: SMS}}\n",
        f"{FILE}:10: responders.akuam.acknowledges_after: write a duration with a unit",
    ),
    "expected-message-at-impossible-date": (
        HEAD + PERSON + "expect:\n  messages: [{at: 2026-13-01T00:00:00Z, contact: akuam}]\n",
        f"{FILE}:10: expect.messages[0].at: not a valid date and time: month must be in 1..12",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_unholdable_value_is_named_with_file_line_and_field(name: str) -> None:
    text, expected = CASES[name]
    code, lines = problems(text)
    assert code == BAD_FILE
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_a_setting_of_hundreds_of_digits_is_a_setting_problem() -> None:
    code, lines = problems(HEAD + PERSON + f"settings: {{latency: {{SMS: {DIGITS[:400]}}}}}\n")
    assert code == BAD_ARGUMENTS
    assert lines[0].startswith(f"{FILE}:9: settings.latency.SMS: must be a number from 0 to 3600")


def test_an_unquoted_impossible_date_in_free_text_is_named_too() -> None:
    _, lines = problems(HEAD + "description: 2026-02-30\n")
    assert lines == [
        f"{FILE}:5: description: not a valid date and time: day is out of range for month "
        "(got '2026-02-30')"
    ]


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(
    "name", ["seed-5000-digits", "start-impossible", "start-too-late-for-a-run"]
)
def test_validate_and_run_exit_253_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    path = tmp_path / FILE
    text, expected = CASES[name]
    path.write_text(text)
    assert main([command, str(path)]) == 253
    err = capsys.readouterr().err
    assert "unexpected error" not in err
    assert err.startswith(str(tmp_path / expected))


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "0", "--start", "9999-12-31T23:59:00Z"],
        ["workspace", "init", "--start", "1899-12-31T23:59:59Z"],
    ],
)
def test_a_start_out_of_a_runs_range_is_a_usage_error(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("ESCSIM_WORKSPACE", str(tmp_path / "ws"))
    assert main(argv) == 252
    assert "is out of range: it must lie from 1900-01-01 to before 9900-01-01" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "ws").exists()


def test_a_simulator_refuses_a_start_it_could_not_run_from() -> None:
    with pytest.raises(ValueError, match="out of range"):
        Simulator(start="9999-12-31T23:59:00Z")
