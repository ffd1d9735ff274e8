"""The base class of every ssm-contacts shape, and the container and timestamp types they share.

Shapes keep snake_case attributes in Python and AWS's PascalCase member names on the wire: the
alias generator derives one from the other, so neither is written twice. Unknown members are
errors (``extra="forbid"``), instances are immutable, and patterns run on pydantic-core's Rust
regex engine, which matches anywhere in the text (Smithy patterns are not anchored) and knows the
``\\p{L}``-style Unicode classes the model uses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Annotated, Any, Final, NoReturn, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainValidator
from pydantic.alias_generators import to_pascal
from pydantic_core import PydanticCustomError

from engine.timeutil import in_range, to_datetime

#: pydantic error type carried by the service rules of docs/semantics.md R1-R2 (see ``rules.py``).
RULE_ERROR: Final = "escsim_rule"

_Item = TypeVar("_Item")


class WireModel(BaseModel):
    """A structure of the ssm-contacts model: AWS member names on the wire, snake_case in Python.

    Construct from AWS names (``Plan.model_validate({"Stages": []})``) or Python names
    (``Plan(stages=[])``); ``model_dump()`` gives AWS names.
    """

    model_config = ConfigDict(
        alias_generator=to_pascal,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
        regex_engine="rust-regex",
        # Validators are built on first use, not at import: a command that validates no request
        # (help, a scenario run's CLI start-up) does not pay for the ~150 shapes.
        defer_build=True,
    )

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], path: str) -> list[dict[str, str]]:
        """Breaches of the service rules beyond the model's constraints, for AWS-shaped ``data``
        at member path ``path``. Shapes with rules override this and call ``_enforce_rules``."""
        return []

    def _enforce_rules(self, label: str) -> Self:
        data = self.model_dump(by_alias=True, exclude_none=True)
        problems = type(self).rule_problems(data, label)
        if problems:
            raise_rule_problems(problems)
        return self


def _only_arrays(value: object) -> object:
    # pydantic would also take sets and generators; their order is not the caller's order.
    if isinstance(value, list | tuple):
        return value
    raise PydanticCustomError("list_type", "Input should be a valid list")


#: A list member: a JSON array (a Python list or tuple) of validated items.
ListOf = Annotated[list[_Item], BeforeValidator(_only_arrays)]


def coerce_timestamp(value: object) -> dt.datetime:
    """An aware UTC datetime from a datetime (naive = UTC), epoch seconds or an ISO 8601 string.

    Raises ``PydanticCustomError``: ``timestamp_range`` for an instant outside escsim's range (so
    no handler ever sees one), ``timestamp_type`` for anything that is not an instant.
    """
    if isinstance(value, bool) or not isinstance(value, dt.datetime | int | float | str):
        raise PydanticCustomError("timestamp_type", "Input should be a timestamp")
    try:
        moment = to_datetime(value)
    except (ValueError, OverflowError, OSError, TypeError):
        # A finite number or a datetime that cannot be made an instant lies beyond datetime's
        # range; NaN, infinities and unreadable text are not instants at all.
        if _beyond_datetime(value):
            raise _out_of_range() from None
        raise PydanticCustomError("timestamp_type", "Input should be a timestamp") from None
    if not in_range(moment):
        raise _out_of_range()
    return moment


def _beyond_datetime(value: str | float | dt.datetime) -> bool:
    if isinstance(value, int | dt.datetime):
        return True
    try:
        return math.isfinite(float(value))
    except (ValueError, OverflowError):
        return False


def _out_of_range() -> PydanticCustomError:
    return PydanticCustomError("timestamp_range", "Input should be a representable instant")


#: The model's ``DateTime`` (a timestamp): epoch seconds on the wire, aware UTC in Python.
DateTime = Annotated[
    dt.datetime,
    PlainValidator(coerce_timestamp, json_schema_input_type=dt.datetime | float),
]


def raise_rule_problems(problems: list[dict[str, str]]) -> NoReturn:
    """Raise rule breaches from a validator as one pydantic error of type ``RULE_ERROR``."""
    message = "; ".join(problem["Message"] for problem in problems)
    raise PydanticCustomError(RULE_ERROR, "{message}", {"message": message, "problems": problems})


def shapes_by_operation(namespace: Mapping[str, object], suffix: str) -> dict[str, type[WireModel]]:
    """The shapes a module defines whose names end in ``suffix`` (``StartEngagementRequest``),
    by operation name (``StartEngagement``), in the order the module defines them."""
    return {
        name.removesuffix(suffix): value
        for name, value in namespace.items()
        if name.endswith(suffix)
        and isinstance(value, type)
        and issubclass(value, WireModel)
        and value.__module__ == namespace["__name__"]
    }


def model_members(model: type[BaseModel]) -> tuple[str, ...]:
    """The AWS member names of a shape, in the model's order."""
    return tuple(field.alias or name for name, field in model.model_fields.items())
