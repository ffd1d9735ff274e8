"""``mock_ssm_contacts``: boto3 ssm-contacts clients answered in process by a Simulator, no socket.

While a mock is active, botocore's ``before-send`` event hands every prepared ssm-contacts
request to the simulator's endpoint (the same code the HTTP server runs), and botocore parses the
reply as it would AWS's: results come back with datetimes, errors as ``ClientError`` with the AWS
code. The request is still serialised, validated client-side and signed by botocore; its region
is the one it was signed for.

>>> import boto3
>>> with mock_ssm_contacts(start="2026-01-01T00:00:00Z") as sim:
...     client = boto3.client("ssm-contacts")
...     client.list_contacts()["Contacts"]
[]

The hook is installed on the first activation and stays (inert while no mock is active): for
every botocore session created from then on, and for boto3's default session if it already
exists. Clients made before the first activation from other sessions are not answered.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ContextDecorator
from typing import Any, Final, ParamSpec, TypeVar, overload

from engine.http.endpoint import Endpoint
from engine.simulator import DEFAULT_REGION, Simulator

__all__ = ["SsmContactsMock", "current_simulator", "mock_ssm_contacts"]

#: botocore emits ``before-send.<service id>.<Operation>``; this prefix catches ssm-contacts.
BEFORE_SEND_EVENT: Final = "before-send.ssm-contacts"
_DUMMY_CREDENTIALS: Final = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

_P = ParamSpec("_P")
_R = TypeVar("_R")

_active: list[Endpoint] = []
_state_lock = threading.Lock()
_installed = False


class SsmContactsMock(ContextDecorator):
    """Routes boto3's ssm-contacts requests to a simulator while entered.

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
        """The simulator answering in the innermost active entry of this mock.

        Raises RuntimeError when the mock is not active and was given no simulator.
        """
        if self._entries:
            return self._entries[-1][0].simulator
        if self._given is not None:
            return self._given
        raise RuntimeError("this mock is not active and was given no simulator")

    def __enter__(self) -> Simulator:
        simulator = self._given if self._given is not None else self._new_simulator()
        endpoint = Endpoint(simulator)
        _install_hook()
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
    """A context manager and decorator answering boto3's ssm-contacts requests from a simulator.

    ``sim`` is the simulator to answer from; without one, a ``Simulator(**simulator_kwargs)``
    is made on each entry, its region defaulting to ``AWS_REGION``, then ``AWS_DEFAULT_REGION``,
    then us-east-1. While active, dummy credentials (``testing``) and ``AWS_DEFAULT_REGION``
    (the simulator's region) are set for whichever of them the environment lacks, and removed
    on exit. Used bare as ``@mock_ssm_contacts``, it decorates the function with a fresh mock.
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


def _answer(request: Any, **_: Any) -> Any:
    """botocore ``before-send`` handler: the simulator's reply, or None to let botocore send."""
    with _state_lock:
        endpoint = _active[-1] if _active else None
    if endpoint is None:
        return None
    from botocore.awsrequest import AWSResponse  # type: ignore[import-untyped]

    headers = {str(name): _text(value) for name, value in request.headers.items()}
    reply = endpoint.handle_aws(headers, _body_bytes(request.body))
    return AWSResponse(request.url, reply.status, dict(reply.headers), _RawBody(reply.body))


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


def _install_hook() -> None:
    global _installed
    with _state_lock:
        if _installed:
            return
        from botocore import handlers  # type: ignore[import-untyped]

        # Sessions created from now on register the builtin handlers, ours among them.
        handlers.BUILTIN_HANDLERS.append((BEFORE_SEND_EVENT, _answer))
        # boto3's default session, when it already exists, predates the list entry.
        boto3 = sys.modules.get("boto3")
        session = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
        if session is not None:
            session._session.register(BEFORE_SEND_EVENT, _answer)
        _installed = True


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
