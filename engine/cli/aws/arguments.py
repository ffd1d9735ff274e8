"""The argument table of an operation command, built from the operation registry.

Every input member becomes an option named as the AWS CLI names it (``ContactId`` ->
``--contact-id``); booleans get a ``--no-`` twin; lists take several values; list operations get
``--starting-token``, ``--page-size`` and ``--max-items`` while their ``--next-token`` and
``--max-results`` stay accepted (using them turns automatic paging off). :func:`unpack` turns the
text of one option into the value sent: ``file://`` contents, JSON, shorthand, integers.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any, NoReturn

from engine.api.registry import Operation, cli_name
from engine.cli.aws.options import GLOBAL_OPTIONS
from engine.cli.aws.paramfile import read_paramfile
from engine.cli.aws.shapes import Shape, input_shape
from engine.cli.aws.shorthand import (
    MAX_DEPTH,
    ShorthandError,
    fit_to_shape,
    parse,
    supports_shorthand,
)

__all__ = [
    "Argument",
    "ParamError",
    "UsageError",
    "arguments_of",
    "build_parser",
    "load_json",
    "unpack",
]

SKELETON_CHOICES = ("input", "yaml-input", "output")


class ParamError(ValueError):
    """An option whose value cannot be read; worded as the AWS CLI words it."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(f"Error parsing parameter '{option}': {message}")


class UsageError(ValueError):
    """A command line argparse refuses (missing required option, bad choice...)."""


@dataclasses.dataclass(frozen=True)
class Argument:
    """One operation option: its AWS member, its ``--name`` and shape, and how it is shown."""

    member: str
    option: str
    shape: Shape
    required: bool
    documented: bool = True

    @property
    def dest(self) -> str:
        return f"member:{self.member}"


def arguments_of(operation: Operation) -> list[Argument]:
    """The options of ``operation``, in the model's member order."""
    shape = input_shape(operation)
    paginator = operation.paginator
    # The paging members stay accepted but undocumented: the paging options stand for them.
    paging = {paginator.input_token, paginator.limit_key} if paginator is not None else set()
    return [
        Argument(
            member=member,
            option=f"--{cli_name(member)}",
            shape=member_shape,
            required=member in shape.required and member != operation.idempotency_member,
            documented=member not in paging,
        )
        for member, member_shape in shape.members.items()
    ]


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser(
    operation: Operation, arguments: list[Argument], *, require: bool
) -> argparse.ArgumentParser:
    """A parser for the operation's options, the input options and every global option.

    ``require`` False drops "required" (with ``--cli-input-json``, ``--cli-input-yaml`` or an
    input skeleton, the values may come from elsewhere; the client-side checks still apply).
    """
    parser = _Parser(prog=f"escsim {operation.cli_name}", add_help=False, allow_abbrev=False)
    for argument in arguments:
        kind = argument.shape.type_name
        if kind == "boolean":
            negative = f"--no-{argument.option[2:]}"
            parser.add_argument(
                argument.option, dest=argument.dest, action="store_true", default=None
            )
            parser.add_argument(negative, dest=argument.dest, action="store_false", default=None)
        else:
            parser.add_argument(
                argument.option,
                dest=argument.dest,
                nargs="*" if kind == "list" else None,
                required=require and argument.required,
            )
    # The remaining options' dests are argparse's own (--max-items: max_items).
    if operation.paginator is not None:
        parser.add_argument("--starting-token")
        if operation.paginator.limit_key is not None:
            parser.add_argument("--page-size", type=_integer("--page-size"))
        parser.add_argument("--max-items", type=_integer("--max-items"))
    parser.add_argument("--cli-input-json")
    parser.add_argument("--cli-input-yaml")
    parser.add_argument(
        "--generate-cli-skeleton", nargs="?", const="input", choices=SKELETON_CHOICES
    )
    for option in GLOBAL_OPTIONS:
        if not option.takes_value:
            parser.add_argument(option.flag, action="store_true")
        else:
            integer = option.value_type == "integer"
            parser.add_argument(
                option.flag,
                choices=option.choices or None,
                type=_integer(option.flag) if integer else str,
            )
    return parser


def _integer(option: str) -> Any:
    def convert(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None

    convert.__name__ = option
    return convert


def unpack(argument: Argument, value: Any) -> Any:
    """The value to send for ``argument`` given its command-line ``value``.

    Raises :class:`ParamError` for text that is not valid JSON, shorthand or a number, and
    :class:`~engine.cli.aws.paramfile.ParamFileError` for an unreadable ``file://``.
    """
    candidate = value[0] if isinstance(value, list) and len(value) == 1 else value
    contents = read_paramfile(candidate)
    if contents is not None:
        value = contents
    shape = argument.shape
    if supports_shorthand(shape) and not _looks_like_json(value):
        try:
            if isinstance(value, list):
                parsed: Any = [parse(item) for item in value]
            else:
                parsed = parse(value)
            return fit_to_shape(parsed, shape)
        except ShorthandError as exc:
            raise ParamError(argument.option, str(exc)) from None
    return _unpack_plain(shape, value, argument.option)


def _looks_like_json(value: Any) -> bool:
    first = value[0] if isinstance(value, list) and value else value
    return isinstance(first, str) and first.strip().startswith(("[", "{"))


def load_json(text: str, option: str) -> Any:
    """The JSON value of option ``option``; raises :class:`ParamError` worded as the AWS CLI.

    Values nesting deeper than :data:`~engine.cli.aws.shorthand.MAX_DEPTH` levels are refused
    too: no input needs them, and printing or checking them would recurse as deep.
    """
    try:
        value = json.loads(text)
        deep = _deeper_than(value, MAX_DEPTH)
    except ValueError as exc:
        raise ParamError(option, f"Invalid JSON: {exc}\nJSON received: {text}") from None
    except RecursionError:  # the decoder recurses once per level of nesting
        deep = True
    if deep:
        raise ParamError(option, f"Invalid JSON: the value nests deeper than {MAX_DEPTH} levels")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels (no recursion)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children)
    return False


def _unpack_plain(shape: Shape, value: Any, option: str) -> Any:
    kind = shape.type_name
    if kind in ("structure", "map"):
        if isinstance(value, str) and value.lstrip().startswith("{"):
            return load_json(value, option)
        raise ParamError(option, f"Invalid JSON:\n{value}")
    if kind == "list":
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return load_json(value, option)
            value = [value]
        if len(value) == 1 and value[0].strip().startswith("["):
            return load_json(value[0], option)
        assert shape.member is not None
        return [_unpack_plain(shape.member, item, option) for item in value]
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise ParamError(option, f"invalid literal for int() with base 10: {value!r}") from None
    if kind == "boolean":
        return not (isinstance(value, str) and value.lower() == "false") and bool(value)
    return value
