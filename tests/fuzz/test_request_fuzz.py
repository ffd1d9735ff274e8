"""No request, however broken, gets anything but a result or an AWS-shaped client error.

For each of the 39 operations, requests are drawn from botocore's input shapes, kept valid or
broken (``tests/fuzz/shapes.py``), and sent through the in-process client (only
``engine.errors.ServiceError`` subclasses may escape, never InternalServerException) and through
the endpoint's ``Endpoint.handle`` (status 200 or 4xx with a JSON ``__type`` body, never 500, never
an exception); a smaller number also goes over a real socket. The ``slow`` variants run many more.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import InternalServerException, ServiceError
from engine.http import RunningServer, start_server
from engine.http.endpoint import Endpoint
from engine.http.wire import Reply
from tests.fuzz.shapes import (
    CASES,
    OPERATIONS,
    mutated,
    request_strategy,
    wire_body,
    world,
)

FAST = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(FAST, max_examples=1500, derandomize=False)
HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


def draw_request(data: st.DataObject, operation: str) -> Any:
    """A valid request one time in four, a broken one otherwise."""
    request = data.draw(request_strategy(operation), label="valid")
    if data.draw(st.integers(0, 3), label="break?") == 0:
        return request
    return data.draw(mutated(request), label="broken")


# -- the in-process client ------------------------------------------------------------------------


def check_client(operation: str, params: Any) -> None:
    CASES[("client", operation)] += 1
    client = world().sim.client()
    try:
        response = client.call(operation, params)
    except InternalServerException as exc:  # a bug inside escsim
        raise AssertionError(f"{operation} crashed: {exc}") from exc
    except ServiceError as exc:
        assert exc.code and isinstance(exc.message, str)
        return
    assert isinstance(response, dict)


@pytest.mark.parametrize("operation", OPERATIONS)
@FAST
@given(data=st.data())
def test_the_client_answers_every_request_with_a_result_or_a_client_error(
    operation: str, data: st.DataObject
) -> None:
    check_client(operation, draw_request(data, operation))


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS)
@LONG
@given(data=st.data())
def test_the_client_survives_a_long_fuzz(operation: str, data: st.DataObject) -> None:
    check_client(operation, draw_request(data, operation))


# -- the endpoint, without a socket ---------------------------------------------------------------


def assert_aws_shaped(reply: Reply) -> None:
    """200 with a JSON object, or a 4xx whose JSON body names the error in ``__type``."""
    assert reply.status != 500, reply.body[:500]
    assert reply.status == 200 or 400 <= reply.status < 500, reply.status
    body = json.loads(reply.body) if reply.body else {}
    assert isinstance(body, dict)
    if reply.status != 200:
        assert isinstance(body.get("__type"), str) and body["__type"], body
        assert isinstance(body.get("Message"), str), body
        assert reply.header("x-amzn-ErrorType") == body["__type"]


def check_endpoint(operation: str, body: bytes, headers: dict[str, str] | None = None) -> None:
    CASES[("endpoint", operation)] += 1
    endpoint = Endpoint(world().sim)
    sent = {**HEADERS, "X-Amz-Target": f"SSMContacts.{operation}", **(headers or {})}
    assert_aws_shaped(endpoint.handle("POST", "/", sent, body))


@pytest.mark.parametrize("operation", OPERATIONS)
@FAST
@given(data=st.data())
def test_the_endpoint_answers_every_request_with_200_or_an_aws_error(
    operation: str, data: st.DataObject
) -> None:
    check_endpoint(operation, wire_body(draw_request(data, operation)))


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS)
@LONG
@given(data=st.data())
def test_the_endpoint_survives_a_long_fuzz(operation: str, data: st.DataObject) -> None:
    check_endpoint(operation, wire_body(draw_request(data, operation)))


# Bodies and headers that are not requests at all.
raw_bodies = st.one_of(
    st.binary(max_size=64),
    st.text(max_size=64).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"{",
            b'{"Alias": "a"',
            b"[]",
            b"null",
            b'"x"',
            b"1e999",
            b'{"a": NaN}',
            b"[" * 100_000,
            b'{"\\ud800": 1}',
            b'{"Alias": "\\udfff"}',
            b"\xff\xfe{}",
            b'{"MaxResults": 1' + b"0" * 5000 + b"}",
        ]
    ),
)
odd_headers = st.dictionaries(
    st.sampled_from(["Authorization", "X-Amz-Target", "Content-Type", "X-Amz-Date"]),
    st.one_of(
        st.sampled_from(
            [
                "",
                "AWS4-HMAC-SHA256",
                "AWS4-HMAC-SHA256 Credential=a/b/c/d/e",
                "AWS4-HMAC-SHA256 Credential=k/20260101/us-east-2/ssm-contacts/aws4_request",
                "Bearer token",
                "SSMContacts.",
                "SSMContacts.Nope",
                "Other.CreateContact",
            ]
        ),
        st.text(max_size=30),
    ),
    max_size=3,
)


def check_raw(operation: str, body: bytes, headers: dict[str, str]) -> None:
    CASES[("endpoint-raw", operation)] += 1
    endpoint = Endpoint(world().sim)
    sent = {**HEADERS, "X-Amz-Target": f"SSMContacts.{operation}", **headers}
    assert_aws_shaped(endpoint.handle("POST", "/", sent, body))


@settings(FAST, max_examples=300)
@given(operation=st.sampled_from(OPERATIONS), body=raw_bodies, headers=odd_headers)
def test_the_endpoint_refuses_bodies_and_headers_that_are_not_requests(
    operation: str, body: bytes, headers: dict[str, str]
) -> None:
    check_raw(operation, body, headers)


@pytest.mark.slow
@settings(LONG, max_examples=20000)
@given(operation=st.sampled_from(OPERATIONS), body=raw_bodies, headers=odd_headers)
def test_the_endpoint_refuses_odd_requests_in_a_long_fuzz(
    operation: str, body: bytes, headers: dict[str, str]
) -> None:
    check_raw(operation, body, headers)


# -- a real server -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[RunningServer]:
    with start_server(world().sim) as running:
        yield running


def post(url_port: int, operation: str, body: bytes) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
    try:
        headers = {**HEADERS, "X-Amz-Target": f"SSMContacts.{operation}"}
        connection.request("POST", "/", body=body, headers=headers)
        answer = connection.getresponse()
        return Reply(answer.status, tuple(answer.getheaders()), answer.read())
    finally:
        connection.close()


@pytest.mark.parametrize("operation", OPERATIONS)
@settings(FAST, max_examples=4)
@given(data=st.data())
def test_requests_over_a_socket_get_200_or_an_aws_error(
    served: RunningServer, operation: str, data: st.DataObject
) -> None:
    CASES[("socket", operation)] += 1
    assert_aws_shaped(post(served.port, operation, wire_body(draw_request(data, operation))))
