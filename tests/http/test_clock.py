"""Clock modes of the endpoint: virtual (moves only when told) and realtime[:FACTOR]."""

from __future__ import annotations

import json

import pytest

from engine import Simulator
from engine.http import ClockMode, Endpoint
from tests.builders import REGION, START, START_EPOCH


class FakeWall:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def realtime_endpoint(factor: float) -> tuple[Endpoint, FakeWall]:
    wall = FakeWall()
    sim = Simulator(seed=0, start=START, region=REGION)
    return Endpoint(sim, clock=ClockMode(factor), monotonic=wall), wall


@pytest.mark.parametrize(
    ("text", "factor"),
    [("virtual", None), ("realtime", 1.0), ("realtime:60", 60.0), ("realtime:0.5", 0.5)],
)
def test_clock_modes_parse(text: str, factor: float | None) -> None:
    mode = ClockMode.parse(text)
    assert mode.factor == factor
    assert str(mode) == text


@pytest.mark.parametrize(
    "text", ["", "wall", "realtime:", "realtime:0", "realtime:-2", "realtime:fast", "virtual:2"]
)
def test_bad_clock_modes_are_refused_naming_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="clock"):
        ClockMode.parse(text)


def test_a_virtual_clock_stands_still_between_requests() -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION))
    assert endpoint.now() == START_EPOCH
    endpoint.handle("POST", "/", {"X-Amz-Target": "SSMContacts.ListContacts"}, b"{}")
    assert endpoint.now() == START_EPOCH


def test_a_realtime_clock_follows_the_wall_clock_times_its_factor() -> None:
    endpoint, wall = realtime_endpoint(60.0)
    wall.seconds += 10
    assert endpoint.now() == START_EPOCH + 600


def test_a_realtime_clock_catches_up_before_each_aws_request() -> None:
    endpoint, wall = realtime_endpoint(2.0)
    body = json.dumps({"Alias": "akuam", "Type": "PERSONAL", "Plan": {"Stages": []}}).encode()
    endpoint.handle("POST", "/", {"X-Amz-Target": "SSMContacts.CreateContact"}, body)
    wall.seconds += 30
    engage = json.dumps(
        {
            "ContactId": f"arn:aws:ssm-contacts:{REGION}:111122223333:contact/akuam",
            "Sender": "s",
            "Subject": "t",
            "Content": "c",
        }
    ).encode()
    reply = endpoint.handle("POST", "/", {"X-Amz-Target": "SSMContacts.StartEngagement"}, engage)
    started = [e for e in endpoint.events() if e["Type"] == "ENGAGEMENT_STARTED"]
    assert reply.status == 200
    assert [e["Time"] for e in started] == [START_EPOCH + 60]


def test_a_realtime_clock_can_still_jump_forward_and_keeps_running_from_there() -> None:
    endpoint, wall = realtime_endpoint(1.0)
    wall.seconds += 5
    assert endpoint.advance(100) == START_EPOCH + 105
    wall.seconds += 5
    assert endpoint.now() == START_EPOCH + 110


def test_reset_under_a_realtime_clock_starts_again_from_the_start_instant() -> None:
    endpoint, wall = realtime_endpoint(1.0)
    wall.seconds += 50
    assert endpoint.reset() == START_EPOCH
    wall.seconds += 3
    assert endpoint.now() == START_EPOCH + 3
