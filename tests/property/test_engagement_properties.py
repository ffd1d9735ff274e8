"""Properties of every run: determinism, ordering, silence after READ and StopEngagement, ends.

Each property holds for any organisation, settings, responders and script the strategies of
``test_generated_organisations`` produce. The ``slow`` variants check them all on many more cases.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings

from engine import Simulator
from tests.property.test_generated_organisations import (
    FAST,
    SECRET,
    Case,
    cases,
    run_case,
)


def page_creation_times(sim: Simulator) -> dict[str, float]:
    return {e["PageArn"]: e["Time"] for e in sim.events if e["Type"] == "PAGE_CREATED"}


# -- the checks, shared by the fast properties and the slow sweep --------------------------------


def check_deterministic(case: Case, sim: Simulator) -> None:
    twin, _ = run_case(case)
    assert json.dumps(twin.outbox) == json.dumps(sim.outbox)
    assert json.dumps(twin.events) == json.dumps(sim.events)


def check_no_receipt_precedes_its_page(sim: Simulator) -> None:
    created: set[str] = set()
    times = page_creation_times(sim)
    for event in sim.events:
        if event["Type"] == "PAGE_CREATED":
            created.add(event["PageArn"])
        elif event["Type"] == "RECEIPT":
            assert event["PageArn"] in created, event
            assert event["Time"] >= times[event["PageArn"]], event


def check_nothing_sent_after_read_or_stop(sim: Simulator) -> None:
    closed: set[str] = set()
    for event in sim.events:
        page = event.get("PageArn")
        if page in closed:
            assert event["Type"] != "MESSAGE", event
            assert event.get("ReceiptType") not in ("SENT", "ERROR", "DELIVERED"), event
        if event["Type"] == "RECEIPT" and event["ReceiptType"] in ("READ", "STOP"):
            closed.add(event["PageArn"])


def check_nothing_after_stop_engagement(sim: Simulator) -> None:
    stopped: set[str] = set()
    for event in sim.events:
        engagement = event.get("EngagementArn")
        assert engagement not in stopped, event
        if event["Type"] == "ENGAGEMENT_STOPPED":
            stopped.add(engagement)
    stop_times = {
        e["EngagementArn"]: e["Time"] for e in sim.events if e["Type"] == "ENGAGEMENT_STOPPED"
    }
    for message in sim.outbox:
        if message["Kind"] == "PAGE" and message["EngagementArn"] in stop_times:
            assert message["Time"] <= stop_times[message["EngagementArn"]], message


def check_at_most_one_read_per_page(sim: Simulator) -> None:
    reads = Counter(
        e["PageArn"] for e in sim.events if e["Type"] == "RECEIPT" and e["ReceiptType"] == "READ"
    )
    assert all(count == 1 for count in reads.values()), reads


def check_messages_and_send_receipts_correspond(sim: Simulator) -> None:
    messages = [m for m in sim.outbox if m["Kind"] == "PAGE"]
    receipts = [
        e for e in sim.events if e["Type"] == "RECEIPT" and e["ReceiptType"] in ("SENT", "ERROR")
    ]
    logged = [e for e in sim.events if e["Type"] == "MESSAGE"]
    assert len(messages) == len(receipts) == len(logged)
    for message, receipt, entry in zip(messages, receipts, logged, strict=True):
        key = (message["Time"], message["PageArn"], message["ContactChannelArn"])
        assert key == (receipt["Time"], receipt["PageArn"], receipt["ContactChannelArn"])
        assert key == (entry["Time"], entry["PageArn"], entry["ContactChannelArn"])
        assert message["Outcome"] == receipt["ReceiptType"] == entry["Outcome"]
        assert message["Attempt"] == entry["Attempt"]


def check_every_engagement_ends(sim: Simulator) -> None:
    started = [e["EngagementArn"] for e in sim.events if e["Type"] == "ENGAGEMENT_STARTED"]
    for engagement in started:
        ended = [
            e["Type"]
            for e in sim.events
            if e.get("EngagementArn") == engagement
            and e["Type"] in ("ENGAGEMENT_ENDED", "ENGAGEMENT_STOPPED")
        ]
        assert ended in (
            ["ENGAGEMENT_ENDED"],
            ["ENGAGEMENT_STOPPED"],
            ["ENGAGEMENT_ENDED", "ENGAGEMENT_STOPPED"],
        ), (engagement, ended)


def essential_pages(sim: Simulator) -> set[str]:
    """Pages created for an essential target of an escalation stage, read from the plans."""
    client = sim.client()
    essential = set()
    for engagement in sim.result()["engagements"]:
        top = client.get_contact(ContactId=engagement["ContactArn"])
        if top["Type"] != "ESCALATION":
            continue
        stages = top["Plan"]["Stages"]
        for page in engagement["Pages"]:
            stage = page["Resolutions"][0]["StageIndex"]
            flags = [
                t["ContactTargetInfo"]["IsEssential"]
                for t in stages[stage]["Targets"]
                if t["ContactTargetInfo"]["ContactId"] == page["ContactArn"]
            ]
            if flags == [True]:
                essential.add(page["PageArn"])
    return essential


def check_no_stage_after_an_essential_read(sim: Simulator) -> None:
    essential = essential_pages(sim)
    halted: set[str] = set()
    for event in sim.events:
        if event["Type"] == "STAGE_STARTED" and "PageArn" not in event:
            assert event["EngagementArn"] not in halted, event
        if (
            event["Type"] == "RECEIPT"
            and event["ReceiptType"] == "READ"
            and event["PageArn"] in essential
        ):
            halted.add(event["EngagementArn"])


def check_sms_never_carries_secure_texts(sim: Simulator) -> None:
    for message in sim.outbox:
        if message["Kind"] == "PAGE" and message["ChannelType"] == "SMS":
            assert SECRET not in message.get("Subject", ""), message
            assert SECRET not in message.get("Content", ""), message
        elif message["Kind"] == "PAGE":
            assert message["Subject"].startswith(SECRET), message


def check_page_times_follow_the_receipts(sim: Simulator) -> None:
    for engagement in sim.result()["engagements"]:
        for page in engagement["Pages"]:
            receipts = page["Receipts"]
            times = {
                kind: [r["ReceiptTime"] for r in receipts if r["ReceiptType"] == kind]
                for kind in ("SENT", "DELIVERED", "READ")
            }
            assert page.get("SentTime") == (times["SENT"][-1] if times["SENT"] else None)
            assert page.get("DeliveryTime") == (
                times["DELIVERED"][0] if times["DELIVERED"] else None
            )
            assert page.get("ReadTime") == (times["READ"][0] if times["READ"] else None)
            assert [r["ReceiptTime"] for r in receipts] == sorted(
                r["ReceiptTime"] for r in receipts
            )


def check_receipts_listed_match_the_event_log(sim: Simulator) -> None:
    result = json.loads(json.dumps(sim.result()))
    logged: dict[str, list[tuple[Any, ...]]] = {}
    for e in sim.events:
        if e["Type"] == "RECEIPT":
            logged.setdefault(e["PageArn"], []).append(
                (e["Time"], e["ReceiptType"], e.get("ContactChannelArn"), e.get("ReceiptInfo"))
            )
    listed = {
        page["PageArn"]: [
            (r["ReceiptTime"], r["ReceiptType"], r.get("ContactChannelArn"), r.get("ReceiptInfo"))
            for r in page["Receipts"]
        ]
        for engagement in result["engagements"]
        for page in engagement["Pages"]
    }
    assert {k: v for k, v in listed.items() if v} == logged


# -- fast properties ----------------------------------------------------------------------------


@FAST
@given(case=cases())
def test_same_seed_gives_identical_outbox_and_events(case: Case) -> None:
    sim, _ = run_case(case)
    check_deterministic(case, sim)


@FAST
@given(case=cases())
def test_no_receipt_precedes_its_page(case: Case) -> None:
    check_no_receipt_precedes_its_page(run_case(case)[0])


@FAST
@given(case=cases())
def test_nothing_is_sent_on_a_page_after_its_read_or_stop(case: Case) -> None:
    check_nothing_sent_after_read_or_stop(run_case(case)[0])


@FAST
@given(case=cases())
def test_nothing_happens_in_an_engagement_after_stop_engagement(case: Case) -> None:
    check_nothing_after_stop_engagement(run_case(case)[0])


@FAST
@given(case=cases())
def test_a_page_is_read_at_most_once(case: Case) -> None:
    check_at_most_one_read_per_page(run_case(case)[0])


@FAST
@given(case=cases())
def test_page_messages_and_sent_or_error_receipts_correspond_one_to_one(case: Case) -> None:
    check_messages_and_send_receipts_correspond(run_case(case)[0])


@FAST
@given(case=cases())
def test_every_engagement_ends_once_the_run_is_over(case: Case) -> None:
    check_every_engagement_ends(run_case(case)[0])


@FAST
@given(case=cases())
def test_no_escalation_stage_starts_after_an_essential_read(case: Case) -> None:
    check_no_stage_after_an_essential_read(run_case(case)[0])


@FAST
@given(case=cases())
def test_sms_messages_never_carry_the_secure_texts(case: Case) -> None:
    check_sms_never_carries_secure_texts(run_case(case)[0])


@FAST
@given(case=cases())
def test_page_times_follow_the_receipts(case: Case) -> None:
    check_page_times_follow_the_receipts(run_case(case)[0])


@FAST
@given(case=cases())
def test_receipts_listed_match_the_event_log(case: Case) -> None:
    check_receipts_listed_match_the_event_log(run_case(case)[0])


# -- the long sweep -----------------------------------------------------------------------------


@pytest.mark.slow
@settings(FAST, max_examples=1500)
@given(case=cases(max_steps=30))
def test_every_property_holds_on_long_scripts(case: Case) -> None:
    sim, _ = run_case(case)
    check_deterministic(case, sim)
    check_no_receipt_precedes_its_page(sim)
    check_nothing_sent_after_read_or_stop(sim)
    check_nothing_after_stop_engagement(sim)
    check_at_most_one_read_per_page(sim)
    check_messages_and_send_receipts_correspond(sim)
    check_every_engagement_ends(sim)
    check_no_stage_after_an_essential_read(sim)
    check_sms_never_carries_secure_texts(sim)
    check_page_times_follow_the_receipts(sim)
    check_receipts_listed_match_the_event_log(sim)
