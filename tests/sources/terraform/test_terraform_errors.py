"""Every problem of a Terraform source is one line naming file, line, address and attribute;
malformed input of any kind is a ScenarioError, never a traceback."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.runner import build_simulator
from engine.sources.options import SourceOptions
from engine.sources.terraform import read

PLAN_JSON = Path(__file__).parent / "organisation.plan.json"


def _errors(tmp_path: Path, text: str, name: str = "main.tf") -> list[str]:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read(str(file), SourceOptions())
    prefix = f"{file}"
    return [line.removeprefix(prefix) for line in caught.value.lines()]


def _contact(alias: str = "ana", **attributes: str) -> str:
    body = "\n".join(f"  {key} = {value}" for key, value in attributes.items())
    return f'resource "aws_ssmcontacts_contact" "c" {{\n  alias = "{alias}"\n{body}\n}}\n'


# (what is written as the contact's type, the message); the type sits on line 3.
UNREAD_EXPRESSIONS = [
    ('upper("personal")', "function upper() is not evaluated by escsim"),
    ("module.people.kind", "module.people is not read by escsim (modules are not read)"),
    (
        "data.aws_caller_identity.me.id",
        "data.aws_caller_identity.me is a data source escsim does not read",
    ),
    ("aws_ssmcontacts_contact.nobody.arn", "no aws_ssmcontacts_contact.nobody in the files read"),
    ('var.x == 1 ? "A" : "B"', "a conditional (a ? b : c) is not read by escsim"),
    ('"PER" + "SONAL"', "an operator is not read by escsim"),
    ('[for x in ["a"] : x]', "a for expression is not read by escsim"),
    ("local.missing", "no local value named 'missing'"),
    ("count.index", "count.index is only known in a block that sets count"),
]


@pytest.mark.parametrize(("expression", "message"), UNREAD_EXPRESSIONS)
def test_an_expression_escsim_does_not_evaluate_names_file_line_address_and_attribute(
    tmp_path: Path, expression: str, message: str
) -> None:
    errors = _errors(tmp_path, _contact(type=expression))
    assert len(errors) == 1
    assert errors[0].startswith(f":3: aws_ssmcontacts_contact.c.type: {message}")


def test_a_reference_to_a_resource_of_another_kind_says_so(tmp_path: Path) -> None:
    text = 'resource "aws_sns_topic" "t" {\n  name = "t"\n}\n' + _contact(type="aws_sns_topic.t.id")
    assert _errors(tmp_path, text) == [
        ":6: aws_ssmcontacts_contact.c.type: aws_sns_topic.t is a resource escsim does not read"
    ]


def test_a_missing_required_attribute_is_named(tmp_path: Path) -> None:
    assert _errors(tmp_path, _contact()) == [
        ":1: aws_ssmcontacts_contact.c.type: missing required attribute 'type'"
    ]


def test_a_value_of_the_wrong_kind_is_named_with_its_value(tmp_path: Path) -> None:
    text = _contact(type='"PERSONAL"') + (
        'resource "aws_ssmcontacts_plan" "p" {\n'
        "  contact_id = aws_ssmcontacts_contact.c.arn\n"
        "  stage {\n"
        '    duration_in_minutes = "soon"\n'
        "  }\n"
        "}\n"
    )
    assert _errors(tmp_path, text) == [
        ":8: aws_ssmcontacts_plan.p.stage[0].duration_in_minutes: 'duration_in_minutes' must be "
        "a whole number (got 'soon')"
    ]


def test_a_plan_for_a_contact_not_read_is_an_error(tmp_path: Path) -> None:
    text = (
        'resource "aws_ssmcontacts_plan" "p" {\n'
        '  contact_id = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/ghost"\n'
        "  stage {\n    duration_in_minutes = 5\n  }\n}\n"
    )
    assert _errors(tmp_path, text) == [
        ":2: aws_ssmcontacts_plan.p.contact_id: no contact 'ghost' "
        "(arn:aws:ssm-contacts:us-east-1:111122223333:contact/ghost) among the contacts read"
    ]


def test_a_rotation_without_start_time_is_an_error(tmp_path: Path) -> None:
    text = _contact(type='"PERSONAL"') + (
        'resource "aws_ssmcontacts_rotation" "r" {\n'
        "  contact_ids  = [aws_ssmcontacts_contact.c.arn]\n"
        '  name         = "r"\n'
        '  time_zone_id = "UTC"\n'
        "  recurrence {\n"
        "    number_of_on_calls    = 1\n"
        "    recurrence_multiplier = 1\n"
        "    daily_settings {\n      hour_of_day    = 9\n      minute_of_hour = 0\n    }\n"
        "  }\n}\n"
    )
    errors = _errors(tmp_path, text)
    assert errors == [
        ":5: aws_ssmcontacts_rotation.r: start_time is needed: without it AWS starts the "
        "rotation when it is created, which a review cannot know"
    ]


def test_what_the_import_refuses_is_named_at_its_terraform_address_and_line(
    tmp_path: Path,
) -> None:
    file = tmp_path / "main.tf"
    file.write_text(
        _contact(type='"ESCALATION"') + 'resource "aws_ssmcontacts_plan" "p" {\n'
        "  contact_id = aws_ssmcontacts_contact.c.arn\n"
        "  stage {\n"
        "    duration_in_minutes = -5\n"
        "  }\n"
        "}\n",
        encoding="utf-8",
    )
    scenario = read(str(file), SourceOptions())[0]
    with pytest.raises(ScenarioError) as caught:
        build_simulator(scenario)
    assert caught.value.lines() == [
        f"{file}:8: aws_ssmcontacts_plan.p.stage[0].duration_in_minutes: Value '-5' at "
        "'aws_ssmcontacts_plan.p.stage[0].duration_in_minutes' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0"
    ]


def test_invalid_hcl_names_the_line(tmp_path: Path) -> None:
    assert _errors(tmp_path, 'resource "aws_ssmcontacts_contact" "c" {\n  alias = \n}\n') == [
        ":2: not valid HCL: the syntax is wrong here"
    ]


def test_an_attribute_written_twice_is_an_error(tmp_path: Path) -> None:
    errors = _errors(
        tmp_path, _contact(alias="a", type='"PERSONAL"').replace("}", 'alias = "b"\n}')
    )
    assert errors == [":4: alias: attribute 'alias' is written twice (first on line 2)"]


def test_in_a_directory_each_place_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text(_contact(type='"PERSONAL"'), encoding="utf-8")
    (tmp_path / "b.tf").write_text('locals {\n  x = lower("A")\n}\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read(str(tmp_path), SourceOptions())
    assert caught.value.lines() == [
        f"{tmp_path}:2: b.tf:local.x: function lower() is not evaluated by escsim (it reads "
        "length, tolist, tomap, toset)"
    ]


def test_an_unknown_value_the_plan_cannot_resolve_names_its_address(tmp_path: Path) -> None:
    plan = json.loads(PLAN_JSON.read_text(encoding="utf-8"))
    for resource in plan["configuration"]["root_module"]["resources"]:
        if resource["address"] == "aws_ssmcontacts_plan.sre":
            resource["expressions"]["contact_id"] = {"references": ["module.elsewhere.arn"]}
    errors = _errors(tmp_path, json.dumps(plan, indent=1), "plan.json")
    assert len(errors) == 1
    assert errors[0].startswith(":")
    assert errors[0].split(": ", 1)[1] == (
        "aws_ssmcontacts_plan.sre.contact_id: contact_id is known only after apply and its "
        "expression does not lead to resources read here (references: module.elsewhere.arn)"
    )


MALFORMED = [
    ("{ not json", "not valid JSON"),
    ("[]", "the JSON of terraform show -json is an object"),
    ('{"resources": []}', "it has neither planned_values (a plan) nor values"),
    (
        '{"values": {"root_module": {"resources": 3}}}',
        "values.root_module.resources: must be a list",
    ),
    ('{"values": {"root_module": {"resources": [7]}}}', "a resource must be an object"),
    (
        '{"values": {"root_module": {"resources": [{"type": "aws_ssmcontacts_contact",'
        ' "address": "aws_ssmcontacts_contact.c", "mode": "managed"}]}}}',
        "missing required key 'values'",
    ),
    (
        '{"values": {"root_module": {"resources": [{"type": "aws_ssmcontacts_contact",'
        ' "address": "aws_ssmcontacts_contact.c", "mode": "managed", "values": {"alias": 5}}]}}}',
        "aws_ssmcontacts_contact.c.alias: 'alias' must be text (got 5)",
    ),
    ('{"planned_values": {"root_module": "x"}}', "a module must be an object"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_malformed_json_is_an_error_not_a_traceback(
    tmp_path: Path, text: str, message: str
) -> None:
    errors = _errors(tmp_path, text, "plan.json")
    assert any(message in error for error in errors), errors


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01", "resource {", 'resource "a" "b" "c" {}', "x = 1", "{", '"just text"', "{}"],
)
def test_odd_files_are_errors_not_tracebacks(tmp_path: Path, text: str) -> None:
    file = tmp_path / "odd.tf"
    file.write_text(text, encoding="utf-8")
    try:
        read(str(file), SourceOptions())
    except ScenarioError as exc:
        assert exc.lines()


def test_a_missing_path_or_a_directory_without_tf_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file or directory"):
        read(str(tmp_path / "absent.tf"), SourceOptions())
    with pytest.raises(ScenarioError, match=r"the directory holds no \.tf files"):
        read(str(tmp_path), SourceOptions())


def _damaged(value: object, draw: random.Random) -> object:
    """``value`` with about one in thirty of its parts replaced by a value of another kind."""
    if draw.random() < 0.03:
        return draw.choice([None, 1, "s", [], {}, True])
    if isinstance(value, dict):
        return {key: _damaged(item, draw) for key, item in value.items()}
    if isinstance(value, list):
        return [_damaged(item, draw) for item in value]
    return value


def test_plans_damaged_anywhere_are_errors_or_organisations_never_tracebacks(
    tmp_path: Path,
) -> None:
    plan = json.loads(PLAN_JSON.read_text(encoding="utf-8"))
    draw = random.Random(16)
    file = tmp_path / "plan.json"
    refused = 0
    for _ in range(60):
        file.write_text(json.dumps(_damaged(plan, draw)), encoding="utf-8")
        try:
            build_simulator(read(str(file), SourceOptions())[0])
        except ScenarioError as exc:
            refused += 1
            assert all(line.startswith(str(file)) for line in exc.lines())
    assert refused > 0
