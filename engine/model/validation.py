"""Request validation: an operation name and AWS-shaped parameters in, the typed request out.

Every problem of a request is reported at once, as AWS does, in one ``ValidationException`` whose
``Fields`` name each problem's member path (``Plan.Stages[0].DurationInMinutes``, ``Tags[1].Key``,
``Recurrence.ShiftCoverages.MON[0].Start``) with an AWS-worded message. Nothing else escapes:
pydantic's errors are translated here, and nowhere else.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.errors import ValidationException
from engine.model.base import RULE_ERROR, WireModel, model_members
from engine.model.messages import (
    field_problem,
    index_path,
    instant_between,
    json_kind,
    length_at_least,
    length_at_most,
    member_path,
    must_be,
    must_match,
    must_not_be_null,
    one_of,
    value_at_least,
    value_at_most,
    violation,
)
from engine.model.requests import REQUEST_MODELS
from engine.timeutil import EARLIEST_INSTANT, LATEST_INSTANT

# What a value of each kind should have been, by pydantic error type.
_EXPECTED_KIND: Final = {
    "string_type": "a string",
    "string_sub_type": "a string",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "int_parsing": "an integer",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "a list",
    "dict_type": "a map (JSON object)",
    "model_type": "a structure (JSON object)",
    "model_attributes_type": "a structure (JSON object)",
    "timestamp_type": "a timestamp (epoch seconds or ISO 8601 text)",
}
_KEY_MARK: Final = "[key]"
Shape = TypeVar("Shape", bound=WireModel)
_QUOTED: Final = re.compile(r"'([^']*)'")


def validate_request(operation: str, params: object) -> WireModel:
    """The request of ``operation`` checked against the model and the stateless service rules.

    Returns the operation's request model (None for a member not given or null, timestamps as
    aware UTC datetimes). Raises only ``ValidationException``: FIELD_VALIDATION_FAILED listing
    every problem, UNKNOWN_OPERATION, or CANNOT_PARSE when ``params`` is not a dict.
    """
    model = REQUEST_MODELS.get(operation) if isinstance(operation, str) else None
    if model is None:
        raise ValidationException(
            f"Unknown operation {operation!r}: ssm-contacts has no operation of that name",
            reason="UNKNOWN_OPERATION",
        )
    if not isinstance(params, dict):
        raise ValidationException(
            f"The {operation} request must be a JSON object of members, not {json_kind(params)}",
            reason="CANNOT_PARSE",
        )
    return validate_shape(model, params)


def validate_shape(model: type[Shape], params: dict[str, object]) -> Shape:
    """``params`` as an instance of the wire shape ``model`` (a request, a result or a part of
    one); ``ValidationException`` listing every problem, as :func:`validate_request` does."""
    try:
        return model.model_validate(params, by_name=False)
    except ValidationError as error:
        raise ValidationException.for_fields(_problems(model, params, error)) from None


def _problems(
    model: type[WireModel], params: Mapping[str, Any], error: ValidationError
) -> list[dict[str, str]]:
    details = error.errors(include_url=False)
    problems = [_field_problem(model, detail) for detail in details if detail["type"] != RULE_ERROR]
    # Rule checks inside pydantic run only on shapes whose members are all valid; walking the
    # raw input finds the rule breaches that other problems would hide.
    problems += _rule_problems(model, params, "")
    if not problems:
        for detail in details:
            problems += list(detail.get("ctx", {}).get("problems", []))
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for problem in problems:
        unique.setdefault((problem["Name"], problem["Message"]), problem)
    return list(unique.values())


def _field_problem(model: type[WireModel], detail: ErrorDetails) -> dict[str, str]:
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx", {})
    path, holder, is_key, final_type = _locate(model, detail["loc"])
    if kind == "extra_forbidden":
        valid = ", ".join(model_members(holder)) if holder is not None else ""
        return field_problem(path, f"Unknown parameter '{path}'; valid members: {valid}")
    if kind == "missing" or value is None:
        return field_problem(path, violation(None, path, must_not_be_null()))
    constraint = _constraint(kind, value, ctx, final_type)
    if is_key:
        constraint = f"Map keys must satisfy constraint: [{constraint}]"
    return field_problem(path, violation(value, path, constraint))


def _constraint(kind: str, value: object, ctx: Mapping[str, Any], final_type: object) -> str:
    if kind == "string_too_long" or kind == "too_long":
        return length_at_most(ctx.get("max_length"))
    if kind == "string_too_short" or kind == "too_short":
        return length_at_least(ctx.get("min_length"))
    if kind == "less_than_equal":
        return value_at_most(ctx.get("le"))
    if kind == "greater_than_equal":
        return value_at_least(ctx.get("ge"))
    if kind == "string_pattern_mismatch":
        return must_match(ctx.get("pattern"))
    if kind == "literal_error":
        literal = get_origin(final_type) is Literal
        values = [str(v) for v in get_args(final_type)] if literal else []
        return one_of(values or _QUOTED.findall(str(ctx.get("expected", ""))))
    if kind == "timestamp_range":
        return instant_between(EARLIEST_INSTANT, LATEST_INSTANT)
    if kind in _EXPECTED_KIND:
        return must_be(_EXPECTED_KIND[kind], value)
    return f"Member is not valid ({kind})"


def _locate(
    model: type[WireModel], loc: tuple[int | str, ...]
) -> tuple[str, type[BaseModel] | None, bool, object]:
    """The AWS member path of a pydantic location, the shape holding its last member, whether
    it is a map key (pydantic's ``[key]`` mark), and the type expected there; the model's types
    decide whether each step is a member, a list index or a map key."""
    path = ""
    holder: type[BaseModel] | None = None
    current: object = model
    is_key = False
    for position, part in enumerate(loc):
        if part == _KEY_MARK and is_key:
            continue
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            holder = current
            # An unknown member may be named anything, even nothing; keep it visible.
            path = member_path(path, str(part) or '""')
            current = _member_type(current, part)
        elif origin is list and isinstance(part, int):
            path = index_path(path, part)
            current = get_args(current)[0]
        elif origin is dict:
            path = member_path(path, str(part))
            is_key = loc[position + 1 : position + 2] == (_KEY_MARK,)
            current = get_args(current)[0 if is_key else 1]
        else:
            path = index_path(path, part) if isinstance(part, int) else member_path(path, str(part))
            current = None
    return path, holder, is_key, _unwrap(current)


def _member_type(model: type[BaseModel], alias: object) -> object:
    for name, field in model.model_fields.items():
        if (field.alias or name) == alias:
            return field.annotation
    return None


def _unwrap(annotation: object) -> object:
    """The type under ``Annotated[...]`` and ``X | None`` wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            present = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(present) != 1:
                return annotation
            annotation = present[0]
        else:
            return annotation


def _rule_problems(annotation: object, value: object, path: str) -> list[dict[str, str]]:
    """Every breach of the shapes' service rules in raw input, walking it along the model."""
    shape = _unwrap(annotation)
    origin = get_origin(shape)
    problems: list[dict[str, str]] = []
    if isinstance(shape, type) and issubclass(shape, WireModel):
        data = (
            value.model_dump(by_alias=True, exclude_none=True)
            if isinstance(value, BaseModel)
            else value
        )
        if not isinstance(data, Mapping):
            return problems
        problems += shape.rule_problems(data, path)
        for name, field in shape.model_fields.items():
            alias = field.alias or name
            if alias in data:
                problems += _rule_problems(field.annotation, data[alias], member_path(path, alias))
    elif origin is list and isinstance(value, list | tuple):
        for index, item in enumerate(value):
            problems += _rule_problems(get_args(shape)[0], item, index_path(path, index))
    elif origin is dict and isinstance(value, Mapping):
        for key, item in value.items():
            problems += _rule_problems(get_args(shape)[1], item, member_path(path, str(key)))
    return problems
