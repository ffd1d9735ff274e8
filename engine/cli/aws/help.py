"""``escsim <operation> help``: what an operation does and what each option takes.

Everything is generated from the operation registry and the model's shapes: the summary, the
synopsis, each option's type, whether it is required, its limits and allowed values, shorthand
and JSON syntax for structures, and the members of the output. The wording is escsim's own.
"""

from __future__ import annotations

import textwrap

from engine.api.registry import Operation
from engine.cli.aws.arguments import Argument, arguments_of
from engine.cli.aws.options import GLOBAL_OPTIONS
from engine.cli.aws.shapes import Shape, output_shape
from engine.cli.aws.shorthand import supports_shorthand

__all__ = ["help_text", "shorthand_syntax"]

_MAX_SHORTHAND_DEPTH = 3
_UNITS = {"string": " characters", "list": " items", "map": " items", "integer": ""}
_PAGING_HELP = {
    "--starting-token": "Where to resume: the NextToken an earlier command printed.",
    "--page-size": "How many items each call asks for (sent as MaxResults); the output is the "
    "same, only the number of calls changes.",
    "--max-items": "Print at most this many items, then a NextToken to pass to --starting-token "
    "for the rest.",
}


class _TooDeep(Exception):
    pass


def help_text(operation: Operation) -> str:
    """The whole help page of ``operation``, ending with a newline."""
    arguments = [argument for argument in arguments_of(operation) if argument.documented]
    paginator = operation.paginator
    title = operation.cli_name
    out = [title, "=" * len(title), "", _wrap(operation.summary, 0), ""]
    out += [
        f"Answers as the AWS operation {operation.name} of ssm-contacts (API 2021-05-03) would,",
        "from the workspace's simulated state, or from an `escsim serve` with --endpoint-url.",
        "",
    ]
    if paginator is not None:
        out += [
            _wrap(
                f"{operation.cli_name} is a list operation: the command follows NextToken and "
                "prints every page merged, unless --no-paginate is given. --max-items, "
                "--page-size and --starting-token work as in the AWS CLI.",
                0,
            ),
            "",
        ]
    out += ["Synopsis", "--------", "", f"  escsim {operation.cli_name}"]
    for argument in arguments:
        text = _flag(argument) + ("" if argument.shape.type_name == "boolean" else " <value>")
        out.append(f"    {text}" if argument.required else f"    [{text}]")
    paging = _paging_options(operation)
    out += [f"    [{flag} <value>]" for flag, _ in paging]
    out += [
        "    [--cli-input-json <value> | --cli-input-yaml <value>]",
        "    [--generate-cli-skeleton [input | yaml-input | output]]",
        "    [global options]",
        "",
        "Options",
        "-------",
        "",
    ]
    for argument in arguments:
        out += _option(argument)
    for flag, text in paging:
        kind = "string" if flag == "--starting-token" else "integer"
        out += _entry(f"{flag} ({kind}, optional)", text)
    out += _entry(
        "--cli-input-json | --cli-input-yaml (string, optional)",
        "Read the request from JSON or YAML text (or file://PATH) in the form "
        "--generate-cli-skeleton prints; options given on the command line win over it. "
        "Only one of the two may be given.",
    )
    out += _entry(
        "--generate-cli-skeleton (input | yaml-input | output, optional)",
        "Print a template instead of calling: input (the default) as JSON, yaml-input as "
        "commented YAML, or output: a sample response, after checking the options given.",
    )
    out += ["Global options", "--------------", ""]
    for option in GLOBAL_OPTIONS:
        value = ""
        if option.takes_value:
            value = f" ({' | '.join(option.choices) if option.choices else option.value_type})"
        out += _entry(f"{option.flag}{value}", option.help)
    out += _output_section(operation)
    return "\n".join(out).rstrip("\n") + "\n"


def _entry(heading: str, text: str) -> list[str]:
    return [f"  {heading}", _wrap(text, 6), ""]


def _flag(argument: Argument) -> str:
    if argument.shape.type_name == "boolean":
        return f"{argument.option} | --no-{argument.option[2:]}"
    return argument.option


def _option(argument: Argument) -> list[str]:
    shape = argument.shape
    status = "required" if argument.required else "optional"
    lines = [f"  {_flag(argument)} ({_type_name(shape)}, {status})"]
    if shape.doc:
        lines.append(_wrap(shape.doc, 6))
    limits = _limits(shape)
    if limits:
        lines.append(_wrap("Limits: " + limits, 6))
    if shape.type_name == "timestamp":
        lines.append(_wrap("Give an ISO 8601 instant (2026-01-01T09:00:00Z) or epoch seconds.", 6))
    if not shape.is_scalar:
        nested = _nested_members(shape)
        if nested:
            lines += ["", "      Members:", *nested]
        syntax = shorthand_syntax(shape) if supports_shorthand(shape) else ""
        if syntax:
            lines += ["", "      Shorthand syntax:", "", *_indent(syntax, 8)]
        lines += ["", "      JSON syntax:", "", *_indent(_json_syntax(shape, 0), 8)]
    lines.append("")
    return lines


