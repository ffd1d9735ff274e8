"""Running a scenario and checking it against what it says should happen.

:func:`check_scenario` runs one compiled scenario and returns a :class:`ScenarioReport`: every
script step that did not go as written and every expectation of ``expect:`` that the run did
not meet, each a :class:`~engine.scenario.expect.checks.Mismatch` naming the file, the line and
the field path, with a readable expected-against-actual body. The pytest plugin, ``escsim test``
and the ``run_scenario`` fixture all go through here, so they agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from engine.scenario.expect.checks import Check, Mismatch
from engine.scenario.expect.compile import compile_checks
from engine.scenario.expect.facts import collect_facts
from engine.scenario.loader import Scenario
from engine.scenario.paths import format_path
from engine.scenario.runner import RunOutcome, run_scenario

__all__ = [
    "Mismatch",
    "ScenarioMismatch",
    "ScenarioReport",
    "check_run",
    "check_scenario",
    "scenario_line",
]


def scenario_line(scenario: Scenario) -> int:
    """The line of the scenario in its file: its ``name:``, or its entry under ``scenarios:``."""
    path = scenario.path or ("name",)
    return scenario.source.line_of(path) or 1


@dataclasses.dataclass
class ScenarioReport:
    """One scenario run and checked."""

    scenario: Scenario
    outcome: RunOutcome
    mismatches: list[Mismatch]

    @property
    def passed(self) -> bool:
        return not self.mismatches

    @property
    def title(self) -> str:
        """``scenario 'name' (file:line)``."""
        scenario = self.scenario
        return f"scenario {scenario.name!r} ({scenario.file}:{scenario_line(scenario)})"

    def text(self) -> str:
        """The whole report as plain text: a heading, then each mismatch with its body."""
        if self.passed:
            return f"{self.title}: as expected"
        count = len(self.mismatches)
        lines = [f"{self.title} did not go as expected: {count} problem(s)"]
        for mismatch in self.mismatches:
            lines.append("")
            lines.append(mismatch.heading(self.scenario.file))
            lines.extend(mismatch.body)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        scenario = self.scenario
        return {
            "File": scenario.file,
            "Scenario": scenario.name,
            "Line": scenario_line(scenario),
            "Seed": self.outcome.simulator.seed,
            "Passed": self.passed,
            "Mismatches": [mismatch.as_dict() for mismatch in self.mismatches],
        }


class ScenarioMismatch(AssertionError):
    """A scenario whose run did not go as its file says; ``str()`` is the readable report."""

    def __init__(self, report: ScenarioReport) -> None:
        super().__init__(report.text())
        self.report = report


def check_run(outcome: RunOutcome, checks: Sequence[Check]) -> list[Mismatch]:
    """Every step that did not go as written and every check not met, in file order."""
    mismatches = [
        Mismatch(
            step.step.path,
            step.step.line,
            f"{step.step.operation}: {step.failure()}",
        )
        for step in outcome.steps
        if not step.ok
    ]
    if checks:
        facts = collect_facts(outcome)
        for check in checks:
            mismatches.extend(check.evaluate(facts))
    return sorted(mismatches, key=lambda m: (m.line or 0, format_path(m.path)))


def check_scenario(
    scenario: Scenario,
    *,
    checks: Sequence[Check] | None = None,
    seed: int | None = None,
    settings: Mapping[str, Any] | None = None,
) -> ScenarioReport:
    """Run ``scenario`` (``seed`` and ``settings`` override the file's) and check it against
    ``checks`` (compiled here when not given). A run that does not go as written is a report with
    mismatches; ScenarioError and KnobError are raised for a file or setting that cannot run."""
    if checks is None:
        [checks] = compile_checks([scenario])
    outcome = run_scenario(scenario, seed=seed, settings=settings)
    return ScenarioReport(scenario, outcome, check_run(outcome, checks))
