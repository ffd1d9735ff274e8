"""The console in a real browser: Playwright driving Debian's Chromium, headless.

The four scenarios of the issue, against a server started from the seed scenario: a started
engagement's SMS appears in akuam's inbox without a reload; "Acknowledge" stops the escalation and
the timeline says so; advancing the clock brings the next stage's call; hostile message text is
shown as text. Elements are found by role and accessible name, and waited for with Playwright's
auto-waiting assertions: no sleeps.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from engine.http import RunningServer
from engine.http.admin import AdminGuard
from tests.console.conftest import HOSTILE, request, seed_endpoint, serve, start_engagement

playwright_sync = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("ESCSIM_CHROMIUM", "/usr/bin/chromium")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium", allow_module_level=True)
expect = playwright_sync.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_sync.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def _inbox(page: Any, alias: str) -> Any:
    return page.get_by_role("region", name=alias, exact=True)


def _mark_document(page: Any) -> None:
    """Leave a mark in this document: a reload would lose it."""
    page.evaluate("window.escsimTestMark = 'still here'")


def _same_document(page: Any) -> bool:
    return page.evaluate("window.escsimTestMark") == "still here"


def test_a_started_engagements_sms_appears_in_akuams_inbox_without_a_reload(
    seed_server: RunningServer, page: Any
) -> None:
    page.goto(seed_server.url + "/_escsim/console")
    akuam = _inbox(page, "akuam")
    expect(akuam.get_by_role("heading", name="akuam")).to_be_visible()
    expect(akuam.get_by_text("No messages yet.")).to_be_visible()
    _mark_document(page)

    start_engagement(seed_server.url, PublicContent="Testing engagements va CLI")

    sms = akuam.get_by_role("listitem", name="SMS at 09:00:00")
    expect(sms).to_be_visible()
    expect(sms.get_by_text("Testing engagements va CLI")).to_be_visible()
    code = seed_server.simulator.outbox[-1]["Code"]
    expect(sms.get_by_text(code)).to_be_visible()
    expect(sms.get_by_text("SENT", exact=True)).to_be_visible()
    assert _same_document(page)


def test_acknowledge_stops_the_escalation_and_the_timeline_says_so(
    seed_server: RunningServer, page: Any
) -> None:
    start_engagement(seed_server.url)
    page.goto(seed_server.url + "/_escsim/console")
    akuam = _inbox(page, "akuam")
    akuam.get_by_role("button", name="Acknowledge").click()
    expect(akuam.get_by_text("acknowledged 09:00:00")).to_be_visible()
    expect(akuam.get_by_role("button", name="Acknowledge")).to_have_count(0)

    page.get_by_role("button", name="Advance 5 minutes").click()
    expect(page.get_by_text("2026-01-01 09:05:00 UTC")).to_be_visible()
    expect(_inbox(page, "alejr").get_by_text("No messages yet.")).to_be_visible()  # never paged

    page.get_by_role("link", name="Engagements").click()
    engagement = page.get_by_role("article", name="Engagement of example_escalation: acknowledged")
    expect(engagement).to_be_visible()
    timeline = engagement.get_by_role("list").filter(has_text="Escalation stopped")
    expect(timeline.get_by_text("Escalation stopped: akuam acknowledged")).to_be_visible()
    expect(engagement.get_by_text("akuam at 09:00:00")).to_be_visible()


def test_advancing_the_clock_brings_the_next_stages_call(
    seed_server: RunningServer, page: Any
) -> None:
    start_engagement(seed_server.url, Subject="db-1 down", Content="Disk is full")
    page.goto(seed_server.url + "/_escsim/console")
    akuam = _inbox(page, "akuam")
    expect(akuam.get_by_role("listitem", name="SMS at 09:00:00")).to_be_visible()
    expect(akuam.get_by_role("listitem", name="VOICE at 09:05:00")).to_have_count(0)

    page.get_by_role("button", name="Advance 5 minutes").click()
    call = akuam.get_by_role("listitem", name="VOICE at 09:05:00")
    expect(call).to_be_visible()
    expect(call.get_by_text("Spoken: “db-1 down. Disk is full")).to_be_visible()
    _mark_document(page)

    # Moved by another client: alejr's call arrives in the open page when it is sent.
    alejr = _inbox(page, "alejr")
    expect(alejr.get_by_role("listitem", name="VOICE at 09:10:00")).to_have_count(0)
    moved = request(
        seed_server.url,
        "POST",
        "/_escsim/clock",
        b'{"AdvanceSeconds": 300}',
        {"Content-Type": "application/json"},
    )
    assert moved.status == 200
    expect(alejr.get_by_role("listitem", name="VOICE at 09:10:00")).to_be_visible()
    expect(page.get_by_text("2026-01-01 09:10:00 UTC")).to_be_visible()
    assert _same_document(page)


def test_hostile_message_text_is_shown_as_text(seed_server: RunningServer, page: Any) -> None:
    script, image = HOSTILE
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(seed_server.url + "/_escsim/console")
    _mark_document(page)

    # Arrives while the page is open, through the live update.
    start_engagement(seed_server.url, Subject=script, Content=image, PublicContent=script)
    akuam = _inbox(page, "akuam")
    expect(akuam.get_by_text(script, exact=True)).to_be_visible()
    page.get_by_role("button", name="Advance 5 minutes").click()
    call = akuam.get_by_role("listitem", name="VOICE at 09:05:00")
    expect(call).to_contain_text(f"{script}. {image}")
    expect(page.locator("img")).to_have_count(0)
    expect(page.locator("main script")).to_have_count(0)

    page.get_by_role("link", name="Engagements").click()
    facts = page.get_by_role("article").first
    expect(facts.get_by_text(script, exact=True)).to_have_count(2)  # subject, public text
    expect(facts.get_by_text(image, exact=True)).to_be_visible()
    expect(page.locator("img")).to_have_count(0)
    assert dialogs == []


def test_the_console_works_from_the_keyboard(seed_server: RunningServer, page: Any) -> None:
    start_engagement(seed_server.url)
    page.goto(seed_server.url + "/_escsim/console")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="escsim console")).to_be_focused()
    advance = page.get_by_role("button", name="Advance 1 minute")
    for _ in range(10):  # the views' links, then the clock's buttons, in reading order
        if advance.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(advance).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("2026-01-01 09:01:00 UTC")).to_be_visible()
    acknowledge = _inbox(page, "akuam").get_by_role("button", name="Acknowledge")
    acknowledge.focus()
    page.keyboard.press("Enter")
    expect(_inbox(page, "akuam").get_by_text("acknowledged 09:01:00")).to_be_visible()


def test_a_live_update_keeps_what_was_typed(seed_server: RunningServer, page: Any) -> None:
    first = start_engagement(seed_server.url)
    page.goto(seed_server.url + "/_escsim/console/engagements")
    engagement = page.get_by_role("article").filter(has_text=first)
    engagement.get_by_role("textbox", name="Reason (optional)").fill("half typed")
    page.get_by_role("textbox", name="Subject", exact=True).fill("draft subject")
    _mark_document(page)

    second = start_engagement(seed_server.url)  # listed first, with a reason field of its own

    expect(page.get_by_role("article").filter(has_text=second)).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(2)
    reason = engagement.get_by_role("textbox", name="Reason (optional)")
    expect(reason).to_have_value("half typed")
    expect(page.get_by_role("textbox", name="Subject", exact=True)).to_have_value("draft subject")
    assert _same_document(page)


def test_with_an_admin_token_the_browser_signs_in_then_stays_live(page: Any) -> None:
    with serve(seed_endpoint(admin=AdminGuard("game-day-token"))) as server:
        page.goto(server.url + "/_escsim/console")
        page.get_by_label("Admin token").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("not this endpoint")
        page.get_by_label("Admin token").fill("game-day-token")
        page.get_by_role("button", name="Sign in").click()
        akuam = _inbox(page, "akuam")
        expect(akuam.get_by_role("heading", name="akuam")).to_be_visible()
        _mark_document(page)
        start_engagement(server.url, PublicContent="after signing in")
        expect(akuam.get_by_text("after signing in")).to_be_visible()
        assert _same_document(page)
