"""The AWS CLI's shorthand syntax for structures, lists and maps: ``Key=value,Other=[a,b]``.

:func:`parse` reads the text without knowing the target shape (``a=b,c`` is ``{"a": ["b",
"c"]}``); :func:`fit_to_shape` then adjusts the result as the AWS CLI does: a single value where
the shape wants a list becomes a one-item list, and integers and booleans are converted. The
grammar, its error messages and its corner cases (escaped commas, quoted values, ``key@=file://``)
follow the AWS CLI version 2 so that a command line written for ``aws`` means the same here.
"""

from __future__ import annotations

import re
from typing import Any

from engine.cli.aws.paramfile import read_paramfile
from engine.cli.aws.shapes import Shape

__all__ = ["ShorthandError", "fit_to_shape", "parse", "supports_shorthand"]

# Characters a value may start with, and those that may follow in a first or a later value of a
# comma-separated list. Astral characters were never in the AWS CLI's classes; nor are they here.
_ASTRAL = "\U00010000-\U0010ffff"
_START = rf"[^\x00-\x20\"',=\[{{{_ASTRAL}]"
_FIRST_FOLLOW = rf"[^\x00-\x08\x0e-\x1b\"',\]}}{_ASTRAL}]"
_LATER_FOLLOW = rf"[^\x00-\x08\x0e-\x1b\"',={_ASTRAL}]"
_ESCAPED_COMMA = r"\\,"
_FIRST_VALUE = re.compile(rf"(?:{_ESCAPED_COMMA}|{_START})(?:{_ESCAPED_COMMA}|{_FIRST_FOLLOW})*")
_LATER_VALUE = re.compile(rf"(?:{_ESCAPED_COMMA}|{_START})(?:{_ESCAPED_COMMA}|{_LATER_FOLLOW})*")
_SINGLE_QUOTED = re.compile(r"'(?:\\'|[^'])*'")
_DOUBLE_QUOTED = re.compile(r'"(?:\\"|[^"])*"')
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.#/:")
_WHITESPACE = frozenset(" \t\n\r\x0b\x0c")
_REGEX_NAMES = {
    _FIRST_VALUE: "first",
    _LATER_VALUE: "second",
    _SINGLE_QUOTED: "singled quoted",
    _DOUBLE_QUOTED: "double quoted",
}


#: How deeply ``[...]`` and ``{...}`` may nest; no ssm-contacts input nests a tenth as deep.
MAX_DEPTH = 100


class ShorthandError(ValueError):
    """Text that is not valid shorthand; the message points at the offending character."""


def _pointer(text: str, index: int) -> str:
    """The text with a caret under ``index``, on the line where ``index`` falls."""
    consumed, remaining, column = text, "", index
    if "\n" in text[:index]:
        column = index - text[:index].rindex("\n") - 1
    if "\n" in text[index:]:
        line_end = index + text[index:].index("\n")
        consumed, remaining = text[:line_end], text[line_end:]
    return f"{consumed}\n{' ' * column}^{remaining}"


class _SyntaxError(ShorthandError):
    def __init__(self, text: str, expected: str, actual: str, index: int) -> None:
        super().__init__(
            f"Expected: '{expected}', received: '{actual}' for input:\n{_pointer(text, index)}"
        )


