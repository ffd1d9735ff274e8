"""Endpoint test fixtures: one server per session, and real boto3 clients in process or through it.

The ``backend`` fixture runs each behaviour test twice, as moto runs its suite in server mode:
"inprocess" answers a boto3 client through ``mock_ssm_contacts`` (botocore's event hook), and
"server" through the HTTP server on 127.0.0.1 (reset before each test).
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from typing import IO, Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from engine import Simulator
from engine.http import RunningServer, start_server
from engine.http.app import EscsimApp
from engine.pytest_plugin import ssm_contacts_mock  # noqa: F401  (the plugin's fixture, loaded here)
from engine.testing import mock_ssm_contacts
from tests.builders import REGION, START, Org

SEED = 7
NO_RETRIES = Config(retries={"total_max_attempts": 1})


AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
)


@pytest.fixture
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AWS credentials or region in the environment, and nowhere else for botocore to find
    them: no config files, no instance metadata service."""
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def make_client(endpoint_url: str | None = None, region: str = REGION) -> Any:
    """A real boto3 ssm-contacts client with dummy credentials and no retries."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    )
    return session.client("ssm-contacts", endpoint_url=endpoint_url, config=NO_RETRIES)


@dataclasses.dataclass
class Raw:
    """An HTTP response read off the wire."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def raw_request(
    url: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Raw:
    """One request on a fresh connection, returning status, lower-cased headers and body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Raw(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


def aws_request(url: str, target: str | None, body: bytes, **headers: str) -> Raw:
    """``POST /`` as botocore sends it, with ``target`` as X-Amz-Target (None: no header)."""
    sent = {"Content-Type": "application/x-amz-json-1.1", **headers}
    if target is not None:
        sent["X-Amz-Target"] = target
    return raw_request(url, "POST", "/", body, sent)


def control(url: str, method: str, path: str, payload: object = None) -> Raw:
    """A control request; ``payload`` is sent as JSON when given."""
    body = None if payload is None else json.dumps(payload).encode()
    return raw_request(url, method, path, body, {"Content-Type": "application/json"})


@dataclasses.dataclass
class Backend:
    """A boto3 client and what the tests read beside it: outbox, events and the clock."""

    mode: str
    client: Any
    read_outbox: Callable[[], list[dict[str, Any]]]
    read_events: Callable[[], list[dict[str, Any]]]
    move: Callable[[float], None]

    @property
    def outbox(self) -> list[dict[str, Any]]:
        return self.read_outbox()

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.read_events()

    def advance(self, seconds: float) -> None:
        self.move(seconds)

    def org(self) -> Org:
        """The organisation builder of tests/builders.py, working through this client."""
        return Org(self, self.client)  # type: ignore[arg-type]  # Org reads only .outbox


@pytest.fixture(scope="session")
def server() -> Iterator[RunningServer]:
    with start_server(Simulator(seed=SEED, start=START, region=REGION)) as running:
        yield running


@pytest.fixture
def fresh_server(server: RunningServer) -> RunningServer:
    """The session's server, reset to an empty state at the start instant."""
    assert control(server.url, "POST", "/_escsim/reset").status == 200
    return server


@pytest.fixture(params=["inprocess", "server"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "inprocess":
        sim = Simulator(seed=SEED, start=START, region=REGION)
        with mock_ssm_contacts(sim):
            yield Backend(
                "inprocess",
                make_client(),
                lambda: sim.outbox,
                lambda: sim.events,
                sim.advance,
            )
        return
    yield server_backend(request.getfixturevalue("fresh_server").url)


def server_backend(url: str) -> Backend:
    """A backend whose client, outbox, events and clock all go through the server at ``url``."""

    def move(seconds: float) -> None:
        assert control(url, "POST", "/_escsim/clock", {"AdvanceSeconds": seconds}).status == 200

    return Backend(
        "server",
        make_client(url),
        lambda: control(url, "GET", "/_escsim/outbox").json["Messages"],
        lambda: control(url, "GET", "/_escsim/events").json["Events"],
        move,
    )


@pytest.fixture
def client(backend: Backend) -> Any:
    return backend.client


SERVE = (sys.executable, "-m", "engine.cli.main", "serve")
"""``escsim serve`` as a child process of this Python."""

LISTENING = re.compile(r"escsim listening on (http://127\.0\.0\.1:(\d+))\n")


class Served:
    """A running ``escsim serve`` and the URL it announced; its stderr goes to a file, so a
    server logging every request never blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen[str], url: str, stderr: IO[str]) -> None:
        self.process = process
        self.url = url
        self._stderr = stderr

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.loads(response.read())

    def stop(self, signum: int | None) -> tuple[int, str, str]:
        """Send ``signum`` (None: it was sent already) and wait: the exit code, stdout after the
        announcement, stderr. A second signal would race the server's own shutdown."""
        if signum is not None:
            self.process.send_signal(signum)
        out, _ = self.process.communicate(timeout=30)
        err = self.stderr()
        self._stderr.close()
        return self.process.returncode, out, err

    def stderr(self) -> str:
        """What the server wrote to stderr so far."""
        self._stderr.seek(0)
        return self._stderr.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=30)
        self._stderr.close()


def spawn_serve(*args: str, env: dict[str, str] | None = None) -> Served:
    """``escsim serve --port 0 ARGS...`` in a child process, once it has said where it
    listens. The caller stops it (``Served.stop``, then ``Served.kill``)."""
    stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115  (the server keeps it)
    process = subprocess.Popen(
        [*SERVE, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=env,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    match = LISTENING.fullmatch(line)
    if match is None:
        process.kill()
        process.communicate(timeout=30)
        stderr.seek(0)
        raise AssertionError((line, stderr.read()))
    assert int(match.group(2)) > 0
    return Served(process, match.group(1), stderr)


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        started.append(spawn_serve(*args))
        return started[-1]

    yield start
    for served in started:
        served.kill()


class StandInServer:
    """Records what ``escsim serve`` would bind instead of binding: no test listens beyond
    loopback. Patch it over ``engine.http.serve.EscsimHTTPServer``."""

    bound: list[tuple[str, int, bool]] = []
    started = True
    requests_served = 0

    def __init__(
        self, endpoint: object, host: str, port: int, *, allow_remote: bool, log: object
    ) -> None:
        StandInServer.bound.append((host, port, allow_remote))
        self.url = f"http://{host}:{port}"
        self.host = host
        self.app = EscsimApp(endpoint)  # type: ignore[arg-type]  # the console mounts here

    def serve_forever(self) -> None:
        return None

    def shutdown(self) -> None:
        return None

    def server_close(self) -> None:
        return None
