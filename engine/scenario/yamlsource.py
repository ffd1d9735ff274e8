"""Reading a YAML file with ``yaml.safe_load`` semantics while remembering where each field is.

:func:`read_source` returns the loaded data together with the line of every mapping key and list
item, so that later stages can point an error at ``file:line``. Duplicate keys, which PyYAML
would silently collapse, are reported as errors.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath, lookup

__all__ = ["Source", "parse_source", "read_source"]

_MERGE_TAG = "tag:yaml.org,2002:merge"


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


class _TrackingLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (merge keys ``<<`` excepted)."""

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


def read_source(path: str | Path) -> Source:
    """Read and parse ``path``. Raises ScenarioError for an unreadable file or invalid YAML."""
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
    return parse_source(text, file)


def parse_source(text: str, file: str = "<string>") -> Source:
    """Parse YAML ``text`` read from ``file``. Raises ScenarioError for invalid YAML."""
    loader = _TrackingLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        lines: dict[FieldPath, int] = {}
        if node is not None:
            _record_lines(loader, node, (), lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "cannot parse"
        raise ScenarioError(file, [Problem((), f"invalid YAML: {problem}", line)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(file, [Problem((), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Source(file, data, lines)


def _record_lines(
    loader: yaml.SafeLoader, node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int]
) -> None:
    # A node reached through an anchor is recorded at every path it appears under; the guard
    # on depth keeps a self-referencing alias from recursing for ever.
    if len(path) > 64:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key = loader.construct_object(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key)
            child = (*path, key)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _record_lines(loader, value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(loader, item, (*path, index), lines)
