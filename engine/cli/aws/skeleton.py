"""``--generate-cli-skeleton``: templates of an operation's input, and a sample of its output.

``input`` is a JSON object with every member of the request and a placeholder of its type (empty
strings, 0, true, the first enum value, one-item lists, a ``KeyName`` map entry), the shape
``--cli-input-json`` reads back. ``yaml-input`` is the same as YAML, each line commented with
whether the member is required and which values it allows. ``output`` fills the result shape
with member names, zeros and epoch-zero timestamps, so a user can see what a call would print.
"""

from __future__ import annotations

import datetime as dt
import json

from engine.cli.aws.shapes import Shape

__all__ = ["input_skeleton", "output_sample", "yaml_input_skeleton"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def input_skeleton(shape: Shape) -> str:
    """The JSON input template, as printed (4-space indent, newline at the end)."""
    return json.dumps(_placeholder(shape), indent=4) + "\n"


def output_sample(shape: Shape) -> dict[str, object]:
    """A sample result: strings hold their member names, numbers 0, timestamps the epoch."""
    value = _placeholder(shape, sample=True)
    assert isinstance(value, dict)
    return value


def _placeholder(shape: Shape, *, sample: bool = False) -> object:
    """An input placeholder of ``shape``, or with ``sample`` an output sample value."""
    kind = shape.type_name
    if kind == "structure":
        return {name: _placeholder(member, sample=sample) for name, member in shape.members.items()}
    if kind == "list":
        assert shape.member is not None
        return [_placeholder(shape.member, sample=sample)]
    if kind == "map":
        assert shape.value is not None
        return {"KeyName": _placeholder(shape.value, sample=sample)}
    if kind == "string" and sample:
        return shape.name
    if kind == "string":
        return shape.enum[0] if shape.enum else ""
    if kind == "integer":
        return 0
    if kind == "boolean":
        return True
    return _EPOCH if sample else "1970-01-01T00:00:00"


def yaml_input_skeleton(shape: Shape) -> str:
    """The YAML input template: one member per line, with a comment saying what it takes."""
    lines: list[str] = []
    _yaml_structure(shape, 0, lines, first_prefix=None)
    return "\n".join(lines) + "\n"


def _comment(shape: Shape, required: bool) -> str:
    notes = []
    if required:
        notes.append("[REQUIRED]")
    if shape.enum:
        notes.append("Valid values: " + ", ".join(shape.enum) + ".")
    if shape.type_name == "timestamp":
        notes.append("An ISO 8601 instant or epoch seconds.")
    if shape.doc:
        notes.append(shape.doc)
    return "  # " + " ".join(notes) if notes else ""


def _scalar_text(shape: Shape) -> str:
    value = _placeholder(shape)
    if isinstance(value, bool):
        return "true"
    return "''" if value == "" else str(value)


def _yaml_structure(shape: Shape, indent: int, lines: list[str], first_prefix: str | None) -> None:
    """Members of a structure, one per line; ``first_prefix`` replaces the first line's indent
    (``- `` when the structure is a list item)."""
    pad = " " * indent
    for index, (name, member) in enumerate(shape.members.items()):
        lead = first_prefix if (index == 0 and first_prefix is not None) else pad
        _yaml_member(name, member, name in shape.required, lead, indent, lines)


def _yaml_member(
    name: str, shape: Shape, required: bool, lead: str, indent: int, lines: list[str]
) -> None:
    comment = _comment(shape, required)
    if shape.is_scalar:
        lines.append(f"{lead}{name}: {_scalar_text(shape)}{comment}")
        return
    lines.append(f"{lead}{name}:{comment}")
    _yaml_value(shape, indent + 2, lines)


def _yaml_value(shape: Shape, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if shape.type_name == "structure":
        _yaml_structure(shape, indent, lines, first_prefix=None)
    elif shape.type_name == "list":
        item = shape.member
        assert item is not None
        if item.is_scalar:
            lines.append(f"{pad}- {_scalar_text(item)}{_comment(item, False)}")
        elif item.type_name == "structure":
            _yaml_structure(item, indent + 2, lines, first_prefix=f"{pad}- ")
        else:
            lines.append(f"{pad}-")
            _yaml_value(item, indent + 2, lines)
    elif shape.type_name == "map":
        assert shape.value is not None
        _yaml_member("KeyName", shape.value, False, pad, indent, lines)
