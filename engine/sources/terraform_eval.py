"""Evaluating the expressions of ``.tf`` files, as far as an organisation needs.

Read: literals (strings with ``${...}`` interpolation, numbers, bools, null, lists, maps),
``var.NAME``, ``local.NAME``, ``count.index``, ``each.key``/``each.value``, references to the
paging resources and data sources (``aws_ssmcontacts_contact.lead.arn``, ``.id``, any attribute
written in the block, an instance by ``[index]``), indexing and attribute access on values, the
conversion functions ``toset``, ``tolist``, ``tomap`` and ``length``, and a sign (``-5``,
``!x``). Anything else (another function, an operator, a conditional, a ``for`` expression, a
module output, a data source or resource of another kind) raises :class:`EvalError` naming the
line, for the reader to report with its file and attribute. Values are computed when first
asked for, so an attribute escsim does not read (``tags = merge(...)``) never matters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from hcl2.utils import process_escape_sequences
from lark import Token, Tree

from engine.scenario.organisation import contact_alias
from engine.sources.terraform_hcl import Block, line_of, parts
from engine.sources.terraform_model import (
    CONTACT,
    PAGING_TYPES,
    PLAN,
    ROTATION,
    Value,
    channel_arn,
    contact_arn,
    rotation_arn,
)

__all__ = ["EvalError", "Instance", "Module", "Scope"]


class EvalError(Exception):
    """An expression escsim cannot evaluate; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclasses.dataclass(frozen=True)
class Scope:
    """``count.index`` or ``each.key``/``each.value`` of the instance being evaluated."""

    index: int | None = None
    key: str | None = None
    value: Value = None
    each: bool = False


@dataclasses.dataclass
class Instance:
    """One instance of a resource or data block, its attributes evaluated on demand."""

    module: Module
    block: Block
    address: str
    scope: Scope
    mode: str

    @property
    def type(self) -> str:
        return self.block.labels[0]

    def attribute(self, name: str, line: int) -> Value:
        if name in ("arn", "id"):
            return self.arn(line)
        return self.written(name, line)

    def written(self, name: str, line: int) -> Value:
        """The value of an attribute written in the block."""
        found = self.block.attributes.get(name)
        if found is None:
            raise EvalError(f"{self.address} sets no attribute {name!r}", line)
        return self.module.cached(
            (self.address, name), lambda: self.module.evaluate(found.expression, self.scope)
        )

    def arn(self, line: int) -> Value:
        """The ARN AWS would give (a data source's is written in it)."""
        if self.mode == "data":
            return self.written("contact_id" if self.type == PLAN else "arn", line)
        if self.type == PLAN:
            return self.attribute("contact_id", line)
        module = self.module
        if self.type == ROTATION:
            return rotation_arn(module.region, module.account, self.address)
        if self.type == CONTACT:
            alias = self.attribute("alias", line)
            return contact_arn(module.region, module.account, _text(alias, "alias", line))
        owner = self.attribute("contact_id", line)
        alias = contact_alias(_text(owner, "contact_id", line))
        return channel_arn(module.region, module.account, alias, self.address)


