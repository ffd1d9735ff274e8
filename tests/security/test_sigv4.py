"""SigV4 verification agrees with botocore's signer, and refuses every tampered request.

botocore signs requests for real (``SigV4Auth.add_auth``: its canonical request, string to sign
and signature); escsim's verifier must accept exactly those, whatever the body, header spacing,
path or query, region or session token, and must refuse any change to what was signed, a wrong
secret, an unknown key, and a header missing any of its parts, with the AWS error names.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.http.accounts import Accounts, Caller, Credential
from engine.sigv4 import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
    canonical_request,
    parse_authorization,
    region_from_authorization,
    sign,
    signature,
    signing_key,
    string_to_sign,
)

HOST = "127.0.0.1:4566"
KEY, SECRET, ACCOUNT = "AKIDALICE", "alice/secret+key", "111122223333"
ACCOUNTS = Accounts({KEY: Credential(KEY, SECRET, ACCOUNT)})
TARGET = "SSMContacts.CreateContact"


def signed(
    body: bytes = b'{"Alias":"a"}',
    *,
    path: str = "/",
    region: str = "us-east-2",
    key: str = KEY,
    secret: str = SECRET,
    token: str | None = None,
    extra: dict[str, str] | None = None,
) -> tuple[str, dict[str, str], bytes, AWSRequest]:
    """(path, headers as they arrive, body, botocore's request) for a request botocore signed."""
    request = AWSRequest(
        method="POST",
        url=f"http://{HOST}{path}",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": TARGET,
            **(extra or {}),
        },
    )
    SigV4Auth(Credentials(key, secret, token), "ssm-contacts", region).add_auth(request)
    headers = {name: value for name, value in request.headers.items()}
    headers["Host"] = HOST  # added by the HTTP client, as botocore signed it
    return path, headers, body, request


def authenticate(path: str, headers: dict[str, str], body: bytes) -> Caller:
    return ACCOUNTS.authenticate("POST", path, headers, body)


def test_a_request_botocore_signed_is_accepted_with_its_account_and_region() -> None:
    path, headers, body, _ = signed(region="eu-west-1")
    assert authenticate(path, headers, body) == Caller(KEY, ACCOUNT, "eu-west-1")


def test_the_canonical_request_and_signature_are_botocores() -> None:
    path, headers, body, request = signed(path="/a/./b/../c//d", extra={"X-Odd": "  a   b  "})
    auth = SigV4Auth(Credentials(KEY, SECRET), "ssm-contacts", "us-east-2")
    request.context["timestamp"] = headers["X-Amz-Date"]
    del request.headers["Authorization"]  # botocore computed its signature before adding it
    fields = {name.lower(): value for name, value in headers.items()}
    signed_names = headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    ours = canonical_request("POST", path, fields, signed_names, body)
    assert ours == auth.canonical_request(request)
    scope = f"{headers['X-Amz-Date'][:8]}/us-east-2/ssm-contacts/aws4_request"
    text = string_to_sign(headers["X-Amz-Date"], scope, ours)
    assert text == auth.string_to_sign(request, auth.canonical_request(request))
    date = headers["X-Amz-Date"][:8]
    assert signature(signing_key(SECRET, date, "us-east-2", "ssm-contacts"), text) == (
        auth.signature(text, request)
    )
    assert headers["Authorization"].endswith(f"Signature={auth.signature(text, request)}")


