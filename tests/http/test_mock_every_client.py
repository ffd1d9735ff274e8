"""``mock_ssm_contacts`` answers every ssm-contacts client, however and whenever it was made.

Each test refuses socket connections: a request the simulator did not answer would try to
connect and be recorded. Clients made before the mock (a Lambda handler module's module-level
client, a custom ``boto3.session.Session``, a botocore session, a client without credentials)
must be answered as those made inside it are.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from engine import Simulator
from engine.testing import DEFAULT_START, current_simulator, mock_ssm_contacts
from tests.http.conftest import AWS_VARIABLES

NO_RETRIES = Config(retries={"total_max_attempts": 1})
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
UNUSED_LOCAL_URL = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing is sent

LAMBDA_MODULE = '''
"""A Lambda handler as people write them: the client is made once, when the module loads."""
import boto3
from botocore.config import Config

CLIENT = boto3.client(
    "ssm-contacts", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
)


def handler(event, context):
    return CLIENT.start_engagement(
        ContactId=event["contact"], Sender="pager-lambda", Subject="disk full", Content="db-1"
    )["EngagementArn"]
'''


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every socket connection attempted during the test; each one is refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1] if len(args) > 1 else args)
        raise ConnectionRefusedError("escsim test: no socket may be connected here")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.fixture
def dummy_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "mine")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture
def pager_lambda(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A freshly imported Lambda handler module whose client was made at import."""
    (tmp_path / "pager_lambda.py").write_text(LAMBDA_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("pager_lambda", None)
    yield importlib.import_module("pager_lambda")
    sys.modules.pop("pager_lambda", None)


def alias(client: Any, name: str = "akuam") -> str:
    """Create a contact through ``client``; its ARN."""
    return str(
        client.create_contact(Alias=name, Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    )


CLIENT_FORMS: dict[str, Callable[[], Any]] = {
    "boto3.client": lambda: boto3.client(
        "ssm-contacts", region_name="us-east-1", config=NO_RETRIES
    ),
    "custom boto3 Session": lambda: boto3.session.Session(region_name="us-east-1").client(
        "ssm-contacts", config=NO_RETRIES
    ),
    "botocore session": lambda: botocore.session.get_session().create_client(
        "ssm-contacts", region_name="us-east-1", config=NO_RETRIES
    ),
    "explicit endpoint_url": lambda: boto3.client(
        "ssm-contacts", region_name="us-east-1", endpoint_url=UNUSED_LOCAL_URL, config=NO_RETRIES
    ),
}


@pytest.mark.usefixtures("dummy_credentials")
@pytest.mark.parametrize("form", list(CLIENT_FORMS))
def test_a_client_made_before_the_mock_is_answered_by_it(
    form: str, connections: list[object]
) -> None:
    client = CLIENT_FORMS[form]()
    with mock_ssm_contacts() as sim:
        arn = alias(client)
        assert sim.client().get_contact(ContactId=arn)["Alias"] == "akuam"
    assert connections == []


@pytest.mark.usefixtures("dummy_credentials")
@pytest.mark.parametrize("form", list(CLIENT_FORMS))
def test_a_client_made_inside_the_mock_is_answered_by_it(
    form: str, connections: list[object]
) -> None:
    with mock_ssm_contacts() as sim:
        arn = alias(CLIENT_FORMS[form]())
        assert sim.client().get_contact(ContactId=arn)["Alias"] == "akuam"
    assert connections == []


@pytest.mark.usefixtures("dummy_credentials")
def test_a_lambda_module_client_made_at_import_is_answered(
    pager_lambda: Any, connections: list[object]
) -> None:
    with mock_ssm_contacts() as sim:
        contact = alias(sim.client())
        engagement = pager_lambda.handler({"contact": contact}, None)
        listed = sim.client().list_engagements()["Engagements"]
        assert [e["EngagementArn"] for e in listed] == [engagement]
        assert listed[0]["Sender"] == "pager-lambda"
    assert connections == []


@pytest.mark.usefixtures("bare_environment")
def test_a_client_without_credentials_is_signed_with_dummy_ones(
    connections: list[object],
) -> None:
    client = boto3.session.Session().client(
        "ssm-contacts", region_name="eu-west-1", config=NO_RETRIES
    )
    with mock_ssm_contacts() as sim:
        arn = alias(client)
    # The request was signed for the client's region, so it lands in that namespace.
    assert arn.startswith("arn:aws:ssm-contacts:eu-west-1:")
    assert sim.client(region="eu-west-1").get_contact(ContactId=arn)["Alias"] == "akuam"
    assert connections == []


@pytest.mark.usefixtures("dummy_credentials")
def test_after_the_mock_the_client_goes_back_to_its_endpoint(connections: list[object]) -> None:
    client = CLIENT_FORMS["explicit endpoint_url"]()
    with mock_ssm_contacts():
        alias(client)
    with pytest.raises(EndpointConnectionError, match=r"127\.0\.0\.1:9"):
        client.list_contacts()
    assert connections  # outside the mock the request really tried to connect


@pytest.mark.usefixtures("dummy_credentials")
def test_each_request_is_answered_once(connections: list[object]) -> None:
    client = CLIENT_FORMS["boto3.client"]()
    for _ in range(3):  # repeated activations must not attach the handler again
        with mock_ssm_contacts() as sim:
            alias(client)
            assert len(sim.events) == sum(1 for e in sim.events if e["type"] == "CONTACT_CREATED")
            assert len(sim.client().list_contacts()["Contacts"]) == 1
    assert connections == []


def test_a_fresh_mock_starts_at_the_fixed_default_instant() -> None:
    with mock_ssm_contacts() as sim:
        assert sim.now == FIXED
        assert current_simulator().start == FIXED
    assert DEFAULT_START == "2026-01-01T00:00:00Z"


def test_start_overrides_the_default_instant() -> None:
    with mock_ssm_contacts(start="2026-03-29T00:30:00Z") as sim:
        assert sim.now == dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)


def test_the_fixture_starts_at_the_fixed_default_instant(ssm_contacts_mock: Simulator) -> None:
    assert ssm_contacts_mock.now == FIXED


@pytest.mark.usefixtures("dummy_credentials")
def test_combined_with_moto_each_service_is_answered_by_its_mock(
    connections: list[object],
) -> None:
    moto = pytest.importorskip("moto")
    early = CLIENT_FORMS["custom boto3 Session"]()
    with moto.mock_aws(), mock_ssm_contacts() as sim:
        sns = boto3.client("sns", region_name="us-east-1")
        topic = sns.create_topic(Name="pages")["TopicArn"]
        assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [topic]
        made_early = alias(early)
        made_inside = alias(CLIENT_FORMS["boto3.client"](), "alejr")
        names = [sim.client().get_contact(ContactId=a)["Alias"] for a in (made_early, made_inside)]
        assert names == ["akuam", "alejr"]
    assert connections == []


# A fresh interpreter decides what exists before engine.testing is imported: in this process,
# the test modules imported it long ago.
BEFORE_IMPORT_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys

    import boto3
    import botocore.session
    from botocore.config import Config

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:]))
        raise ConnectionRefusedError("no socket may be connected here")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse

    one = Config(retries={"total_max_attempts": 1})
    core_session = botocore.session.get_session()  # made before engine.testing is imported
    sys.path.insert(0, sys.argv[1])
    import pager_lambda  # its module-level client is made here

    clients = {
        "botocore session": core_session.create_client(
            "ssm-contacts", region_name="us-east-1", config=one
        ),
        "custom boto3 Session": boto3.session.Session(region_name="us-east-1").client(
            "ssm-contacts", config=one
        ),
        "boto3.client": boto3.client("ssm-contacts", region_name="us-east-1", config=one),
        "no credentials": boto3.session.Session(
            aws_access_key_id=None, region_name="us-east-1"
        ).client("ssm-contacts", config=one),
    }
    assert "engine.testing" not in sys.modules
    from engine.testing import mock_ssm_contacts

    answered = {}
    with mock_ssm_contacts() as sim:
        contact = sim.client().create_contact(
            Alias="akuam", Type="PERSONAL", Plan={"Stages": []}
        )["ContactArn"]
        for name, client in clients.items():
            answered[name] = client.get_contact(ContactId=contact)["Alias"]
        engagement = pager_lambda.handler({"contact": contact}, None)
        answered["lambda module"] = sim.client().describe_engagement(
            EngagementId=engagement
        )["Sender"]
    print(json.dumps({"answered": answered, "attempts": attempts}))
    """
)


def test_clients_made_before_engine_testing_was_imported_are_answered(tmp_path: Path) -> None:
    (tmp_path / "pager_lambda.py").write_text(LAMBDA_MODULE, encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name not in AWS_VARIABLES}
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_IMPORT_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result == {
        "answered": {
            "botocore session": "akuam",
            "custom boto3 Session": "akuam",
            "boto3.client": "akuam",
            "no credentials": "akuam",
            "lambda module": "pager-lambda",
        },
        "attempts": [],
    }
