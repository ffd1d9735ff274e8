"""``mock_ssm_contacts`` and the ``ssm_contacts_mock`` fixture: boto3 answered in process."""

from __future__ import annotations

import os
import socket
from typing import Any

import boto3
import pytest
from botocore.config import Config

from engine import Simulator
from engine.http import RunningServer
from engine.testing import SsmContactsMock, current_simulator, mock_ssm_contacts
from tests.builders import REGION, START, START_EPOCH
from tests.http.conftest import make_client


def default_client() -> Any:
    """``boto3.client("ssm-contacts")`` as unchanged user code writes it (retries off)."""
    return boto3.session.Session().client(
        "ssm-contacts", config=Config(retries={"total_max_attempts": 1})
    )


def person(client: Any, alias: str = "akuam") -> str:
    return str(
        client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    )


@pytest.mark.usefixtures("bare_environment")
def test_under_the_mock_a_plain_boto3_client_talks_to_the_simulator() -> None:
    with mock_ssm_contacts(start=START) as sim:
        client = default_client()
        arn = person(client)
        assert arn == "arn:aws:ssm-contacts:us-east-1:111122223333:contact/akuam"
        assert sim.client().get_contact(ContactId=arn)["Alias"] == "akuam"


@pytest.mark.usefixtures("bare_environment")
def test_no_socket_is_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a socket was connected")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    with mock_ssm_contacts(start=START):
        assert default_client().list_contacts()["Contacts"] == []


@pytest.mark.usefixtures("bare_environment")
def test_dummy_credentials_and_region_are_set_only_while_active() -> None:
    with mock_ssm_contacts(start=START, region="eu-west-1"):
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        assert name not in os.environ


@pytest.mark.usefixtures("bare_environment")
def test_existing_credentials_and_region_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mine-too")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    with mock_ssm_contacts(start=START) as sim:
        assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
        assert sim.region == "ap-south-1"
        assert person(default_client()).startswith("arn:aws:ssm-contacts:ap-south-1:")
    assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"
    assert os.environ["AWS_DEFAULT_REGION"] == "ap-south-1"


def test_a_given_simulator_receives_the_state() -> None:
    sim = Simulator(seed=0, start=START, region=REGION)
    with mock_ssm_contacts(sim) as active:
        assert active is sim
        person(make_client())
    assert [c["Alias"] for c in sim.client().list_contacts()["Contacts"]] == ["akuam"]


def test_as_a_decorator_each_call_gets_a_fresh_simulator() -> None:
    @mock_ssm_contacts(start=START, region=REGION)
    def create_one() -> Simulator:
        person(make_client())
        return current_simulator()

    first, second = create_one(), create_one()
    assert first is not second
    for sim in (first, second):
        assert len(sim.client().list_contacts()["Contacts"]) == 1


@pytest.mark.usefixtures("bare_environment")
def test_as_a_bare_decorator_it_mocks_too() -> None:
    @mock_ssm_contacts
    def count_contacts() -> int:
        person(default_client())
        return len(current_simulator().client().list_contacts()["Contacts"])

    assert count_contacts() == 1


def test_the_innermost_mock_answers() -> None:
    outer_sim = Simulator(seed=0, start=START, region=REGION)
    inner_sim = Simulator(seed=1, start=START, region=REGION)
    with mock_ssm_contacts(outer_sim):
        client = make_client()
        with mock_ssm_contacts(inner_sim):
            person(client, "inner")
            assert current_simulator() is inner_sim
        person(client, "outer")
    assert [c["Alias"] for c in inner_sim.client().list_contacts()["Contacts"]] == ["inner"]
    assert [c["Alias"] for c in outer_sim.client().list_contacts()["Contacts"]] == ["outer"]


def test_without_an_active_mock_requests_go_to_their_endpoint(
    fresh_server: RunningServer,
) -> None:
    with mock_ssm_contacts(start=START, region=REGION):
        pass
    with pytest.raises(RuntimeError, match="no mock_ssm_contacts is active"):
        current_simulator()
    person(make_client(fresh_server.url))
    assert fresh_server.simulator.client().list_contacts()["Contacts"][0]["Alias"] == "akuam"


def test_the_mock_object_exposes_its_simulator() -> None:
    mock = mock_ssm_contacts(start=START)
    assert isinstance(mock, SsmContactsMock)
    with pytest.raises(RuntimeError, match="not active"):
        _ = mock.simulator
    with mock as sim:
        assert mock.simulator is sim


def test_anything_but_a_simulator_or_function_is_refused() -> None:
    with pytest.raises(TypeError, match="Simulator"):
        mock_ssm_contacts("us-east-2")  # type: ignore[call-overload]


def test_the_fixture_yields_a_simulator_with_the_mock_active(ssm_contacts_mock: Simulator) -> None:
    assert current_simulator() is ssm_contacts_mock
    client = make_client(region=ssm_contacts_mock.region)
    person(client)
    assert ssm_contacts_mock.client().list_contacts()["Contacts"][0]["Alias"] == "akuam"


@pytest.mark.parametrize(
    "ssm_contacts_mock", [{"start": START, "region": REGION, "seed": 5}], indirect=True
)
def test_the_fixture_takes_simulator_arguments_indirectly(ssm_contacts_mock: Simulator) -> None:
    assert (ssm_contacts_mock.seed, ssm_contacts_mock.region) == (5, REGION)
    assert ssm_contacts_mock.now.timestamp() == START_EPOCH
    assert person(make_client()).startswith(f"arn:aws:ssm-contacts:{REGION}:")