header_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=20
).filter(lambda value: value.strip())
segments = st.sampled_from(["a", "b", ".", "..", "", "x%20y", "~t", "c-d_e"])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    body=st.binary(max_size=200),
    path=st.lists(segments, max_size=5).map(lambda parts: "/" + "/".join(parts)),
    query=st.lists(
        st.tuples(st.sampled_from(["a", "b", "X-Y"]), st.sampled_from(["1", "", "z%2F"])),
        max_size=3,
    ),
    region=st.sampled_from(["us-east-1", "us-east-2", "eu-central-1", "ap-southeast-2"]),
    token=st.sampled_from([None, "session-token"]),
    extra=st.dictionaries(st.sampled_from(["X-Amz-Meta", "X-Trace", "X-B"]), header_values),
)
def test_every_request_botocore_signs_is_accepted(
    body: bytes,
    path: str,
    query: list[tuple[str, str]],
    region: str,
    token: str | None,
    extra: dict[str, str],
) -> None:
    target = path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
    sent_path, headers, sent_body, _ = signed(
        body, path=target, region=region, token=token, extra=extra
    )
    assert authenticate(sent_path, headers, sent_body).region == region


def tampered(change: str) -> tuple[str, dict[str, str], bytes]:
    path, headers, body, _ = signed()
    if change == "body":
        body += b" "
    elif change == "target":
        headers["X-Amz-Target"] = "SSMContacts.DeleteContact"
    elif change == "path":
        path = "/other"
    elif change == "date":
        stamp = dt.datetime.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        headers["X-Amz-Date"] = (stamp + dt.timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ")
    elif change == "signature":
        last = headers["Authorization"][-1]
        headers["Authorization"] = headers["Authorization"][:-1] + ("0" if last != "0" else "1")
    elif change == "region":
        headers["Authorization"] = headers["Authorization"].replace("/us-east-2/", "/us-west-2/")
    elif change == "host":
        headers["Host"] = "127.0.0.1:9999"
    elif change == "secret":
        path, headers, body, _ = signed(secret="not-the-secret")
    return path, headers, body


@pytest.mark.parametrize(
    "change", ["body", "target", "path", "date", "signature", "region", "host", "secret"]
)
def test_any_change_to_a_signed_request_is_an_invalid_signature(change: str) -> None:
    with pytest.raises(InvalidSignatureException) as caught:
        authenticate(*tampered(change))
    assert caught.value.http_status == 400


def test_an_unknown_access_key_is_unrecognized() -> None:
    path, headers, body, _ = signed(key="AKIDMALLORY")
    with pytest.raises(UnrecognizedClientException, match="AKIDMALLORY"):
        authenticate(path, headers, body)


def test_a_request_without_authorization_is_missing_its_token() -> None:
    path, headers, body, _ = signed()
    del headers["Authorization"]
    with pytest.raises(MissingAuthenticationTokenException):
        authenticate(path, headers, body)


@pytest.mark.parametrize(
    ("edit", "expected", "message"),
    [
        (lambda a: a.replace("AWS4-HMAC-SHA256", "AWS3"), IncompleteSignatureException, "scheme"),
        (lambda a: a.split(", Signature=")[0], IncompleteSignatureException, "'Signature'"),
        (
            lambda a: a.replace("SignedHeaders=", "Signed="),
            IncompleteSignatureException,
            "'SignedHeaders'",
        ),
        (
            lambda a: a.replace("/ssm-contacts/", "/sns/"),
            IncompleteSignatureException,
            "correct service",
        ),
        (lambda a: a.replace("host;", ""), InvalidSignatureException, "'Host'"),
        (
            lambda a: a.replace("SignedHeaders=", "SignedHeaders=x-absent;"),
            InvalidSignatureException,
            "x-absent",
        ),
    ],
)
def test_an_authorization_header_missing_a_part_says_which(
    edit: Any, expected: type[Exception], message: str
) -> None:
    path, headers, body, _ = signed()
    headers["Authorization"] = edit(headers["Authorization"])
    with pytest.raises(expected, match=message):
        authenticate(path, headers, body)


def test_a_request_without_its_date_header_is_incomplete() -> None:
    path, headers, body, _ = signed()
    del headers["X-Amz-Date"]
    with pytest.raises(IncompleteSignatureException, match="X-Amz-Date"):
        authenticate(path, headers, body)


def test_a_scope_date_other_than_the_request_date_is_invalid() -> None:
    path, headers, body, _ = signed()
    date = headers["X-Amz-Date"][:8]
    headers["Authorization"] = headers["Authorization"].replace(f"/{date}/", "/20000101/")
    with pytest.raises(InvalidSignatureException, match="Credential scope"):
        authenticate(path, headers, body)


# -- malformed headers: an AWS error before any key is looked at, never an exception -------------


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda a: a + ", Credential=x", "'Credential' parameter more than once"),
        (lambda a: a + ", Signature=00", "'Signature' parameter more than once"),
        (lambda a: a.replace(", Signature=", ", Signature=00, Signature="), "more than once"),
        (lambda a: a + ", Extra=1", "'Extra=1' is not one of"),
        (lambda a: a + ",", "'' is not one of"),
        (lambda a: a.replace("Credential=AKIDUNKNOWN/", "Credential="), "malformed"),
        (lambda a: a.replace("/aws4_request", "/aws4_request/x"), "malformed"),
        (lambda a: a.replace("/aws4_request", "/aws5_request"), "valid terminator"),
        (lambda a: a.replace("/us-east-2/", "/../"), "valid region"),
        (lambda a: a.replace("/us-east-2/", "/US-EAST-2/"), "valid region"),
        (lambda a: a.replace("/us-east-2/", "//"), "valid region"),
        (lambda a: a.replace("/us-east-2/", "/us-east-2\u00e9/"), "valid region"),
        (lambda a: a.replace("/us-east-2/", "/" + "a" * 64 + "/"), "valid region"),
        (lambda a: a.replace("Credential=AKIDUNKNOWN", "Credential=AK\u00e9"), "access key"),
        (lambda a: a.replace("SignedHeaders=", "SignedHeaders=Host;"), "lower-case header"),
        (lambda a: a.replace("SignedHeaders=", "SignedHeaders=;"), "lower-case header"),
        (lambda a: "AWS4-HMAC-SHA256", "requires 'Credential'"),
        (lambda a: "AWS4-HMAC-SHA256 Credential=" + "x/" * 10_000 + a[a.index(",") :], "malformed"),
        (lambda a: "\u00e9" * 100, "scheme"),
    ],
)
def test_a_malformed_header_is_incomplete_before_the_key_is_looked_up(
    edit: Any, words: str
) -> None:
    path, headers, body, _ = signed(key="AKIDUNKNOWN")  # an unknown key: never reached
    headers["Authorization"] = edit(headers["Authorization"])
    with pytest.raises(IncompleteSignatureException, match=re.escape(words)) as caught:
        authenticate(path, headers, body)
    assert len(caught.value.message) < 400  # long input is shown cut short


