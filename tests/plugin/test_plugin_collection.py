"""Collecting scenario files: one item per scenario, malformed files as collection errors."""

from __future__ import annotations

import pytest

from tests.plugin.conftest import GOOD, TWO, run

pytest_plugins = ["pytester"]


def test_each_scenario_of_a_file_is_an_item_named_after_it(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", two=TWO, one=GOOD)
    result = run(pytester, "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "one.scenario.yaml::sms-then-voice",
            "two.scenario.yaml::first-one",
            "two.scenario.yaml::second-one",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_good_scenarios_pass(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", two=TWO, one=GOOD)
    run(pytester).assert_outcomes(passed=3)


def test_scenario_files_in_sub_folders_are_found(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("escalation")
    (folder / "nested.scenario.yaml").write_text(GOOD, encoding="utf-8")
    result = run(pytester, "-v")
    result.stdout.fnmatch_lines(["escalation/nested.scenario.yaml::sms-then-voice PASSED*"])


def test_several_files_of_one_folder_named_on_the_command_line_are_all_collected(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".scenario.yaml", two=TWO, one=GOOD)
    result = run(pytester, "-v", "one.scenario.yaml", "two.scenario.yaml")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["one.scenario.yaml::sms-then-voice PASSED*"])


def test_a_shell_glob_collects_every_file_it_expands_to(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("scenarios")
    for name, text in {"a": GOOD, "b": TWO, "c": GOOD.replace("sms-then-voice", "again")}.items():
        (folder / f"{name}.scenario.yaml").write_text(text, encoding="utf-8")
    # What `pytest scenarios/*.scenario.yaml` receives from the shell.
    expanded = sorted(str(path) for path in folder.glob("*.scenario.yaml"))
    result = run(pytester, "--collect-only", "-q", *expanded)
    result.stdout.fnmatch_lines(
        [
            "scenarios/a.scenario.yaml::sms-then-voice",
            "scenarios/b.scenario.yaml::first-one",
            "scenarios/b.scenario.yaml::second-one",
            "scenarios/c.scenario.yaml::again",
        ]
    )
    assert result.ret == pytest.ExitCode.OK


def test_files_from_several_folders_are_all_collected(pytester: pytest.Pytester) -> None:
    for folder, names in {"north": ("a", "b"), "south": ("c",)}.items():
        pytester.mkdir(folder)
        for name in names:
            (pytester.path / folder / f"{name}.scenario.yaml").write_text(GOOD, encoding="utf-8")
    args = ("north/a.scenario.yaml", "south/c.scenario.yaml", "north/b.scenario.yaml")
    run(pytester, *args).assert_outcomes(passed=3)


def test_other_yaml_files_are_not_collected(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", plain=GOOD)
    result = run(pytester)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_ini_option_changes_the_file_pattern(pytester: pytest.Pytester) -> None:
    pytester.makefile(".escsim.yaml", custom=GOOD)
    pytester.makefile(".scenario.yaml", usual=GOOD)
    pytester.makeini("[pytest]\nescsim_scenario_glob = *.escsim.yaml\n")
    result = run(pytester, "--collect-only", "-q")
    result.stdout.fnmatch_lines(["custom.escsim.yaml::sms-then-voice"])
    result.stdout.no_fnmatch_line("usual.scenario.yaml*")


def test_the_ini_option_takes_several_patterns(pytester: pytest.Pytester) -> None:
    pytester.makefile(".escsim.yaml", custom=GOOD)
    pytester.makefile(".scenario.yaml", usual=GOOD)
    pytester.makeini("[pytest]\nescsim_scenario_glob = *.escsim.yaml *.scenario.yaml\n")
    run(pytester).assert_outcomes(passed=2)


def test_a_malformed_file_is_a_collection_error_naming_file_line_and_path(
    pytester: pytest.Pytester,
) -> None:
    bad = GOOD.replace("{duration: 5, targets: [{channel: voice}]}", "{duration: 45, targets: []}")
    pytester.makefile(".scenario.yaml", bad=bad, good=GOOD)
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting bad.scenario.yaml*"])
    output = result.stdout.str()
    assert (
        "bad.scenario.yaml:12: contacts.akuam.plan[1].duration: must be less than or equal to "
        "30 (got 45)" in output.splitlines()
    )
    assert "Traceback" not in output


def test_a_problem_with_expect_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", bad=GOOD.replace("channel: VOICE", "chanel: VOICE"))
    result = run(pytester)
    result.assert_outcomes(errors=1)
    assert (
        "bad.scenario.yaml:20: expect.messages[1].chanel: unknown key 'chanel' "
        "(did you mean 'channel'?)" in result.stdout.str().splitlines()
    )


def test_a_name_in_expect_that_the_scenario_lacks_is_a_collection_error(
    pytester: pytest.Pytester,
) -> None:
    """Expectations compile at collection, so an unknown name fails the file, not the item."""
    bad = GOOD.replace("{at: 5m, channel: VOICE}", "{at: 5m, channel: pager}")
    pytester.makefile(".scenario.yaml", bad=bad, good=GOOD)
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting bad.scenario.yaml*"])
    expected = "bad.scenario.yaml:20: expect.messages[1].channel: no channel named 'pager'"
    assert any(line.startswith(expected) for line in result.stdout.str().splitlines())


def test_an_organisation_that_does_not_import_is_a_collection_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".scenario.yaml", bad=GOOD.replace('"+15550100"}', '""}', 1))
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["bad.scenario.yaml:8: contacts.akuam.channels.sms*"])


def test_invalid_yaml_is_a_collection_error_with_its_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".scenario.yaml", bad="version: 1\nname: [unclosed\n")
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["bad.scenario.yaml:*: invalid YAML*"])


def test_registered_twice_the_plugin_collects_each_file_once(pytester: pytest.Pytester) -> None:
    # What happens once the entry point registers the plugin and a user also passes -p.
    pytester.makepyfile(again="from engine.scenario.plugin import *  # noqa: F403\n")
    pytester.makefile(".scenario.yaml", two=TWO)
    pytester.syspathinsert()
    result = run(pytester, "-p", "again", "--scenario-seed", "0")
    result.assert_outcomes(passed=2)


def test_registered_twice_the_plugin_still_collects_several_named_files(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(again="from engine.scenario.plugin import *  # noqa: F403\n")
    pytester.makefile(".scenario.yaml", two=TWO, one=GOOD)
    pytester.syspathinsert()
    result = run(pytester, "-p", "again", "one.scenario.yaml", "two.scenario.yaml")
    result.assert_outcomes(passed=3)
