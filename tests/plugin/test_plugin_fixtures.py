"""The fixtures for scenario tests written in Python: escsim_simulator and run_scenario."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import GOOD, TWO, WRONG_TIME, run

pytest_plugins = ["pytester"]


def test_escsim_simulator_is_fresh_at_a_fixed_start_with_seed_0(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_sim="""
        def test_sim(escsim_simulator):
            assert escsim_simulator.seed == 0
            assert escsim_simulator.now.isoformat() == "2026-01-01T00:00:00+00:00"
            escsim_simulator.client().create_contact(
                Alias="akuam", Type="PERSONAL", Plan={"Stages": []}
            )

        def test_another_is_empty(escsim_simulator):
            assert escsim_simulator.client().list_contacts()["Contacts"] == []
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_escsim_simulator_takes_keyword_arguments_and_the_seed_option(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_sim="""
        import pytest

        @pytest.mark.parametrize(
            "escsim_simulator", [{"seed": 3, "region": "eu-west-1", "repeat": 2}], indirect=True
        )
        def test_given(escsim_simulator):
            assert (escsim_simulator.seed, escsim_simulator.region) == (3, "eu-west-1")
            assert escsim_simulator.knobs.repeat == 2

        def test_option(escsim_simulator):
            assert escsim_simulator.seed == 11
        """
    )
    run(pytester, "--scenario-seed", "11").assert_outcomes(passed=2)


def test_run_scenario_runs_a_file_beside_the_test_and_returns_the_report(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", good=GOOD)
    pytester.makepyfile(
        test_file="""
        def test_file(run_scenario):
            report = run_scenario("good.yaml")
            assert report.passed
            outbox = report.outcome.simulator.outbox
            assert [m["ChannelType"] for m in outbox] == ["SMS", "VOICE"]
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_run_scenario_fails_the_test_with_the_readable_report(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", wrong=WRONG_TIME)
    pytester.makepyfile(test_file="def test_file(run_scenario):\n    run_scenario('wrong.yaml')\n")
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E*ScenarioMismatch: scenario 'sms-then-voice' (*wrong.yaml:2) did not go as expected*",
            "E*wrong.yaml:18: expect.messages: expected exactly 2 messages, found 2 that differ",
            "E*at: expected 5m30s, got 5m",
        ]
    )


def test_run_scenario_takes_yaml_text_settings_and_no_check(pytester: pytest.Pytester) -> None:
    pytester.makefile(".txt", wrong=WRONG_TIME)
    pytester.makepyfile(
        test_text="""
        from pathlib import Path

        def test_text(run_scenario):
            text = (Path(__file__).parent / "wrong.txt").read_text()
            settings = {"latency.SMS": 60, "delivery_receipts": "carrier"}
            report = run_scenario(text, check=False, settings=settings)
            assert not report.passed
            [mismatch] = report.mismatches
            assert mismatch.line == 18
            receipts = [e for e in report.outcome.simulator.events if e["Type"] == "RECEIPT"]
            assert receipts[1]["Time"] - receipts[0]["Time"] == 60
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_run_scenario_picks_one_of_several_by_name(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", two=TWO)
    pytester.makepyfile(
        test_pick="""
        import pytest
        from engine.scenario.errors import ScenarioError

        def test_named(run_scenario):
            assert run_scenario("two.yaml", "second-one").scenario.name == "second-one"

        def test_unnamed(run_scenario):
            with pytest.raises(ScenarioError, match="holds scenarios first-one, second-one"):
                run_scenario("two.yaml")
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_run_scenario_refuses_a_file_whose_other_scenario_names_what_it_lacks(
    pytester: pytest.Pytester,
) -> None:
    """The fixture compiles every scenario's expect: as collection does, not only the one run."""
    pytester.makefile(".yaml", two=TWO.replace("channel: VOICE", "channel: pager"))
    pytester.makepyfile(
        test_pick="""
        import pytest
        from engine.scenario.errors import ScenarioError

        def test_named(run_scenario):
            with pytest.raises(ScenarioError, match="no channel named 'pager'"):
                run_scenario("two.yaml", "first-one")
        """
    )
    run(pytester).assert_outcomes(passed=1)
