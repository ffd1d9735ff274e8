"""The operation registry against botocore's ssm-contacts model and paginators."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from html.parser import HTMLParser

import botocore.session
import pytest
from botocore import xform_name

from engine.api import OPERATIONS, Operation, Paginator, by_cli_name, by_python_name
from engine.model import REQUEST_MODELS, RESULT_MODELS

SESSION = botocore.session.get_session()
SERVICE = SESSION.get_service_model("ssm-contacts")
PAGINATORS = SESSION.get_component("data_loader").load_service_model(
    "ssm-contacts", "paginators-1"
)["pagination"]
NAMES = list(SERVICE.operation_names)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _words(text: str) -> list[str]:
    parser = _Text()
    parser.feed(text)
    return re.findall(r"[a-z0-9']+", " ".join(parser.parts).lower())


def _shared_run(ours: str, theirs: str, length: int = 6) -> str | None:
    """A run of ``length`` consecutive words found in both texts, if any."""
    their_runs = {tuple(w) for w in _windows(_words(theirs), length)}
    for window in _windows(_words(ours), length):
        if tuple(window) in their_runs:
            return " ".join(window)
    return None


def _windows(words: list[str], length: int) -> list[list[str]]:
    return [words[i : i + length] for i in range(len(words) - length + 1)]


def _one_sentence(text: str) -> bool:
    return bool(text) and text.endswith(".") and len(re.findall(r"[.!?](?:\s|$)", text)) == 1


def test_all_39_operations_in_model_order() -> None:
    assert list(OPERATIONS) == NAMES
    assert len(OPERATIONS) == 39


@pytest.mark.parametrize("name", NAMES)
def test_names_as_boto3_and_the_aws_cli_spell_them(name: str) -> None:
    op = OPERATIONS[name]
    assert op.name == name
    assert op.python_name == xform_name(name)
    assert op.cli_name == xform_name(name, "-")
    assert by_python_name(op.python_name) is op
    assert by_cli_name(op.cli_name) is op


def test_lookups_answer_none_for_unknown_names() -> None:
    assert by_python_name("launch_rocket") is None
    assert by_cli_name("launch-rocket") is None
    assert by_cli_name("start_engagement") is None


@pytest.mark.parametrize("name", NAMES)
def test_members_and_required_members_match_the_model(name: str) -> None:
    op = OPERATIONS[name]
    model = SERVICE.operation_model(name)
    assert op.request_model is REQUEST_MODELS[name]
    assert op.result_model is RESULT_MODELS[name]
    assert op.input_members == tuple(model.input_shape.members)
    required = set(model.input_shape.required_members)
    assert op.required == tuple(m for m in model.input_shape.members if m in required)
    assert op.output_members == tuple(model.output_shape.members)


@pytest.mark.parametrize("name", NAMES)
def test_errors_match_the_model(name: str) -> None:
    model = SERVICE.operation_model(name)
    assert OPERATIONS[name].errors == tuple(error.name for error in model.error_shapes)


@pytest.mark.parametrize("name", NAMES)
def test_paginators_match_botocore(name: str) -> None:
    spec = PAGINATORS.get(name)
    paginator = OPERATIONS[name].paginator
    if spec is None:
        assert paginator is None
    else:
        assert paginator == Paginator(
            input_token=spec["input_token"],
            output_token=spec["output_token"],
            result_key=spec["result_key"],
            limit_key=spec.get("limit_key"),
        )


@pytest.mark.parametrize("name", NAMES)
def test_idempotency_member_is_the_one_sdks_fill_in(name: str) -> None:
    members = SERVICE.operation_model(name).input_shape.members
    auto = [m for m, shape in members.items() if shape.metadata.get("idempotencyToken")]
    assert OPERATIONS[name].idempotency_member == (auto[0] if auto else None)


def test_only_three_operations_get_an_automatic_token() -> None:
    filled = [op.name for op in OPERATIONS.values() if op.idempotency_member]
    assert filled == ["CreateContact", "CreateContactChannel", "StartEngagement"]


@pytest.mark.parametrize("name", NAMES)
def test_every_member_is_documented_in_one_sentence(name: str) -> None:
    op = OPERATIONS[name]
    assert list(op.docs) == list(op.input_members)
    assert list(op.output_docs) == list(op.output_members)
    for text in (op.summary, *op.docs.values(), *op.output_docs.values()):
        assert _one_sentence(text), text


@pytest.mark.parametrize("name", NAMES)
def test_docs_are_our_own_words(name: str) -> None:
    """No description shares six words in a row with the AWS documentation of the same thing."""
    op = OPERATIONS[name]
    model = SERVICE.operation_model(name)
    pairs = [(op.summary, model.documentation)]
    pairs += [(op.docs[m], s.documentation) for m, s in model.input_shape.members.items()]
    pairs += [(op.output_docs[m], s.documentation) for m, s in model.output_shape.members.items()]
    copied = [(ours, run) for ours, theirs in pairs if (run := _shared_run(ours, theirs or ""))]
    assert copied == []


def test_operations_are_frozen_and_their_docs_read_only() -> None:
    op = OPERATIONS["StartEngagement"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        op.name = "Other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        op.docs["ContactId"] = "changed"  # type: ignore[index]
    assert isinstance(op, Operation)
    assert not hasattr(op, "__dict__")


@pytest.mark.parametrize("name", ["StartEngagement", "ListContacts", "TagResource"])
def test_member_descriptions_live_on_the_fields_and_reach_their_json_schema(name: str) -> None:
    op = OPERATIONS[name]
    for model, docs in ((op.request_model, op.docs), (op.result_model, op.output_docs)):
        properties = model.model_json_schema(by_alias=True)["properties"]
        assert {member: value.get("description") for member, value in properties.items()} == docs


def test_loading_the_registry_builds_no_validator() -> None:
    """Shapes build their validators on first use (defer_build): start-up pays for none."""
    code = (
        "import engine.api.registry as r\n"
        "ops = r.OPERATIONS.values()\n"
        "shapes = [m for op in ops for m in (op.request_model, op.result_model)]\n"
        "print(sum(m.__pydantic_complete__ for m in shapes), len(shapes))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["0", str(2 * len(OPERATIONS))]
