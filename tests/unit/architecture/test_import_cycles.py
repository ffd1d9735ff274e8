"""engine/ imports without a circle: every module's imports, drawn as Python runs them.

The graph holds an edge for every import anywhere in a module (top level, inside functions,
under ``TYPE_CHECKING``), for every string naming an engine module (``importlib`` calls and lazy
maps such as ``engine.cli.main.COMMANDS`` and the ``__getattr__`` maps of ``engine``,
``engine.http`` and ``engine.scenario``), and from an importer to the packages above the
module it imports, whose ``__init__`` runs first. A circle is named module by module, each
step with the file and line of its import.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[3]


def module_names(root: Path, package: str = "engine") -> dict[str, Path]:
    """Module name -> file, for every module of ``package`` under ``root``."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _packages_above(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def import_graph(root: Path, package: str = "engine") -> nx.DiGraph:
    """The import graph of ``package``; each edge's ``at`` is ``file:line`` of the import."""
    modules = module_names(root, package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        imported: list[tuple[str, int]] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported += [(alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here[: len(here) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                imported.append((base, node.lineno))
                imported += [(f"{base}.{alias.name}", node.lineno) for alias in node.names]
            elif isinstance(node, ast.Constant) and node.value in modules:
                imported.append((str(node.value), node.lineno))
        own = {*_packages_above(module), module}
        for name, line in imported:
            target = known(name)
            if target is None:
                continue
            for needed in (*_packages_above(target), target):
                if needed not in own and not graph.has_edge(module, needed):
                    graph.add_edge(module, needed, at=f"{path.relative_to(root)}:{line}")
    return graph


@functools.cache
def engine_graph() -> nx.DiGraph:
    return import_graph(ROOT)


def describe(graph: nx.DiGraph, cycle: list[str]) -> str:
    steps = zip(cycle, [*cycle[1:], cycle[0]], strict=True)
    return " -> ".join(f"{a} ({graph.edges[a, b]['at']})" for a, b in steps) + f" -> {cycle[0]}"


def test_engine_has_no_import_circle() -> None:
    graph = engine_graph()
    circles = [describe(graph, cycle) for cycle in nx.simple_cycles(graph)]
    assert circles == [], "import circles:\n" + "\n".join(sorted(circles, key=len))


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("engine", "engine.simulator"),  # inside __getattr__
        ("engine.cli.main", "engine.cli.run"),  # a string of COMMANDS
        ("engine.scenario", "engine.scenario.runner"),  # a string of _LAZY
        ("engine.http", "engine.http.server"),  # under TYPE_CHECKING, and in _HOMES
        ("engine.cli.run", "engine.scenario.loader"),  # inside a function
        ("engine.cli.run", "engine.scenario"),  # the package whose __init__ runs first
    ],
)
def test_the_graph_sees_every_kind_of_import(importer: str, imported: str) -> None:
    assert engine_graph().has_edge(importer, imported)


def test_a_circle_through_a_function_level_import_is_named(tmp_path: Path) -> None:
    package = tmp_path / "engine"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from engine import b\n")
    (package / "b.py").write_text("def f():\n    import engine.c\n")
    (package / "c.py").write_text("MAP = {'x': 'engine.a'}\n")
    graph = import_graph(tmp_path)
    [cycle] = nx.simple_cycles(graph)
    text = describe(graph, cycle)
    assert "engine.b (engine/b.py:2)" in text and "engine.c (engine/c.py:1)" in text
