"""Console fixtures: a server started from the seed scenario with the console mounted, and plain
HTTP helpers (no browser) that send what a browser would."""

from __future__ import annotations

import dataclasses
import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import boto3
import pytest

from engine.console import mount
from engine.http import Endpoint, RunningServer, start_server
from engine.scenario.loader import load_file
from engine.scenario.runner import build_simulator

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "scenarios" / "seed-escalation-engagement.scenario.yaml"
ESCALATION = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation"
AKUAM = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam"
HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(2)>')


def seed_endpoint(scenario: Path = SEED, **options: Any) -> Endpoint:
    """An endpoint holding ``scenario``'s organisation and responders, as ``escsim console``
    serves it."""
    simulator, _ = build_simulator(load_file(scenario)[0])
    return Endpoint(simulator, **options)


def serve(endpoint: Endpoint) -> RunningServer:
    """``endpoint`` over HTTP on a free loopback port, with the console mounted."""
    server = start_server(endpoint)
    mount(server.app, listening=server.host)
    return server


@pytest.fixture
def seed_server() -> Iterator[RunningServer]:
    with serve(seed_endpoint()) as server:
        yield server


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    text: str


def request(
    url: str, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> Answer:
    """One HTTP request to the server at ``url``; the answer with lower-cased header names."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        found = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, found, text)
    finally:
        connection.close()


def get(url: str, path: str = "/_escsim/console", **headers: str) -> Answer:
    return request(url, "GET", path, headers=headers)


def post(
    url: str, path: str, fields: dict[str, str], *, origin: str | None = "", **headers: str
) -> Answer:
    """A form post as a browser on the console sends it: ``origin`` "" means the server's own,
    None means no Origin header at all."""
    sent = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    if origin is not None:
        sent["Origin"] = origin or url
    return request(url, "POST", path, urlencode(fields).encode(), sent)


def client(url: str) -> Any:
    """A boto3 ssm-contacts client of the server at ``url``."""
    return boto3.client(
        "ssm-contacts",
        endpoint_url=url,
        region_name="us-east-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def start_engagement(url: str, **texts: str) -> str:
    """Engage the seed's escalation plan from another client; the engagement's ARN."""
    given = {"Sender": "cli", "Subject": "cli-test", "Content": "Testing engagements via CLI"}
    given.update(texts)
    answer = client(url).start_engagement(ContactId=ESCALATION, **given)
    return str(answer["EngagementArn"])
