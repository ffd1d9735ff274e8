"""The Simulator is the only door: nothing outside it reaches the service, the engine or the state.

Front ends (cli, http, scenario, review, coverage, workspace, bench, testing...) go through
``engine.simulator.Simulator``: ``call``, ``state``, ``fork``, ``client`` and friends. Only
``engine/simulator.py``, ``engine/service/``, ``engine/sim/`` and ``engine/api/`` may import the
service, the escalation engine or the runtime state, or touch a simulator's private parts.
Imports inside functions and under ``TYPE_CHECKING`` count as much as those at the top.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[3] / "engine"
ALLOWED = ("engine/simulator.py", "engine/service/", "engine/sim/", "engine/api/")
# The service, the escalation engine and its runtime state; the core's building blocks
# (engine.sim.responders, .rng, .recorder, .records) are public.
CLOSED = ("engine.service", "engine.sim.escalation", "engine.sim.state")
# Attributes that reach inside a Simulator, a Service or a Context.
PRIVATE = {"_service", "_engine", "service", "engine", "namespace"}
# The pattern the project's architecture figures count as a reach past the Simulator.
REACH = re.compile(r"\.service\.(call|engine|state|_)|\bservice\.engine\b|sim\.service\b")


def _outside() -> list[Path]:
    paths = []
    for path in sorted(ENGINE.rglob("*.py")):
        relative = path.relative_to(ENGINE.parent).as_posix()
        if not relative.startswith(ALLOWED):
            paths.append(path)
    return paths


def _reaches(source: str) -> list[str]:
    found = [
        f"line {source.count(chr(10), 0, m.start()) + 1}: {m[0]}" for m in REACH.finditer(source)
    ]
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            found.append(f"line {node.lineno}: .{node.attr}")
        for name in names:
            if any(name == closed or name.startswith(closed + ".") for closed in CLOSED):
                found.append(f"line {node.lineno}: imports {name}")
    return found


@pytest.mark.parametrize(
    "path", _outside(), ids=[p.relative_to(ENGINE.parent).as_posix() for p in _outside()]
)
def test_nothing_outside_the_simulator_reaches_the_service_or_the_engine(path: Path) -> None:
    assert _reaches(path.read_text(encoding="utf-8")) == []


def test_the_door_test_sees_each_kind_of_reach() -> None:
    source = (
        "def f(sim):\n"
        "    from engine.sim.state import Namespace\n"
        "    return sim.service.namespaces, sim._engine.responders\n"
    )
    assert sorted(_reaches(source)) == [
        "line 2: imports engine.sim.state",
        "line 2: imports engine.sim.state.Namespace",
        "line 3: ._engine",
        "line 3: .service",
        "line 3: sim.service",
    ]
