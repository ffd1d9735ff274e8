"""Each console view over plain HTTP: what it shows, newest first, and the actions behind its
buttons, against a server started from the seed scenario."""

from __future__ import annotations

import re

import boto3

from engine.http import RunningServer
from tests.console.conftest import (
    AKUAM,
    client,
    get,
    post,
    seed_endpoint,
    serve,
    start_engagement,
)

ONCALL = "scenarios/oncall/overlapping-overrides-the-latest-wins.scenario.yaml"


def _inbox(html: str, alias: str) -> str:
    """The HTML of one person's inbox section."""
    match = re.search(rf'<section class="inbox" id="inbox-{alias}".*?</section>', html, re.S)
    assert match is not None, f"no inbox for {alias}"
    return match[0]


def test_every_person_has_an_inbox_headed_by_their_alias(seed_server: RunningServer) -> None:
    page = get(seed_server.url)
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    for alias in ("akuam", "alejr", "anasi"):
        assert f">{alias}</h2>" in page.text
    assert ">example_escalation</h2>" not in page.text  # a plan is nobody's inbox
    assert "No messages yet." in _inbox(page.text, "akuam")


def test_an_sms_shows_the_public_text_and_the_accept_code(seed_server: RunningServer) -> None:
    start_engagement(seed_server.url, PublicContent="disk full on db-1")
    box = _inbox(get(seed_server.url).text, "akuam")
    code = seed_server.simulator.outbox[-1]["Code"]
    assert '<p class="bubble">disk full on db-1</p>' in box
    assert f"<code>{code}</code>" in box
    assert 'class="mark mark-sent">SENT<' in box
    assert "Testing engagements via CLI" not in box  # the secure content never goes to SMS


def test_voice_is_spoken_text_and_email_has_subject_and_body_newest_first(
    seed_server: RunningServer,
) -> None:
    start_engagement(seed_server.url, Subject="db-1 down", Content="Disk is full")
    seed_server.endpoint.advance(15 * 60)
    box = _inbox(get(seed_server.url).text, "alejr")
    spoken = re.search(r'<p class="spoken">Spoken: “db-1 down\. Disk is full\. To acknowledge', box)
    assert spoken is not None
    assert "Subject: <strong>db-1 down</strong>" in box
    assert '<pre class="body">Disk is full</pre>' in box
    channels = re.findall(r'<span class="channel">(\w+)</span>', box)
    assert channels == ["EMAIL", "VOICE", "SMS"]  # alejr's plan, newest first


def test_acknowledge_accepts_the_page_and_the_timeline_says_the_escalation_stopped(
    seed_server: RunningServer,
) -> None:
    start_engagement(seed_server.url)
    sms = seed_server.simulator.outbox[-1]
    fields = {
        "page": sms["PageArn"],
        "channel": sms["ContactChannelArn"],
        "code": sms["Code"],
        "back": "/_escsim/console",
    }
    done = post(seed_server.url, "/_escsim/console/acknowledge", fields)
    assert (done.status, done.headers["location"]) == (303, "/_escsim/console")
    box = _inbox(get(seed_server.url).text, "akuam")
    assert "acknowledged 09:00:00" in box
    assert ">Acknowledge</button>" not in box
    engagements = get(seed_server.url, "/_escsim/console/engagements").text
    assert "Escalation stopped: akuam acknowledged" in engagements
    assert "READ receipt: akuam acknowledged" in engagements
    assert '<dd class="acknowledged">akuam at 09:00:00</dd>' in engagements
    seed_server.endpoint.advance(5 * 60)
    assert "alejr" not in {m["ContactArn"].rsplit("/", 1)[-1] for m in seed_server.simulator.outbox}


def test_mark_delivered_records_a_delivered_receipt(seed_server: RunningServer) -> None:
    start_engagement(seed_server.url)
    sms = seed_server.simulator.outbox[-1]
    fields = {"page": sms["PageArn"], "channel": sms["ContactChannelArn"], "code": sms["Code"]}
    assert post(seed_server.url, "/_escsim/console/deliver", fields).status == 303
    receipts = client(seed_server.url).list_page_receipts(PageId=sms["PageArn"])["Receipts"]
    assert "DELIVERED" in [r["ReceiptType"] for r in receipts]
    assert "delivered 09:00:00" in _inbox(get(seed_server.url).text, "akuam")


