"""The HTTP transport under malformed and hostile input: every answer framed, nothing unbounded.

Each malformed request line, header, Content-Length or chunk size gets a framed HTTP error with
an AWS-shaped JSON body (or, where no answer can be framed, a closed connection); a body that
never ends is refused after a bounded number of bytes; bursts of connections fit the listen
backlog; a pipelined refusal waits for the answers before it.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from engine import Simulator
from engine.http import EscsimHTTPServer, RunningServer, start_server
from engine.http.endpoint import Endpoint
from engine.http.server import BACKLOG, MAX_HEAD_BYTES
from engine.http.wire import MAX_BODY_BYTES
from tests.builders import REGION, START

HEAD = b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SSMContacts.ListContacts\r\n"
MIB = 1024 * 1024


def exchange(server: RunningServer, data: bytes) -> bytes:
    """Send ``data`` on a fresh connection, half-close, and read until the server closes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def parse(raw: bytes) -> tuple[int, dict[str, str], Any]:
    """Status, lower-cased headers and JSON body of the first response in ``raw``."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, status, *_ = lines[0].split(" ")
    assert version == "HTTP/1.1", lines[0]
    headers = dict(line.split(": ", 1) for line in lines[1:])
    headers = {name.lower(): value for name, value in headers.items()}
    length = int(headers["content-length"])
    return int(status), headers, json.loads(body[:length]) if length else None


def assert_refused(raw: bytes, status: int, code: str) -> dict[str, Any]:
    got, headers, body = parse(raw)
    assert got == status, raw[:300]
    assert body["__type"] == code and body["Message"], body
    assert headers["x-amzn-requestid"]
    assert "Traceback" not in body["Message"]
    return dict(body)


@pytest.fixture
def alive(fresh_server: RunningServer) -> Iterator[RunningServer]:
    """The session's server; after the test it must still answer an ordinary request."""
    yield fresh_server
    status, _, body = parse(exchange(fresh_server, HEAD + b"Content-Length: 2\r\n\r\n{}"))
    assert status == 200 and "Contacts" in body


# -- malformed framing -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [b"-1", b"0x2", b"+2", b"1_0", b" 2", b"2 ", b"zz", b"1" * 40])
def test_a_malformed_chunk_size_is_a_json_bad_request(alive: RunningServer, size: bytes) -> None:
    request = HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + size + b"\r\n{}\r\n0\r\n\r\n"
    body = assert_refused(exchange(alive, request), 400, "BadRequestException")
    assert "chunk size" in body["Message"].lower()


@pytest.mark.parametrize(
    "length", [b"\xb2", b"-1", b"two", b"+2", b"0x2", b"2, 2", b"2" * 4 + b"x"]
)
def test_a_content_length_that_is_no_byte_count_is_a_json_bad_request(
    alive: RunningServer, length: bytes
) -> None:
    request = HEAD + b"Content-Length: " + length + b"\r\n\r\n{}"
    assert_refused(exchange(alive, request), 400, "BadRequestException")


@pytest.mark.parametrize("length", [b"99999999999999999999", b"18446744073709551616", b"1" * 5000])
def test_a_content_length_beyond_64_bits_is_413(alive: RunningServer, length: bytes) -> None:
    request = HEAD + b"Content-Length: " + length + b"\r\n\r\n{}"
    assert_refused(exchange(alive, request), 413, "RequestEntityTooLargeException")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"   \r\n\r\n",
        b"POST / HTTP/1.1 extra words\r\n\r\n",
        b"POST / HTTP/x.y\r\nHost: x\r\n\r\n",
        b"POST / HTTP/1.2\r\nHost: x\r\n\r\n",
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        bytes.fromhex("16030100a5010000a10303") + b"\x00" * 100,
        HEAD + b"Bad Header Line\r\n\r\n",
        HEAD + b"X-Folded: a\r\n  continued\r\n\r\n",
        HEAD + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        HEAD + b"Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ],
)
def test_a_malformed_request_is_a_json_bad_request(
    alive: RunningServer, request_bytes: bytes
) -> None:
    assert_refused(exchange(alive, request_bytes), 400, "BadRequestException")


@pytest.mark.parametrize(
    "request_bytes",
    [b"GET /\r\n\r\n", b"GET / HTTP/0.9\r\n\r\n", b"POST / HTTP/2.0\r\nHost: x\r\n\r\n{}"],
)
def test_http_versions_other_than_1_x_get_a_framed_505(
    alive: RunningServer, request_bytes: bytes
) -> None:
    raw = exchange(alive, request_bytes)
    assert raw.startswith(b"HTTP/1.1 505 ")
    assert_refused(raw, 505, "HttpVersionNotSupportedException")


