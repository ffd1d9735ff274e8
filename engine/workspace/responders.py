"""Responder models in the scenario file's own terms, as plain JSON, to the engine's models.

``workspace init --from`` records a scenario's ``responders`` as this JSON (delays in seconds), so
that a replay needs neither the scenario package nor the file and ``workspace export`` can write
them back. Scenario runs, replays and the review build the engine's models from it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.sim.responders import (
    Delay,
    Exponential,
    Fixed,
    LogNormal,
    ProbabilisticResponder,
    Responder,
    ScriptedResponder,
    Uniform,
)


def responder_from_spec(spec: Mapping[str, Any]) -> Responder:
    """The responder model of a scenario-form spec (``acknowledges_after`` or ``probability``);
    ValueError for a spec of neither form."""
    accept_type = str(spec.get("accept_type") or "READ")
    via = spec.get("via")
    if "acknowledges_after" in spec:
        return ScriptedResponder(float(spec["acknowledges_after"]), accept_type, via)
    if "probability" in spec and isinstance(spec.get("delay"), Mapping):
        return ProbabilisticResponder(
            float(spec["probability"]), delay_from_spec(spec["delay"]), accept_type, via
        )
    raise ValueError(f"not a responder model: {dict(spec)!r}")


def delay_from_spec(spec: Mapping[str, Any]) -> Delay:
    """The distribution of ``{fixed: s}``, ``{exponential: {mean}}``, ``{lognormal: {median,
    sigma}}`` or ``{uniform: {low, high}}`` (seconds); ValueError for anything else."""
    if "fixed" in spec:
        return Fixed(float(spec["fixed"]))
    if "exponential" in spec:
        return Exponential(float(spec["exponential"]["mean"]))
    if "lognormal" in spec:
        return LogNormal(float(spec["lognormal"]["median"]), float(spec["lognormal"]["sigma"]))
    if "uniform" in spec:
        return Uniform(float(spec["uniform"]["low"]), float(spec["uniform"]["high"]))
    raise ValueError(f"not a delay distribution: {dict(spec)!r}")
