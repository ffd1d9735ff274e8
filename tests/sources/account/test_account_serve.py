"""``escsim serve`` as a separate process, holding a workspace made from the organisation and
checking credentials (``--accounts``): the account source reads it with the right key and is
refused, in one line, with another."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.cli import exits
from engine.cli.main import main
from engine.scenario.loader import Scenario
from engine.sources import SourceOptions, load_organisation
from tests.http.conftest import Served, spawn_serve


@pytest.fixture
def serving(organisation_file: Path, tmp_path: Path, aws_environment: None) -> Iterator[Served]:
    workspace = tmp_path / "ws"
    init = ["workspace", "init", "--workspace", str(workspace), "--from", str(organisation_file)]
    assert main(init) == 0
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(
        'AKIAEXAMPLEALICE: {secret: alice-secret, account: "111122223333"}\n', encoding="utf-8"
    )
    served = spawn_serve("--workspace", str(workspace), "--accounts", str(accounts), "--quiet")
    try:
        yield served
    finally:
        served.kill()


def test_read_from_a_served_workspace_with_its_key(
    serving: Served, organisation: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEALICE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "alice-secret")
    options = SourceOptions(region="us-east-1", endpoint_url=serving.url, window_from="2026-01-01")
    (read,) = load_organisation("account:", options)
    got, want = read.organisation, organisation.organisation
    assert sorted(got.contacts, key=lambda c: c["ContactArn"]) == sorted(
        want.contacts, key=lambda c: c["ContactArn"]
    )
    assert sorted(got.channels, key=lambda c: c["ContactChannelArn"]) == sorted(
        want.channels, key=lambda c: c["ContactChannelArn"]
    )
    assert len(got.overrides) == len(want.overrides) == 4


def test_another_key_is_refused_in_one_line(
    serving: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["validate", "account:", "--region", "us-east-1", "--endpoint-url", serving.url]
    assert main(argv) == exits.SERVICE_ERROR
    err = capsys.readouterr().err
    (line,) = err.splitlines()
    assert line.startswith("account:: ListContacts failed (profile default, region us-east-1, ")
    assert "UnrecognizedClientException" in line
