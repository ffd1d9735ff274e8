"""What every product's field reader shares: the problems found so far, raised as one error.

An importer reads a whole export before it gives up, so a user fixes a file in one go: each
product's typed field reader (``fields.py`` for PagerDuty, ``goalert_fields.py``,
``opsgenie_fields.py``, each in its product's own types and words) records a
:class:`~engine.scenario.errors.Problem` at the path of every wrong value and carries on, and
:meth:`FieldReader.raise_if_any` raises them all as one
:class:`~engine.scenario.errors.ScenarioError`.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source

__all__ = ["FieldReader", "Obj"]

Obj = Mapping[str, object]
"""One object (mapping of fields) of a parsed document."""


class FieldReader:
    """Reads ``source.data``; ``problems`` holds what was wrong, in reading order."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, path: FieldPath, message: str, *, with_value: bool = True) -> None:
        """Record a problem at ``path`` (with the value found there, when it is a plain value)."""
        self.problems.append(self.source.problem(path, message, with_value=with_value))

    def error(self) -> ScenarioError:
        """Every recorded problem as one ScenarioError, for a reader that cannot go on."""
        return ScenarioError(self.source.file, list(self.problems))

    def raise_if_any(self) -> None:
        """Raise every recorded problem as one ScenarioError."""
        if self.problems:
            raise self.error()

    def obj(self, value: object, path: FieldPath, what: str = "an object") -> Obj | None:
        """``value`` when it is a mapping with string keys, else a problem naming ``what``."""
        if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
            return value
        self.fail(path, f"must be {what}")
        return None