def test_a_wrong_code_is_the_service_error_shown_on_the_page(seed_server: RunningServer) -> None:
    start_engagement(seed_server.url)
    sms = seed_server.simulator.outbox[-1]
    wrong = "000000" if sms["Code"] != "000000" else "111111"
    fields = {"page": sms["PageArn"], "code": wrong, "back": "/_escsim/console"}
    answer = post(seed_server.url, "/_escsim/console/acknowledge", fields)
    assert answer.status == 400
    assert 'role="alert"' in answer.text
    assert ">akuam</h2>" in answer.text  # the page it came from, with the error on top


def test_a_missing_field_is_refused_naming_it(seed_server: RunningServer) -> None:
    answer = post(seed_server.url, "/_escsim/console/stop", {"back": "/_escsim/console"})
    assert answer.status == 400
    assert "The field &#39;engagement&#39; is required" in answer.text


def test_stop_engagement_from_its_timeline(seed_server: RunningServer) -> None:
    arn = start_engagement(seed_server.url)
    fields = {"engagement": arn, "reason": "game day over", "back": "/_escsim/console/engagements"}
    done = post(seed_server.url, "/_escsim/console/stop", fields)
    assert (done.status, done.headers["location"]) == (303, "/_escsim/console/engagements")
    page = get(seed_server.url, "/_escsim/console/engagements").text
    assert "Engagement stopped: game day over" in page
    assert "Engagement of example_escalation: stopped" in page
    assert '<button class="danger">Stop engagement</button>' not in page
    assert "StopTime" in client(seed_server.url).describe_engagement(EngagementId=arn)


def test_start_an_engagement_from_the_form(seed_server: RunningServer) -> None:
    form = get(seed_server.url, "/_escsim/console/engagements").text
    assert '<label for="start-contact">Contact or plan</label>' in form
    assert f'<option value="{AKUAM}">akuam (personal)</option>' in form
    fields = {
        "contact": AKUAM,
        "sender": "console",
        "subject": "game day",
        "content": "the full story",
        "public_content": "check the dashboard",
    }
    assert post(seed_server.url, "/_escsim/console/start", fields).status == 303
    engagements = client(seed_server.url).list_engagements()["Engagements"]
    assert [e["ContactArn"] for e in engagements] == [AKUAM]
    assert '<p class="bubble">check the dashboard</p>' in _inbox(get(seed_server.url).text, "akuam")


def test_the_engagement_view_has_arn_state_pages_and_stages(seed_server: RunningServer) -> None:
    arn = start_engagement(seed_server.url)
    seed_server.endpoint.advance(5 * 60)
    page = get(seed_server.url, "/_escsim/console/engagements").text
    assert f"<code>{arn}</code>" in page
    assert '<dd class="state">active</dd>' in page
    assert "Stage 2 of example_escalation&#39;s plan started" in page
    assert "Page to alejr created" in page
    assert page.count("<tr><td>") == 2  # the pages of akuam and alejr


def test_clock_buttons_advance_by_1_5_15_minutes_and_to_the_next_event(
    seed_server: RunningServer,
) -> None:
    page = get(seed_server.url).text
    for label in ("Advance 1 minute", "Advance 5 minutes", "Advance 15 minutes"):
        assert f">{label}</button>" in page
    assert 'value="next" disabled>Advance to the next event' in page  # nothing scheduled yet
    start = seed_server.endpoint.now()
    for step in ("60", "300", "900"):
        assert post(seed_server.url, "/_escsim/console/clock", {"advance": step}).status == 303
    assert seed_server.endpoint.now() - start == 60 + 300 + 900
    start_engagement(seed_server.url)
    now = seed_server.endpoint.now()
    assert post(seed_server.url, "/_escsim/console/clock", {"advance": "next"}).status == 303
    assert seed_server.endpoint.now() - now == 300  # the next stage: akuam's voice call
    bad = post(seed_server.url, "/_escsim/console/clock", {"advance": "7"})
    assert bad.status == 400
    assert "expected one of 60, 300, 900, next" in bad.text


