"""Security fixtures: a credentials file, ``escsim serve`` in a child process, boto3 clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.http.conftest import Served, spawn_serve

ALICE = ("AKIDALICE", "alice-secret", "111122223333")
BOB = ("AKIDBOB", "bob-secret", "444455556666")
CAROL = ("AKIDCAROL", "carol-secret", "111122223333")  # a second key of Alice's account
NO_RETRIES = Config(retries={"total_max_attempts": 1})


def boto_client(
    url: str,
    key: str,
    secret: str,
    region: str = "us-east-2",
    config: Config = NO_RETRIES,
) -> Any:
    """A boto3 ssm-contacts client signing with ``key``/``secret`` (each its own session)."""
    session = boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name=region
    )
    return session.client("ssm-contacts", endpoint_url=url, config=config)


@pytest.fixture
def accounts_file(tmp_path: Path) -> Path:
    """Alice, Bob and Carol (Alice's account) in a JSON credentials file."""
    path = tmp_path / "accounts.json"
    path.write_text(
        json.dumps(
            {
                key: {"secret": secret, "account": account}
                for key, secret, account in (ALICE, BOB, CAROL)
            }
        ),
        encoding="utf-8",
    )
    return path


def start_serve(*args: str, env: dict[str, str] | None = None) -> Served:
    """``escsim serve --port 0 ARGS...`` in a child process, once it has said where it listens.

    The caller stops it (``Served.stop``)."""
    return spawn_serve(*args, env=env)
