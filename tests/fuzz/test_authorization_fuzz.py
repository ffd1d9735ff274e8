"""Mutated SigV4 Authorization headers in ``--accounts`` mode: an AWS auth error or the signer's
own account, never a 500, never an exception's text, never another account.

Each case starts from a header botocore signed for Alice and breaks it: parameters repeated,
dropped, reordered, renamed or emptied, characters outside ASCII or control characters put in,
the scope's parts (key, date, region, service, terminator) replaced, the signature replaced by
text of any kind, separators changed, the whole cut short or made huge. Through
``Endpoint.handle`` every case must answer 200 with Alice's contacts only, or 400 with one of
AWS's authentication errors; a smaller number goes over a real socket as raw bytes (latin-1,
as HTTP carries them). ``-m slow`` runs many more.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Simulator
from engine.http import RunningServer, start_server
from engine.http.accounts import Accounts, Credential
from engine.http.endpoint import Endpoint
from tests.builders import START
from tests.fuzz.shapes import CASES
from tests.fuzz.test_http_framing_fuzz import PYTHON_ERRORS
from tests.security.test_sigv4 import signed

ALICE = Credential("AKIDALICE", "alice-secret", "111122223333")
BOB = Credential("AKIDBOB", "bob-secret", "444455556666")
ACCOUNTS = Accounts({c.access_key: c for c in (ALICE, BOB)})
AUTH_ERRORS = {
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "MissingAuthenticationTokenException",
}
BODY = b"{}"

FAST = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
LONG = settings(FAST, max_examples=5000, derandomize=False)


def make_endpoint() -> Endpoint:
    """An endpoint checking Alice's and Bob's keys, each with one contact of their own."""
    endpoint = Endpoint(Simulator(seed=0, start=START), accounts=ACCOUNTS)
    for key, alias in ((ALICE, "alice-only"), (BOB, "bob-only")):
        body = json.dumps({"Alias": alias, "Type": "PERSONAL", "Plan": {"Stages": []}}).encode()
        reply = endpoint.handle("POST", "/", signed_headers(key, "CreateContact", body), body)
        assert reply.status == 200, reply.body
    return endpoint


def signed_headers(
    key: Credential, operation: str = "ListContacts", body: bytes = BODY
) -> dict[str, str]:
    """The headers of a request botocore signed with ``key``, as they arrive."""
    target = {"X-Amz-Target": f"SSMContacts.{operation}"}
    return signed(body, key=key.access_key, secret=key.secret, extra=target)[1]


HEADERS = signed_headers(ALICE)
SIGNED = HEADERS["Authorization"]

ODD = st.sampled_from(
    ["", " ", ",", "=", "/", "\u00e9", "\u00e9\u00e9", "\x00", "\x7f", "\t", "\u2028", "\ud800",
     "..", "AWS4-HMAC-SHA256", "Credential=", "Signature=", "SignedHeaders=", "aws4_request",
     "ssm-contacts", "us-east-2", "AKIDBOB", "20260101", "x" * 5000]
)  # fmt: skip


@st.composite
def mutated_headers(draw: st.DrawFn) -> str:
    """Alice's signed header, broken in one to three places."""
    header = SIGNED
    for _ in range(draw(st.integers(1, 3))):
        how = draw(
            st.sampled_from(
                ["repeat", "drop", "reorder", "insert", "replace", "cut", "case", "separator"]
            )
        )
        scheme, _, rest = header.partition(" ")
        parts = rest.split(", ")
        if how == "repeat" and parts:
            parts.append(draw(st.sampled_from(parts)))
        elif how == "drop" and parts:
            parts.pop(draw(st.integers(0, len(parts) - 1)))
        elif how == "reorder":
            parts = draw(st.permutations(parts))
        elif how == "insert":
            at = draw(st.integers(0, len(header)))
            header = header[:at] + draw(st.one_of(ODD, st.text(max_size=8))) + header[at:]
            continue
        elif how == "replace":
            pieces = header.replace("=", "/").replace(",", "/").replace(" ", "/").split("/")
            victim = draw(st.sampled_from([p for p in pieces if p] or [""]))
            header = header.replace(victim, draw(st.one_of(ODD, st.text(max_size=8))), 1)
            continue
        elif how == "cut":
            header = header[: draw(st.integers(0, len(header)))]
            continue
        elif how == "case":
            header = header.swapcase() if draw(st.booleans()) else header.lower()
            continue
        else:
            separator = draw(st.sampled_from([",", " , ", ",,", ";", "\t", ", \t"]))
            header = f"{scheme} {separator.join(parts)}"
            continue
        header = f"{scheme} {', '.join(parts)}"
    return header


def check_reply(status: int, body: dict[str, Any], text: str) -> None:
    assert not any(word in text for word in PYTHON_ERRORS), text[:300]
    if status == 200:  # the header still says what Alice signed: her account, nobody else's
        aliases = [contact["Alias"] for contact in body["Contacts"]]
        assert aliases == ["alice-only"], aliases
        return
    assert status == 400 and body["__type"] in AUTH_ERRORS, (status, body)


_ENDPOINTS: list[Endpoint] = []


def shared_endpoint() -> Endpoint:
    if not _ENDPOINTS:
        _ENDPOINTS.append(make_endpoint())
    return _ENDPOINTS[0]


def check_in_process(header: str) -> None:
    CASES[("authorization", "endpoint")] += 1
    reply = shared_endpoint().handle("POST", "/", {**HEADERS, "Authorization": header}, BODY)
    text = reply.body.decode("utf-8")
    check_reply(reply.status, json.loads(text), text)


def test_the_unbroken_header_is_alices() -> None:
    check_in_process(SIGNED)


@FAST
@given(header=mutated_headers())
def test_a_mutated_authorization_header_gets_an_auth_error_or_alices_answer(header: str) -> None:
    check_in_process(header)


@pytest.mark.slow
@LONG
@given(header=mutated_headers())
def test_mutated_authorization_headers_in_a_long_fuzz(header: str) -> None:
    check_in_process(header)


# -- over a socket --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[RunningServer]:
    with start_server(make_endpoint()) as running:
        yield running


def over_socket(port: int, header: str) -> tuple[int, dict[str, Any], str]:
    lines = {**HEADERS, "Authorization": header, "Content-Length": str(len(BODY))}
    head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in lines.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode("latin-1") + BODY)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    text = rest.partition(b"\r\n\r\n")[2].decode("utf-8")
    return int(status_line.split(b" ")[1]), json.loads(text), text


latin1_headers = mutated_headers().filter(
    lambda header: all(0x20 <= ord(c) <= 0xFF and ord(c) != 0x7F for c in header)
)


@settings(FAST, max_examples=60)
@given(header=latin1_headers)
def test_mutated_headers_over_a_socket_get_an_auth_error_or_alices_answer(
    served: RunningServer, header: str
) -> None:
    CASES[("authorization", "socket")] += 1
    status, body, text = over_socket(served.port, header)
    if status == 400 and body["__type"] == "BadRequestException":
        return  # HTTP itself refused the header line (an empty value, say): not SigV4's to judge
    check_reply(status, body, text)
