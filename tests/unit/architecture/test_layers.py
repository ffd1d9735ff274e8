"""Imports flow one way (docs/architecture.md): a layer never imports a layer above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[3] / "engine"

# Lowest first. A module may import its own layer and the layers before it.
LAYERS: list[tuple[str, ...]] = [
    (
        "engine.errors",
        "engine.knobs",
        "engine.knob_option",
        "engine.timeutil",
        "engine.arns",
        "engine.safetext",
        "engine.sigv4",
        "engine.vocabulary",
        "engine.parallel",
    ),
    ("engine.domain", "engine.model"),
    ("engine.oncall",),
    ("engine.findings", "engine.graph", "engine.check"),
    ("engine.sim",),
    ("engine.service",),
    ("engine.api",),
    ("engine.simulator",),
    ("engine.coverage",),
    ("engine.scenario", "engine.testing", "engine.http", "engine.bench", "engine.workspace"),
    ("engine.policy", "engine.vendors", "engine.sources", "engine.console"),
    ("engine.review",),
    ("engine.cli", "engine.pytest_plugin"),
]
# engine.oncall is the pure shift algorithm: besides the layer order, it must not use simpy.
PURE = {"engine.oncall": ("engine.sim", "engine.service", "engine.simulator", "simpy")}


def _layer_of(module: str) -> int | None:
    for index, names in enumerate(LAYERS):
        if any(module == n or module.startswith(n + ".") for n in names):
            return index
    return None


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(ENGINE.rglob("*.py")):
        parts = path.relative_to(ENGINE.parent).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        out.append((name, path))
    return out


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_module_imports_only_its_own_layer_or_lower(module: str, path: Path) -> None:
    own = _layer_of(module)
    if own is None:
        return  # engine/__init__.py: the package's curated surface
    for imported in _imports(path):
        layer = _layer_of(imported)
        if layer is not None:
            assert layer <= own, f"{module} imports {imported}, a layer above it"
        for pure, banned in PURE.items():
            if module == pure or module.startswith(pure + "."):
                assert not any(imported == b or imported.startswith(b + ".") for b in banned), (
                    f"{module} must stay free of the simulation but imports {imported}"
                )
