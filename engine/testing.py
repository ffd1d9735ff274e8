"""``mock_ssm_contacts``: boto3 ssm-contacts clients answered in process by a Simulator, no socket.

While a mock is active, every ssm-contacts request of every botocore client is handed to the
simulator's endpoint (the same code the HTTP server runs) instead of the network, and botocore
parses the reply as it would AWS's: results come back with datetimes, errors as ``ClientError``
with the AWS code. The request is still serialised, validated client-side and signed by
botocore; its region is the one it was signed for.

>>> import boto3
>>> with mock_ssm_contacts() as sim:
...     client = boto3.client("ssm-contacts")
...     client.list_contacts()["Contacts"], sim.now.isoformat()
([], '2026-01-01T00:00:00+00:00')

Every client means clients made at any time: inside the mock, before it (a module-level
``boto3.client(...)`` in a Lambda handler module, a custom ``boto3.session.Session``), even from
a botocore session made before this module was imported. The first activation wraps botocore's
``BaseClient._make_api_call`` (it stays, doing nothing while no mock is active); on an
ssm-contacts call under a mock the wrapper attaches this module's ``before-send`` handler to the
client's own event emitter, first in line, so the simulator answers before anything could
reach a socket. A client holding no credentials is signed with the mock's dummy ones rather
than failing. Moto's ``mock_aws`` registers its handler for every service on the broader
``before-send`` event; the ssm-contacts one is more specific and runs first, so the two combine.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import ContextDecorator
from typing import Any, Final, ParamSpec, TypeVar, overload

import botocore.auth  # type: ignore[import-untyped]
import botocore.client  # type: ignore[import-untyped]
from botocore.awsrequest import AWSResponse  # type: ignore[import-untyped]
from botocore.credentials import Credentials  # type: ignore[import-untyped]

from engine.http.endpoint import Endpoint
from engine.simulator import DEFAULT_REGION, Simulator
from engine.timeutil import FIXED_START

__all__ = ["DEFAULT_START", "SsmContactsMock", "current_simulator", "mock_ssm_contacts"]

#: Where a mock's fresh simulator starts unless given ``start=`` (as ``escsim_simulator``).
DEFAULT_START: Final = FIXED_START

SERVICE_ID: Final = "ssm-contacts"  # botocore's hyphenated id, in its event names
#: botocore emits ``before-send.<service id>.<Operation>`` just before it would open a socket,
#: and ``choose-signer.<service id>.<Operation>`` to pick how the request is signed.
BEFORE_SEND_EVENT: Final = f"before-send.{SERVICE_ID}"
CHOOSE_SIGNER_EVENT: Final = f"choose-signer.{SERVICE_ID}"
#: SigV4 with dummy credentials when the client has none (registered on the first activation).
MOCK_SIGNATURE_VERSION: Final = "escsim-mock-v4"
_DUMMY_KEY: Final = "testing"
_DUMMY_CREDENTIALS: Final = {"AWS_ACCESS_KEY_ID": _DUMMY_KEY, "AWS_SECRET_ACCESS_KEY": _DUMMY_KEY}
_ANSWER_ID: Final = "escsim.testing.answer"
_SIGNER_ID: Final = "escsim.testing.choose-signer"

_P = ParamSpec("_P")
_R = TypeVar("_R")

_active: list[Endpoint] = []
_state_lock = threading.Lock()
# Serialises attaching the handlers: botocore's unique-id check is not thread-safe, and a
# handler attached twice would run every request twice.
_attach_lock = threading.Lock()
_installed = False


class SsmContactsMock(ContextDecorator):
    """Routes every ssm-contacts request of boto3 and botocore to a simulator while entered.

    ``with`` yields the simulator. As a decorator, each call of the decorated function runs
    under the mock; without a given simulator, each entry makes a fresh one from the keyword
    arguments (reach it with :func:`current_simulator`). Mocks nest: the innermost answers.
    """

    def __init__(self, simulator: Simulator | None, simulator_kwargs: dict[str, Any]) -> None:
        self._given = simulator
        self._kwargs = simulator_kwargs
        self._entries: list[tuple[Endpoint, dict[str, str]]] = []

    @property
    def simulator(self) -> Simulator:
        """The simulator answering in the innermost active entry of this mock (RuntimeError when
        the mock is not active and was given no simulator)."""
        if self._entries:
            return self._entries[-1][0].simulator
        if self._given is not None:
            return self._given
        raise RuntimeError("this mock is not active and was given no simulator")

    def __enter__(self) -> Simulator:
        simulator = self._given if self._given is not None else self._new_simulator()
        endpoint = Endpoint(simulator)
        _install()
        env_set = _set_missing_environment(simulator.region)
        with _state_lock:
            _active.append(endpoint)
        self._entries.append((endpoint, env_set))
        return simulator

    def __exit__(self, *exc_info: object) -> None:
        endpoint, env_set = self._entries.pop()
        with _state_lock:
            _active.remove(endpoint)
        for name, value in env_set.items():
            if os.environ.get(name) == value:  # leave it if the code under test changed it
                del os.environ[name]

    def _new_simulator(self) -> Simulator:
        kwargs = dict(self._kwargs)
        kwargs.setdefault("start", DEFAULT_START)
        if "region" not in kwargs:
            kwargs["region"] = (
                os.environ.get("AWS_REGION")
                or os.environ.get("AWS_DEFAULT_REGION")
                or DEFAULT_REGION
            )
        return Simulator(**kwargs)


@overload
def mock_ssm_contacts(sim: Callable[_P, _R], /) -> Callable[_P, _R]: ...


@overload
def mock_ssm_contacts(
    sim: Simulator | None = None, /, **simulator_kwargs: Any
) -> SsmContactsMock: ...


def mock_ssm_contacts(
    sim: Simulator | Callable[_P, _R] | None = None, /, **simulator_kwargs: Any
) -> SsmContactsMock | Callable[_P, _R]:
    """A context manager and decorator answering every ssm-contacts request from a simulator.

    ``sim`` is the simulator to answer from; without one, a ``Simulator(**simulator_kwargs)``
    is made on each entry: seed 0 and start :data:`DEFAULT_START` (2026-01-01T00:00:00Z) unless
    given, its region defaulting to ``AWS_REGION``, then ``AWS_DEFAULT_REGION``, then
    us-east-1. While active, dummy credentials (``testing``) and ``AWS_DEFAULT_REGION`` (the
    simulator's region) are set for whichever of them the environment lacks, and removed on
    exit. Used bare as ``@mock_ssm_contacts``, it decorates the function with a fresh mock.
    """
    if sim is not None and not isinstance(sim, Simulator):
        if simulator_kwargs or not callable(sim):
            raise TypeError(
                f"mock_ssm_contacts takes a Simulator (or decorates a function), not {sim!r}"
            )
        return SsmContactsMock(None, {})(sim)
    return SsmContactsMock(sim, simulator_kwargs)


def current_simulator() -> Simulator:
    """The simulator answering now (the innermost active mock's); RuntimeError when none is."""
    with _state_lock:
        if not _active:
            raise RuntimeError("no mock_ssm_contacts is active")
        return _active[-1].simulator


# --- botocore wiring ------------------------------------------------------------------------------


def _install() -> None:
    """Wrap botocore's client calls and register the mock's signer, once per process."""
    global _installed
    with _state_lock:
        if _installed:
            return
        botocore.auth.AUTH_TYPE_MAPS[MOCK_SIGNATURE_VERSION] = _MockSigV4Auth
        base = botocore.client.BaseClient
        base._make_api_call = _attaching(base._make_api_call)
        _installed = True


def _attaching(make_api_call: Callable[..., Any]) -> Callable[..., Any]:
    """``BaseClient._make_api_call``, first attaching the mock to ssm-contacts clients.

    Every client calls the class attribute; registering on sessions alone would miss clients
    that already exist, whose event emitters are copies taken at their creation.
    """

    @functools.wraps(make_api_call)
    def make_api_call_under_mock(client: Any, operation_name: str, api_params: Any) -> Any:
        if _active and client.meta.service_model.service_id.hyphenize() == SERVICE_ID:
            _attach(client.meta.events)
        return make_api_call(client, operation_name, api_params)

    return make_api_call_under_mock


def _attach(events: Any) -> None:
    # First in line, and under unique ids so that a client gets each handler once.
    with _attach_lock:
        events.register_first(BEFORE_SEND_EVENT, _answer, unique_id=_ANSWER_ID)
        events.register_first(CHOOSE_SIGNER_EVENT, _choose_signer, unique_id=_SIGNER_ID)


def _answer(request: Any, **_: Any) -> Any:
    """botocore ``before-send`` handler: the simulator's reply, or None to let botocore send."""
    with _state_lock:
        endpoint = _active[-1] if _active else None
    if endpoint is None:
        return None
    headers = {str(name): _text(value) for name, value in request.headers.items()}
    reply = endpoint.handle_aws(headers, _body_bytes(request.body))
    return AWSResponse(request.url, reply.status, dict(reply.headers), _RawBody(reply.body))


def _choose_signer(signature_version: object = None, **_: Any) -> str | None:
    """botocore ``choose-signer`` handler: under a mock, SigV4 falls back to dummy credentials."""
    if _active and signature_version == "v4":
        return MOCK_SIGNATURE_VERSION
    return None


class _MockSigV4Auth(botocore.auth.SigV4Auth):  # type: ignore[misc]
    """SigV4 with the client's credentials, or the mock's dummy ones when it has none."""

    def __init__(self, credentials: Any, service_name: str, region_name: str) -> None:
        if credentials is None:
            credentials = Credentials(_DUMMY_KEY, _DUMMY_KEY).get_frozen_credentials()
        super().__init__(credentials, service_name, region_name)


class _RawBody:
    """What botocore reads a response body from (``AWSResponse.raw``)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, amount: int | None = None) -> bytes:
        data, self._body = (
            (self._body, b"") if amount is None else (self._body[:amount], self._body[amount:])
        )
        return data


def _set_missing_environment(region: str) -> dict[str, str]:
    wanted = dict(_DUMMY_CREDENTIALS)
    if not (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")):
        wanted["AWS_DEFAULT_REGION"] = region
    added = {name: value for name, value in wanted.items() if name not in os.environ}
    os.environ.update(added)
    return added


def _text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _body_bytes(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    read = getattr(body, "read", None)
    if callable(read):
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    raise TypeError(f"cannot read a request body of type {type(body).__name__}")
