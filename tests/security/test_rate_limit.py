"""``escsim serve --rate-limit N[/s|/m]``: off unless asked for; beyond it, ThrottlingException,
which boto3 retries, so clients under the limit only slow down and lose nothing."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.config import Config

from engine import Simulator
from engine.cli.main import main
from engine.errors import ThrottlingException
from engine.http import start_server
from engine.http.endpoint import Endpoint
from engine.http.ratelimit import RateLimit, parse_rate
from tests.builders import REGION, START
from tests.security.conftest import boto_client

AWS = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "SSMContacts.ListContacts"}


@pytest.mark.parametrize(
    ("text", "rate"), [("10", 10.0), ("10/s", 10.0), ("2.5/sec", 2.5), ("120/m", 2.0)]
)
def test_rates_are_read_per_second_or_per_minute(text: str, rate: float) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["0", "0/s", "-1", "ten", "5/h", "", "1e400"])
def test_a_rate_that_is_not_a_positive_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        parse_rate(text)


def test_serve_refuses_a_bad_rate_limit_with_252(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "0", "--rate-limit", "0/s"]) == 252
    assert "rate limit '0/s'" in capsys.readouterr().err


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_admits_a_burst_then_one_request_per_interval() -> None:
    clock = Clock()
    limit = RateLimit(4, monotonic=clock)
    for _ in range(4):
        limit.take()
    with pytest.raises(ThrottlingException) as caught:
        limit.take()
    assert caught.value.members["RetryAfterSeconds"] == 1
    clock.now += 0.25
    limit.take()
    with pytest.raises(ThrottlingException):
        limit.take()
    assert limit.refused == 2


def test_the_endpoint_answers_throttled_requests_with_an_aws_throttling_error() -> None:
    clock = Clock()
    endpoint = Endpoint(
        Simulator(seed=0, start=START, region=REGION), rate_limit=RateLimit(1, monotonic=clock)
    )
    assert endpoint.handle("POST", "/", AWS, b"{}").status == 200
    refused = endpoint.handle("POST", "/", AWS, b"{}")
    assert refused.status == 400
    body = json.loads(refused.body)
    assert body["__type"] == "ThrottlingException" and "rate-limit" in body["Message"]
    # Control paths are not throttled: the limit is for AWS clients, which retry.
    assert endpoint.handle("GET", "/_escsim/clock", {}, b"").status == 200


def test_no_rate_limit_unless_asked_for() -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION))
    assert endpoint.rate_limit is None
    assert all(endpoint.handle("POST", "/", AWS, b"{}").status == 200 for _ in range(500))


class Ticking:
    """A clock that moves 20 ms each time the bucket reads it: how fast requests come in is
    then the same on any machine, so the bucket runs dry after about 50 requests, always."""

    def __init__(self) -> None:
        self.now = 100.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += 0.02
            return self.now


def test_boto3_clients_over_the_limit_retry_until_every_request_is_served() -> None:
    limit = RateLimit(25, monotonic=Ticking())
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION), rate_limit=limit)
    retrying = Config(retries={"mode": "standard", "max_attempts": 30})
    with start_server(endpoint) as running:

        def work(index: int) -> list[dict[str, Any]]:
            client = boto_client(running.url, "any", "thing", config=retrying)
            return [
                client.create_contact(Alias=f"r{index}-{n}", Type="PERSONAL", Plan={"Stages": []})
                for n in range(8)
            ]

        with ThreadPoolExecutor(8) as pool:
            answers = [answer for batch in pool.map(work, range(8)) for answer in batch]
        listed = running.simulator.client().list_contacts(MaxResults=100)["Contacts"]
    assert len(answers) == len({a["ContactArn"] for a in answers}) == len(listed) == 64
    assert limit.refused > 0
    assert any(a["ResponseMetadata"]["RetryAttempts"] > 0 for a in answers)