def _paging_options(operation: Operation) -> list[tuple[str, str]]:
    """The paging options of a list operation, with what each does."""
    if operation.paginator is None:
        return []
    sized = operation.paginator.limit_key is not None
    return [(flag, text) for flag, text in _PAGING_HELP.items() if sized or flag != "--page-size"]


def _output_section(operation: Operation) -> list[str]:
    shape = output_shape(operation)
    lines = ["Output", "------", ""]
    if not shape.members:
        return [*lines, "  None: the command prints nothing when it succeeds.", ""]
    for name, member in shape.members.items():
        lines.append(f"  {name} ({_type_name(member)})")
        if member.doc:
            lines.append(_wrap(member.doc, 6))
        lines += [*_nested_members(member), ""]
    return lines


def _type_name(shape: Shape) -> str:
    if shape.type_name == "list" and shape.member is not None:
        return f"list of {_type_name(shape.member)}"
    if shape.type_name == "map" and shape.value is not None:
        return f"map of {_type_name(shape.value)}"
    return shape.type_name


def _limits(shape: Shape) -> str:
    parts = []
    if shape.enum:
        parts.append("one of " + ", ".join(shape.enum))
    unit = _UNITS.get(shape.type_name)
    if unit is not None and (shape.min is not None or shape.max is not None):
        if shape.min is not None and shape.max is not None:
            parts.append(f"{shape.min} to {shape.max}{unit}")
        elif shape.min is not None:
            parts.append(f"at least {shape.min}{unit}")
        else:
            parts.append(f"at most {shape.max}{unit}")
    if shape.pattern and shape.type_name == "string":
        parts.append(f"matching {shape.pattern}")
    return "; ".join(parts)


def _nested_members(shape: Shape, depth: int = 0) -> list[str]:
    """Members of the structures inside ``shape``, indented, with type, requirement and limits."""
    target = shape
    while target.type_name in ("list", "map"):
        inner = target.member if target.type_name == "list" else target.value
        assert inner is not None
        target = inner
    if target.type_name != "structure":
        return []
    pad = " " * (8 + 2 * depth)
    lines = []
    if target.doc and depth == 0 and target is not shape:
        lines.append(_wrap(target.doc, 8))
    for name, member in target.members.items():
        status = ", required" if name in target.required else ""
        limits = _limits(member)
        text = f"{pad}{name} ({_type_name(member)}{status})"
        lines.append(f"{text}: {limits}" if limits else text)
        lines += _nested_members(member, depth + 1)
    return lines


def shorthand_syntax(shape: Shape) -> str:
    """Shorthand for ``shape`` as the AWS CLI documents it ('' when too deep to be useful)."""
    try:
        if shape.type_name == "list":
            assert shape.member is not None
            return _shorthand(shape.member, 0) + " ..."
        return _shorthand(shape, 0)
    except _TooDeep:
        return ""


def _shorthand(shape: Shape, depth: int) -> str:
    if depth > _MAX_SHORTHAND_DEPTH:
        raise _TooDeep
    kind = shape.type_name
    if kind == "structure":
        inner = ",".join(
            f"{name}={_shorthand(member, depth + 1)}" for name, member in shape.members.items()
        )
        return "{" + inner + "}" if depth else inner
    if kind == "list":
        assert shape.member is not None
        element = _shorthand(shape.member, depth + 1)
        if not shape.member.is_scalar or depth > 1:
            return f"[{element},{element}]"
        return f"{element},{element}"
    if kind == "map":
        assert shape.key is not None and shape.value is not None
        value = _shorthand(shape.value, depth + 1)
        text = f"KeyName1={value},KeyName2={value}"
        if depth:
            return "{" + text + "}"
        if shape.key.enum:
            keys = "".join(f"  {key}\n" for key in shape.key.enum)
            text += "\n\nWhere valid key names are:\n" + keys
        return text
    return kind


def _json_syntax(shape: Shape, indent: int) -> str:
    pad = "  " * indent
    kind = shape.type_name
    if kind == "structure":
        members = [
            f'{pad}  "{name}": {_json_syntax(member, indent + 1).lstrip()}'
            for name, member in shape.members.items()
        ]
        return "{\n" + ",\n".join(members) + f"\n{pad}}}"
    if kind == "list":
        assert shape.member is not None
        element = _json_syntax(shape.member, indent + 1).lstrip()
        return f"[\n{pad}  {element}\n{pad}]"
    if kind == "map":
        assert shape.key is not None and shape.value is not None
        value = _json_syntax(shape.value, indent + 1).lstrip()
        key = "|".join(shape.key.enum) if shape.key.enum else "string"
        return f'{{\n{pad}  "{key}": {value}\n{pad}}}'
    if shape.enum:
        return '"' + "|".join(shape.enum) + '"'
    return {"string": '"string"', "timestamp": '"timestamp"'}.get(kind, kind)


def _indent(text: str, spaces: int) -> list[str]:
    return [(" " * spaces + line) if line else "" for line in text.split("\n")]


def _wrap(text: str, indent: int) -> str:
    pad = " " * indent
    return textwrap.fill(
        text,
        width=79,
        initial_indent=pad,
        subsequent_indent=pad,
        break_long_words=False,
        break_on_hyphens=False,
    )
