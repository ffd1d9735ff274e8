"""Errors of operation commands: the AWS CLI's wording and exit codes, nothing on stdout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.api.registry import OPERATIONS
from engine.cli.aws.shapes import input_shape
from engine.cli.aws.validate import ParamValidationError, validate
from tests.workspace.awscli_oracle import ask
from tests.workspace.cli_harness import Cli, make_cli

ARN = "arn:aws:ssm-contacts:us-east-1:111122223333"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


def test_a_too_short_accept_code_fails_client_side_with_exit_252(cli: Cli) -> None:
    result = cli("accept-page", "--page-id", "x", "--accept-type", "READ", "--accept-code", "12")
    assert result.code == 252
    assert result.out == ""
    assert result.err == (
        "\nParameter validation failed:\n"
        "Invalid length for parameter AcceptCode, value: 2, valid min length: 6\n"
    )
    assert not (cli.workspace / "workspace.sqlite").exists()


VALIDATION_CASES: list[tuple[str, dict[str, Any]]] = [
    ("AcceptPage", {"AcceptCode": "12"}),
    ("AcceptPage", {"PageId": "", "AcceptType": "READ", "AcceptCode": 123456, "Bogus": 1}),
    ("CreateContact", {"Alias": "a", "Type": "PERSONAL", "Plan": {"Stages": [{"Targets": [{}]}]}}),
    ("CreateContact", {"Alias": "a", "Type": "PERSONAL", "Plan": {"Stages": "x"}}),
    ("CreateContact", {"Alias": "a", "Type": "PERSONAL", "Plan": {"Stagez": []}}),
    ("CreateContact", {"Alias": "a", "Type": "PERSONAL", "Plan": {}, "Tags": [{"Key": ""}]}),
    ("CreateRotation", {"Name": "r", "ContactIds": [], "TimeZoneId": "UTC",
                        "Recurrence": {"NumberOfOnCalls": 0, "RecurrenceMultiplier": 1}}),
    ("CreateRotation", {"Name": "r", "ContactIds": ["a", 5], "TimeZoneId": "UTC",
                        "StartTime": "not a time",
                        "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": "1",
                                       "ShiftCoverages": {"MON": [{"Start": {}}]}}}),
    ("ListContacts", {"MaxResults": -1}),
    ("ListContacts", {"MaxResults": True}),
    ("ListEngagements", {"TimeRangeValue": {"StartTime": 1700000000, "EndTime": "2021-05-18"}}),
    ("StartEngagement", {"ContactId": "x", "Sender": "s", "Subject": "", "Content": "c"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def botocore_reports() -> list[str]:
    return ask(
        [
            {"op": "validate", "operation": operation, "params": params}
            for operation, params in VALIDATION_CASES
        ]
    )


@pytest.mark.parametrize("index", range(len(VALIDATION_CASES)))
def test_client_side_checks_report_what_botocore_reports(
    botocore_reports: list[str], index: int
) -> None:
    operation, params = VALIDATION_CASES[index]
    try:
        validate(params, input_shape(OPERATIONS[operation]))
        ours = ""
    except ParamValidationError as exc:
        ours = "\n".join(exc.problems)
    assert ours == botocore_reports[index]


def test_missing_required_option_prints_usage_and_exits_252(cli: Cli) -> None:
    result = cli("get-contact")
    assert result.code == 252
    assert result.out == ""
    assert result.err.startswith("usage: escsim [options] <operation> [parameters]\n")
    assert result.err.endswith(
        "escsim: error: the following arguments are required: --contact-id\n"
    )


def test_unknown_options_are_listed_with_exit_252(cli: Cli) -> None:
    result = cli("get-contact", "--contact-id", "x", "--bogus", "1")
    assert result.code == 252
    assert result.err.endswith("Unknown options: --bogus, 1\n")


def test_invalid_json_names_the_option_with_exit_252(cli: Cli) -> None:
    result = cli("create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", '{"Stages": [')
    assert result.code == 252
    assert result.err == (
        "\nError parsing parameter '--plan': Invalid JSON: Expecting value: line 1 column 13 "
        '(char 12)\nJSON received: {"Stages": [\n'
    )


def test_an_unreadable_file_value_exits_253(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = cli(
        "create-contact", "--alias", "a", "--type", "PERSONAL", "--plan", f"file://{missing}"
    )
    assert result.code == 253
    assert f"Unable to load paramfile file://{missing}" in result.err


def test_a_service_error_is_worded_as_the_aws_cli_words_it_with_exit_254(cli: Cli) -> None:
    result = cli("get-contact", "--contact-id", f"{ARN}:contact/nobody")
    assert result.code == 254
    assert result.out == ""
    assert result.err.startswith(
        "\nAn error occurred (ResourceNotFoundException) when calling the GetContact operation: "
    )
    assert result.err.endswith("\n") and result.err.count("\n") == 2


def test_a_rejected_request_changes_nothing(cli: Cli) -> None:
    cli.ok("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    again = cli("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    assert again.code == 254
    assert "ConflictException" in again.err
    assert len(cli.ok("list-contacts").json()["Contacts"]) == 1
    journal = cli.ok("workspace", "show").json()["Journal"]
    assert journal == {"request": 1}


def test_an_unknown_command_offers_close_matches_with_exit_252(cli: Cli) -> None:
    result = cli("start-engagment", "--contact-id", "x")
    assert result.code == 252
    assert "Invalid choice: 'start-engagment', maybe you meant:" in result.err
    assert "  * start-engagement\n" in result.err and "workspace" not in result.err


def test_a_bad_query_exits_252(cli: Cli) -> None:
    result = cli("list-contacts", "--query", "Contacts[")
    assert result.code == 252
    assert result.err.startswith("\nBad value for --query Contacts[:")


def test_no_paginate_with_paging_options_exits_252(cli: Cli) -> None:
    result = cli("list-contacts", "--no-paginate", "--max-items", "2")
    assert result.code == 252
    assert "Cannot specify --no-paginate along with pagination arguments: --max-items" in result.err


def test_an_unknown_profile_exits_253(cli: Cli) -> None:
    result = cli("list-contacts", "--profile", "nosuch")
    assert result.code == 253
    assert "The config profile (nosuch) could not be found" in result.err


def test_a_foreign_file_as_workspace_exits_253_without_a_traceback(cli: Cli) -> None:
    cli.workspace.mkdir()
    (cli.workspace / "workspace.sqlite").write_text("not a database at all, sorry" * 100)
    result = cli("list-contacts")
    assert result.code == 253
    assert "is not an escsim workspace" in result.err
    assert "Traceback" not in result.err


def test_an_sqlite_file_of_another_program_exits_253(cli: Cli) -> None:
    import sqlite3

    cli.workspace.mkdir()
    connection = sqlite3.connect(cli.workspace / "workspace.sqlite")
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.commit()
    connection.close()
    result = cli("list-contacts")
    assert result.code == 253
    assert "an SQLite file, but not an escsim workspace" in result.err


def test_ctrl_c_exits_130(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.cli.aws.driver as driver

    def interrupted(*args: Any, **kwargs: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(driver, "run_operation", interrupted)
    assert cli("list-contacts").code == 130


def test_an_unexpected_failure_is_one_line_with_exit_255(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("engine.cli.aws.driver.replay", broken)
    result = cli("list-contacts")
    assert result.code == 255
    assert result.err == "\nescsim: unexpected error: RuntimeError: boom\n"


def test_a_held_workspace_is_refused_pointing_at_the_endpoint(cli: Cli) -> None:
    from engine.workspace import hold

    with hold(cli.workspace, "http://127.0.0.1:4566"):
        result = cli("list-contacts")
    assert result.code == 253
    assert "held by a running `escsim serve`" in result.err
    assert "--endpoint-url http://127.0.0.1:4566" in result.err
    assert cli("list-contacts").code == 0


def test_aws_endpoints_are_refused(cli: Cli) -> None:
    result = cli("list-contacts", "--endpoint-url", "https://ssm-contacts.us-east-1.amazonaws.com")
    assert result.code == 252
    assert "never to AWS" in result.err