class Module:
    """The root module of the files read: variables, locals and the blocks of paging types."""

    def __init__(self, account: str, region: str) -> None:
        self.account = account
        self.region = region
        self.variables: dict[str, Value] = {}
        self.locals: dict[str, tuple[Tree[Token], int]] = {}
        self.instances: dict[str, list[Instance] | dict[str, Instance] | Instance] = {}
        """``type.name`` (``data.type.name``) -> its instance, or list or map of them."""
        self.others: set[str] = set()
        """``type.name`` of the resources and data sources of other kinds."""
        self._cache: dict[tuple[str, str], Value] = {}
        self._busy: set[tuple[str, str]] = set()

    def cached(self, key: tuple[str, str], compute: Callable[[], Value]) -> Value:
        if key in self._cache:
            return self._cache[key]
        if key in self._busy:
            raise EvalError(f"{key[0]}.{key[1]} refers to itself")
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._cache[key] = value
        return value

    def local(self, name: str, line: int) -> Value:
        found = self.locals.get(name)
        if found is None:
            raise EvalError(f"no local value named {name!r}{_known(self.locals)}", line)
        return self.cached(("local", name), lambda: self.evaluate(found[0], Scope()))

    # -- expressions ---------------------------------------------------------------------------

    def evaluate(self, node: Tree[Token], scope: Scope) -> Value:
        kind = node.data
        line = line_of(node)
        inner = parts(node)
        if kind == "expr_term":
            if len(inner) == 1:
                return self.evaluate(inner[0], scope)
            raise EvalError("this expression is not read by escsim", line)
        if kind in ("int_lit", "float_lit"):
            text = str(node.children[0])
            return int(text) if kind == "int_lit" else float(text)
        if kind == "literal_value":
            return {"true": True, "false": False, "null": None}[str(node.children[0])]
        if kind == "string":
            return self.string(node, scope)
        if kind == "tuple":
            return [self.evaluate(item, scope) for item in inner]
        if kind == "object":
            return self.mapping(inner, scope)
        if kind == "function_call":
            return self.call(node, scope)
        if kind in ("identifier", "get_attr_expr_term", "index_expr_term"):
            return self.traverse(node, scope)
        if kind == "unary_op":  # -5 is a negative number; !x a negation
            sign = str(node.children[0])
            value = self.evaluate(inner[0], scope)
            if sign == "-" and isinstance(value, int | float) and not isinstance(value, bool):
                return -value
            if sign == "!" and isinstance(value, bool):
                return not value
            raise EvalError(f"{sign} cannot apply to {_shown(value)}", line)
        raise EvalError(f"{_WHAT.get(kind, 'this expression')} is not read by escsim", line)

    def string(self, node: Tree[Token], scope: Scope) -> str:
        text: list[str] = []
        for part in node.children:
            if not isinstance(part, Tree):
                continue
            for piece in part.children:
                if isinstance(piece, Token):
                    raw = str(piece.value)
                    if piece.type == "ESCAPED_INTERPOLATION":
                        raw = raw[1:]  # $${ is a literal ${
                    text.append(process_escape_sequences(raw))
                elif piece.data == "interpolation":
                    value = self.evaluate(parts(piece)[0], scope)
                    text.append(_interpolated(value, line_of(piece)))
                else:
                    raise EvalError("template directives (%{...}) are not read", line_of(piece))
        return "".join(text)

    def mapping(self, elements: list[Tree[Token]], scope: Scope) -> dict[str, Value]:
        result: dict[str, Value] = {}
        for element in elements:
            key_node, value_node = parts(element)[0], parts(element)[-1]
            key_parts = parts(key_node)
            key_expr = key_parts[0] if key_parts else key_node
            inner = parts(key_expr)
            if key_expr.data == "expr_term" and len(inner) == 1 and inner[0].data == "identifier":
                key: Value = str(inner[0].children[0])  # a bare word names itself
            elif key_expr.data in ("identifier", "keyword"):
                key = "".join(str(t) for t in key_expr.children)
            else:
                key = self.evaluate(key_expr, scope)
            result[_interpolated(key, line_of(element))] = self.evaluate(value_node, scope)
        return result

    def call(self, node: Tree[Token], scope: Scope) -> Value:
        name = str(parts(node)[0].children[0])
        line = line_of(node)
        arguments = [parts(n) for n in parts(node) if n.data == "arguments"]
        values = [self.evaluate(a, scope) for a in (arguments[0] if arguments else [])]
        function = _FUNCTIONS.get(name)
        if function is None:
            raise EvalError(
                f"function {name}() is not evaluated by escsim (it reads "
                f"{', '.join(sorted(_FUNCTIONS))})",
                line,
            )
        if len(values) != 1:
            raise EvalError(f"{name}() takes one argument (got {len(values)})", line)
        return function(values[0], line)

    # -- references ----------------------------------------------------------------------------

    def traverse(self, node: Tree[Token], scope: Scope) -> Value:
        root, steps = _steps(node)
        line = line_of(node)
        if root in _SPECIAL:
            value, steps = self.special(root, steps, scope, line)
        else:
            value, steps = self.reference(root, steps, line)
        for step in steps:
            value = self.step(value, step, scope, line)
        if isinstance(value, Instance | list | dict) and any(
            isinstance(item, Instance) for item in _members(value)
        ):
            raise EvalError("a resource is not a value: name one of its attributes (.arn)", line)
        result: Value = value
        return result

    def special(
        self, root: str, steps: list[Tree[Token]], scope: Scope, line: int
    ) -> tuple[Any, list[Tree[Token]]]:
        name = _attr_name(steps[0]) if steps else None
        if name is None:
            raise EvalError(f"{root} must be followed by a name", line)
        if root == "var":
            if name not in self.variables:
                raise EvalError(f"no variable named {name!r}{_known(self.variables)}", line)
            return self.variables[name], steps[1:]
        if root == "local":
            return self.local(name, line), steps[1:]
        if root == "count":
            if scope.index is None or name != "index":
                raise EvalError("count.index is only known in a block that sets count", line)
            return scope.index, steps[1:]
        if root == "each":
            if not scope.each or name not in ("key", "value"):
                raise EvalError("each.key and each.value are only known with for_each", line)
            return (scope.key if name == "key" else scope.value), steps[1:]
        if root == "data":
            kind = name
            label = _attr_name(steps[1]) if len(steps) > 1 else None
            if label is None:
                raise EvalError(f"data.{kind} must be followed by a name", line)
            key = f"data.{kind}.{label}"
            if kind not in PAGING_TYPES:
                raise EvalError(
                    f"{key} is a data source escsim does not read (only aws_ssmcontacts_* ones)",
                    line,
                )
            return self.instance(key, line), steps[2:]
        raise EvalError(f"{root}.{name} is not read by escsim ({_SPECIAL[root]})", line)

    def reference(
        self, root: str, steps: list[Tree[Token]], line: int
    ) -> tuple[Any, list[Tree[Token]]]:
        name = _attr_name(steps[0]) if steps else None
        if name is None:
            raise EvalError(f"{root!r} is not a value escsim knows", line)
        key = f"{root}.{name}"
        if root not in PAGING_TYPES:
            if key in self.others:
                raise EvalError(f"{key} is a resource escsim does not read", line)
            raise EvalError(f"no resource {key} in the files read", line)
        return self.instance(key, line), steps[1:]

    def instance(self, key: str, line: int) -> Any:
        found = self.instances.get(key)
        if found is None:
            raise EvalError(f"no {key} in the files read", line)
        return found

    def step(self, value: Any, step: Tree[Token], scope: Scope, line: int) -> Value:
        if step.data == "get_attr":
            name = _attr_name(step)
            assert name is not None
            if isinstance(value, Instance):
                return value.attribute(name, line)
            if isinstance(value, dict) and name in value:
                return value[name]  # type: ignore[no-any-return]
            if isinstance(value, list | dict):
                raise EvalError(f"{_shown(value)} has no attribute {name!r}", line)
            raise EvalError(f"{name!r} cannot be read from {_shown(value)}", line)
        if step.data == "short_index":
            index: Value = int(str(step.children[-1]))
        elif step.data == "braces_index":
            index = self.evaluate(parts(step)[0], scope)
        else:
            raise EvalError("splat expressions ([*], .*) are not read by escsim", line)
        if isinstance(value, list) and isinstance(index, int) and not isinstance(index, bool):
            if 0 <= index < len(value):
                return value[index]  # type: ignore[no-any-return]
            raise EvalError(f"index {index} is out of range (the list has {len(value)})", line)
        if isinstance(value, dict) and isinstance(index, str | int):
            if str(index) in value:
                return value[str(index)]  # type: ignore[no-any-return]
            raise EvalError(f"no key {index!r}{_known(value)}", line)
        raise EvalError(f"{index!r} cannot index {_shown(value)}", line)


