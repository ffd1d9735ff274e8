"""Every scenario's organisation, read into the neutral policy and written back, runs the same.

This is the proof that AWS contacts, plans and rotations map into the vendor-neutral model
without loss: the run's JSON output through the neutral model is byte-identical to the run of
the file as written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from engine.policy.aws import read_organisation, write_organisation
from engine.scenario.errors import ScenarioError
from engine.scenario.loader import Scenario, load_file
from engine.scenario.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "scenarios").rglob("*.scenario.yaml"))


def _output(scenario: Scenario) -> str:
    try:
        outcome = run_scenario(scenario)
    except ScenarioError as exc:
        return "\n".join(exc.lines())
    return json.dumps(outcome.result(), sort_keys=True, default=str)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_a_scenario_through_the_neutral_model_runs_byte_identically(path: Path) -> None:
    for scenario in load_file(path):
        setup = read_organisation(scenario.organisation)
        written = write_organisation(setup, scenario.account, scenario.region)
        assert written.settings == {} and written.notes == []
        organisation = dataclasses.replace(
            written.organisation,
            paths=scenario.organisation.paths,
            rotation_names=scenario.organisation.rotation_names,
            override_ids=scenario.organisation.override_ids,
            channel_names=scenario.organisation.channel_names,
        )
        through = dataclasses.replace(scenario, organisation=organisation)
        assert _output(through) == _output(scenario)
