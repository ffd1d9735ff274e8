"""Raw requests with broken framing, over a real socket: every answer framed HTTP, or a close.

Requests are put together from parts, each of which may be broken: the request line (method,
target, version, separators), the header lines (names, values, folding, bytes outside ASCII,
sizes), the body's framing (Content-Length values that are no byte count, two of them, too
long or too short; chunk sizes with signs, prefixes, underscores, overflow, extensions and
trailers; transfer codings other than chunked) and line endings. Each is sent on its own
connection, which is then half-closed. Whatever comes back must be complete HTTP/1.1 responses,
none a 500, error bodies AWS-shaped JSON that quote no Python exception; or nothing, with the
connection closed. The server must still answer afterwards. A modest number of cases runs by
default, many more with ``-m slow``.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Simulator
from engine.http import RunningServer, start_server
from tests.builders import REGION, START
from tests.fuzz.shapes import CASES

FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(FAST, max_examples=3000, derandomize=False)

#: Words that would mean a Python exception reached a client.
PYTHON_ERRORS = (
    "Traceback",
    "ValueError",
    "TypeError",
    "KeyError",
    "IndexError",
    "AttributeError",
    "RecursionError",
    "OverflowError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "RuntimeError",
    "AssertionError",
)

METHODS = st.sampled_from(
    [
        b"POST",
        b"POST",
        b"GET",
        b"HEAD",
        b"PUT",
        b"DELETE",
        b"OPTIONS",
        b"BREW",
        b"post",
        b"",
        b"P\x00ST",
        b"\xff",
    ]
)
TARGETS = st.one_of(
    st.sampled_from(
        [
            b"/",
            b"/",
            b"/_escsim/health",
            b"/_escsim/clock",
            b"/_escsim/outbox",
            b"/nowhere",
            b"*",
            b"http://evil.example/",
            b"//_escsim/clock",
            b"/?a=b&c",
            b"/%00",
            b"/\x00",
            b"/\xff\xfe",
            b"",
        ]
    ),
    st.sampled_from([10, 5000, 66_000]).map(lambda size: b"/" + b"a" * size),
)
VERSIONS = st.sampled_from(
    [
        b"HTTP/1.1",
        b"HTTP/1.1",
        b"HTTP/1.0",
        b"HTTP/0.9",
        b"HTTP/2.0",
        b"HTTP/1.2",
        b"HTTP/x.y",
        b"HTTP/1.1000",
        b"http/1.1",
        b"HTTP/1.1 extra",
        b"",
    ]
)
SEPARATORS = st.sampled_from([b" ", b" ", b"  ", b"\t"])
HEADER_NAMES = st.sampled_from(
    [b"Host", b"X-Amz-Target", b"Content-Type", b"X-Junk", b"Expect", b"Connection",
     b"Authorization", b"X Space", b"", b"X-\xe9", b"Upgrade"]
)  # fmt: skip
HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            b"SSMContacts.ListContacts",
            b"application/x-amz-json-1.1",
            b"x",
            b"100-continue",
            b"close",
            b"keep-alive",
            b"h2c",
            b"\xe9\xb2",
            b"a\x00b",
            b"a\r\n  folded",
            b"",
        ]
    ),
    st.sampled_from([10, 5000, 66_000]).map(lambda size: b"v" * size),
)
LENGTHS = st.sampled_from(
    [b"-1", b"\xb2", b"1" * 5000, b"99999999999999999999", b"+2", b"0x2", b" 2", b"2, 2", b"",
     b"two", b"1_0", b"4194305", b"1000000000"]
)  # fmt: skip
CHUNK_SIZES = st.sampled_from(
    [b"-1", b"0x2", b"+2", b"1_0", b" 2", b"2 ", b"zz", b"F" * 40, b"2;ext=1", b"2;" + b"e" * 5000,
     b"00000000000000000002", b"", b"3", b"1"]
)  # fmt: skip
BODIES = st.sampled_from([b"{}", b'{"MaxResults": 1}', b"{", b"\xff\xfe", b""])
EOLS = st.sampled_from([b"\r\n", b"\r\n", b"\r\n", b"\n"])


@st.composite
def raw_requests(draw: st.DrawFn) -> bytes:
    """One request, often broken somewhere; sometimes two, pipelined."""
    eol = draw(EOLS)
    sep = draw(SEPARATORS)
    line = draw(METHODS) + sep + draw(TARGETS) + sep + draw(VERSIONS)
    headers = [b"Host: x", b"X-Amz-Target: SSMContacts.ListContacts"]
    headers += [
        name + b": " + value
        for name, value in draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=3))
    ]
    body = draw(BODIES)
    framing = draw(st.sampled_from(["length", "bad-length", "two-lengths", "chunked", "coding"]))
    if framing == "length":
        headers.append(b"Content-Length: %d" % len(body))
    elif framing == "bad-length":
        headers.append(b"Content-Length: " + draw(LENGTHS))
    elif framing == "two-lengths":
        headers += [b"Content-Length: %d" % len(body), b"Content-Length: %d" % (len(body) + 1)]
    elif framing == "chunked":
        headers.append(b"Transfer-Encoding: chunked")
        size = b"%x" % len(body) if draw(st.booleans()) else draw(CHUNK_SIZES)
        trailer = draw(st.sampled_from([b"", b"X-Trailer: 1" + eol]))
        body = size + eol + body + eol + b"0" + eol + trailer + eol
    else:
        headers.append(b"Transfer-Encoding: " + draw(st.sampled_from([b"gzip", b"gzip, chunked"])))
    request = line + eol + eol.join(headers) + eol + eol + body
    if draw(st.integers(0, 4)) == 0:  # a well-formed request first, on the same connection
        request = (
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SSMContacts.ListContacts\r\n"
            b"Content-Length: 2\r\n\r\n{}" + request
        )
    return request


@pytest.fixture(scope="module")
def served() -> Iterator[RunningServer]:
    with start_server(Simulator(seed=0, start=START, region=REGION)) as running:
        yield running


def exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server refused part-way and closed: what it answered is still to be read
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            raise AssertionError("the server neither answered nor closed") from None
        return received


def check_responses(received: bytes) -> None:
    """Every response complete and AWS-shaped, none a 500."""
    rest = received
    while rest:
        head, found, rest = rest.partition(b"\r\n\r\n")
        assert found, f"an unterminated response head: {head[:200]!r}"
        lines = head.decode("latin-1").split("\r\n")
        version, status_text, *_ = [*lines[0].split(" "), ""]
        assert version == "HTTP/1.1" and status_text.isdigit(), lines[0]
        status = int(status_text)
        assert status != 500 and (status < 300 or 400 <= status < 600), lines[0]
        headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines[1:])}
        if status == 100:
            continue
        length = int(headers["content-length"])
        body, rest = rest[:length], rest[length:]
        if b"HTTP/1.1 " not in rest[:9] and rest and rest.startswith(b"{"):
            raise AssertionError(f"bytes after a response: {rest[:100]!r}")
        text = body.decode("utf-8")
        assert not any(word in text for word in PYTHON_ERRORS), text[:300]
        if status >= 400 and body:
            error = json.loads(text)
            assert isinstance(error.get("__type"), str) and isinstance(error.get("Message"), str)


def still_answers(port: int) -> None:
    received = exchange(port, b"GET /_escsim/health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert received.startswith(b"HTTP/1.1 200 "), received[:200]


def check_request(served: RunningServer, request: bytes) -> None:
    CASES[("http-framing", "raw")] += 1
    check_responses(exchange(served.port, request))
    still_answers(served.port)


@FAST
@given(request=raw_requests())
def test_broken_framing_gets_framed_answers_or_a_close(
    served: RunningServer, request: bytes
) -> None:
    check_request(served, request)


@pytest.mark.slow
@LONG
@given(request=raw_requests())
def test_broken_framing_in_a_long_fuzz(served: RunningServer, request: bytes) -> None:
    check_request(served, request)
