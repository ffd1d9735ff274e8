"""Fixtures of the account-source tests: an organisation served by escsim on loopback, and an
environment where boto3 finds test credentials and nothing else (no config files, no instance
metadata), so no request ever leaves the machine."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from engine.http import start_server
from engine.scenario.loader import Scenario, load_file
from engine.scenario.runner import build_simulator
from tests.sources.conftest import PAYMENTS_SCENARIO

PRIMARY = (
    "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/2e44eecc-6807-5cfa-ab7a-e7deca4df0b2"
)
SECONDARY = (
    "arn:aws:ssm-contacts:us-east-1:111122223333:rotation/953928b5-60eb-5942-a454-ccf798dd0a52"
)
CONTACT = "arn:aws:ssm-contacts:us-east-1:111122223333:contact/payments-"
WINDOW = ["--from", "2026-01-05T00:00:00Z", "--to", "60d"]

_UUID = "5d3a1f7e-0b1c-4c1e-9a53-1f0c9d1e2a0"
OVERRIDES = [
    # Three overlap the window above; the last, in June, does not.
    (f"{_UUID}1", PRIMARY, "chen", "2026-01-12T09:00:00Z", "2026-01-19T09:00:00Z"),
    (f"{_UUID}2", PRIMARY, "akua", "2026-02-02T09:00:00Z", "2026-02-03T09:00:00Z"),
    (f"{_UUID}3", SECONDARY, "farah", "2026-01-10T21:00:00Z", "2026-01-11T21:00:00Z"),
    (f"{_UUID}4", SECONDARY, "goran", "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z"),
]
OUTSIDE_WINDOW = OVERRIDES[3][0]
NOT_ACTIVATED = (
    "arn:aws:ssm-contacts:us-east-1:111122223333:contact-channel/payments-dara/"
    "d87d7ea2-7f3a-5117-888f-a175046023eb"
)


@pytest.fixture
def organisation_file(tmp_path: Path) -> Path:
    """The payments organisation (15 contacts, 3 escalation plans, 2 rotations) with four
    overrides and one channel its owner has not activated, as a scenario file."""
    data = yaml.safe_load(PAYMENTS_SCENARIO.read_text(encoding="utf-8"))
    data["overrides"] = [
        {
            "RotationOverrideId": override_id,
            "RotationArn": rotation,
            "NewContactIds": [CONTACT + person],
            "StartTime": start,
            "EndTime": end,
        }
        for override_id, rotation, person, start, end in OVERRIDES
    ]
    for contact in data["contacts"]:
        for channel in contact.get("channels", []):
            if channel["ContactChannelArn"] == NOT_ACTIVATED:
                channel["ActivationStatus"] = "NOT_ACTIVATED"
    path = tmp_path / "payments-live.scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def organisation(organisation_file: Path) -> Scenario:
    return load_file(organisation_file)[0]


@pytest.fixture
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test credentials in the environment, and no other place for boto3 to look."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@dataclasses.dataclass
class Served:
    """A running escsim endpoint and the line it logged for each request."""

    url: str
    log: list[str]

    @property
    def operations(self) -> list[str]:
        """The operation of each request, once the last one is logged: the server logs a
        request just after answering it."""
        seen = -1
        deadline = time.monotonic() + 5
        while seen != len(self.log) and time.monotonic() < deadline:
            seen = len(self.log)
            time.sleep(0.1)
        return [line.split()[0] for line in self.log]

    def spec(self, extra: str = "") -> str:
        return f"account:region=us-east-1,endpoint-url={self.url}{extra}"


@pytest.fixture
def served(organisation: Scenario, aws_environment: None) -> Iterator[Served]:
    """``organisation`` served on 127.0.0.1 as ``escsim serve`` serves it."""
    simulator, _ = build_simulator(organisation)
    log: list[str] = []
    with start_server(simulator, log=log.append) as running:
        yield Served(running.url, log)
