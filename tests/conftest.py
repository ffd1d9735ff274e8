"""Shared fixtures: a simulator at a fixed instant and the seed's organisation, built by API.

The builders themselves live in tests/builders.py so test modules import them from there.
"""

from __future__ import annotations

import pytest

from engine import Simulator
from tests.builders import REGION, START, Org


@pytest.fixture
def sim() -> Simulator:
    return Simulator(seed=7, start=START, region=REGION)


@pytest.fixture
def org(sim: Simulator) -> Org:
    return Org(sim, sim.client())
