"""Reading a YAML file with ``yaml.safe_load`` semantics while remembering where each field is.

:func:`read_source` returns the data with the line of every mapping key and list item. Duplicate
keys, documents nesting too deeply or expanding through aliases into too many values ("billion
laughs"), and numbers or dates Python cannot hold are errors at their field and line.

libyaml (PyYAML's C parser) reads ten times faster than the pure-Python one; a document is read
with it first and, when that fails in any way or libyaml is missing, again with the Python
parser, so every error keeps the one wording and line it has always had.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath, lookup

__all__ = ["Dialect", "Source", "TagConstructor", "dialect", "parse_source", "read_source"]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
#: Values a document may hold once its aliases are expanded; a scenario needs far fewer.
MAX_VALUES = 1_000_000
#: How deeply values may nest; scenario files nest a dozen levels at most.
MAX_DEPTH = 100


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """A loaded YAML document: ``data`` and the 1-based line of each path inside it."""

    file: str
    data: Any
    lines: dict[FieldPath, int]

    def line_of(self, path: FieldPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def problem(self, path: FieldPath, message: str, *, with_value: bool = False) -> Problem:
        """A :class:`Problem` at ``path`` with its line; ``with_value`` adds the value found."""
        if with_value:
            found, value = lookup(self.data, path)
            if found and not isinstance(value, dict | list):
                return Problem(path, message, self.line_of(path), value)
        return Problem(path, message, self.line_of(path))


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _BadScalar(yaml.MarkedYAMLError):
    """A scalar YAML reads as a number or a date that Python cannot hold (``node`` says where)."""

    def __init__(self, node: yaml.Node, problem: str) -> None:
        super().__init__(None, None, problem, node.start_mark)
        self.node = node


def _checked_scalar(kind: str) -> Any:
    """The safe constructor of ``kind`` (int or timestamp), turning its ValueError into a
    :class:`_BadScalar` that names the value, so that the problem gets its field and line."""
    constructor = getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{kind}")

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            value = constructor(loader, node)
        except (ValueError, OverflowError) as exc:
            raise _BadScalar(node, _scalar_problem(kind, exc)) from None
        if kind == "int" and abs(value) >= _TOO_LARGE:  # hexadecimal is read past the limit
            raise _BadScalar(node, _scalar_problem(kind, None))
        return value

    return construct


#: Python reads and writes integers of at most 4300 decimal digits.
_TOO_LARGE = 10**4300


def _scalar_problem(kind: str, exc: Exception | None) -> str:
    if kind == "int":
        return "a number of more than 4300 digits is too large to read"
    reason = str(exc)
    if reason.startswith("offset must be"):
        reason = "the UTC offset must lie between -23:59 and +23:59"
    return f"not a valid date and time: {reason}"


class _RefuseDuplicates(yaml.constructor.SafeConstructor):
    """The safe constructor, refusing duplicate keys (merge keys ``<<`` excepted)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise _DuplicateKey(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


for _kind in ("int", "timestamp"):
    _RefuseDuplicates.add_constructor(f"tag:yaml.org,2002:{_kind}", _checked_scalar(_kind))


class _TrackingLoader(_RefuseDuplicates, yaml.SafeLoader):
    """PyYAML's pure-Python SafeLoader, refusing duplicate keys."""


_CSafeLoader: Any = getattr(yaml, "CSafeLoader", None)
_FastLoader: Any = (
    None if _CSafeLoader is None else type("_FastLoader", (_RefuseDuplicates, _CSafeLoader), {})
)
"""libyaml's SafeLoader refusing duplicate keys, when PyYAML was built with libyaml."""

TagConstructor = Callable[[yaml.constructor.SafeConstructor, yaml.Node], Any]
"""Builds the value of a node carrying a local tag (``!Ref name``) from that node."""


@dataclasses.dataclass(frozen=True)
class Dialect:
    """YAML with extra local tags: the two loaders that read it and, for each tag whose value
    is ``{key: <the node's value>}``, that key, so lines are recorded at the data's paths."""

    fast: Any
    slow: Any
    wraps: Mapping[str, str]


def dialect(constructors: Mapping[str, TagConstructor], wraps: Mapping[str, str]) -> Dialect:
    """A :class:`Dialect` reading the tags of ``constructors`` (``{"!Ref": build, ...}``);
    ``wraps`` names the key each tag's value is stored under in the data."""
    fast: Any = None if _FastLoader is None else type("_DialectFast", (_FastLoader,), {})
    slow: Any = type("_DialectSlow", (_TrackingLoader,), {})
    for tag, build in constructors.items():
        for loader in (fast, slow):
            if loader is not None:
                loader.add_constructor(tag, build)
    return Dialect(fast, slow, dict(wraps))


_PLAIN = Dialect(_FastLoader, _TrackingLoader, {})


def read_source(path: str | Path, *, using: Dialect | None = None) -> Source:
    """Read and parse ``path`` (in the YAML dialect ``using``, plain YAML by default). Raises
    ScenarioError for an unreadable file or invalid YAML."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(file, [Problem((), "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError(file, [Problem((), "is a directory, not a scenario file")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(file, [Problem((), f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError(file, [Problem((), f"cannot read: {exc.strerror}")]) from None
    return parse_source(text, file, using=using)


def parse_source(text: str, file: str = "<string>", *, using: Dialect | None = None) -> Source:
    """Parse YAML ``text`` read from ``file``. Raises ScenarioError for invalid YAML."""
    flavour = using or _PLAIN
    try:
        yaml.reader.Reader(text)  # the characters YAML allows, checked as the Python parser does
    except yaml.reader.ReaderError:
        pass  # reported below, in the Python parser's words
    else:
        if flavour.fast is not None:
            fast = flavour.fast(text)
            try:
                return _load(fast, text, file, flavour.wraps)
            except Exception:  # the Python parser decides what is wrong, and says it
                pass
            finally:
                fast.dispose()
    return _parse_slowly(text, file, flavour)


def _load(loader: Any, text: str, file: str, wraps: Mapping[str, str]) -> Source:
    """The document ``loader`` reads, with its size checked and the line of every field."""
    node = loader.get_single_node()
    if node is not None:
        _check_size(node, file)
    try:
        data = loader.construct_document(node) if node is not None else None
    except _BadScalar as exc:
        assert node is not None
        line = exc.node.start_mark.line + 1
        bad = Problem(_path_to(node, exc.node) or (), exc.problem or "", line, exc.node.value)
        raise ScenarioError(file, [bad]) from None
    lines: dict[FieldPath, int] = {}
    if node is not None:
        _record_lines(loader, node, (), lines, wraps)
    return Source(file, data, lines)


def _parse_slowly(text: str, file: str, flavour: Dialect) -> Source:
    """Parse with PyYAML's pure-Python parser, turning its errors into ScenarioErrors."""
    try:
        loader = flavour.slow(text)
    except yaml.reader.ReaderError as exc:  # the reader checks every character up front
        at = text.count("\n", 0, exc.position) + 1
        problem = f"invalid YAML: character #x{exc.character:04x} is not allowed in YAML text"
        raise ScenarioError(file, [Problem((), problem, at)]) from None
    try:
        return _load(loader, text, file, flavour.wraps)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "cannot parse"
        raise ScenarioError(file, [Problem((), f"invalid YAML: {problem}", line)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, [Problem((), f"invalid YAML: {exc}")]) from None
    except RecursionError:  # the YAML composer recurses once per level of nesting
        problem = f"the document nests deeper than {MAX_DEPTH} levels"
        raise ScenarioError(file, [Problem((), problem)]) from None
    finally:
        loader.dispose()


def _check_size(root: yaml.Node, file: str) -> None:
    """Refuse a document deeper than MAX_DEPTH or holding more than MAX_VALUES values once
    expanded, counting each node once however many aliases share it (no recursion).

    Scalars, most of a document, are counted where they appear instead of being visited."""
    measured: dict[int, tuple[int, int]] = {}  # id(collection) -> (values, depth)
    entered: set[int] = set()
    pending: list[tuple[yaml.Node, list[yaml.Node] | None]] = [(root, None)]
    while pending:
        node, children = pending.pop()
        if children is not None:  # every child is measured: measure the node
            entered.discard(id(node))
            values = depth = 0
            for child in children:
                found = measured.get(id(child), (1, 1))  # scalars are not stored
                values += found[0]
                depth = max(depth, found[1])
            values += 1
            depth += 1
            if depth > MAX_DEPTH:
                line = node.start_mark.line + 1
                problem = f"the document nests deeper than {MAX_DEPTH} levels"
                raise ScenarioError(file, [Problem((), problem, line)])
            if values > MAX_VALUES:
                problem = (
                    f"the document expands through YAML aliases to more than {MAX_VALUES} values"
                )
                raise ScenarioError(file, [Problem((), problem, node.start_mark.line + 1)])
            measured[id(node)] = (values, depth)
            continue
        if id(node) in measured or isinstance(node, yaml.ScalarNode):
            continue
        children = _children(node)
        entered.add(id(node))
        pending.append((node, children))
        for child in children:
            if isinstance(child, yaml.ScalarNode):
                continue
            if id(child) in entered:
                problem = "an alias refers to a value that contains it"
                raise ScenarioError(file, [Problem((), problem, child.start_mark.line + 1)])
            if id(child) not in measured:
                pending.append((child, None))


def _path_to(root: yaml.Node, target: yaml.Node) -> FieldPath | None:
    """The field path at which ``target`` sits under ``root`` (keys as written), if it does."""
    pending: list[tuple[yaml.Node, FieldPath]] = [(root, ())]
    seen: set[int] = set()
    while pending:
        node, path = pending.pop()
        if node is target:
            return path
        if id(node) in seen or len(path) > MAX_DEPTH:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                if key_node is target:
                    return path
                pending.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((item, (*path, index)) for index, item in enumerate(node.value))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _record_lines(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: FieldPath,
    lines: dict[FieldPath, int],
    wraps: Mapping[str, str],
) -> None:
    # A node reached through an anchor is recorded at every path it appears under; the guard
    # on depth keeps a self-referencing alias from recursing for ever.
    if len(path) > 64:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    wrapper = wraps.get(node.tag)
    if wrapper is not None:  # ``!Join [...]`` is ``{"Fn::Join": [...]}`` in the data
        path = (*path, wrapper)
        lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            if key_node.tag == _STR_TAG:
                key: Any = key_node.value  # what the constructor makes of it, without it
            else:
                key = loader.construct_object(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key)
            child = (*path, key)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _record_lines(loader, value_node, child, lines, wraps)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(loader, item, (*path, index), lines, wraps)