_SPECIAL = {
    "var": "",
    "local": "",
    "count": "",
    "each": "",
    "data": "",
    "module": "modules are not read",
    "path": "paths of the configuration",
    "terraform": "the workspace's own values",
    "self": "provisioners are not read",
}

_WHAT = {
    "conditional": "a conditional (a ? b : c)",
    "binary_op": "an operator",
    "for_tuple_expr": "a for expression",
    "for_object_expr": "a for expression",
    "heredoc_template": "a heredoc",
    "heredoc_template_trim": "a heredoc",
    "attr_splat_expr_term": "a splat expression",
    "full_splat_expr_term": "a splat expression",
    "template_string": "a template",
}


def _steps(node: Tree[Token]) -> tuple[str, list[Tree[Token]]]:
    """``a.b[0].c`` -> ("a", [get_attr b, braces_index 0, get_attr c])."""
    steps: list[Tree[Token]] = []
    while node.data in ("get_attr_expr_term", "index_expr_term", "expr_term"):
        inner = parts(node)
        if node.data == "expr_term":
            if len(inner) != 1:
                break
            node = inner[0]
            continue
        steps.insert(0, inner[1])
        node = inner[0]
    if node.data != "identifier":
        raise EvalError("this expression is not read by escsim", line_of(node))
    return str(node.children[0]), steps


def _members(value: object) -> list[object]:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def _attr_name(step: Tree[Token]) -> str | None:
    if step.data != "get_attr":
        return None
    target = parts(step)[0]
    return "".join(str(token) for token in target.children)


def _interpolated(value: Value, line: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise EvalError(f"{_shown(value)} cannot be written into a string", line)


def _text(value: Value, name: str, line: int) -> str:
    if not isinstance(value, str):
        raise EvalError(f"{name} must be text (got {_shown(value)})", line)
    return value


def _shown(value: object) -> str:
    if isinstance(value, Instance):
        return value.address
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return repr(value)


def _known(names: Mapping[str, object]) -> str:
    return f" (known: {', '.join(names)})" if names else ""


def _to_set(value: Value, line: int) -> Value:
    if not isinstance(value, list):
        raise EvalError(f"toset() takes a list (got {_shown(value)})", line)
    unique: list[Value] = []
    for item in value:
        if item not in unique:
            unique.append(item)
    return unique


def _to_list(value: Value, line: int) -> Value:
    if not isinstance(value, list):
        raise EvalError(f"tolist() takes a list (got {_shown(value)})", line)
    return value


def _to_map(value: Value, line: int) -> Value:
    if not isinstance(value, dict):
        raise EvalError(f"tomap() takes a map (got {_shown(value)})", line)
    return value


def _length(value: Value, line: int) -> Value:
    if not isinstance(value, list | dict | str):
        raise EvalError(f"length() takes a list, map or text (got {_shown(value)})", line)
    return len(value)


_FUNCTIONS: dict[str, Callable[[Value, int], Value]] = {
    "toset": _to_set,
    "tolist": _to_list,
    "tomap": _to_map,
    "length": _length,
}