def test_empty_lines_before_a_request_are_skipped_and_alone_get_no_answer(
    alive: RunningServer,
) -> None:
    assert exchange(alive, b"\r\n\r\n\r\n") == b""
    status, _, body = parse(exchange(alive, b"\r\n\r\n" + HEAD + b"Content-Length: 2\r\n\r\n{}"))
    assert (status, body) == (200, {"Contacts": []})


def test_a_request_cut_short_by_the_client_gets_no_answer(alive: RunningServer) -> None:
    assert exchange(alive, HEAD + b"Content-Length: 10\r\n\r\n{}") == b""
    assert exchange(alive, HEAD + b"Content-") == b""


@pytest.mark.parametrize("extra", [b"", b"Expect: 100-continue\r\n", b"Connection: close\r\n"])
@pytest.mark.parametrize("length", [MAX_BODY_BYTES + 1, 1000 * MIB])
def test_a_declared_body_over_the_limit_is_refused_even_if_the_client_stops_sending(
    alive: RunningServer, length: int, extra: bytes
) -> None:
    request = HEAD + extra + b"Content-Length: %d\r\n\r\n{}" % length
    assert_refused(exchange(alive, request), 413, "RequestEntityTooLargeException")


@pytest.mark.parametrize("encoding", [b"gzip", b"gzip, chunked", b"identity"])
def test_a_transfer_encoding_other_than_chunked_is_refused(
    alive: RunningServer, encoding: bytes
) -> None:
    request = HEAD + b"Transfer-Encoding: " + encoding + b"\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
    assert_refused(exchange(alive, request), 400, "BadRequestException")


