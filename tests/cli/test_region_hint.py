"""A region in effect that holds nothing while another region of the workspace does: a warning.

The region from ``--region``, ``AWS_REGION``, ``AWS_DEFAULT_REGION`` or a profile beats the
workspace's own (as the AWS CLI's order goes); when that hides everything, stderr says so,
naming both regions and where each came from. Stdout stays what it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workspace.cli_harness import ESCALATION_SCENARIO, Cli, make_cli

EMPTY_LIST = '{\n    "Contacts": []\n}\n'


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    made = make_cli(tmp_path, monkeypatch, capsys)
    made.ok("workspace", "init", "--from", str(ESCALATION_SCENARIO))  # region us-east-2
    return made


def hint(region: str, source: str) -> str:
    return (
        f"escsim: region {region} (from {source}) holds nothing in this workspace; its "
        "resources are in us-east-2 (the workspace's region). Use --region us-east-2.\n"
    )


def test_a_region_from_aws_default_region_that_holds_nothing_is_named(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    listed = cli.ok("list-contacts")
    assert listed.out == EMPTY_LIST  # the answer for us-west-2, unchanged
    assert listed.err == hint("us-west-2", "AWS_DEFAULT_REGION")


def test_aws_region_and_the_region_option_are_named_too(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert cli.ok("list-contacts").err == hint("eu-west-1", "AWS_REGION")
    assert cli.ok("list-contacts", "--region", "ap-south-1").err == hint("ap-south-1", "--region")


def test_a_profile_region_names_the_profile_and_its_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "aws-config"
    config.write_text("[profile ops]\nregion = ca-central-1\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "ops")
    failed = cli("get-contact", "--contact-id", "example_escalation")
    assert failed.code == 254  # not found in ca-central-1, as before
    assert failed.err.startswith(hint("ca-central-1", f"the ops profile in {config}"))


def test_no_warning_when_the_region_in_effect_holds_something(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
    listed = cli.ok("list-contacts", "--query", "length(Contacts)")
    assert (listed.out, listed.err) == ("4\n", "")


def test_no_warning_when_the_workspace_region_is_used(cli: Cli) -> None:
    assert cli.ok("list-contacts", "--query", "length(Contacts)").err == ""


def test_no_warning_when_no_region_holds_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = make_cli(tmp_path, monkeypatch, capsys)
    fresh.ok("workspace", "init")
    assert fresh.ok("list-contacts", "--region", "us-west-2").err == ""


def test_the_warning_stops_once_the_region_holds_something(cli: Cli) -> None:
    created = cli.ok(
        "create-contact", "--alias", "west", "--type", "PERSONAL", "--plan", "Stages=[]",
        "--region", "us-west-2",
    )  # fmt: skip
    assert created.err == hint("us-west-2", "--region")  # said once, before the first write
    assert cli.ok("list-contacts", "--region", "us-west-2", "--output", "text").err == ""
