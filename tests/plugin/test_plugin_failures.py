"""How a scenario that does not go as written fails: a readable diff naming file and line."""

from __future__ import annotations

import shutil

import pytest

from tests.plugin.conftest import GOOD, SCENARIOS, WRONG_TIME, run

pytest_plugins = ["pytester"]


def test_a_wrong_expectation_fails_with_an_expected_against_actual_diff(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".scenario.yaml", wrong=WRONG_TIME)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    lines = [" ".join(line.split()) for line in result.stdout.lines]
    assert (
        "scenario 'sms-then-voice' (wrong.scenario.yaml:2) did not go as expected: 1 problem(s)"
        in lines
    )
    assert (
        "wrong.scenario.yaml:18: expect.messages: expected exactly 2 messages, found 2 that differ"
        in lines
    )
    assert "= 0s akuam SMS sms SENT" in lines
    assert "- 5m30s · VOICE · line 20: expected" in lines
    assert "+ 5m akuam VOICE voice SENT found instead" in lines
    assert "at: expected 5m30s, got 5m" in lines
    assert "Traceback" not in result.stdout.str()


def test_the_failure_is_reported_at_the_scenario_in_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", wrong=WRONG_TIME)
    result = run(pytester, "-rf")
    result.stdout.fnmatch_lines(
        ["FAILED wrong.scenario.yaml::sms-then-voice - scenario 'sms-then-voice'*"]
    )


def test_a_failed_script_step_fails_the_scenario_at_its_line(pytester: pytest.Pytester) -> None:
    text = GOOD.replace("expect:", "  - at: 1m\n    GetContact: {ContactId: nobody}\nexpect:")
    pytester.makefile(".scenario.yaml", step=text)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    assert any(
        line.startswith(
            "step.scenario.yaml:17: script[1]: GetContact: An error occurred "
            "(ResourceNotFoundException) when calling the GetContact operation: "
        )
        for line in result.stdout.lines
    )


def test_only_the_failing_scenario_of_a_file_fails(pytester: pytest.Pytester) -> None:
    text = GOOD.replace("name: sms-then-voice\n", "").replace(
        "expect:\n  messages:\n    - {at: 0m, channel: SMS}\n    - {at: 5m, channel: VOICE}\n",
        "scenarios:\n"
        "  - name: right\n"
        "    expect: {counts: [{messages: 2}]}\n"
        "  - name: wrong\n"
        "    expect: {counts: [{messages: 3}]}\n",
    )
    pytester.makefile(".scenario.yaml", both=text)
    result = run(pytester, "-v")
    result.stdout.fnmatch_lines(
        ["both.scenario.yaml::right PASSED*", "both.scenario.yaml::wrong FAILED*"]
    )
    assert "both.scenario.yaml:20: scenarios[1].expect.counts[0]: expected 3 messages, found 2" in (
        result.stdout.str()
    )


def test_a_wrong_expectation_in_a_copy_of_a_library_scenario_names_its_file_and_line(
    pytester: pytest.Pytester,
) -> None:
    source = SCENARIOS / "seed-escalation-engagement.scenario.yaml"
    copy = pytester.path / "copy.scenario.yaml"
    shutil.copy(source, copy)
    text = copy.read_text(encoding="utf-8")
    line = text.splitlines().index("      escalation_stopped: 7m") + 1
    copy.write_text(text.replace("escalation_stopped: 7m", "escalation_stopped: 9m"), "utf-8")
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"copy.scenario.yaml:{line}: expect.engagements.escalate.escalation_stopped: "
            "expected at 9m, got at 7m"
        ]
    )


def test_the_behaviour_library_passes(pytester: pytest.Pytester) -> None:
    result = run(pytester, str(SCENARIOS), "-q")
    outcomes = result.parseoutcomes()
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert outcomes["passed"] >= 30
    assert not {"failed", "errors"} & set(outcomes)
