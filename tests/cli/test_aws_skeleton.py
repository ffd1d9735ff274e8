"""``--generate-cli-skeleton``: the same templates as the AWS CLI, for every operation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.api.registry import OPERATIONS
from tests.workspace.awscli_oracle import ask
from tests.workspace.cli_harness import Cli, make_cli

COMMANDS = [op.cli_name for op in OPERATIONS.values()]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


@pytest.fixture(scope="module")
def aws_skeletons() -> dict[str, Any]:
    answers = ask([{"op": "skeleton", "command": command} for command in COMMANDS])
    return {command: json.loads(text) for command, text in zip(COMMANDS, answers, strict=True)}


def _keys(value: Any) -> Any:
    """The key structure of a skeleton: nested dicts of keys, lists by their element."""
    if isinstance(value, dict):
        return {key: _keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_keys(item) for item in value]
    return type(value).__name__ if isinstance(value, bool | int) else "scalar"


def test_there_is_a_command_for_each_of_the_39_operations() -> None:
    assert len(COMMANDS) == 39


@pytest.mark.parametrize("command", COMMANDS)
def test_input_skeleton_has_the_aws_cli_keys_in_its_order(
    cli: Cli, aws_skeletons: dict[str, Any], command: str
) -> None:
    result = cli.ok(command, "--generate-cli-skeleton")
    ours = json.loads(result.out)
    assert _keys(ours) == _keys(aws_skeletons[command])
    assert json.dumps(_keys(ours)) == json.dumps(_keys(aws_skeletons[command]))


def test_input_skeleton_is_printed_as_the_aws_cli_prints_it(
    cli: Cli, aws_skeletons: dict[str, Any]
) -> None:
    result = cli.ok("start-engagement", "--generate-cli-skeleton", "input")
    assert result.out == json.dumps(aws_skeletons["start-engagement"], indent=4) + "\n"


def test_skeleton_needs_no_required_options_and_calls_nothing(cli: Cli) -> None:
    result = cli.ok("accept-page", "--generate-cli-skeleton")
    assert set(json.loads(result.out)) == {
        "PageId",
        "ContactChannelId",
        "AcceptType",
        "Note",
        "AcceptCode",
        "AcceptCodeValidation",
    }
    assert not (cli.workspace / "workspace.sqlite").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_yaml_input_skeleton_reads_back_as_the_json_one(cli: Cli, command: str) -> None:
    as_json = json.loads(cli.ok(command, "--generate-cli-skeleton", "input").out)
    as_yaml = yaml.safe_load(cli.ok(command, "--generate-cli-skeleton", "yaml-input").out)
    assert json.loads(json.dumps(as_yaml, default=lambda d: d.isoformat())) == as_json


def test_yaml_input_skeleton_says_which_members_are_required(cli: Cli) -> None:
    text = cli.ok("start-engagement", "--generate-cli-skeleton", "yaml-input").out
    lines = {line.split(":")[0]: line for line in text.splitlines()}
    assert "[REQUIRED]" in lines["ContactId"]
    assert "[REQUIRED]" not in lines["IncidentId"]


def test_yaml_input_skeleton_feeds_cli_input_yaml(cli: Cli, tmp_path: Path) -> None:
    template = cli.ok("create-contact", "--generate-cli-skeleton", "yaml-input").out
    filled = {
        "Alias": "akuam",
        "DisplayName": "Akua Mansa",
        "Type": "PERSONAL",
        "Plan": {"Stages": []},
    }
    assert set(filled) <= set(yaml.safe_load(template))
    path = tmp_path / "input.yaml"
    path.write_text(yaml.safe_dump(filled), encoding="utf-8")
    result = cli.ok("create-contact", "--cli-input-yaml", f"file://{path}")
    assert result.json()["ContactArn"].endswith(":contact/akuam")


def test_output_skeleton_checks_the_options_and_prints_a_sample(cli: Cli) -> None:
    missing = cli("get-contact", "--generate-cli-skeleton", "output")
    assert missing.code == 252
    assert "the following arguments are required: --contact-id" in missing.err
    result = cli.ok("get-contact", "--contact-id", "x", "--generate-cli-skeleton", "output")
    assert result.json() == {
        "ContactArn": "ContactArn",
        "Alias": "Alias",
        "DisplayName": "DisplayName",
        "Type": "Type",
        "Plan": {
            "Stages": [
                {
                    "DurationInMinutes": 0,
                    "Targets": [
                        {
                            "ChannelTargetInfo": {
                                "ContactChannelId": "ContactChannelId",
                                "RetryIntervalInMinutes": 0,
                            },
                            "ContactTargetInfo": {"ContactId": "ContactId", "IsEssential": True},
                        }
                    ],
                }
            ],
            "RotationIds": ["RotationIds"],
        },
    }


def test_output_skeleton_of_an_operation_without_output_prints_nothing(cli: Cli) -> None:
    result = cli.ok("stop-engagement", "--engagement-id", "x", "--generate-cli-skeleton", "output")
    assert result.out == ""
