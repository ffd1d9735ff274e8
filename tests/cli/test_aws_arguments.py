"""Option names, types and limits of every operation, against botocore's ssm-contacts model."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from engine.api.registry import OPERATIONS, cli_name, python_name
from engine.cli.aws.arguments import arguments_of
from engine.cli.aws.shapes import Shape, input_shape, output_shape

MODEL = botocore.session.get_session().get_service_model("ssm-contacts")
NAMES = sorted(OPERATIONS)


def _compare(ours: Shape, theirs: Any, path: str) -> list[str]:
    problems = []
    kind = "integer" if theirs.type_name == "long" else theirs.type_name
    if ours.type_name != kind:
        return [f"{path}: type {ours.type_name} != {kind}"]
    their_min = theirs.metadata.get("min")
    if (ours.min or 0) != (their_min or 0):
        problems.append(f"{path}: min {ours.min} != {their_min}")
    if tuple(getattr(theirs, "enum", None) or ()) != ours.enum:
        problems.append(f"{path}: enum {ours.enum} != {theirs.enum}")
    if kind == "structure":
        if list(ours.members) != list(theirs.members):
            problems.append(f"{path}: members {list(ours.members)} != {list(theirs.members)}")
        if set(ours.required) != set(theirs.required_members):
            problems.append(f"{path}: required {ours.required} != {theirs.required_members}")
        for name in ours.members:
            if name in theirs.members:
                problems += _compare(ours.members[name], theirs.members[name], f"{path}.{name}")
    elif kind == "list":
        assert ours.member is not None
        problems += _compare(ours.member, theirs.member, f"{path}[]")
    elif kind == "map":
        assert ours.key is not None and ours.value is not None
        problems += _compare(ours.key, theirs.key, f"{path} key")
        problems += _compare(ours.value, theirs.value, f"{path} value")
    return problems


@pytest.mark.parametrize("name", NAMES)
def test_input_shape_matches_the_botocore_model(name: str) -> None:
    theirs = MODEL.operation_model(name).input_shape
    assert _compare(input_shape(OPERATIONS[name]), theirs, name) == []


@pytest.mark.parametrize("name", NAMES)
def test_output_shape_matches_the_botocore_model(name: str) -> None:
    theirs = MODEL.operation_model(name).output_shape
    assert _compare(output_shape(OPERATIONS[name]), theirs, name) == []


@pytest.mark.parametrize("name", NAMES)
def test_option_names_are_the_aws_cli_names(name: str) -> None:
    members = MODEL.operation_model(name).input_shape.members
    ours = [argument.option for argument in arguments_of(OPERATIONS[name])]
    assert ours == [f"--{xform_name(member, '-')}" for member in members]


@pytest.mark.parametrize(
    "member",
    ["ContactId", "ResourceARN", "TagKeys", "ResourceARNs", "IsEssential", "DurationInMinutes"],
)
def test_names_are_derived_as_botocore_derives_them(member: str) -> None:
    assert cli_name(member) == xform_name(member, "-")
    assert python_name(member) == xform_name(member)


def test_required_options_leave_out_auto_filled_idempotency_tokens() -> None:
    required = {a.option for a in arguments_of(OPERATIONS["StartEngagement"]) if a.required}
    assert required == {"--contact-id", "--sender", "--subject", "--content"}


def test_paging_members_stay_accepted_but_undocumented() -> None:
    documented = {a.option: a.documented for a in arguments_of(OPERATIONS["ListContacts"])}
    assert documented == {
        "--next-token": False,
        "--max-results": False,
        "--alias-prefix": True,
        "--type": True,
    }
