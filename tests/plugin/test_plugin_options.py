"""Options of the plugin: --scenario-seed, -k by scenario name, -m, and --help."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import GOOD, TWO, run

pytest_plugins = ["pytester"]

# With seed 0 the engagement of GOOD is engagement/akuam/e797f476-...; another seed draws
# another uuid.
PINNED = GOOD + (
    "  responses:\n"
    "    page: {EngagementArn: {contains: engagement/akuam/e797f476-c59a-4157-a28d-a5bbd1020f43}}\n"
)


def test_scenario_seed_overrides_the_seed_of_every_scenario(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", pinned=PINNED)
    run(pytester).assert_outcomes(passed=1)
    run(pytester, "--scenario-seed", "0").assert_outcomes(passed=1)
    result = run(pytester, "--scenario-seed", "7")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*expect.responses.page: the response of step 'page' differs*"])


def test_a_negative_seed_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", good=GOOD)
    result = run(pytester, "--scenario-seed", "-1")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--scenario-seed must be zero or more (got -1)*"])


def test_k_selects_scenarios_by_name(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", two=TWO, one=GOOD)
    result = run(pytester, "-v", "-k", "second")
    result.assert_outcomes(passed=1, deselected=2)
    result.stdout.fnmatch_lines(["two.scenario.yaml::second-one PASSED*"])


def test_k_selects_by_file_name_too(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", two=TWO, one=GOOD)
    run(pytester, "-k", "two").assert_outcomes(passed=2, deselected=1)


def test_scenario_items_carry_a_marker(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", one=GOOD)
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    run(pytester, "-m", "escsim_scenario").assert_outcomes(passed=1, deselected=1)
    run(pytester, "-m", "not escsim_scenario").assert_outcomes(passed=1, deselected=1)


def test_help_lists_the_option_and_the_ini_setting(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(
        ["escsim scenario files:", "*--scenario-seed=N*", "*escsim_scenario_glob*"]
    )
