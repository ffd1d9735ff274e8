"""Client-side parameter checks, as botocore makes them before a request leaves the AWS CLI.

Only what botocore checks is checked here: required members, unknown members, Python types and
minimum lengths and values. Maximums, patterns and enum values are the service's to judge (it
answers ValidationException), exactly as with the real CLI. The report's wording is botocore's,
so scripts that match on it keep working.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.cli.aws.shapes import Shape
from engine.cli.aws.wire import parse_timestamp

__all__ = ["ParamValidationError", "validate"]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "structure": (dict,),
    "map": (dict,),
    "list": (list, tuple),
}


class ParamValidationError(ValueError):
    """Parameters the CLI refuses to send; ``str()`` is the whole report."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("Parameter validation failed:\n" + "\n".join(problems))


def validate(params: Any, shape: Shape) -> None:
    """Raise :class:`ParamValidationError` listing every problem of ``params`` at once."""
    problems: list[str] = []
    _check(params, shape, "", problems)
    if problems:
        raise ParamValidationError(problems)


def _name(path: str) -> str:
    if not path:
        return "input"
    return path[1:] if path.startswith(".") else path


def _type_problem(value: Any, path: str, valid: list[str]) -> str:
    return (
        f"Invalid type for parameter {_name(path)}, value: {value}, type: {type(value)}, "
        f"valid types: {', '.join(valid)}"
    )


def _check(value: Any, shape: Shape, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    if kind == "timestamp":
        try:
            parse_timestamp(value)
        except ValueError:
            problems.append(_type_problem(value, path, [str(dt.datetime), "timestamp-string"]))
        return
    valid = _TYPES[kind]
    if not isinstance(value, valid):
        problems.append(_type_problem(value, path, [str(t) for t in valid]))
        return
    checked: Any = value  # its type is the one ``valid`` names
    if kind in ("string", "list"):
        _check_min(len(checked), shape, path, "length", problems)
    if kind == "integer":
        _check_min(checked, shape, path, "value", problems)
    elif kind == "structure":
        _check_structure(checked, shape, path, problems)
    elif kind == "list":
        assert shape.member is not None
        for index, item in enumerate(checked):
            _check(item, shape.member, f"{path}[{index}]", problems)
    elif kind == "map":
        assert shape.key is not None and shape.value is not None
        for key, item in checked.items():
            _check(key, shape.key, f"{path} (key: {key})", problems)
            _check(item, shape.value, f"{path}.{key}", problems)


def _check_structure(
    value: dict[str, object], shape: Shape, path: str, problems: list[str]
) -> None:
    for required in shape.required:
        if required not in value:
            problems.append(f'Missing required parameter in {_name(path)}: "{required}"')
    for key in value:
        if key not in shape.members:
            problems.append(
                f'Unknown parameter in {_name(path)}: "{key}", must be one of: '
                + ", ".join(shape.members)
            )
    for key, item in value.items():
        if key in shape.members:
            _check(item, shape.members[key], f"{path}.{key}", problems)


def _check_min(measure: int, shape: Shape, path: str, what: str, problems: list[str]) -> None:
    """Botocore's report of a length (``what``: "length") or value below the shape's minimum."""
    if shape.min is not None and measure < shape.min:
        problems.append(
            f"Invalid {what} for parameter {_name(path)}, value: {measure}, "
            f"valid min {what}: {shape.min}"
        )