def test_the_clock_shows_now_the_next_event_and_a_realtime_pace() -> None:
    from engine.http.clock import ClockMode

    with serve(seed_endpoint(clock=ClockMode(60.0))) as server:
        page = get(server.url).text
        assert "realtime clock at 60 times real time" in page
        assert "nothing scheduled" in page


def test_on_call_shows_who_is_on_call_now_and_the_next_hand_offs() -> None:
    with serve(seed_endpoint(__import__("pathlib").Path(ONCALL))) as server:
        page = get(server.url, "/_escsim/console/oncall").text
        rotations = client(server.url).list_rotations()["Rotations"]
        assert rotations
        for rotation in rotations:
            assert f'<th scope="row">{rotation["Name"]}</th>' in page
        now = re.findall(r'<td class="now">([^<]*)</td>', page)
        assert now and all(cell != "nobody" for cell in now)
        assert '<ul class="handoffs">' in page
        assert re.search(r"<li><time datetime=\"[0-9T:Z-]+\">[^<]+</time>: \w+", page)


def test_the_seed_has_no_rotations_and_says_so(seed_server: RunningServer) -> None:
    assert (
        "No rotations or on-call schedules here."
        in get(seed_server.url, "/_escsim/console/oncall").text
    )


def test_assets_come_from_the_package(seed_server: RunningServer) -> None:
    page = get(seed_server.url).text
    sources = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', page)
    assert sources == ["/_escsim/console/static/console.css", "/_escsim/console/static/console.js"]
    for source, media in zip(sources, ("text/css", "text/javascript"), strict=True):
        answer = get(seed_server.url, source)
        assert answer.status == 200
        assert answer.headers["content-type"].startswith(media)
        assert "http://" not in answer.text and "https://" not in answer.text


def test_an_activation_code_is_shown_as_such(seed_server: RunningServer) -> None:
    client(seed_server.url).create_contact_channel(
        ContactId=AKUAM,
        Name="pager",
        Type="SMS",
        DeliveryAddress={"SimpleAddress": "+15005550199"},
    )
    code = seed_server.simulator.outbox[-1]["Code"]
    box = _inbox(get(seed_server.url).text, "akuam")
    assert '<span class="kind">activation</span>' in box
    assert f"Activation code <code>{code}</code>" in box
    assert ">Acknowledge</button>" not in box  # no page to acknowledge


def test_another_account_or_region_is_shown_when_asked_for(seed_server: RunningServer) -> None:
    elsewhere = boto3.client(
        "ssm-contacts",
        endpoint_url=seed_server.url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    kofi = elsewhere.create_contact(Alias="kofi", Type="PERSONAL", Plan={"Stages": []})
    query = "?account=111122223333&region=eu-west-1"
    home = get(seed_server.url).text
    assert (
        f'<a href="/_escsim/console{query.replace("&", "&amp;")}">111122223333 eu-west-1</a>'
        in home
    )
    assert ">kofi</h2>" not in home
    there = get(seed_server.url, "/_escsim/console" + query).text
    assert ">kofi</h2>" in there and ">akuam</h2>" not in there
    assert '<input type="hidden" name="region" value="eu-west-1">' in there
    fields = {
        "contact": kofi["ContactArn"],
        "sender": "console",
        "subject": "s",
        "content": "c",
        "account": "111122223333",
        "region": "eu-west-1",
        "back": "/_escsim/console/engagements",
    }
    done = post(seed_server.url, "/_escsim/console/start", fields)
    assert done.headers["location"] == "/_escsim/console/engagements" + query
    assert len(elsewhere.list_engagements()["Engagements"]) == 1
    assert client(seed_server.url).list_engagements()["Engagements"] == []
    unknown = get(seed_server.url, "/_escsim/console?account=444455556666")
    assert unknown.status == 404
    assert "Nothing is kept for account &#39;444455556666&#39;" in unknown.text
