"""Shorthand syntax (``--plan Stages=[...]``, ``--tags Key=a,Value=b``) as the AWS CLI reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine.api.registry import OPERATIONS
from engine.cli.aws.arguments import ParamError, arguments_of, unpack
from engine.cli.aws.shorthand import ShorthandError, parse
from tests.workspace.awscli_oracle import ask
from tests.workspace.cli_harness import Cli, make_cli

ARN = "arn:aws:ssm-contacts:us-east-2:111122223333"

CASES: list[tuple[str, str, str]] = [
    ("CreateContact", "Plan", "Stages=[]"),
    (
        "CreateContact",
        "Plan",
        f"Stages=[{{DurationInMinutes=5,Targets=[{{ContactTargetInfo={{ContactId={ARN}:contact/"
        "akuam,IsEssential=true}}]}},{DurationInMinutes=0,Targets=[]}]",
    ),
    ("CreateContact", "Plan", f"RotationIds={ARN}:rotation/a,{ARN}:rotation/b"),
    ("CreateContact", "Plan", f"RotationIds={ARN}:rotation/a"),
    ("CreateContact", "Tags", "Key=team,Value=ops"),
    ("CreateContact", "Tags", "Key='a,b',Value=\"c d\""),
    ("CreateContact", "Tags", "Key=a\\,b,Value=x"),
    ("CreateContactChannel", "DeliveryAddress", "SimpleAddress=+15005550100"),
    ("CreateContactChannel", "DeliveryAddress", "SimpleAddress = akuam@example.com"),
    ("ListEngagements", "TimeRangeValue", "StartTime=2021-05-18T20:42:57Z,EndTime=1700000000"),
    (
        "CreateRotation",
        "Recurrence",
        "NumberOfOnCalls=1,RecurrenceMultiplier=2,DailySettings=[{HourOfDay=9,MinuteOfHour=0}],"
        "ShiftCoverages={MON=[{Start={HourOfDay=9,MinuteOfHour=0},End={HourOfDay=17,"
        "MinuteOfHour=0}}]}",
    ),
    ("CreateContactChannel", "DeliveryAddress", "SimpleAddress=a,SimpleAddress=b"),
    ("CreateContactChannel", "DeliveryAddress", "SimpleAddress"),
    ("CreateContact", "Plan", "Stages=[{DurationInMinutes=5"),
    ("CreateContact", "Plan", '{"Stages": []}'),
    ("CreateContact", "Plan", "not json, not shorthand"),
    ("CreateContact", "Plan", "Stages=[{DurationInMinutes=five,Targets=[]}]"),
]


@pytest.fixture(scope="module")
def oracle() -> list[Any]:
    return ask(
        [
            {"op": "shorthand", "operation": operation, "member": member, "text": text}
            for operation, member, text in CASES
        ]
    )


def _ours(operation: str, member: str, text: str) -> dict[str, Any]:
    argument = next(a for a in arguments_of(OPERATIONS[operation]) if a.member == member)
    value: Any = [text] if argument.shape.type_name == "list" else text
    try:
        return {"value": unpack(argument, value)}
    except ParamError as exc:
        return {"error": str(exc)}


@pytest.mark.parametrize("index", range(len(CASES)))
def test_value_or_error_is_the_aws_cli_one(oracle: list[Any], index: int) -> None:
    ours = _ours(*CASES[index])
    theirs = oracle[index]
    if "error" in theirs and theirs["error"].startswith(
        "Error parsing parameter '--plan': Expected"
    ):
        assert ours == theirs
    elif "error" in theirs:
        assert "error" in ours
    else:
        assert ours == theirs


def test_an_integer_that_is_not_one_is_an_error_naming_the_option() -> None:
    ours = _ours("CreateContact", "Plan", "Stages=[{DurationInMinutes=five,Targets=[]}]")
    assert ours["error"].startswith("Error parsing parameter '--plan':")
    assert "five" in ours["error"]


def test_duplicate_keys_are_pointed_at() -> None:
    with pytest.raises(ShorthandError, match='Second instance of key "a"'):
        parse("a=b,a=c")


def test_at_equals_reads_a_value_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "address.txt"
    path.write_text("akuam@example.com", encoding="utf-8")
    assert parse(f"SimpleAddress@=file://{path}") == {"SimpleAddress": "akuam@example.com"}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return make_cli(tmp_path, monkeypatch, capsys)


def test_shorthand_and_json_create_the_same_plan(cli: Cli) -> None:
    here = "arn:aws:ssm-contacts:us-east-1:111122223333"
    cli.ok("create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]")
    stages = (
        f"Stages=[{{DurationInMinutes=5,Targets=[{{ContactTargetInfo={{ContactId={here}:contact/"
        "akuam,IsEssential=true}}]}]"
    )
    cli.ok("create-contact", "--alias", "esc1", "--type", "ESCALATION", "--plan", stages)
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [
                    {
                        "ContactTargetInfo": {
                            "ContactId": f"{here}:contact/akuam",
                            "IsEssential": True,
                        }
                    }
                ],
            }
        ]
    }
    cli.ok("create-contact", "--alias", "esc2", "--type", "ESCALATION", "--plan", json.dumps(plan))
    first = cli.ok("get-contact", "--contact-id", f"{here}:contact/esc1").json()
    second = cli.ok("get-contact", "--contact-id", f"{here}:contact/esc2").json()
    assert first["Plan"] == second["Plan"]
    assert first["Plan"]["Stages"][0]["Targets"][0]["ContactTargetInfo"]["IsEssential"] is True


def test_list_of_structures_takes_several_shorthand_values(cli: Cli) -> None:
    cli.ok(
        "create-contact", "--alias", "akuam", "--type", "PERSONAL", "--plan", "Stages=[]",
        "--tags", "Key=team,Value=ops", "Key=tier,Value=1",
    )  # fmt: skip
    arn = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/akuam"
    tags = cli.ok("list-tags-for-resource", "--resource-arn", arn).json()["Tags"]
    assert tags == [{"Key": "team", "Value": "ops"}, {"Key": "tier", "Value": "1"}]
