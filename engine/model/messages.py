"""How a field problem reads: AWS-style sentences naming the value, the member path and the rule.

``Value '45' at 'Plan.Stages[0].DurationInMinutes' failed to satisfy constraint: Member must have
value less than or equal to 30``. Values are shown short: long text keeps its start and says how
long the whole was, so a 400 000-character policy never floods a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Final

#: Characters of a value shown before it is cut short.
SHOWN_CHARACTERS: Final = 80
_MAX_DEPTH: Final = 8


def member_path(parent: str, member: str) -> str:
    """``Plan`` + ``Stages`` -> ``Plan.Stages``; an empty parent gives the member alone."""
    return f"{parent}.{member}" if parent else member


def index_path(parent: str, index: int) -> str:
    """``Plan.Stages`` + 0 -> ``Plan.Stages[0]``."""
    return f"{parent}[{index}]"


def field_problem(path: str, message: str) -> dict[str, str]:
    """One ``ValidationExceptionField``: the member path and what is wrong there."""
    return {"Name": path, "Message": message}


def violation(value: object, path: str, constraint: str) -> str:
    """The AWS sentence for a value at a path that breaks a constraint."""
    return f"Value {render_value(value)} at '{path}' failed to satisfy constraint: {constraint}"


def length_at_most(limit: object) -> str:
    return f"Member must have length less than or equal to {limit}"


def length_at_least(limit: object) -> str:
    return f"Member must have length greater than or equal to {limit}"


def value_at_most(limit: object) -> str:
    return f"Member must have value less than or equal to {limit}"


def value_at_least(limit: object) -> str:
    return f"Member must have value greater than or equal to {limit}"


def instant_between(earliest: dt.datetime, latest: dt.datetime) -> str:
    """The constraint on timestamps: the instants escsim represents, ``latest`` excluded."""
    return f"Member must be an instant from {_utc_text(earliest)} to before {_utc_text(latest)}"


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def must_match(pattern: object) -> str:
    return f"Member must satisfy regular expression pattern: {pattern}"


def one_of(values: Sequence[str]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(values)}]"


def must_not_be_null() -> str:
    return "Member must not be null"


def must_be(kind: str, value: object) -> str:
    """``Member must be a string (got integer)``: the expected JSON kind and the given one."""
    return f"Member must be {kind} (got {json_kind(value)})"


def json_kind(value: object) -> str:
    """The JSON name of a value's kind (``string``, ``integer``, ``list``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, dt.datetime):
        return "timestamp"
    return type(value).__name__


def render_value(value: object) -> str:
    """A value as the messages show it: ``null``, ``'text'``, ``'45'``, ``'[1, 2]'``, shortened.

    Long values keep their first characters and say how long the whole is. Never raises, and
    never walks more of a huge or deeply nested value than it shows.
    """
    if value is None:
        return "null"
    shown: list[str] = []
    length = 0
    cut = False
    for token in _tokens(value, top=True, depth=0):
        shown.append(token)
        length += len(token)
        if length > SHOWN_CHARACTERS:
            cut = True
            break
    text = "".join(shown)
    if not cut:
        return f"'{text}'"
    return f"'{text[:SHOWN_CHARACTERS]}...' ({_size(value)})"


def _size(value: object) -> str:
    if isinstance(value, str):
        return f"{len(value)} characters"
    if isinstance(value, list | tuple):
        return f"{len(value)} items"
    if isinstance(value, dict):
        return f"{len(value)} members"
    return json_kind(value)


def _tokens(value: object, *, top: bool, depth: int) -> Iterator[str]:
    if depth > _MAX_DEPTH:
        yield "..."
    elif value is None:
        yield "null"
    elif isinstance(value, bool):
        yield "true" if value else "false"
    elif isinstance(value, str):
        yield value if top else json.dumps(value, ensure_ascii=False)
    elif isinstance(value, int):
        yield _integer(value)
    elif isinstance(value, float):
        yield repr(value)
    elif isinstance(value, dt.datetime):
        yield value.isoformat() if top else json.dumps(value.isoformat())
    elif isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _tokens(item, top=False, depth=depth + 1)
        yield "]"
    elif isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            if index:
                yield ", "
            yield from _tokens(key, top=False, depth=depth + 1)
            yield ": "
            yield from _tokens(item, top=False, depth=depth + 1)
        yield "}"
    else:
        yield f"<{type(value).__name__}>"


def _integer(value: int) -> str:
    try:
        return str(value)
    except ValueError:
        # Python refuses to print integers of more than a few thousand digits.
        return f"<integer of {value.bit_length()} bits>"
