"""Parsing ``.tf`` files into blocks and attributes that keep their lines.

python-hcl2 8.x no longer puts ``__start_line__`` into the dictionaries ``hcl2.load`` makes, so
escsim reads its parse tree instead (``hcl2.parses_to_tree``, lark positions on every node):
each attribute keeps its expression as a tree, to be evaluated later and only when its value
is needed (:mod:`engine.sources.terraform_eval`).
"""

from __future__ import annotations

import dataclasses

import hcl2
from lark import Token, Tree
from lark.exceptions import LarkError

from engine.scenario.errors import Problem, ScenarioError

__all__ = ["Attribute", "Block", "line_of", "parse_expression", "parse_hcl", "parts"]


@dataclasses.dataclass(frozen=True)
class Attribute:
    """``name = expression`` at ``line``."""

    name: str
    expression: Tree[Token]
    line: int


@dataclasses.dataclass(frozen=True)
class Block:
    """``type "label" ... { body }``: its attributes by name and its nested blocks in order."""

    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Attribute]
    blocks: list[Block]
    line: int
    file: str


def line_of(node: Tree[Token] | Token, default: int = 0) -> int:
    """The 1-based line a node starts on."""
    if isinstance(node, Token):
        return node.line or default
    return getattr(node.meta, "line", default) or default


def parts(tree: Tree[Token]) -> list[Tree[Token]]:
    """The sub-trees of ``tree`` that carry meaning (no punctuation, newlines or comments)."""
    return [
        child
        for child in tree.children
        if isinstance(child, Tree) and child.data != "new_line_or_comment"
    ]


def parse_hcl(text: str, file: str) -> list[Block]:
    """The top-level blocks of ``text``. Raises ScenarioError naming the line of a syntax error,
    or of an attribute written twice."""
    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
    except LarkError as exc:
        line = getattr(exc, "line", None)
        raise ScenarioError(
            file, [Problem((), "not valid HCL: the syntax is wrong here", line)]
        ) from None
    except (RecursionError, ValueError, RuntimeError) as exc:
        raise ScenarioError(file, [Problem((), f"not valid HCL: {exc}")]) from None
    body = parts(tree)[0] if parts(tree) else Tree("body", [])
    blocks, attributes = _body(body, file)
    if attributes:
        first = next(iter(attributes.values()))
        raise ScenarioError(
            file,
            [Problem((first.name,), "an attribute outside any block is not Terraform", first.line)],
        )
    return blocks


def _body(body: Tree[Token], file: str) -> tuple[list[Block], dict[str, Attribute]]:
    blocks: list[Block] = []
    attributes: dict[str, Attribute] = {}
    for item in parts(body):
        if item.data == "attribute":
            name = _name(item.children[0])
            expression = item.children[-1]
            line = line_of(item)
            if name in attributes:
                raise ScenarioError(
                    file,
                    [
                        Problem(
                            (name,),
                            f"attribute {name!r} is written twice (first on line "
                            f"{attributes[name].line})",
                            line,
                        )
                    ],
                )
            assert isinstance(expression, Tree)
            attributes[name] = Attribute(name, expression, line)
        elif item.data == "block":
            labels: list[str] = []
            inner: Tree[Token] = Tree("body", [])
            for child in item.children[1:]:
                if isinstance(child, Tree) and child.data == "body":
                    inner = child
                elif isinstance(child, Tree) and child.data in ("string", "identifier"):
                    labels.append(_name(child))
            nested, own = _body(inner, file)
            blocks.append(
                Block(_name(item.children[0]), tuple(labels), own, nested, line_of(item), file)
            )
    return blocks, attributes


def _name(node: Tree[Token] | Token) -> str:
    """The text of an identifier, keyword or quoted label."""
    if isinstance(node, Token):
        return str(node.value)
    if node.data == "string":
        return "".join(_name(child) for child in node.children if isinstance(child, Tree))
    return "".join(
        str(child.value) if isinstance(child, Token) else _name(child) for child in node.children
    ).strip('"')


def parse_expression(text: str) -> Tree[Token] | None:
    """The expression ``text`` (a ``--var`` value), or None when it is not one."""
    try:
        tree = hcl2.parses_to_tree(f"value = {text}\n")
    except (LarkError, RecursionError, ValueError, RuntimeError):
        return None
    body = parts(tree)
    attributes = parts(body[0]) if body else []
    if len(attributes) != 1 or attributes[0].data != "attribute":
        return None
    expression = attributes[0].children[-1]
    return expression if isinstance(expression, Tree) else None
