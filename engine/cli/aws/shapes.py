"""Shapes of operation inputs and outputs in the terms the AWS CLI works in.

The AWS CLI reads botocore's service model: every member is a ``structure``, ``list``, ``map``,
``string``, ``integer``, ``boolean`` or ``timestamp`` with a few constraints. escsim's model is its
pydantic classes (``engine.model``); :func:`input_shape` and :func:`output_shape` read an
operation's request or result class into the same small tree, so that argument parsing,
client-side checks, skeletons and help all follow one source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypedDict, Union

import annotated_types as at
from pydantic import BaseModel, StringConstraints

from engine.api.registry import Operation

__all__ = ["SCALAR_TYPES", "Shape", "input_shape", "output_shape", "shape_of_model"]

#: Type names whose values are single values rather than containers.
SCALAR_TYPES = frozenset({"string", "integer", "boolean", "timestamp"})
# The model's scalar types and their names in the AWS model.
_SCALAR_KINDS = {bool: "boolean", int: "integer", str: "string", dt.datetime: "timestamp"}


@dataclasses.dataclass(frozen=True, eq=False)
class Shape:
    """One node of an input or output tree.

    ``members`` (structures, in the model's order), ``member`` (lists), ``key`` and ``value``
    (maps) hold the children; ``min``/``max`` bound a string's or list's length or an integer;
    ``enum`` lists the allowed strings; ``doc`` is escsim's one-line description, when it has one
    (a member's from its field, a structure's from its class).
    """

    name: str
    type_name: str
    members: Mapping[str, Shape] = dataclasses.field(default_factory=dict)
    required: tuple[str, ...] = ()
    member: Shape | None = None
    key: Shape | None = None
    value: Shape | None = None
    enum: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    doc: str = ""

    @property
    def is_scalar(self) -> bool:
        return self.type_name in SCALAR_TYPES


def input_shape(operation: Operation) -> Shape:
    """The request of ``operation`` as a structure shape."""
    return dataclasses.replace(
        shape_of_model(operation.request_model), name=f"{operation.name}Request"
    )


def output_shape(operation: Operation) -> Shape:
    """The result of ``operation`` as a structure shape."""
    return dataclasses.replace(
        shape_of_model(operation.result_model), name=f"{operation.name}Result"
    )


@functools.cache
def shape_of_model(model: type[BaseModel]) -> Shape:
    """A pydantic model class as a structure shape (cached: models are immutable)."""
    members: dict[str, Shape] = {}
    required: list[str] = []
    for field_name, field in model.model_fields.items():
        member = field.alias or field_name
        annotation: Any = field.annotation
        if field.metadata:
            annotation = Annotated[(annotation, *field.metadata)]
        shape = _shape_of(annotation, member)
        if field.description:
            shape = dataclasses.replace(shape, doc=field.description)
        members[member] = shape
        if field.is_required():
            required.append(member)
    return Shape(
        name=model.__name__,
        type_name="structure",
        members=types.MappingProxyType(members),
        required=tuple(required),
        doc=_first_line(model.__doc__),
    )


def _shape_of(annotation: Any, name: str) -> Shape:
    annotation, metadata = _unwrap(annotation)
    bounds = _bounds(metadata)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return shape_of_model(annotation)
    if annotation in _SCALAR_KINDS:
        limits = bounds if annotation in (int, str) else {}
        return Shape(name=name, type_name=_SCALAR_KINDS[annotation], **limits)
    if origin is Literal:
        values = tuple(str(value) for value in typing.get_args(annotation))
        return Shape(name=name, type_name="string", enum=values)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return Shape(name=name, type_name="list", member=_shape_of(item, name), **bounds)
    if origin is dict:
        key, value = typing.get_args(annotation)
        return Shape(
            name=name,
            type_name="map",
            key=_shape_of(key, name),
            value=_shape_of(value, name),
            **bounds,
        )
    raise TypeError(f"member {name}: no command-line shape for {annotation!r}")


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip ``Annotated`` layers and ``X | None``, collecting the constraints on the way."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            metadata.extend(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            present = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(present) != 1:
                raise TypeError(f"no command-line shape for the union {annotation!r}")
            annotation = present[0]
        else:
            return annotation, metadata


class _Bounds(TypedDict, total=False):
    min: int
    max: int
    pattern: str


def _bounds(metadata: list[object]) -> _Bounds:
    """The length, value and pattern limits among a field's constraints."""
    bounds: _Bounds = {}
    for item in metadata:
        if isinstance(item, StringConstraints | at.Len):
            low, high = item.min_length, item.max_length
        elif isinstance(item, at.Interval | at.Ge | at.Le):
            low, high = getattr(item, "ge", None), getattr(item, "le", None)
        else:
            continue
        if isinstance(low, int):
            bounds["min"] = low
        if isinstance(high, int):
            bounds["max"] = high
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str):
            bounds["pattern"] = pattern
    return bounds


def _first_line(doc: str | None) -> str:
    text = inspect.cleandoc(doc or "")
    return text.split("\n\n", 1)[0].replace("\n", " ")