@pytest.mark.parametrize("given", ["\u00e9\u00e9", "\u00e9" * 64, "\ud800", "0" * 64, "z", "00 "])
def test_a_signature_of_any_characters_is_simply_wrong(given: str) -> None:
    path, headers, body, _ = signed()
    start = headers["Authorization"].index("Signature=")
    headers["Authorization"] = headers["Authorization"][:start] + f"Signature={given}"
    with pytest.raises(InvalidSignatureException):
        authenticate(path, headers, body)


def test_the_cli_signs_as_botocore_does() -> None:
    path, headers, body, _ = signed()
    ours = sign(
        "POST",
        path,
        {k: v for k, v in headers.items() if k not in ("Authorization", "X-Amz-Date")},
        body,
        access_key=KEY,
        secret=SECRET,
        region="us-east-2",
        now=dt.datetime.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC),
    )
    assert authenticate(path, {**headers, **ours}, body) == Caller(KEY, ACCOUNT, "us-east-2")


@pytest.mark.parametrize("region", ["us-east-2", "eu-central-1", "cn-north-1", "local"])
def test_a_well_formed_region_is_read_from_the_scope(region: str) -> None:
    headers = signed(region=region)[1]
    assert region_from_authorization(headers["Authorization"], "us-east-1") == region
    assert parse_authorization(headers["Authorization"]).scope.split("/")[1] == region
