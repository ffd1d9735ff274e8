"""The local AWS endpoint: ssm-contacts over AWS JSON 1.1, answered by a simulator.

``Endpoint`` answers requests without a transport; ``start_server`` serves one over HTTP in a
background thread; :mod:`engine.http.serve` runs one until a signal stops it, for ``escsim
serve`` (:mod:`engine.cli.serve`). The in-process boto3 integration is
:func:`engine.testing.mock_ssm_contacts`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.http.clock import ClockMode
    from engine.http.endpoint import Endpoint
    from engine.http.server import EscsimHTTPServer, LoopbackRequired, RunningServer, start_server

__all__ = [
    "ClockMode",
    "Endpoint",
    "EscsimHTTPServer",
    "LoopbackRequired",
    "RunningServer",
    "start_server",
]

_HOMES = {
    "ClockMode": "engine.http.clock",
    "Endpoint": "engine.http.endpoint",
    "EscsimHTTPServer": "engine.http.server",
    "LoopbackRequired": "engine.http.server",
    "RunningServer": "engine.http.server",
    "start_server": "engine.http.server",
}


def __getattr__(name: str) -> Any:
    # Lazy: a module of the package (the endpoint, for engine.testing) must not load uvicorn.
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(name)
