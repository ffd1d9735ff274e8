"""The real AWS CLI (awscli 1.x from the test extra) against the endpoint, unchanged."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from engine.http import RunningServer
from tests.builders import REGION, contact_arn
from tests.http.conftest import server_backend

AWS = Path(sys.executable).with_name("aws")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SEED_CLI_TAIL = [
    "--sender",
    "cli",
    "--subject",
    "cli-test",
    "--content",
    "Testing engagements via CLI",
    "--public-subject",
    "cli-test",
    "--public-content",
    "Testing engagements va CLI",
]

pytestmark = pytest.mark.skipif(not AWS.exists(), reason="the aws CLI of the test extra is missing")


def cli_environment(**extra: str) -> dict[str, str]:
    """The caller's environment without any AWS setting, plus dummy credentials and no retries."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_MAX_ATTEMPTS="1",
        AWS_EC2_METADATA_DISABLED="true",
        **extra,
    )
    return env


def aws(server: RunningServer | None, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``aws ssm-contacts ARGS`` against ``server`` (None: the endpoint comes from ``env``)."""
    endpoint = ["--endpoint-url", server.url] if server is not None else []
    return subprocess.run(
        [str(AWS), "ssm-contacts", *args, *endpoint],
        env=cli_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def build_seed_organisation(server: RunningServer) -> None:
    server_backend(server.url).org().seed()


def test_seed_example_1_pages_akuams_channels(fresh_server: RunningServer) -> None:
    build_seed_organisation(fresh_server)
    result = aws(
        fresh_server,
        "start-engagement",
        "--contact-id",
        "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam",
        *SEED_CLI_TAIL,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r'\{\n    "EngagementArn": "arn:aws:ssm-contacts:us-east-2:111122223333:'
        rf'engagement/akuam/{UUID}"\n\}}\n',
        result.stdout,
    )
    engagement = json.loads(result.stdout)["EngagementArn"]
    described = server_backend(fresh_server.url).client.describe_engagement(EngagementId=engagement)
    assert (described["Sender"], described["Content"], described["PublicContent"]) == (
        "cli",
        "Testing engagements via CLI",
        "Testing engagements va CLI",
    )


def test_seed_example_2_pages_through_the_escalation_plan(fresh_server: RunningServer) -> None:
    build_seed_organisation(fresh_server)
    result = aws(
        fresh_server,
        "start-engagement",
        "--contact-id",
        "arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation",
        *SEED_CLI_TAIL,
    )
    assert result.returncode == 0, result.stderr
    engagement = json.loads(result.stdout)["EngagementArn"]
    assert re.fullmatch(
        rf"arn:aws:ssm-contacts:us-east-2:111122223333:engagement/example_escalation/{UUID}",
        engagement,
    )
    pages = server_backend(fresh_server.url).client.list_pages_by_engagement(
        EngagementId=engagement
    )["Pages"]
    assert [p["ContactArn"] for p in pages] == [contact_arn("akuam")]


def create_contacts(server: RunningServer, count: int) -> list[str]:
    client = server_backend(server.url).client
    aliases = [f"person-{n}" for n in range(count)]
    for alias in aliases:
        client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})
    return aliases


def test_list_contacts_follows_next_token_and_merges_the_pages(
    fresh_server: RunningServer,
) -> None:
    aliases = create_contacts(fresh_server, 5)
    one_page = aws(fresh_server, "list-contacts", "--max-results", "2", "--no-paginate")
    assert one_page.returncode == 0, one_page.stderr
    first: dict[str, Any] = json.loads(one_page.stdout)
    assert len(first["Contacts"]) == 2
    assert first["NextToken"]
    merged = aws(fresh_server, "list-contacts", "--page-size", "2")
    assert merged.returncode == 0, merged.stderr
    listed = json.loads(merged.stdout)
    assert [c["Alias"] for c in listed["Contacts"]] == aliases
    assert "NextToken" not in listed


def test_a_service_error_exits_255_with_the_aws_message(fresh_server: RunningServer) -> None:
    missing = contact_arn("nobody")
    result = aws(fresh_server, "get-contact", "--contact-id", missing)
    assert result.returncode == 255  # awscli 1.x: every ClientError is 255 (v2 uses 254)
    assert result.stdout == ""
    assert (
        "An error occurred (ResourceNotFoundException) when calling the GetContact operation: "
        f"Contact not found: '{missing}'"
    ) in result.stderr


def test_cli_v1_prints_timestamps_as_the_epoch_numbers_sent(fresh_server: RunningServer) -> None:
    build_seed_organisation(fresh_server)
    engagement = server_backend(fresh_server.url).org().engage("akuam")
    result = aws(fresh_server, "describe-engagement", "--engagement-id", engagement)
    assert result.returncode == 0, result.stderr
    assert '"StartTime": 1767225600.0' in result.stdout


def test_aws_endpoint_url_ssm_contacts_points_unchanged_cli_calls_at_it(
    fresh_server: RunningServer,
) -> None:
    aliases = create_contacts(fresh_server, 1)
    result = aws(None, "list-contacts", AWS_ENDPOINT_URL_SSM_CONTACTS=fresh_server.url)
    assert result.returncode == 0, result.stderr
    assert [c["Alias"] for c in json.loads(result.stdout)["Contacts"]] == aliases


def test_aws_endpoint_url_ssm_contacts_points_unchanged_boto3_code_at_it(
    fresh_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    aliases = create_contacts(fresh_server, 2)
    for name, value in cli_environment(AWS_ENDPOINT_URL_SSM_CONTACTS=fresh_server.url).items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    client = boto3.session.Session().client(
        "ssm-contacts", config=Config(retries={"total_max_attempts": 1})
    )
    assert [c["Alias"] for c in client.list_contacts()["Contacts"]] == aliases
