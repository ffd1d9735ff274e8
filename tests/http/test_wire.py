"""AWS JSON 1.1 as raw HTTP sees it: framing, refusals, error bodies, timestamps, regions."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from engine import Simulator
from engine.errors import ServiceError
from engine.http import Endpoint, RunningServer
from engine.http.wire import MAX_BODY_BYTES, to_wire
from engine.service.handlers import HANDLERS
from engine.sigv4 import region_from_authorization
from tests.builders import REGION, START, contact_arn
from tests.http.conftest import Raw, aws_request, raw_request

AMZ_JSON = "application/x-amz-json-1.1"


def signed_for(region: str, service: str = "ssm-contacts") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/{service}/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"
    )


def assert_aws_error(raw: Raw, status: int, code: str) -> dict[str, Any]:
    assert raw.status == status, raw.body
    assert raw.headers["content-type"] == AMZ_JSON
    assert raw.headers["x-amzn-requestid"]
    body = raw.json
    assert body["__type"] == code
    assert body["Message"]
    return dict(body)


def create_contact_body(alias: str) -> bytes:
    return json.dumps({"Alias": alias, "Type": "PERSONAL", "Plan": {"Stages": []}}).encode()


# -- bodies ------------------------------------------------------------------------------------


def test_malformed_json_is_a_serialization_exception(fresh_server: RunningServer) -> None:
    raw = aws_request(fresh_server.url, "SSMContacts.ListContacts", b'{"MaxResults": 1,')
    body = assert_aws_error(raw, 400, "SerializationException")
    assert "not valid JSON" in body["Message"]


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"42", b"null", b"true"])
def test_a_body_that_is_not_a_json_object_is_a_serialization_exception(
    fresh_server: RunningServer, body: bytes
) -> None:
    raw = aws_request(fresh_server.url, "SSMContacts.ListContacts", body)
    assert (
        "must be a JSON object" in assert_aws_error(raw, 400, "SerializationException")["Message"]
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"Alias": "\xff"}', "not UTF-8"),
        (b'{"MaxResults": NaN}', "NaN"),
        (b'{"MaxResults": 1e999}', "too large"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ],
)
def test_unreadable_bodies_are_serialization_exceptions_saying_why(
    fresh_server: RunningServer, body: bytes, words: str
) -> None:
    raw = aws_request(fresh_server.url, "SSMContacts.ListContacts", body)
    assert words in assert_aws_error(raw, 400, "SerializationException")["Message"]


def test_an_empty_body_means_no_members(fresh_server: RunningServer) -> None:
    raw = aws_request(fresh_server.url, "SSMContacts.ListContacts", b"")
    assert raw.status == 200
    assert raw.json == {"Contacts": []}


def test_a_body_of_exactly_4_mib_is_read(fresh_server: RunningServer) -> None:
    body = b"{}" + b" " * (MAX_BODY_BYTES - 2)
    raw = aws_request(fresh_server.url, "SSMContacts.ListContacts", body)
    assert raw.status == 200, raw.body


def test_a_body_over_4_mib_gets_413_and_the_connection_stays_usable(
    fresh_server: RunningServer,
) -> None:
    parts = urlsplit(fresh_server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    headers = {"X-Amz-Target": "SSMContacts.ListContacts", "Content-Type": AMZ_JSON}
    try:
        connection.request("POST", "/", body=b" " * (MAX_BODY_BYTES + 1), headers=headers)
        response = connection.getresponse()
        refused = Raw(response.status, dict(response.getheaders()), response.read())
        assert refused.status == 413
        assert refused.json["__type"] == "RequestEntityTooLargeException"
        assert str(MAX_BODY_BYTES + 1) in refused.json["Message"]
        connection.request("POST", "/", body=b"{}", headers=headers)
        again = connection.getresponse()
        assert again.status == 200
        assert json.loads(again.read()) == {"Contacts": []}
    finally:
        connection.close()


def test_a_body_too_large_to_drain_is_refused_before_it_is_sent(
    fresh_server: RunningServer,
) -> None:
    parts = urlsplit(fresh_server.url)
    with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=30) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SSMContacts.ListContacts\r\n"
            b"Content-Length: 1000000000\r\n\r\n"
        )
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413
        assert response.getheader("Connection") == "close"
        assert json.loads(response.read())["__type"] == "RequestEntityTooLargeException"


def test_a_chunked_body_is_read(fresh_server: RunningServer) -> None:
    body = create_contact_body("akuam")
    parts = urlsplit(fresh_server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/",
            body=iter([body[:10], body[10:]]),
            headers={"X-Amz-Target": "SSMContacts.CreateContact", "Content-Type": AMZ_JSON},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 200
        assert json.loads(response.read())["ContactArn"].endswith("contact/akuam")
    finally:
        connection.close()


def test_a_content_length_that_is_not_a_number_is_a_bad_request(
    fresh_server: RunningServer,
) -> None:
    parts = urlsplit(fresh_server.url)
    with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=30) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 400
        assert json.loads(response.read())["__type"] == "BadRequestException"


# -- targets, paths, methods -------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "SSMContacts.NoSuchOperation",
        "SSMContacts.listContacts",
        "DynamoDB_20120810.ListTables",
        "ListContacts",
        "SSMContacts.",
    ],
)
def test_unknown_targets_are_unknown_operation_exceptions(
    fresh_server: RunningServer, target: str
) -> None:
    raw = aws_request(fresh_server.url, target, b"{}")
    assert target in assert_aws_error(raw, 400, "UnknownOperationException")["Message"]


def test_a_request_without_a_target_is_an_unknown_operation(fresh_server: RunningServer) -> None:
    raw = aws_request(fresh_server.url, None, b"{}")
    assert "X-Amz-Target" in assert_aws_error(raw, 400, "UnknownOperationException")["Message"]


def test_get_on_the_aws_path_is_405_json_allowing_post(fresh_server: RunningServer) -> None:
    raw = raw_request(fresh_server.url, "GET", "/")
    assert_aws_error(raw, 405, "MethodNotAllowedException")
    assert raw.headers["allow"] == "POST"


def test_head_on_the_aws_path_is_405_without_a_body(fresh_server: RunningServer) -> None:
    raw = raw_request(fresh_server.url, "HEAD", "/")
    assert raw.status == 405
    assert raw.body == b""
    assert raw.headers["x-amzn-requestid"]


def test_an_unknown_path_is_404_json(fresh_server: RunningServer) -> None:
    assert_aws_error(raw_request(fresh_server.url, "POST", "/prefix"), 404, "NotFoundException")


def test_a_known_method_other_than_post_is_405_json(fresh_server: RunningServer) -> None:
    assert_aws_error(raw_request(fresh_server.url, "PUT", "/"), 405, "MethodNotAllowedException")


def test_a_method_http_does_not_define_is_a_json_bad_request(fresh_server: RunningServer) -> None:
    assert_aws_error(raw_request(fresh_server.url, "BREW", "/"), 400, "BadRequestException")


def test_a_malformed_request_line_is_a_json_bad_request(fresh_server: RunningServer) -> None:
    parts = urlsplit(fresh_server.url)
    with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=30) as sock:
        sock.sendall(b"POST / HTTP/1.1 extra words\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 400
        assert json.loads(response.read())["__type"] == "BadRequestException"


def test_requests_on_one_keep_alive_connection_get_distinct_request_ids(
    fresh_server: RunningServer,
) -> None:
    parts = urlsplit(fresh_server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    ids = []
    try:
        for target in ["SSMContacts.ListContacts", "SSMContacts.Nope", "SSMContacts.ListContacts"]:
            connection.request("POST", "/", body=b"{}", headers={"X-Amz-Target": target})
            response = connection.getresponse()
            response.read()
            ids.append(response.getheader("x-amzn-RequestId"))
    finally:
        connection.close()
    assert len(set(ids)) == 3
    assert all(ids)


# -- responses ---------------------------------------------------------------------------------


def test_timestamps_are_epoch_numbers_and_absent_members_are_left_out(
    fresh_server: RunningServer,
) -> None:
    url = fresh_server.url
    aws_request(url, "SSMContacts.CreateContact", create_contact_body("akuam"))
    fresh_server.endpoint.advance(1.2346)
    started = aws_request(
        url,
        "SSMContacts.StartEngagement",
        json.dumps(
            {"ContactId": contact_arn("akuam"), "Sender": "s", "Subject": "t", "Content": "c"}
        ).encode(),
    ).json
    raw = aws_request(
        url,
        "SSMContacts.DescribeEngagement",
        json.dumps({"EngagementId": started["EngagementArn"]}).encode(),
    )
    assert raw.status == 200
    assert raw.headers["content-type"] == AMZ_JSON
    described = raw.json
    assert described["StartTime"] == 1767225601.235
    assert isinstance(described["StartTime"], float)
    assert "PublicSubject" not in described
    assert "StopTime" not in described
    assert b"null" not in raw.body


def test_to_wire_converts_nested_datetimes_and_drops_absent_members() -> None:
    moment = dt.datetime(2026, 1, 1, 0, 0, 1, 234567, tzinfo=dt.UTC)
    naive = dt.datetime(2026, 1, 1)
    value = {"A": [{"T": moment, "Gone": None}], "B": {"C": (naive,)}, "D": None}
    assert to_wire(value) == {"A": [{"T": 1767225601.235}], "B": {"C": [1767225600.0]}}


@pytest.mark.parametrize("where", ["endpoint", "handler"])
def test_a_bug_answers_500_with_the_request_id_and_logs_the_exception(
    where: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sim = Simulator(seed=0, start=START, region=REGION)
    endpoint = Endpoint(sim)

    def broken(*args: object, **kwargs: object) -> dict[str, Any]:
        raise RuntimeError("a bug with a secret")

    if where == "endpoint":  # the failure escapes the service layer
        monkeypatch.setattr(sim, "call", broken)
    else:  # the service layer catches it and raises InternalServerException with its text
        monkeypatch.setitem(HANDLERS, "ListContacts", broken)
    reply = endpoint.handle("POST", "/", {"X-Amz-Target": "SSMContacts.ListContacts"}, b"{}")
    assert reply.status == 500
    body = json.loads(reply.body)
    assert body["__type"] == "InternalServerException"
    request_id = reply.header("x-amzn-RequestId")
    assert request_id is not None and request_id in body["Message"]
    assert "secret" not in body["Message"] and "RuntimeError" not in body["Message"]
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "a bug with a secret" in str(logged[0].exc_info[1])


def test_service_errors_keep_their_modelled_members_on_the_wire(
    fresh_server: RunningServer,
) -> None:
    raw = aws_request(
        fresh_server.url,
        "SSMContacts.GetContact",
        json.dumps({"ContactId": contact_arn("nobody")}).encode(),
    )
    body = assert_aws_error(raw, 400, "ResourceNotFoundException")
    assert body["ResourceId"] == contact_arn("nobody")
    assert body["ResourceType"] == "CONTACT"
    assert raw.headers["x-amzn-errortype"] == "ResourceNotFoundException"


# -- regions -----------------------------------------------------------------------------------


def test_the_region_comes_from_the_credential_scope(fresh_server: RunningServer) -> None:
    raw = aws_request(
        fresh_server.url,
        "SSMContacts.CreateContact",
        create_contact_body("akuam"),
        Authorization=signed_for("eu-west-1"),
    )
    assert raw.json["ContactArn"] == "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam"


def test_an_unsigned_request_uses_the_default_region(fresh_server: RunningServer) -> None:
    raw = aws_request(fresh_server.url, "SSMContacts.CreateContact", create_contact_body("akuam"))
    assert raw.json["ContactArn"] == contact_arn("akuam")


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Basic dGVzdDp0ZXN0", "scheme 'Basic'"),
        ("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00", "'Credential'"),
        (
            "AWS4-HMAC-SHA256 Credential=testing/us-east-2/aws4_request, SignedHeaders=host, "
            "Signature=00",
            "malformed",
        ),
        (signed_for("us-east-2", service="ssm"), "correct service"),
        (signed_for("US_EAST"), "not a region name"),
        (signed_for(".."), "valid region"),
        (signed_for("a_b"), "valid region"),
        (signed_for("-x"), "valid region"),
        (signed_for(""), "valid region"),
        (signed_for("eu-west-1", service="ssm-contacts, Credential=x/1/2/3/4"), "more than once"),
    ],
)
def test_an_unreadable_authorization_header_is_refused(
    fresh_server: RunningServer, header: str, words: str
) -> None:
    raw = aws_request(
        fresh_server.url,
        "SSMContacts.CreateContact",
        create_contact_body("x"),
        Authorization=header,
    )
    assert words in assert_aws_error(raw, 400, "IncompleteSignatureException")["Message"]
    assert fresh_server.simulator.namespaces() == []  # no ARN was minted anywhere


def test_region_from_authorization_reads_the_scope_or_falls_back() -> None:
    assert region_from_authorization(signed_for("ap-southeast-4"), "us-east-1") == "ap-southeast-4"
    assert region_from_authorization(None, "us-east-1") == "us-east-1"
    assert region_from_authorization("  ", "us-east-1") == "us-east-1"
    with pytest.raises(ServiceError):
        region_from_authorization("AWS4-HMAC-SHA256 nothing", "us-east-1")
