"""The console's guards over plain HTTP: hostile text shown as text, changes only by same-origin
POST, the admin token, the host check, and the Server-Sent Events stream's framing."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest

from engine.http import RunningServer
from engine.http.admin import AdminGuard
from tests.console.conftest import (
    HOSTILE,
    client,
    get,
    post,
    request,
    seed_endpoint,
    serve,
    start_engagement,
)

PAGES = ("/_escsim/console", "/_escsim/console/engagements", "/_escsim/console/oncall")


def test_hostile_subjects_contents_notes_and_reasons_are_shown_as_text(
    seed_server: RunningServer,
) -> None:
    script, image = HOSTILE
    arn = start_engagement(
        seed_server.url,
        Subject=script,
        Content=image,
        PublicSubject=image,
        PublicContent=script,
    )
    sms = seed_server.simulator.outbox[-1]
    client(seed_server.url).accept_page(
        PageId=sms["PageArn"], AcceptType="DELIVERED", AcceptCode=sms["Code"], Note=image
    )
    seed_server.endpoint.advance(15 * 60)
    client(seed_server.url).stop_engagement(EngagementId=arn, Reason=script)
    for path in PAGES:
        page = get(seed_server.url, path).text
        assert "<script>" not in page.replace(
            '<script src="/_escsim/console/static/console.js" defer></script>', ""
        )
        assert "<img" not in page
        assert "onerror=alert(2)>" not in page
    inboxes = get(seed_server.url).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in inboxes
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in inboxes
    engagements = get(seed_server.url, "/_escsim/console/engagements").text
    assert "Engagement stopped: &lt;script&gt;alert(1)&lt;/script&gt;" in engagements
    assert "<dt>Subject</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>" in engagements
    assert "<dt>Content</dt><dd>&#34;&gt;&lt;img src=x onerror=alert(2)&gt;</dd>" in engagements
    # AcceptPage's Note is accepted but the simulation keeps no note: no view shows it at all.


def test_pages_forbid_inline_scripts_and_framing(seed_server: RunningServer) -> None:
    headers = get(seed_server.url).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("origin", "referer"),
    [
        (None, None),
        ("http://evil.example", None),
        ("null", None),
        (None, "http://evil.example/_escsim/console"),
        (None, "http://127.0.0.1.evil.example/"),
    ],
    ids=["nothing", "foreign-origin", "null-origin", "foreign-referer", "lookalike-referer"],
)
def test_changes_from_another_origin_are_refused(
    seed_server: RunningServer, origin: str | None, referer: str | None
) -> None:
    before = seed_server.endpoint.now()
    extra = {"Referer": referer} if referer else {}
    answer = post(
        seed_server.url, "/_escsim/console/clock", {"advance": "60"}, origin=origin, **extra
    )
    assert answer.status == 403
    assert "Changes" in answer.text
    assert seed_server.endpoint.now() == before


def test_a_same_origin_referer_is_enough_without_an_origin(seed_server: RunningServer) -> None:
    before = seed_server.endpoint.now()
    answer = post(
        seed_server.url,
        "/_escsim/console/clock",
        {"advance": "60"},
        origin=None,
        Referer=seed_server.url + "/_escsim/console",
    )
    assert answer.status == 303
    assert seed_server.endpoint.now() == before + 60


def test_state_changes_need_post(seed_server: RunningServer) -> None:
    answer = get(seed_server.url, "/_escsim/console/clock?advance=60")
    assert answer.status == 405
    assert "takes POST, not GET" in answer.text


def test_a_foreign_host_name_is_refused_even_for_reading(seed_server: RunningServer) -> None:
    answer = get(seed_server.url, "/_escsim/console", Host="rebound.example:4566")
    assert answer.status == 403
    assert "rebound.example" in answer.text
    assert get(seed_server.url, "/_escsim/console", Host="localhost").status == 200


def test_with_an_admin_token_the_console_asks_for_it() -> None:
    endpoint = seed_endpoint(admin=AdminGuard("s3cret-token"))
    with serve(endpoint) as server:
        asked = get(server.url)
        assert asked.status == 401
        assert '<label for="token">Admin token</label>' in asked.text
        assert get(server.url, "/_escsim/console/events").status == 401
        refused = post(server.url, "/_escsim/console/clock", {"advance": "60"})
        assert refused.status == 401
        wrong = post(server.url, "/_escsim/console/login", {"token": "guess"})
        assert wrong.status == 403
        assert "not this endpoint" in wrong.text
        assert "set-cookie" not in wrong.headers
        login = post(server.url, "/_escsim/console/login", {"token": "s3cret-token"})
        assert login.status == 303
        cookie = login.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        jar = cookie.split(";", 1)[0]
        assert get(server.url, Cookie=jar).status == 200
        assert get(server.url, Authorization="Bearer s3cret-token").status == 200
        moved = post(server.url, "/_escsim/console/clock", {"advance": "60"}, Cookie=jar)
        assert moved.status == 303
        foreign = post(
            server.url,
            "/_escsim/console/login",
            {"token": "s3cret-token"},
            origin="http://evil.example",
        )
        assert foreign.status == 403


def test_a_closed_endpoint_keeps_its_console_closed() -> None:
    with serve(seed_endpoint(admin=AdminGuard(None, closed=True))) as server:
        answer = get(server.url)
        assert answer.status == 403
        assert "closed" in answer.text
        assert 'name="token"' not in answer.text


def _frames(stream: http.client.HTTPResponse, count: int) -> list[str]:
    """The next ``count`` Server-Sent Events frames (blank-line separated)."""
    frames: list[str] = []
    lines: list[str] = []
    while len(frames) < count:
        line = stream.readline().decode("utf-8")
        assert line, "the stream ended"
        if line == "\n":
            frames.append("".join(lines))
            lines = []
        else:
            lines.append(line)
    return frames


def test_the_event_stream_sends_the_count_of_changes_as_they_happen(
    seed_server: RunningServer,
) -> None:
    parts = urlsplit(seed_server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", "/_escsim/console/events")
        stream = connection.getresponse()
        assert stream.status == 200
        assert stream.getheader("content-type") == "text/event-stream; charset=utf-8"
        assert stream.getheader("cache-control") == "no-store"
        assert _frames(stream, 2) == ["retry: 2000\n", "event: change\nid: 0\ndata: 0\n"]
        start_engagement(seed_server.url)  # a change
        client(seed_server.url).list_contacts()  # a read: no event
        seed_server.endpoint.advance(60)  # a clock move
        assert _frames(stream, 2) == [
            "event: change\nid: 1\ndata: 1\n",
            "event: change\nid: 2\ndata: 2\n",
        ]
    finally:
        connection.close()


def test_streams_are_bounded(seed_server: RunningServer) -> None:
    changes = seed_server.endpoint.changes
    changes.limit = 1
    parts = urlsplit(seed_server.url)
    first = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        first.request("GET", "/_escsim/console/events")
        stream = first.getresponse()
        assert _frames(stream, 2)[1].startswith("event: change")
        second = request(seed_server.url, "GET", "/_escsim/console/events")
        assert second.status == 503
        assert "1 live streams are open already" in second.text
    finally:
        first.close()


def test_every_page_says_which_change_it_shows(seed_server: RunningServer) -> None:
    start_engagement(seed_server.url)
    for path in PAGES:
        assert re.search(
            r'<body data-version="1" data-events="/_escsim/console/events">',
            get(seed_server.url, path).text,
        )


def test_under_a_realtime_clock_the_stream_ticks_each_second() -> None:
    from engine.http.clock import ClockMode

    with serve(seed_endpoint(clock=ClockMode(60.0))) as server:
        parts = urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", "/_escsim/console/events")
            stream = connection.getresponse()
            assert _frames(stream, 2)[0] == "retry: 2000\n"
            tick = _frames(stream, 1)[0]
            assert re.fullmatch(r"event: tick\ndata: \d+(\.\d+)?\n", tick)
        finally:
            connection.close()


def test_stopping_the_server_ends_open_streams() -> None:
    server = serve(seed_endpoint())
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", "/_escsim/console/events")
        stream = connection.getresponse()
        assert _frames(stream, 2)[1].startswith("event: change")
        server.stop()  # returns once every request, the stream included, has finished
        assert stream.read() == b""
        assert not server.thread.is_alive()
    finally:
        connection.close()


def test_an_endpoint_served_again_streams_again() -> None:
    endpoint = seed_endpoint()
    serve(endpoint).stop()
    with serve(endpoint) as server:
        parts = urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", "/_escsim/console/events")
            stream = connection.getresponse()
            assert _frames(stream, 2)[1] == "event: change\nid: 0\ndata: 0\n"
            start_engagement(server.url)
            assert _frames(stream, 1) == ["event: change\nid: 1\ndata: 1\n"]
        finally:
            connection.close()