@pytest.mark.parametrize(
    "head",
    [
        HEAD + b"X-Big: " + b"a" * MAX_HEAD_BYTES + b"\r\n\r\n",
        b"POST /" + b"a" * MAX_HEAD_BYTES + b" HTTP/1.1\r\n\r\n",
        HEAD + b"".join(b"X-H%d: v\r\n" % n for n in range(MAX_HEAD_BYTES // 9)) + b"\r\n",
    ],
)
def test_a_request_head_past_its_bound_is_431(alive: RunningServer, head: bytes) -> None:
    assert_refused(exchange(alive, head), 431, "RequestHeaderFieldsTooLargeException")


def test_a_head_sent_without_end_is_refused_after_a_bounded_number_of_bytes(
    alive: RunningServer,
) -> None:
    sent = stream_until_refused(alive, HEAD + b"X-Endless: ", b"a" * 65536, 50 * MIB)
    assert sent < 50 * MIB


# -- bodies that never end ---------------------------------------------------------------------


def stream_until_refused(
    server: RunningServer, head: bytes, block: bytes, total: int, *, refusal: bool = True
) -> int:
    """Send ``head``, then ``block`` after ``block`` up to ``total`` bytes or until the server
    stops taking them; the bytes sent. An answer, when one came, must be a 4xx refusal unless
    ``refusal`` is False."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head)
        sent, answer = 0, b""
        while sent < total:
            ready, _, _ = select.select([sock], [], [], 0)
            if ready and not answer:
                try:
                    answer = sock.recv(65536) or b"closed"
                except ConnectionResetError:
                    answer = b"reset"
            try:
                sock.sendall(block)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(block)
        if refusal and answer.startswith(b"HTTP/"):
            status = int(answer.split(b" ", 2)[1])
            assert 400 <= status < 500, answer[:200]
        return sent


def test_a_negative_chunk_size_is_refused_at_once_and_the_stream_behind_it_is_not_read(
    alive: RunningServer,
) -> None:
    with socket.create_connection(("127.0.0.1", alive.port), timeout=30) as sock:
        sock.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n-1\r\n")
        answer = b""
        while chunk := sock.recv(65536):  # the answer comes before any body, then the close
            answer += chunk
        assert_refused(answer, 400, "BadRequestException")
        sent = 0
        try:
            while sent < 50 * MIB:
                sock.sendall(b"x" * MIB)
                sent += MIB
        except (BrokenPipeError, ConnectionResetError):
            pass
    assert sent < 50 * MIB  # the server stopped reading: only socket buffers took any of it


def test_a_chunked_body_streamed_past_the_limit_is_cut_off_after_a_bounded_number_of_bytes(
    alive: RunningServer,
) -> None:
    chunk = b"100000\r\n" + b" " * 0x100000 + b"\r\n"
    head = HEAD + b"Transfer-Encoding: chunked\r\n\r\n"
    sent = stream_until_refused(alive, head, chunk, 50 * MIB)
    assert sent < 50 * MIB


@pytest.mark.parametrize("method", [b"GET", b"POST"])
def test_a_body_sent_to_the_health_probe_is_not_read(alive: RunningServer, method: bytes) -> None:
    head = method + b" /_escsim/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"100000\r\n" + b" " * 0x100000 + b"\r\n"
    assert stream_until_refused(alive, head, chunk, 50 * MIB, refusal=False) < 50 * MIB


def test_a_chunked_body_over_the_limit_gets_413_and_a_closed_connection(
    alive: RunningServer,
) -> None:
    chunks = b"".join(b"100000\r\n" + b" " * 0x100000 + b"\r\n" for _ in range(5))
    request = HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", alive.port), timeout=30) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 413
        assert response.getheader("Connection") == "close"
        assert json.loads(response.read())["__type"] == "RequestEntityTooLargeException"


def test_a_body_of_exactly_the_limit_sent_chunked_is_read(alive: RunningServer) -> None:
    body = b"{}" + b" " * (MAX_BODY_BYTES - 2)
    request = HEAD + b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(body) + body
    status, _, answer = parse(exchange(alive, request + b"\r\n0\r\n\r\n"))
    assert (status, answer) == (200, {"Contacts": []})


# -- connections --------------------------------------------------------------------------------


def test_a_refusal_on_a_pipelined_connection_comes_after_the_answers_before_it(
    alive: RunningServer,
) -> None:
    ok = HEAD + b"Content-Length: 2\r\n\r\n{}"
    raw = exchange(alive, ok + ok + HEAD + b"Content-Length: x\r\n\r\n")
    statuses = [int(part.split(b" ", 1)[0]) for part in raw.split(b"HTTP/1.1 ")[1:]]
    assert statuses == [200, 200, 400]


def test_pipelined_requests_are_answered_in_order(alive: RunningServer) -> None:
    created = [
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SSMContacts.CreateContact\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        for body in (
            json.dumps({"Alias": f"pipe{n}", "Type": "PERSONAL", "Plan": {"Stages": []}}).encode()
            for n in range(3)
        )
    ]
    raw = exchange(alive, b"".join(created) + HEAD + b"Content-Length: 2\r\n\r\n{}")
    answers = raw.split(b"HTTP/1.1 ")[1:]
    assert [a.split(b" ", 1)[0] for a in answers] == [b"200"] * 4
    assert [c["Alias"] for c in json.loads(answers[-1].split(b"\r\n\r\n")[1])["Contacts"]] == [
        "pipe0",
        "pipe1",
        "pipe2",
    ]


def test_a_burst_of_connections_fits_the_listen_backlog() -> None:
    # The server is bound but not serving: only the kernel's backlog takes connections, so
    # with a backlog of 5 most of these would never complete.
    with open("/proc/sys/net/core/somaxconn", encoding="ascii") as limit:
        if int(limit.read()) < 300:
            pytest.skip("net.core.somaxconn is below 300 on this machine")
    assert BACKLOG >= 300
    server = EscsimHTTPServer(Endpoint(Simulator(seed=0, start=START, region=REGION)), port=0)
    sockets = []
    try:
        for _ in range(300):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", server.port))
            sockets.append(sock)
        pending = list(sockets)
        while pending:
            _, writable, _ = select.select([], pending, [], 10)
            assert writable, f"{len(pending)} of 300 connections never completed"
            pending = [sock for sock in pending if sock not in writable]
        assert all(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()
        server.server_close()


def test_100_continue_is_sent_only_to_a_client_that_waits_for_it(alive: RunningServer) -> None:
    request = HEAD + b"Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"
    assert exchange(alive, request + b"{}").startswith(b"HTTP/1.1 200 ")
    with socket.create_connection(("127.0.0.1", alive.port), timeout=30) as sock:
        sock.sendall(request)
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"{}")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 200
        assert json.loads(response.read()) == {"Contacts": []}


def test_a_connection_stays_usable_after_an_ordinary_refusal(alive: RunningServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", alive.port, timeout=30)
    try:
        for target in ("SSMContacts.Nope", "SSMContacts.ListContacts"):
            connection.request("POST", "/", body=b"{}", headers={"X-Amz-Target": target})
            response = connection.getresponse()
            response.read()
        assert response.status == 200
    finally:
        connection.close()


# -- failures inside escsim ----------------------------------------------------------------------


def test_a_failure_inside_the_app_answers_a_json_500_without_its_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoint = Endpoint(Simulator(seed=0, start=START, region=REGION))

    def broken(*args: object) -> None:
        raise ValueError("secret detail")

    monkeypatch.setattr(endpoint, "handle", broken)
    with start_server(endpoint) as running:
        raw = exchange(running, HEAD + b"Content-Length: 2\r\n\r\n{}")
    body = assert_refused(raw, 500, "InternalServerException")
    assert "secret" not in body["Message"] and "ValueError" not in body["Message"]
    assert parse(raw)[1]["x-amzn-requestid"] in body["Message"]
