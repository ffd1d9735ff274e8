"""escsim's pytest plugin: scenario files as tests, and the ``ssm_contacts_mock`` fixture.

Collects every ``*.scenario.yaml`` (ini option ``escsim_scenario_glob``) as one test per
scenario (see engine/scenario/plugin.py), with the fixtures ``escsim_simulator`` and
``run_scenario`` for scenario tests written in Python.

Installed with escsim as the ``escsim`` pytest11 plugin; a project without the entry point can
load it with ``pytest_plugins = ["engine.pytest_plugin"]`` in its top-level conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from engine.simulator import Simulator

from engine.scenario.plugin import (
    escsim_simulator,
    pytest_addoption,
    pytest_collect_file,
    pytest_configure,
    run_scenario,
)

__all__ = [
    "escsim_simulator",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_configure",
    "run_scenario",
    "ssm_contacts_mock",
]


@pytest.fixture
def ssm_contacts_mock(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A simulator answering the test's boto3 ssm-contacts clients in process, without a socket.

    Fresh for each test: seed 0, starting at 2026-01-01T00:00:00Z (as ``escsim_simulator``
    does), in the region of ``AWS_REGION``/``AWS_DEFAULT_REGION`` (else us-east-1). Every
    ssm-contacts client is answered, those made before the test included. Indirect
    parametrisation passes other ``Simulator`` keyword arguments, or a ready ``Simulator``::

        @pytest.mark.parametrize(
            "ssm_contacts_mock", [{"start": "2026-03-29T00:30:00Z", "seed": 7}], indirect=True
        )
    """
    from engine.simulator import Simulator
    from engine.testing import mock_ssm_contacts

    param: Any = getattr(request, "param", None)
    if isinstance(param, Simulator):
        mock = mock_ssm_contacts(param)
    elif param is None or isinstance(param, dict):
        mock = mock_ssm_contacts(**(param or {}))
    else:
        raise TypeError(
            f"ssm_contacts_mock takes Simulator keyword arguments (a dict) or a Simulator "
            f"when parametrised, not {param!r}"
        )
    with mock as simulator:
        yield simulator
