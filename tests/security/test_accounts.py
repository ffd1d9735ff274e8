"""``escsim serve --accounts FILE``: every (account, region) is its own namespace, and only
requests signed by a listed key get in; control paths then need ``--admin-token``."""

from __future__ import annotations

import http.client
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from engine.cli.main import main
from engine.http.accounts import AccountsFileError, load_accounts
from tests.http.conftest import Served, control, raw_request
from tests.security.conftest import ALICE, BOB, CAROL, NO_RETRIES, boto_client, start_serve

TOKEN = "s3cret-admin-token"


# -- the credentials file -------------------------------------------------------------------------


def test_the_file_may_be_json_or_yaml(tmp_path: Path) -> None:
    yaml_file = tmp_path / "accounts.yaml"
    yaml_file.write_text(
        'AKIDALICE:\n  secret: alice-secret\n  account: "111122223333"\n'
        'AKIDBOB: {secret: bob-secret, account: "444455556666"}\n',
        encoding="utf-8",
    )
    json_file = tmp_path / "accounts.json"
    json_file.write_text(
        json.dumps({"AKIDALICE": {"secret": "alice-secret", "account": "111122223333"}}),
        encoding="utf-8",
    )
    assert load_accounts(yaml_file).account_ids == ["111122223333", "444455556666"]
    assert load_accounts(json_file).credentials["AKIDALICE"].secret == "alice-secret"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping"),
        ("- a\n- b\n", "expected a mapping"),
        ("AKIDALICE: {account: '111122223333'}\n", r"AKIDALICE\.secret: must be a non-empty"),
        (
            "AKIDALICE: {secret: s, account: 111122223333}\n",
            r"AKIDALICE\.account: must be 12 digits",
        ),
        ("AKIDALICE: {secret: s, account: '1234'}\n", "must be 12 digits"),
        ("AKIDALICE: {secret: s, account: '111122223333', role: x}\n", r"AKIDALICE\.role: unknown"),
        ("'bad key!': {secret: s, account: '111122223333'}\n", "access key id 'bad key!'"),
        ("AKIDALICE: [1]\n", "expected {secret"),
        ("AKIDALICE: {secret: s\n", "not JSON or YAML at line"),
        (
            "AKIDALICE: !!python/object/apply:os.system ['touch pwned']\n",
            "not JSON or YAML",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_entry_and_field(
    tmp_path: Path, text: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "accounts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccountsFileError, match=message) as caught:
        load_accounts(path)
    assert str(caught.value).startswith(str(path))
    assert not (tmp_path / "pwned").exists()  # safe_load builds no Python objects


def test_serve_with_a_bad_file_exits_253_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "accounts.json"
    path.write_text('{"AKIDALICE": {"secret": ""}}', encoding="utf-8")
    assert main(["serve", "--port", "0", "--accounts", str(path)]) == 253
    assert main(["serve", "--port", "0", "--accounts", str(tmp_path / "missing.json")]) == 253
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "Traceback" not in "".join(err)
    assert (
        err[0] == f"escsim serve: --accounts {path}: AKIDALICE.secret: must be a non-empty string"
    )
    assert "cannot read it" in err[1]


# -- a server checking credentials ----------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server with Alice, Bob and Carol's keys and an admin token."""
    path = tmp_path_factory.mktemp("accounts") / "accounts.json"
    path.write_text(
        json.dumps({k: {"secret": s, "account": a} for k, s, a in (ALICE, BOB, CAROL)}),
        encoding="utf-8",
    )
    served = start_serve("--accounts", str(path), "--admin-token", TOKEN, "--region", "us-east-2")
    yield served
    served.stop(15)


def client(served: Served, who: tuple[str, str, str], region: str = "us-east-2") -> Any:
    key, secret, _ = who
    return boto_client(served.url, key, secret, region)


def person(client: Any, alias: str) -> str:
    return str(
        client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    )


def aliases(client: Any) -> list[str]:
    return sorted(c["Alias"] for c in client.list_contacts()["Contacts"])


def error_code(call: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return str(caught.value.response["Error"]["Code"])


def test_each_account_and_region_is_its_own_namespace(guarded: Served) -> None:
    alice, bob, carol = client(guarded, ALICE), client(guarded, BOB), client(guarded, CAROL)
    mine = person(alice, "ns-alice")
    theirs = person(bob, "ns-bob")
    assert mine == "arn:aws:ssm-contacts:us-east-2:111122223333:contact/ns-alice"
    assert theirs == "arn:aws:ssm-contacts:us-east-2:444455556666:contact/ns-bob"
    assert "ns-alice" in aliases(carol) and "ns-bob" not in aliases(carol)
    assert "ns-alice" not in aliases(bob)
    assert error_code(lambda: bob.get_contact(ContactId=mine)) == "ResourceNotFoundException"
    assert (
        error_code(
            lambda: bob.start_engagement(ContactId=mine, Sender="s", Subject="s", Content="c")
        )
        == "ResourceNotFoundException"
    )
    assert "ns-alice" not in aliases(client(guarded, ALICE, "eu-west-1"))
    # The same alias in another account is another contact.
    assert person(bob, "ns-alice").startswith("arn:aws:ssm-contacts:us-east-2:444455556666:")


def test_an_unknown_key_is_refused(guarded: Served) -> None:
    stranger = boto_client(guarded.url, "AKIDMALLORY", "whatever")
    assert error_code(stranger.list_contacts) == "UnrecognizedClientException"


def test_a_wrong_secret_is_an_invalid_signature(guarded: Served) -> None:
    forger = boto_client(guarded.url, ALICE[0], "not-alices-secret")
    assert error_code(forger.list_contacts) == "InvalidSignatureException"


def test_an_unsigned_request_is_refused(guarded: Served) -> None:
    config = Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
    anonymous = boto_client(guarded.url, "x", "y", config=config)
    assert error_code(anonymous.list_contacts) == "MissingAuthenticationTokenException"
    answer = raw_request(
        guarded.url, "POST", "/", b"{}", {"X-Amz-Target": "SSMContacts.ListContacts"}
    )
    assert answer.status == 400 and answer.json["__type"] == "MissingAuthenticationTokenException"


def test_control_paths_need_the_admin_token(guarded: Served) -> None:
    missing = control(guarded.url, "GET", "/_escsim/outbox")
    assert missing.status == 401 and missing.json["__type"] == "UnauthorizedException"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = raw_request(
        guarded.url, "GET", "/_escsim/outbox", None, {"Authorization": "Bearer guess"}
    )
    assert wrong.status == 403 and wrong.json["__type"] == "AccessDeniedException"
    right = raw_request(
        guarded.url, "POST", "/_escsim/clock", b'{"AdvanceSeconds": 60}',
        {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )  # fmt: skip
    assert right.status == 200 and "Now" in right.json


def test_with_accounts_but_no_admin_token_control_paths_are_closed(accounts_file: Path) -> None:
    served = start_serve("--accounts", str(accounts_file))
    try:
        answer = control(served.url, "GET", "/_escsim/clock")
        assert answer.status == 403 and "--admin-token" in answer.json["Message"]
        alice = boto_client(served.url, ALICE[0], ALICE[1])
        assert alice.list_contacts()["Contacts"] == []
    finally:
        code, _, err = served.stop(15)
    assert code == 0
    assert "credentials from" in err and "3 access keys" in err


def test_an_admin_token_without_accounts_guards_only_the_control_paths() -> None:
    served = start_serve(env={**os.environ, "ESCSIM_ADMIN_TOKEN": TOKEN})
    try:
        assert control(served.url, "GET", "/_escsim/clock").status == 401
        anyone = boto_client(served.url, "any", "thing", config=NO_RETRIES)
        assert anyone.list_contacts()["Contacts"] == []  # any credentials, the default account
        assert person(anyone, "open").startswith(
            "arn:aws:ssm-contacts:us-east-2:111122223333:contact/"
        )
    finally:
        served.stop(15)


def test_a_workspace_served_with_accounts_keeps_each_account_apart(
    tmp_path: Path, accounts_file: Path
) -> None:
    workspace = tmp_path / "ws"
    served = start_serve("--accounts", str(accounts_file), "--workspace", str(workspace))
    try:
        person(boto_client(served.url, *BOB[:2]), "kept-bob")
        person(boto_client(served.url, *ALICE[:2]), "kept-alice")
    finally:
        assert served.stop(15)[0] == 0
    served = start_serve("--accounts", str(accounts_file), "--workspace", str(workspace))
    try:
        assert aliases(boto_client(served.url, *BOB[:2])) == ["kept-bob"]
        assert aliases(boto_client(served.url, *CAROL[:2])) == ["kept-alice"]
    finally:
        assert served.stop(15)[0] == 0


# -- escsim's own command line against a guarded server --------------------------------------------


def _escsim(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "engine.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "AWS_CONFIG_FILE": os.devnull, **env},
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


def test_the_cli_signs_its_requests_with_the_environment_credentials(guarded: Served) -> None:
    key, secret, account = CAROL
    signed = {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret}
    code, out, err = _escsim(
        signed,
        "create-contact", "--alias", "cli-signed", "--type", "PERSONAL", "--plan", '{"Stages": []}',
        "--endpoint-url", guarded.url, "--region", "eu-west-1",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["ContactArn"] == (
        f"arn:aws:ssm-contacts:eu-west-1:{account}:contact/cli-signed"
    )
    wrong = {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": "not-the-secret"}
    code, _, err = _escsim(
        wrong, "list-contacts", "--endpoint-url", guarded.url, "--region", "eu-west-1"
    )
    assert code == 254 and "InvalidSignatureException" in err


def test_the_cli_sends_the_admin_token_on_control_paths(guarded: Served) -> None:
    code, out, err = _escsim(
        {"ESCSIM_ADMIN_TOKEN": TOKEN}, "clock", "show", "--endpoint-url", guarded.url
    )
    assert code == 0, err
    assert out.strip()
    code, _, err = _escsim(
        {"ESCSIM_ADMIN_TOKEN": "wrong"}, "clock", "show", "--endpoint-url", guarded.url
    )
    assert code != 0 and "Traceback" not in err


# -- malformed Authorization headers over the wire ------------------------------------------------

PYTHON_ERRORS = ("Traceback", "ValueError", "TypeError", "KeyError", "IndexError", "Exception:")


def raw_signed(url: str, authorization: bytes) -> tuple[int, dict[str, Any]]:
    """``POST /`` ListContacts with ``authorization`` as raw header bytes."""
    port = int(url.rsplit(":", 1)[1])
    request = (
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SSMContacts.ListContacts\r\n"
        b"X-Amz-Date: 20260101T000000Z\r\nAuthorization: " + authorization + b"\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        text = response.read().decode("utf-8")
    assert not any(word in text for word in PYTHON_ERRORS), text
    return response.status, json.loads(text)


SCOPE = b"Credential=AKIDALICE/20260101/us-east-2/ssm-contacts/aws4_request"


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (
            b"AWS4-HMAC-SHA256 " + SCOPE + b", SignedHeaders=host, Signature=ab, Credential=x",
            "IncompleteSignatureException",
        ),
        (
            b"AWS4-HMAC-SHA256 " + SCOPE + b", SignedHeaders=host;x-amz-date, Signature=\xe9",
            "InvalidSignatureException",
        ),
        (
            b"AWS4-HMAC-SHA256 Credential=AKIDALICE/20260101/../ssm-contacts/aws4_request, "
            b"SignedHeaders=host, Signature=ab",
            "IncompleteSignatureException",
        ),
        (b"AWS4-HMAC-SHA256 " + SCOPE, "IncompleteSignatureException"),
        (b"Bearer " + TOKEN.encode(), "IncompleteSignatureException"),
        (
            b"AWS4-HMAC-SHA256 Credential=AKIDMALLORY/20260101/us-east-2/ssm-contacts/"
            b"aws4_request, SignedHeaders=host, Signature=ab",
            "UnrecognizedClientException",
        ),
    ],
)
def test_a_malformed_authorization_header_gets_awss_error_not_a_500(
    guarded: Served, authorization: bytes, code: str
) -> None:
    status, body = raw_signed(guarded.url, authorization)
    assert (status, body["__type"]) == (400, code), body
