"""Any organisation source as the vendor-neutral policy, for commands that translate between
products: another product's export read by its module, an AWS source (scenario file,
CloudFormation, Terraform, account) read as the engine reads it and then put in neutral terms."""

from __future__ import annotations

import dataclasses

from engine.policy.aws import read_organisation
from engine.policy.model import OnCallSetup
from engine.scenario.errors import Problem, ScenarioError
from engine.sources import detect, load_organisation, split_spec
from engine.sources.options import SourceOptions
from engine.sources.vendors import VENDORS, read_setup

__all__ = ["load_setup"]


def load_setup(spec: str, options: SourceOptions | None = None) -> OnCallSetup:
    """The neutral setup of the source ``spec``; a scenario file must hold one scenario.

    Raises ScenarioError naming the file and every problem."""
    options = options or SourceOptions()
    kind, path = split_spec(spec)
    if (kind or detect(path)) in VENDORS:
        return read_setup(kind or detect(path), path, options)[0]
    scenarios = load_organisation(spec, options)
    if len(scenarios) != 1:
        problem = f"holds {len(scenarios)} scenarios; translate one organisation at a time"
        raise ScenarioError(spec, [Problem((), problem)])
    setup = read_organisation(scenarios[0].organisation)
    settings = dict(scenarios[0].settings)
    # The file-wide `repeat` setting is every escalation plan's repeat in neutral terms.
    repeat = int(str(settings.pop("repeat", 0)))
    policies = tuple(dataclasses.replace(p, repeat=repeat) for p in setup.policies)
    return dataclasses.replace(
        setup, policies=policies, settings=settings, notes=tuple(scenarios[0].notes)
    )
