"""Malformed scenario files: each problem names the file, line, field path and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.cli.exits import BAD_ARGUMENTS, BAD_FILE
from engine.cli.main import scenario_exit
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_file, load_text

FILE = "org.scenario.yaml"

GOOD = """\
version: 1
name: good
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15550100"}
    plan:
      - duration: 5
        targets: [{channel: sms}]
      - duration: 5
        targets: [{channel: sms}]
"""


def problems(text: str) -> tuple[int, list[str]]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, FILE)
    return scenario_exit(caught.value), caught.value.lines()


def test_unknown_channel_reference_names_the_path_line_and_contact() -> None:
    code, lines = problems(GOOD.replace("[{channel: sms}]", "[{channel: pager}]", 1))
    assert code == BAD_FILE
    assert lines == [
        f"{FILE}:9: contacts.akuam.plan[0].targets[0].channel: no channel named 'pager' on "
        "contact 'akuam' (known: sms)"
    ]


def test_unknown_channel_in_a_later_stage_points_at_that_stage() -> None:
    text = GOOD[: GOOD.rindex("sms")] + "pager}]\n"
    _, lines = problems(text)
    assert lines == [
        f"{FILE}:11: contacts.akuam.plan[1].targets[0].channel: no channel named 'pager' on "
        "contact 'akuam' (known: sms)"
    ]


def test_unknown_contact_reference_in_an_escalation_plan() -> None:
    text = GOOD + "  esc:\n    plan:\n      - {duration: 5, targets: [{contact: bob}]}\n"
    _, lines = problems(text)
    assert lines == [
        f"{FILE}:14: contacts.esc.plan[0].targets[0].contact: no contact named 'bob' in this "
        "scenario (known: akuam, esc)"
    ]


def test_invalid_yaml_names_the_line() -> None:
    code, lines = problems("version: 1\nname: [unclosed\ncontacts: {}\n")
    assert code == BAD_FILE
    assert len(lines) == 1 and lines[0].startswith(f"{FILE}:3: invalid YAML:")


def test_duplicate_keys_are_an_error() -> None:
    _, lines = problems("version: 1\nname: a\nname: b\n")
    assert lines == [f"{FILE}:3: invalid YAML: duplicate key 'name'"]


def test_unknown_key_suggests_the_close_one() -> None:
    _, lines = problems(GOOD.replace("address:", "adress:"))
    assert (
        f"{FILE}:6: contacts.akuam.channels.sms.adress: unknown key 'adress' "
        "(did you mean 'address'?)" in lines
    )


def test_expect_is_a_mapping_of_checks() -> None:
    _, lines = problems(GOOD + "expect:\n  - acknowledged_by: akuam\n")
    assert lines == [f"{FILE}:12: expect: must be a mapping of keys"]


def test_bad_duration_names_the_value_and_how_to_write_it() -> None:
    text = GOOD + "responders:\n  akuam: {acknowledges_after: soon}\n"
    _, lines = problems(text)
    assert lines == [
        f"{FILE}:13: responders.akuam.acknowledges_after: write a duration with a unit, e.g. "
        "90s, 7m, 5m30s, 2h (got 'soon')"
    ]


def test_a_bare_number_is_not_a_duration() -> None:
    text = GOOD + "responders:\n  akuam: {acknowledges_after: 7}\n"
    _, lines = problems(text)
    assert "(a bare number has no unit: write 7m or 7s)" in lines[0]


def test_stage_duration_out_of_range() -> None:
    _, lines = problems(GOOD.replace("duration: 5", "duration: 45", 1))
    assert lines == [
        f"{FILE}:8: contacts.akuam.plan[0].duration: must be less than or equal to 30 (got 45)"
    ]


def test_a_target_names_a_channel_or_a_contact() -> None:
    _, lines = problems(GOOD.replace("[{channel: sms}]", "[{channel: sms, contact: akuam}]", 1))
    assert lines == [
        f"{FILE}:9: contacts.akuam.plan[0].targets[0]: a target names exactly one of 'channel' "
        "or 'contact'"
    ]


def test_contacts_of_the_wrong_shape() -> None:
    _, lines = problems("version: 1\nname: x\ncontacts: 5\n")
    assert lines == [
        f"{FILE}:3: contacts: contacts must be a list (AWS form) or a mapping from alias to "
        "contact (short form) (got 5)"
    ]


def test_knob_out_of_range_exits_252_naming_the_knob() -> None:
    code, lines = problems(GOOD + "settings:\n  latency: {SMS: 99999}\n")
    assert code == BAD_ARGUMENTS
    assert lines == [
        f"{FILE}:13: settings.latency.SMS: must be a number from 0 to 3600 (got 99999)"
    ]


def test_unknown_knob_is_a_setting_problem() -> None:
    code, lines = problems(GOOD + "settings: {repeats: 1}\n")
    assert code == BAD_ARGUMENTS
    assert lines[0].startswith(f"{FILE}:12: settings.repeats: unknown setting")


def test_wrong_version() -> None:
    _, lines = problems(GOOD.replace("version: 1", "version: 2"))
    assert lines == [f"{FILE}:1: version: must be 1 (got 2)"]


def test_a_single_scenario_needs_a_name() -> None:
    _, lines = problems("version: 1\n")
    assert lines == [f"{FILE}:1: missing required key 'name' (a scenario has a name)"]


def test_empty_and_non_mapping_files() -> None:
    assert problems("")[1] == [f"{FILE}: the file is empty; a scenario starts with 'version: 1'"]
    assert problems("- 1\n")[1] == [
        f"{FILE}:1: a scenario file is a mapping of keys, starting with 'version: 1'"
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_file(tmp_path / "nope.scenario.yaml")
    assert caught.value.lines() == [f"{tmp_path / 'nope.scenario.yaml'}: no such file"]


def test_steps_out_of_time_order() -> None:
    text = GOOD + (
        "script:\n"
        "  - {at: 5m, GetContact: {ContactId: akuam}}\n"
        "  - {at: 1m, GetContact: {ContactId: akuam}}\n"
    )
    _, lines = problems(text)
    assert lines == [
        f"{FILE}:14: script[1].at: steps run in time order: this step comes before the step "
        "above it (got '1m')"
    ]


def test_a_step_holds_exactly_one_action() -> None:
    text = GOOD + "script:\n  - {at: 0m, GetContact: {}, ListContacts: {}}\n"
    _, lines = problems(text)
    assert lines == [
        f"{FILE}:13: script[0]: a step holds exactly one action: an operation such as "
        "StartEngagement, or acknowledge (found: GetContact, ListContacts)"
    ]


def test_misspelt_operation_suggests_the_right_one() -> None:
    text = GOOD + "script:\n  - {at: 0m, StartEngagment: {}}\n"
    _, lines = problems(text)
    assert (
        f"{FILE}:13: script[0].StartEngagment: unknown key 'StartEngagment' "
        "(did you mean 'StartEngagement'?)" in lines
    )


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("sms}]", "pager}]") + "responders:\n  bob: {acknowledges_after: 1m}\n"
    _, lines = problems(text)
    assert len(lines) == 3
    assert [line.split(": ")[1] for line in lines] == [
        "contacts.akuam.plan[0].targets[0].channel",
        "contacts.akuam.plan[1].targets[0].channel",
        "responders.bob",
    ]


def test_responder_for_an_unknown_contact() -> None:
    _, lines = problems(GOOD + "responders:\n  bob: {acknowledges_after: 1m}\n")
    assert lines == [f"{FILE}:13: responders.bob: no contact named 'bob' in this scenario"]


def test_personal_contact_cannot_target_contacts() -> None:
    text = (
        GOOD
        + "  esc:\n    type: PERSONAL\n    plan: [{duration: 5, targets: [{contact: akuam}]}]\n"
    )
    _, lines = problems(text)
    assert lines[0].startswith(f"{FILE}:14: contacts.esc.plan: contact 'esc' is PERSONAL")


def test_problems_of_shared_keys_are_reported_once() -> None:
    text = (
        "version: 1\nsettings: {repeat: 99}\n"
        "contacts:\n  akuam:\n    plan: [{duration: 5, targets: [{channel: pager}]}]\n"
        "scenarios:\n  - name: one\n  - name: two\n    settings: {max_retries: -1}\n"
    )
    code, lines = problems(text)
    assert code == BAD_FILE
    assert lines == [
        f"{FILE}:5: contacts.akuam.plan[0].targets[0].channel: no channel named 'pager' on "
        "contact 'akuam' (it has none)",
        f"{FILE}:2: settings.repeat: must be an integer from 0 to 10 (got 99)",
        f"{FILE}:9: scenarios[1].settings.max_retries: must be an integer from 0 to 100 (got -1)",
    ]