class _Parser:
    """A recursive-descent reader of one shorthand value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0
        self.read_files = False
        self.depth = 0

    # -- grammar -------------------------------------------------------------------------------

    def parameter(self) -> dict[str, object]:
        key = self.key_and_equals()
        result: dict[str, object] = {key: self.values()}
        last = self.index
        while self.index < len(self.text):
            self.expect(",", skip_space=True)
            key = self.key_and_equals()
            value = self.values()
            if key in result:
                raise ShorthandError(
                    f'Second instance of key "{key}" encountered for input:\n'
                    f"{_pointer(self.text, last + 1)}\n"
                    'This is often because there is a preceding "," instead of a space.'
                )
            result[key] = value
            last = self.index
        return result

    def key_and_equals(self) -> str:
        """A key, then ``=`` (``@=`` reads the values as files)."""
        start = self.index
        while not self.at_end() and self.text[self.index] in _KEY_CHARS:
            self.index += 1
        key = self.text[start : self.index]
        self.read_files = self.optional("@")
        self.expect("=", skip_space=True)
        return key

    def values(self) -> object:
        if self.at_end():
            return ""
        if self.current() in ("[", "{"):
            return self.explicit_value()
        first = self.scalar(_FIRST_VALUE)
        self.skip_space()
        if self.at_end() or self.text[self.index] != ",":
            return first
        self.expect(",", skip_space=True)
        items = [first]
        while True:
            try:
                item = self.scalar(_LATER_VALUE)
                self.skip_space()
                if self.at_end():
                    items.append(item)
                    break
                self.expect(",", skip_space=True)
                items.append(item)
            except _SyntaxError:
                # "a=b,c=d": what followed the comma was the next key; give the comma back.
                if self.at_end():
                    raise
                self.index = self.text.rindex(",", 0, self.index + 1)
                break
        return first if len(items) == 1 else items

    def explicit_value(self) -> object:
        """A ``[...]`` list, a ``{...}`` structure, or one value, inside brackets."""
        if self.current() not in ("[", "{"):
            return self.scalar(_FIRST_VALUE)
        closing = "]" if self.current() == "[" else "}"
        self.index += 1
        self.skip_space()
        self.depth += 1  # refused past MAX_DEPTH: the reader recurses once per level
        if self.depth > MAX_DEPTH:
            raise ShorthandError(
                f"the value nests deeper than {MAX_DEPTH} levels of [ ] and {{ }} "
                f"(at character {self.index})"
            )
        items: list[object] = []
        members: dict[str, object] = {}
        while self.current() != closing:
            if closing == "]":
                items.append(self.explicit_value())
            else:
                key = self.key_and_equals()
                members[key] = self.explicit_value()
            self.skip_space()
            if self.current() != closing:
                self.expect(",")
                self.skip_space()
        self.expect(closing)
        self.depth -= 1
        return items if closing == "]" else members

    def scalar(self, pattern: re.Pattern[str]) -> str:
        """One value: quoted, or matching ``pattern`` (a first value may be empty)."""
        quote = self.current()
        if quote in ("'", '"'):
            inner = self.must_match(_SINGLE_QUOTED if quote == "'" else _DOUBLE_QUOTED)[1:-1]
            value = inner.replace("\\" + quote, quote).replace("\\\\", "\\")
        elif pattern is _FIRST_VALUE and pattern.match(self.text, self.index) is None:
            return ""
        else:
            value = self.must_match(pattern).replace("\\,", ",").rstrip()
        if not self.read_files:
            return value
        contents = read_paramfile(value)
        return value if contents is None else contents

    # -- scanning ------------------------------------------------------------------------------

    def optional(self, char: str) -> bool:
        saved = self.index
        self.skip_space()
        if not self.at_end() and self.text[self.index] == char:
            self.index += 1
            self.skip_space()
            return True
        self.index = saved
        return False

    def expect(self, char: str, skip_space: bool = False) -> None:
        if skip_space:
            self.skip_space()
        actual = self.current()
        if actual != char:
            raise _SyntaxError(self.text, char, actual or "EOF", self.index)
        self.index += 1
        if skip_space:
            self.skip_space()

    def must_match(self, pattern: re.Pattern[str]) -> str:
        match = pattern.match(self.text, self.index)
        if match is None:
            raise _SyntaxError(self.text, f"<{_REGEX_NAMES[pattern]}>", "<none>", self.index)
        self.index = match.end()
        return match.group()

    def current(self) -> str | None:
        return self.text[self.index] if self.index < len(self.text) else None

    def at_end(self) -> bool:
        return self.index >= len(self.text)

    def skip_space(self) -> None:
        while not self.at_end() and self.text[self.index] in _WHITESPACE:
            self.index += 1


def parse(text: str) -> dict[str, object]:
    """The structure written in shorthand ``text``; raises :class:`ShorthandError`."""
    return _Parser(text).parameter()


def supports_shorthand(shape: Shape) -> bool:
    """Shorthand applies to structures, maps and lists of containers, not to scalar lists."""
    if shape.type_name == "list":
        return shape.member is not None and not shape.member.is_scalar
    return shape.type_name in ("structure", "map")


def fit_to_shape(value: Any, shape: Shape) -> Any:
    """``value`` (parsed shorthand) adjusted to ``shape``: lists wrapped, numbers and booleans read.

    Raises :class:`ShorthandError` when a value meant as an integer is not one.
    """
    kind = shape.type_name
    if kind == "structure":
        if isinstance(value, dict):
            for name, member in shape.members.items():
                if value.get(name) is not None:
                    value[name] = fit_to_shape(value[name], member)
        return value
    if kind == "list":
        if not isinstance(value, list):
            return [value]
        assert shape.member is not None
        return [fit_to_shape(item, shape.member) for item in value]
    if kind == "map":
        if isinstance(value, dict):
            assert shape.value is not None
            for key in value:
                if value[key] is not None:
                    value[key] = fit_to_shape(value[key], shape.value)
        return value
    if kind == "integer" and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ShorthandError(f"invalid literal for int() with base 10: {value!r}") from None
    if kind == "boolean" and isinstance(value, str):
        if value.lower() == "true":
            return True
        if value.lower() == "false":
            return False
    return value
