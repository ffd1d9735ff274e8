"""The account source calls List and Get operations only, reads every page, and retries a
throttled call; the endpoint's own request log is the witness."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest

from engine.errors import ThrottlingException
from engine.http import start_server
from engine.http.endpoint import Endpoint
from engine.simulator import Simulator
from engine.sources import SourceOptions, load_organisation
from engine.sources.account_client import AccountError, Place, connect, fetch
from tests.sources.account.conftest import Served

READS = {"ListContacts", "GetContact", "ListContactChannels", "ListRotations"}


def test_only_these_read_operations_are_called(served: Served) -> None:
    load_organisation(served.spec(), SourceOptions(window_from="2026-01-05T00:00:00Z"))
    called = set(served.operations)
    assert called == {*READS, "ListRotationOverrides"}
    assert all(name.startswith(("List", "Get")) for name in served.operations)
    assert served.operations.count("ListRotationOverrides") == 2  # one per rotation


def test_a_write_is_refused_before_it_is_sent(served: Served) -> None:
    client = connect(Place(None, "us-east-1", served.url))
    with pytest.raises(Exception, match="CreateContact"):
        client.create_contact(Alias="someone", Type="PERSONAL", Plan={"Stages": []})
    with pytest.raises(Exception, match="DeleteContact"):
        client.delete_contact(ContactId="arn:aws:ssm-contacts:us-east-1:111122223333:contact/x")
    assert served.log == []


BIG = 60  # more than a page (50) of contacts and of overrides
ACCOUNT, REGION = "111122223333", "us-east-1"
START = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def _big_organisation() -> Simulator:
    simulator = Simulator(seed=1, start=START, account=ACCOUNT, region=REGION)
    arn = f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}"
    contacts = [
        {"ContactArn": f"{arn}:contact/p{i:02d}", "Alias": f"p{i:02d}", "Type": "PERSONAL",
         "Plan": {"Stages": []}}
        for i in range(BIG)
    ]  # fmt: skip
    channels = [
        {"ContactChannelArn": f"{arn}:contact-channel/p{i:02d}/{uuid.UUID(int=i)}",
         "ContactArn": f"{arn}:contact/p{i:02d}", "Name": "sms", "Type": "SMS",
         "DeliveryAddress": {"SimpleAddress": f"+1555010{i:04d}"}, "ActivationStatus": "ACTIVATED"}
        for i in range(BIG)
    ]  # fmt: skip
    rotation = f"{arn}:rotation/{uuid.UUID(int=1)}"
    rotations = [
        {"RotationArn": rotation, "Name": "big",
         "ContactIds": [c["ContactArn"] for c in contacts[:3]],
         "StartTime": START, "TimeZoneId": "UTC",
         "Recurrence": {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1,
                        "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}]}}
    ]  # fmt: skip
    overrides = [
        {"RotationOverrideId": str(uuid.UUID(int=100 + i)), "RotationArn": rotation,
         "NewContactIds": [contacts[i % 3]["ContactArn"]],
         "StartTime": START + dt.timedelta(hours=i), "EndTime": START + dt.timedelta(hours=i + 1)}
        for i in range(BIG)
    ]  # fmt: skip
    simulator.import_resources(contacts, channels, rotations, overrides)
    return simulator


@pytest.fixture
def big(aws_environment: None) -> Iterator[Served]:
    log: list[str] = []
    with start_server(_big_organisation(), log=log.append) as running:
        yield Served(running.url, log)


def test_every_page_is_read(big: Served) -> None:
    window = SourceOptions(window_from="2026-03-01T00:00:00Z", window_to="30d")
    (read,) = load_organisation(big.spec(), window)
    organisation = read.organisation
    assert len(organisation.contacts) == len(organisation.channels) == BIG
    assert len(organisation.overrides) == BIG
    assert big.operations.count("ListContacts") == 2
    assert big.operations.count("ListRotationOverrides") == 2


class _Throttle:
    """Refuses the requests whose numbers (from 1) it is given, as a rate limit would."""

    def __init__(self, refused: set[int]) -> None:
        self.refused = refused
        self.count = 0

    def take(self) -> None:
        self.count += 1
        if self.count in self.refused:
            raise ThrottlingException("Rate exceeded", retry_after_seconds=1)


def _throttled(refused: set[int]) -> Endpoint:
    endpoint = Endpoint(_big_organisation())
    endpoint.rate_limit = _Throttle(refused)  # type: ignore[assignment]
    return endpoint


def test_a_throttled_call_is_retried(aws_environment: None) -> None:
    log: list[str] = []
    with start_server(_throttled({1, 4}), log=log.append) as running:
        served = Served(running.url, log)
        (read,) = load_organisation(served.spec(), SourceOptions())
        operations = served.operations  # once every request is logged
    assert len(read.organisation.contacts) == BIG
    throttled = [line for line in log if "ThrottlingException" in line]
    assert len(throttled) == 2, log[:6]
    assert operations[:2] == ["ListContacts", "ListContacts"]  # the first, refused, then again


def test_throttling_past_the_attempts_is_an_error(
    aws_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    now = dt.datetime.now(dt.UTC)
    with (
        start_server(_throttled(set(range(1, 100)))) as running,
        pytest.raises(AccountError, match=r"ThrottlingException.*after 2 attempts") as caught,
    ):
        fetch(Place(None, REGION, running.url), (now, now + dt.timedelta(days=1)))
    assert caught.value.operation == "ListContacts"
