"""Problems with a scenario file, each naming the file, the line, the field path and the value.

A :class:`ScenarioError` carries every problem found in one pass, so a user fixes a file in one
go. Front ends print :meth:`ScenarioError.lines` and exit with :attr:`ScenarioError.exit_code`:
253 for a file that cannot be used, 252 for a setting (knob) out of range, as the command line
does for ``--set``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from engine.scenario.paths import FieldPath, format_path

__all__ = ["BAD_FILE", "BAD_SETTING", "Problem", "ScenarioError"]

BAD_FILE = 253
BAD_SETTING = 252

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
    """A scenario file that cannot be run as written."""

    def __init__(self, file: str, problems: list[Problem], exit_code: int = BAD_FILE) -> None:
        self.file = file
        self.problems = problems
        self.exit_code = exit_code
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, each naming the file and, when known, line and path."""
        return [problem.describe(self.file) for problem in self.problems]
