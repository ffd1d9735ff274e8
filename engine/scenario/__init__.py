"""Scenario files (``*.scenario.yaml``): ``load_file`` (compiled scenarios, or ``ScenarioError``
naming file, line, field path and value), ``run_scenario`` (a ``RunOutcome``), ``check_scenario``
(a ``ScenarioReport`` against ``expect:``) and ``scenario_schema``. Names resolve lazily so that
importing the package (for its errors) stays cheap.
"""

from __future__ import annotations

from typing import Any

from engine.scenario.errors import Problem, ScenarioError

__all__ = [
    "Problem",
    "RunOutcome",
    "Scenario",
    "ScenarioError",
    "ScenarioReport",
    "StepOutcome",
    "check_scenario",
    "load_file",
    "load_text",
    "run_scenario",
    "scenario_schema",
]

_LAZY = {
    "Scenario": "engine.scenario.loader",
    "load_file": "engine.scenario.loader",
    "load_text": "engine.scenario.loader",
    "RunOutcome": "engine.scenario.runner",
    "StepOutcome": "engine.scenario.runner",
    "run_scenario": "engine.scenario.runner",
    "scenario_schema": "engine.scenario.schema",
    "ScenarioReport": "engine.scenario.expect.report",
    "check_scenario": "engine.scenario.expect.report",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'engine.scenario' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
