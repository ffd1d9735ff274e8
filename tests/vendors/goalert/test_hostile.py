"""Any value anywhere in a GoAlert document gives a setup or a ScenarioError, never a traceback;
what is read writes back to itself."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.yamlsource import Source
from engine.vendors import goalert

Path = tuple[str | int, ...]
GARBAGE: tuple[object, ...] = (None, 0, -1, 10**6, True, "", "x", [], {}, [1], {"id": 1}, 1.5)


def _paths(value: object, path: Path = ()) -> Iterator[Path]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*path, key)
            yield from _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*path, index)
            yield from _paths(inner, (*path, index))


def test_every_field_replaced_by_every_kind_of_garbage(document: dict[str, Any]) -> None:
    paths = list(_paths(document))
    assert len(paths) > 300
    for path in paths:
        for garbage in GARBAGE:
            broken = copy.deepcopy(document)
            holder: Any = broken
            for key in path[:-1]:
                holder = holder[key]
            holder[path[-1]] = garbage
            try:
                # The data as parsed, without lines: the reading is what is under test.
                setup = goalert.read(Source("org.json", broken, {}), {})
            except ScenarioError as error:
                assert error.problems, (path, garbage)
            except Exception as error:
                pytest.fail(f"{path} = {garbage!r} raised {type(error).__name__}: {error}")
            else:
                # Whatever was read writes a document that reads back to the same setup.
                written, _ = goalert.write(setup)
                again = goalert.read(Source("written.json", written, {}), {})
                same = (again.people, again.policies, again.rotations, again.schedules)
                assert same == (setup.people, setup.policies, setup.rotations, setup.schedules), (
                    path,
                    garbage,
                )
