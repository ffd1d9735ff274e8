"""An account that cannot be read is one line on stderr naming where it was read (profile,
region, endpoint) and the operation that failed, never a traceback; it exits as the AWS CLI
does: 252 for a malformed spec, 253 for configuration, 254 for a service error, 255 for an
endpoint not reached."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from engine.cli import exits
from engine.cli.main import main
from engine.http import start_server
from engine.http.accounts import parse_accounts
from engine.http.endpoint import Endpoint
from engine.scenario.loader import Scenario
from engine.scenario.runner import build_simulator
from tests.sources.account.conftest import Served


def _error(argv: list[str], capsys: pytest.CaptureFixture[str], exit_code: int) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == exit_code, captured
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_endpoint(
    aws_environment: None,
    closed_port: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    url = f"http://127.0.0.1:{closed_port}"
    argv = ["validate", "account:", "--region", "eu-west-1", "--endpoint-url", url]
    line = _error(argv, capsys, exits.UNEXPECTED)
    assert line.startswith("account:: ListContacts failed (profile default, region eu-west-1, ")
    assert f"endpoint {url})" in line
    assert "cannot reach the endpoint" in line


def test_no_credentials(
    aws_environment: None,
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    line = _error(["review", served.spec(), "--no-progress"], capsys, exits.BAD_FILE)
    assert "ListContacts failed (profile default, region us-east-1" in line
    assert "no AWS credentials found" in line
    assert served.operations == []


@pytest.fixture
def guarded(organisation: Scenario, aws_environment: None) -> Iterator[str]:
    """The organisation served to the holders of one other access key only."""
    simulator, _ = build_simulator(organisation)
    accounts = parse_accounts({"AKIAEXAMPLEALICE": {"secret": "s", "account": "111122223333"}})
    with start_server(Endpoint(simulator, accounts=accounts)) as running:
        yield running.url


def test_unknown_credentials(guarded: str, capsys: pytest.CaptureFixture[str]) -> None:
    spec = f"account:region=us-east-1,endpoint-url={guarded}"
    argv = ["coverage", spec, "--from", "2026-01-05T00:00:00Z"]
    line = _error(argv, capsys, exits.SERVICE_ERROR)
    assert line.startswith(f"{spec}: ListContacts failed (profile default, region us-east-1, ")
    assert "UnrecognizedClientException" in line


def test_an_unknown_profile(aws_environment: None, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["validate", "account:nobody", "--endpoint-url", "http://127.0.0.1:9"]
    line = _error(argv, capsys, exits.BAD_FILE)
    assert "the AWS profile 'nobody' is not configured" in line
    assert "profile nobody" in line


def test_no_region(aws_environment: None, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["validate", "account:", "--endpoint-url", "http://127.0.0.1:9"]
    line = _error(argv, capsys, exits.BAD_FILE)
    assert "cannot start" in line
    assert "no region" in line


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("account:colour=blue", "unknown setting 'colour'"),
        ("account:profile=a,profile=b", "profile is given twice"),
        ("account:region=", "'region=' is not NAME=VALUE"),
    ],
)
def test_a_malformed_spec(
    spec: str, why: str, aws_environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["validate", spec, "--endpoint-url", "http://127.0.0.1:9"]
    line = _error(argv, capsys, exits.BAD_ARGUMENTS)
    assert line.startswith(f"{spec}: ")
    assert why in line


def test_a_malformed_window(aws_environment: None, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["shifts", "account:", "--from", "soon", "x", "--endpoint-url", "http://127.0.0.1:9"]
    line = _error(argv, capsys, exits.BAD_ARGUMENTS)
    assert "--from" in line


class _Odd(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers every request with a contact missing its ARN."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"Contacts": [{"Alias": "someone"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


def test_an_endpoint_answering_in_other_shapes(
    aws_environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Odd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        argv = ["validate", "account:region=us-east-1", "--endpoint-url", url]
        line = _error(argv, capsys, exits.UNEXPECTED)
    finally:
        server.shutdown()
        server.server_close()
    assert "ListContacts failed" in line
    assert "the answer is not ssm-contacts' (no usable 'ContactArn')" in line
