"""Problems with a scenario file, each naming the file, the line, the field path and the value.

A :class:`ScenarioError` carries every problem found in one pass, so a user fixes a file in one
go. Front ends print :meth:`ScenarioError.lines`; the command line exits 253 for a file that
cannot be used, and 252 when every problem is a setting (knob) out of range
(:attr:`ScenarioError.settings`), as it does for ``--set``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from engine.scenario.paths import FieldPath, format_path

__all__ = ["Problem", "ScenarioError", "unique"]

_NO_VALUE = object()


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong at ``path`` (line ``line`` of the file when known)."""

    path: FieldPath
    message: str
    line: int | None = None
    value: Any = _NO_VALUE

    @property
    def has_value(self) -> bool:
        return self.value is not _NO_VALUE

    def describe(self, file: str) -> str:
        """``file:line: path: message (got value)`` with the parts that are known."""
        where = f"{file}:{self.line}" if self.line is not None else file
        text = f"{where}: {format_path(self.path)}: " if self.path else f"{where}: "
        text += self.message
        if self.has_value:
            shown = repr(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            if shown not in self.message:
                text += f" (got {shown})"
        return text


class ScenarioError(Exception):
    """A scenario file that cannot be run as written; ``settings`` when only settings are wrong."""

    def __init__(self, file: str, problems: list[Problem], *, settings: bool = False) -> None:
        self.file = file
        self.problems = problems
        self.settings = settings
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, each naming the file and, when known, line and path."""
        return [problem.describe(self.file) for problem in self.problems]


def unique(problems: Iterable[Problem], file: str) -> list[Problem]:
    """Each problem once (as described in ``file``), in order: scenarios sharing a key would
    otherwise repeat its problems."""
    seen: dict[str, Problem] = {}
    for problem in problems:
        seen.setdefault(problem.describe(file), problem)
    return list(seen.values())
