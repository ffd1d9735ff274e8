"""escsim's pytest hooks for scenario files, and fixtures for scenario tests written in Python.

Each file matching the ini option ``escsim_scenario_glob`` (default ``*.scenario.yaml``) is a
collector with one item per scenario, named after it. A malformed file is a collection error
naming file, line and field path; a run that does not go as written fails with each
expectation's ``file:line`` and a diff. ``--scenario-seed N`` overrides every seed. Fixtures:
``escsim_simulator`` and ``run_scenario``. Registered through the ``pytest11`` entry point or
``-p engine.scenario.plugin``, it tolerates being registered under both names.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from engine.knobs import KnobError
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.expect.checks import Check
from engine.scenario.expect.compile import compile_checks
from engine.scenario.expect.report import (
    ScenarioMismatch,
    ScenarioReport,
    check_scenario,
    scenario_line,
)
from engine.scenario.loader import Scenario, load_file, load_text
from engine.scenario.runner import build_simulator
from engine.timeutil import FIXED_START

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr, TracebackStyle

    from engine.simulator import Simulator

__all__ = [
    "escsim_simulator",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "run_scenario",
]

GLOB_OPTION = "escsim_scenario_glob"
DEFAULT_GLOB = "*.scenario.yaml"
SEED_DEST = "escsim_scenario_seed"
DEFAULT_START = FIXED_START
"""Start instant of ``escsim_simulator`` unless the test gives one: a fixed instant keeps
tests repeatable (docs/semantics.md T0 would otherwise take the wall clock)."""

_OPTIONS_ADDED = "_escsim_scenario_options"


# --- Hooks ----------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    if getattr(parser, _OPTIONS_ADDED, False):
        return  # registered a second time under another name
    setattr(parser, _OPTIONS_ADDED, True)
    parser.addini(
        GLOB_OPTION,
        type="args",
        default=[DEFAULT_GLOB],
        help=f"file name patterns of escsim scenario files to collect (default: {DEFAULT_GLOB})",
    )
    group = parser.getgroup("escsim", "escsim scenario files")
    group.addoption(
        "--scenario-seed",
        type=int,
        dest=SEED_DEST,
        metavar="N",
        default=None,
        help="run every escsim scenario with seed N instead of the seed its file gives",
    )


def pytest_configure(config: pytest.Config) -> None:
    seed = config.getoption(SEED_DEST, None)
    if seed is not None and seed < 0:
        raise pytest.UsageError(f"--scenario-seed must be zero or more (got {seed})")
    config.addinivalue_line(
        "markers", "escsim_scenario: a test item collected from an escsim scenario file"
    )


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(
    file_path: Path, parent: pytest.Collector
) -> Generator[None, list[pytest.Collector | None], list[pytest.Collector | None]]:
    # Adds the file's node unless an inner copy of this module (registered under two names)
    # did. Per call, not per file: pytest collects a folder again for each file of it named on
    # the command line, and each of those calls must yield the node.
    collected = yield
    patterns = parent.config.getini(GLOB_OPTION) or [DEFAULT_GLOB]
    if not any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns):
        return collected
    if any(isinstance(node, ScenarioFileNode) and node.path == file_path for node in collected):
        return collected
    node: ScenarioFileNode = ScenarioFileNode.from_parent(parent, path=file_path)
    return [*collected, node]


# --- Collection -----------------------------------------------------------------------------------


def _shown_path(path: Path, config: pytest.Config) -> str:
    """The path as the user would type it from where pytest was started."""
    try:
        return os.path.relpath(path, config.invocation_params.dir)
    except ValueError:
        return str(path)


def _error_text(error: BaseException) -> str | None:
    if isinstance(error, ScenarioError):
        return "\n".join(error.lines())
    if isinstance(error, KnobError):
        return f"bad setting: {error}"
    return None


class ScenarioFileNode(pytest.File):
    """A scenario file: one item per scenario, after checking the whole file."""

    def collect(self) -> Iterator[ScenarioItem]:
        scenarios = load_file(_shown_path(self.path, self.config))
        compiled = compile_checks(scenarios)
        for scenario in scenarios:
            # The organisation's AWS field rules are checked by its import: a file that
            # breaks them is malformed, so it fails here rather than when the item runs.
            build_simulator(scenario)
        for scenario, checks in zip(scenarios, compiled, strict=True):
            item: ScenarioItem = ScenarioItem.from_parent(
                self, name=scenario.name, scenario=scenario, checks=checks
            )
            item.add_marker("escsim_scenario")
            yield item

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str | TerminalRepr:  # type: ignore[override]
        text = _error_text(excinfo.value)
        if text is not None:
            return text
        return super().repr_failure(excinfo)


class ScenarioItem(pytest.Item):
    """One scenario of a file: run it and check it against its file."""

    def __init__(self, *, scenario: Scenario, checks: tuple[Check, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.checks = checks

    def runtest(self) -> None:
        report = check_scenario(
            self.scenario, checks=self.checks, seed=self.config.getoption(SEED_DEST, None)
        )
        if not report.passed:
            raise ScenarioMismatch(report)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: TracebackStyle | None = None,
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, ScenarioMismatch):
            return excinfo.value.report.text()
        text = _error_text(excinfo.value)
        if text is not None:
            return text
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, scenario_line(self.scenario) - 1, f"scenario: {self.name}"


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def escsim_simulator(request: pytest.FixtureRequest) -> Simulator:
    """A fresh Simulator: seed 0 (or ``--scenario-seed``), start 2026-01-01T00:00:00Z.

    Indirect parametrisation passes other ``Simulator`` keyword arguments, knobs included::

        @pytest.mark.parametrize("escsim_simulator", [{"seed": 3, "repeat": 1}], indirect=True)
    """
    # Imported here: pytest loads this plugin in every session, most of which build none.
    from engine.simulator import Simulator

    param: Any = getattr(request, "param", None)
    if param is not None and not isinstance(param, Mapping):
        raise TypeError(
            "escsim_simulator takes Simulator keyword arguments (a dict) when parametrised, "
            f"not {param!r}"
        )
    seed = request.config.getoption(SEED_DEST, None)
    options: dict[str, Any] = {"seed": 0 if seed is None else seed, "start": DEFAULT_START}
    options.update(param or {})
    return Simulator(**options)


class ScenarioRunner:
    """``run_scenario(source, name=None, *, seed=None, settings=None, check=True)``.

    ``source``: a path (relative to the test file's folder, else the rootdir) or YAML text (a string
    with a line break); ``name`` picks one scenario. Returns the ScenarioReport; with ``check`` a
    run that does not go as written raises ScenarioMismatch (an AssertionError)."""

    def __init__(self, base: Path, rootdir: Path, seed: int | None) -> None:
        self.base = base
        self.rootdir = rootdir
        self.seed = seed

    def __call__(
        self,
        source: str | os.PathLike[str],
        name: str | None = None,
        *,
        seed: int | None = None,
        settings: Mapping[str, Any] | None = None,
        check: bool = True,
    ) -> ScenarioReport:
        scenarios = self.load(source)
        compiled = compile_checks(scenarios)  # every scenario of the file, as collection does
        scenario, checks = self._pick(list(zip(scenarios, compiled, strict=True)), name)
        report = check_scenario(
            scenario, checks=checks, seed=self.seed if seed is None else seed, settings=settings
        )
        if check and not report.passed:
            raise ScenarioMismatch(report)
        return report

    def load(self, source: str | os.PathLike[str]) -> list[Scenario]:
        """Every scenario of ``source`` (a path or YAML text). Raises ScenarioError."""
        if isinstance(source, str) and "\n" in source:
            return load_text(source, "<scenario text>")
        path = Path(source)
        if not path.is_absolute():
            beside = self.base / path
            path = beside if beside.exists() else self.rootdir / path
        return load_file(path)

    @staticmethod
    def _pick(
        scenarios: list[tuple[Scenario, tuple[Check, ...]]], name: str | None
    ) -> tuple[Scenario, tuple[Check, ...]]:
        if name is None and len(scenarios) == 1:
            return scenarios[0]
        names = [scenario.name for scenario, _ in scenarios]
        chosen = [entry for entry in scenarios if entry[0].name == name]
        if not chosen:
            file = scenarios[0][0].file if scenarios else "the source"
            wanted = "a name" if name is None else f"one of its names, not {name!r}"
            raise ScenarioError(
                file,
                [Problem((), f"holds scenarios {', '.join(names)}: pass {wanted}")],
            )
        return chosen[0]


@pytest.fixture
def run_scenario(request: pytest.FixtureRequest) -> ScenarioRunner:
    """Run and check a scenario from a Python test (:class:`ScenarioRunner`); ``--scenario-seed``
    applies unless a seed is passed."""
    return ScenarioRunner(
        request.path.parent, request.config.rootpath, request.config.getoption(SEED_DEST, None)
    )
