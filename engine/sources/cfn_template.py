"""Reading a CloudFormation template's text: YAML with the short-form tags, or JSON, line-aware.

``!Ref Name`` becomes ``{"Ref": "Name"}``, ``!GetAtt A.B`` ``{"Fn::GetAtt": ["A", "B"]}``, and
every other short form ``!X value`` ``{"Fn::X": value}`` (``!Condition`` stays ``Condition``), as
CloudFormation reads them. JSON is read by the same YAML parser (so its lines are known); JSON
that PyYAML cannot read (a tab where YAML forbids one) is read by ``json`` without lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.yamlsource import (
    MAX_DEPTH,
    Dialect,
    Source,
    TagConstructor,
    dialect,
    parse_source,
)

__all__ = ["TEMPLATE_DIALECT", "read_template_text", "template_source"]

_FUNCTIONS = (
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "And",
    "Equals",
    "If",
    "Not",
    "Or",
    "Length",
    "ToJsonString",
)


def _value(loader: Any, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


def _wrapping(key: str) -> TagConstructor:
    def build(loader: Any, node: yaml.Node) -> Any:
        return {key: _value(loader, node)}

    return build


def _get_att(loader: Any, node: yaml.Node) -> Any:
    value = _value(loader, node)
    if isinstance(value, str):  # !GetAtt Resource.Attribute (the attribute may hold dots)
        resource, dot, attribute = value.partition(".")
        value = [resource, attribute] if dot else [value]
    return {"Fn::GetAtt": value}


def _tags() -> tuple[dict[str, TagConstructor], dict[str, str]]:
    constructors: dict[str, TagConstructor] = {
        "!Ref": _wrapping("Ref"),
        "!Condition": _wrapping("Condition"),
        "!GetAtt": _get_att,
    }
    wraps = {"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt"}
    for name in _FUNCTIONS:
        constructors[f"!{name}"] = _wrapping(f"Fn::{name}")
        wraps[f"!{name}"] = f"Fn::{name}"
    return constructors, wraps


TEMPLATE_DIALECT: Dialect = dialect(*_tags())
"""YAML with CloudFormation's short-form tags."""


def read_template_text(path: str) -> str:
    """The text of the template at ``path``. Raises ScenarioError when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(path, [Problem((), "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError(path, [Problem((), "is a directory, not a template")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(path, [Problem((), f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError(path, [Problem((), f"cannot read: {exc.strerror}")]) from None


def template_source(text: str, file: str) -> Source:
    """The template in ``text`` with the line of each field. Raises ScenarioError."""
    try:
        return parse_source(text, file, using=TEMPLATE_DIALECT)
    except ScenarioError:
        if not text.lstrip().startswith("{"):
            raise
        too_deep = Problem((), f"the document nests deeper than {MAX_DEPTH} levels")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = Problem((), f"invalid JSON: {exc.msg}", exc.lineno)
            raise ScenarioError(file, [problem]) from None
        except RecursionError:
            raise ScenarioError(file, [too_deep]) from None
        if _depth(data) > MAX_DEPTH:
            raise ScenarioError(file, [too_deep]) from None
        return Source(file, data, {})


def _depth(data: Any) -> int:
    """How deeply ``data`` nests, measured without recursion."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return deepest
