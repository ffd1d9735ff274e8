"""docs/semantics.md E1-E15: engagements, stages, pages, messages, retries and acknowledgement."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine import Simulator
from engine.check import check_records
from engine.errors import ValidationException
from engine.sim.responders import ScriptedResponder
from tests.builders import PREFIX, START, START_EPOCH, Org, contact_arn, events_of, offset

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def page_of(org: Org, engagement: str, alias: str, nth: int = 0) -> str:
    pages = [
        p["PageArn"]
        for p in org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
        if p["ContactArn"] == contact_arn(alias)
    ]
    return str(pages[nth])


def carrier_org(**knobs: object) -> Org:
    """An organisation in a run that records carrier receipts (delivery_receipts=carrier, E7)."""
    sim = Simulator(seed=7, start=START, region="us-east-2", delivery_receipts="carrier", **knobs)
    return Org(sim, sim.client())


def engage_akuam(org: Org, seconds: float) -> tuple[str, str]:
    """The seed's organisation, akuam engaged directly, ``seconds`` run: (engagement, page)."""
    org.seed()
    engagement = org.engage("akuam")
    org.sim.advance(seconds)
    return engagement, page_of(org, engagement, "akuam")


def messages(org: Org, **match: object) -> list[dict[str, object]]:
    return [
        m
        for m in org.sim.outbox
        if m["Kind"] == "PAGE" and all(m.get(k) == v for k, v in match.items())
    ]


def offset_of(receipt: dict[str, object]) -> float:
    """Seconds from the run's start to a listed receipt's ReceiptTime."""
    moment = receipt["ReceiptTime"]
    assert isinstance(moment, dt.datetime)
    return round(moment.timestamp() - START_EPOCH, 3)


def receipt_types(org: Org, page: str) -> list[str]:
    return [r["ReceiptType"] for r in org.client.list_page_receipts(PageId=page)["Receipts"]]


def test_E1_engagement_arn_names_the_engaged_alias_and_a_uuid(org: Org) -> None:
    org.seed()
    arn = org.engage("example_escalation")
    assert re.fullmatch(re.escape(PREFIX) + "engagement/example_escalation/" + UUID, arn)
    assert org.client.describe_engagement(EngagementId=arn)["StartTime"] == org.sim.now


def test_E1a_engaging_a_personal_contact_pages_that_contact_alone(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.sim.run()
    pages = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    assert [p["ContactArn"] for p in pages] == [contact_arn("akuam")]
    resolutions = org.client.list_page_resolutions(PageId=pages[0]["PageArn"])["PageResolutions"]
    assert resolutions == [{"ContactArn": contact_arn("akuam"), "Type": "PERSONAL"}]


def test_E1b_plan_edits_after_the_start_reach_later_engagements_only(org: Org) -> None:
    org.seed()
    first = org.engage("example_escalation")
    org.client.update_contact(
        ContactId=contact_arn("example_escalation"),
        Plan={
            "Stages": [
                {
                    "DurationInMinutes": 5,
                    "Targets": [
                        {
                            "ContactTargetInfo": {
                                "ContactId": contact_arn("anasi"),
                                "IsEssential": True,
                            }
                        }
                    ],
                }
            ]
        },
    )
    second = org.engage("example_escalation")
    org.sim.run()
    first_contacts = {
        p["ContactArn"] for p in org.client.list_pages_by_engagement(EngagementId=first)["Pages"]
    }
    second_contacts = {
        p["ContactArn"] for p in org.client.list_pages_by_engagement(EngagementId=second)["Pages"]
    }
    assert first_contacts == {contact_arn(a) for a in ("akuam", "alejr", "anasi")}
    assert second_contacts == {contact_arn("anasi")}


def test_E2_stage_k_starts_at_the_sum_of_earlier_durations(org: Org) -> None:
    org.seed()
    org.engage("example_escalation")
    org.sim.run()
    escalation_stages = [e for e in events_of(org.sim, "STAGE_STARTED") if "PageArn" not in e]
    assert [(e["StageIndex"], offset(e)) for e in escalation_stages] == [
        (0, 0.0),
        (1, 300.0),
        (2, 600.0),
    ]


def test_E2_a_plan_runs_once_unless_repeat_is_set() -> None:
    for repeat, expected in ((0, 3), (2, 9)):
        sim = Simulator(seed=1, start=START, region="us-east-2", repeat=repeat)
        org = Org(sim, sim.client())
        org.seed()
        org.engage("example_escalation")
        sim.run()
        stages = [e for e in events_of(sim, "STAGE_STARTED") if "PageArn" not in e]
        assert len(stages) == expected
        if repeat:
            # The second pass starts when the last stage's duration (0 minutes) has elapsed.
            assert [offset(e) for e in stages[3:6]] == [600.0, 900.0, 1200.0]


def test_E3_each_target_runs_its_own_plan_from_the_stage_start(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.run()
    alejr_page = page_of(org, engagement, "alejr")
    alejr_stages = events_of(org.sim, "STAGE_STARTED", PageArn=alejr_page)
    assert [offset(e) for e in alejr_stages] == [300.0, 600.0, 900.0]


def test_E4_page_arn_names_the_personal_alias_and_carries_the_top_engagement(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    page = page_of(org, engagement, "akuam")
    assert re.fullmatch(re.escape(PREFIX) + "page/akuam/" + UUID, page)
    assert org.client.describe_page(PageId=page)["EngagementArn"] == engagement
    assert org.client.list_engagements()["Engagements"][0]["EngagementArn"] == engagement
    assert len(org.client.list_engagements()["Engagements"]) == 1


def test_E4_a_contact_engaged_twice_gets_two_pages_unless_dedupe(org: Org) -> None:
    org.seed()
    org.escalation("twice", [(5, [("akuam", False)]), (5, [("akuam", False)])])
    engagement = org.engage("twice")
    org.sim.run()
    assert len(org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]) == 2

    sim = Simulator(seed=7, start=START, region="us-east-2", dedupe_contacts=True)
    deduped = Org(sim, sim.client())
    deduped.person("akuam")
    deduped.escalation("twice", [(5, [("akuam", False)]), (5, [("akuam", False)])])
    engagement = deduped.engage("twice")
    sim.run()
    assert len(deduped.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]) == 1
    assert events_of(sim, "TARGET_SKIPPED")[0]["StageIndex"] == 1


def test_E5_only_activated_channels_are_paged_others_are_skipped(org: Org) -> None:
    org.person("akuam", stages=[(5, ["SMS", "VOICE"], 0)], activate=("SMS",))
    engagement = org.engage("akuam")
    page = page_of(org, engagement, "akuam")
    assert [m["ChannelType"] for m in messages(org, PageArn=page)] == ["SMS"]
    skipped = events_of(org.sim, "CHANNEL_SKIPPED", PageArn=page)
    assert [(s["ContactChannelArn"], s["Reason"]) for s in skipped] == [
        (org.channels["akuam"]["VOICE"], "channel not activated")
    ]


def test_E5_every_retry_checks_the_channel_again() -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", fail_probability=1.0)
    org = Org(sim, sim.client())
    org.person("akuam", stages=[(5, ["SMS"], 1)])
    org.engage("akuam")
    sim.advance(30)
    org.client.deactivate_contact_channel(ContactChannelId=org.channels["akuam"]["SMS"])
    sim.run()
    assert [m["Attempt"] for m in messages(org)] == [1]
    assert [offset(e) for e in events_of(sim, "CHANNEL_SKIPPED")] == [60.0]


def test_E6_voice_and_email_carry_secure_texts_sms_the_public_ones(org: Org) -> None:
    org.person("akuam", stages=[(5, ["SMS", "VOICE", "EMAIL"], 0)])
    org.engage("akuam")
    by_type = {m["ChannelType"]: m for m in messages(org)}
    assert (by_type["SMS"]["Subject"], by_type["SMS"]["Content"]) == (
        "cli-test",
        "Testing engagements va CLI",
    )
    for kind in ("VOICE", "EMAIL"):
        assert (by_type[kind]["Subject"], by_type[kind]["Content"]) == (
            "cli-test",
            "Testing engagements via CLI",
        )
    codes = {m["Code"] for m in by_type.values()}
    assert len(codes) == 1 and re.fullmatch(r"[0-9]{6}", codes.pop())


def test_E6_sms_without_public_fields_gets_a_neutral_notice_never_secure_text(org: Org) -> None:
    org.person("akuam", stages=[(5, ["SMS"], 0)])
    org.client.start_engagement(
        ContactId=contact_arn("akuam"), Sender="ops-bot", Subject="SECRET", Content="db password"
    )
    (sms,) = messages(org)
    assert "Subject" not in sms
    assert "SECRET" not in sms["Content"] and "password" not in sms["Content"]
    assert "ops-bot" in sms["Content"] and sms["Code"] in sms["Content"]


def test_E7_delivered_receipts_come_only_from_accept_page_by_default(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.sim.run()
    page = page_of(org, engagement, "akuam")
    assert receipt_types(org, page) == ["SENT", "SENT", "SENT"]  # three arrivals, no DELIVERED
    assert not events_of(org.sim, "RECEIPT", ReceiptType="DELIVERED")
    assert "DeliveryTime" not in org.client.describe_page(PageId=page)
    org.sim.advance(60)
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode="425440")
    org.sim.advance(0.4)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="425440")
    receipts = org.client.list_page_receipts(PageId=page)["Receipts"]
    assert [(r["ReceiptType"], r.get("ReceiptInfo")) for r in receipts[3:]] == [
        ("DELIVERED", "425440"),
        ("READ", "425440"),
    ]
    described = org.client.describe_page(PageId=page)
    assert described["DeliveryTime"] == org.sim.start.replace(minute=11)
    assert (described["ReadTime"] - described["DeliveryTime"]).total_seconds() == 0.4
    listed = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]
    assert listed["DeliveryTime"] == described["DeliveryTime"]


def test_E7_carrier_records_a_delivered_at_each_arrival_until_the_page_is_read() -> None:
    org = carrier_org()
    # SMS sent at 0 (arrives 5 s), VOICE at 300 (arrives at 320)
    _engagement, page = engage_akuam(org, 320)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="425440")
    org.sim.run()
    receipts = org.client.list_page_receipts(PageId=page)["Receipts"]
    assert [(r["ReceiptType"], offset_of(r)) for r in receipts] == [
        ("SENT", 0.0),
        ("DELIVERED", 5.0),
        ("SENT", 300.0),
        ("DELIVERED", 320.0),  # arrivals run before a request at the same instant (T1c)
        ("READ", 320.0),
    ]
    assert receipts[1]["ReceiptInfo"] == receipts[0]["ReceiptInfo"]
    assert receipts[3]["ReceiptInfo"] == receipts[2]["ReceiptInfo"]


def test_E7_carrier_records_no_delivered_once_the_engagement_is_stopped() -> None:
    org = carrier_org()
    engagement, page = engage_akuam(org, 2)
    org.client.stop_engagement(EngagementId=engagement)
    org.sim.run()
    assert receipt_types(org, page) == ["SENT", "STOP"]


def test_E7_failed_sends_give_error_receipts_and_no_delivery() -> None:
    org = carrier_org(fail_probability={"SMS": 1.0})
    sim = org.sim
    org.person("akuam", stages=[(5, ["SMS"], 0), (5, ["VOICE"], 0)])
    engagement = org.engage("akuam")
    sim.run()
    page = page_of(org, engagement, "akuam")
    assert receipt_types(org, page) == ["ERROR", "SENT", "DELIVERED"]
    assert [m["Outcome"] for m in messages(org)] == ["ERROR", "SENT"]


def test_E7_delivery_follows_the_channel_latency() -> None:
    org = carrier_org(latency={"VOICE": 42})
    sim = org.sim
    org.person("akuam", stages=[(5, ["SMS", "VOICE", "EMAIL"], 0)])
    org.engage("akuam")
    sim.run()
    delivered = {
        e["ContactChannelArn"]: offset(e)
        for e in events_of(sim, "RECEIPT", ReceiptType="DELIVERED")
    }
    channels = org.channels["akuam"]
    assert delivered == {channels["SMS"]: 5.0, channels["VOICE"]: 42.0, channels["EMAIL"]: 30.0}


def test_E7_no_delivered_receipt_after_the_page_is_acknowledged() -> None:
    org = carrier_org()
    org.person("akuam", stages=[(5, ["EMAIL"], 0)])
    engagement = org.engage("akuam")
    page = page_of(org, engagement, "akuam")
    org.sim.advance(10)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="000000")
    org.sim.run()
    assert receipt_types(org, page) == ["SENT", "READ"]


def test_E8_a_failed_send_is_retried_after_the_interval_at_most_max_retries() -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", fail_probability=1.0, max_retries=2)
    org = Org(sim, sim.client())
    org.person("akuam", stages=[(30, ["SMS"], 4)])
    org.engage("akuam")
    sim.run()
    assert [(m["Attempt"], offset(m)) for m in messages(org)] == [
        (1, 0.0),
        (2, 240.0),
        (3, 480.0),
    ]


def test_E8_retries_are_not_limited_by_the_stage_duration() -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", fail_probability=1.0)
    org = Org(sim, sim.client())
    org.person("akuam", stages=[(1, ["SMS"], 10)])
    org.engage("akuam")
    sim.run()
    assert [offset(m) for m in messages(org)] == [0.0, 600.0, 1200.0, 1800.0]


def test_E8_a_zero_or_missing_retry_interval_means_no_retry() -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", fail_probability=1.0)
    org = Org(sim, sim.client())
    arn = org.person("akuam", stages=[(5, ["SMS"], 0)])
    org.client.create_contact(Alias="nobody", Type="PERSONAL", Plan={"Stages": []})
    org.engage(arn)
    sim.run()
    assert len(messages(org)) == 1
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [
                    {"ChannelTargetInfo": {"ContactChannelId": org.channels["akuam"]["VOICE"]}}
                ],
            }
        ]
    }
    org.client.update_contact(ContactId=arn, Plan=plan)
    org.engage(arn)
    sim.run()
    assert len(messages(org)) == 2


def test_E8_until_ack_resends_every_interval_within_the_stage() -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", retry_mode="until_ack")
    org = Org(sim, sim.client())
    org.person("akuam", stages=[(5, ["SMS"], 2), (0, ["EMAIL"], 1)])
    engagement = org.engage("akuam")
    sim.advance(250)
    org.client.accept_page(
        PageId=page_of(org, engagement, "akuam"), AcceptType="READ", AcceptCode="123456"
    )
    sim.run()
    assert [(m["ChannelType"], m["Attempt"], offset(m)) for m in messages(org)] == [
        ("SMS", 1, 0.0),
        ("SMS", 2, 120.0),
        ("SMS", 3, 240.0),
    ]


@pytest.mark.parametrize(
    ("engaged_at", "minutes", "retry", "expected"),
    [
        (0.0, 5, 1, [0.0, 60.0, 120.0, 180.0, 240.0]),  # the interval divides the stage
        (0.011, 5, 1, [0.0, 60.0, 120.0, 180.0, 240.0]),  # 0.011 + 5 x 60 rounds below 300.011
        (0.003, 12, 4, [0.0, 240.0, 480.0]),
        (5.169, 30, 1, [60.0 * k for k in range(30)]),  # thirty intervals added up
    ],
)
def test_E8_until_ack_never_resends_at_the_very_end_of_the_stage(
    engaged_at: float, minutes: int, retry: int, expected: list[float]
) -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", retry_mode="until_ack")
    org = Org(sim, sim.client())
    org.person("akuam", stages=[(minutes, ["SMS"], retry), (1, ["EMAIL"], 0)])
    sim.advance(engaged_at)
    org.engage("akuam")
    sim.run()
    sms = [round(offset(m) - engaged_at, 3) for m in messages(org, ChannelType="SMS")]
    assert sms == expected
    (email,) = messages(org, ChannelType="EMAIL")
    assert round(offset(email) - engaged_at, 3) == minutes * 60.0


def test_E9_read_closes_the_page_and_cancels_its_remaining_stages(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    page = page_of(org, engagement, "akuam")
    org.sim.advance(60)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="999999")
    org.sim.run()
    assert [m["ChannelType"] for m in messages(org, PageArn=page)] == ["SMS"]
    described = org.client.describe_page(PageId=page)
    assert described["ReadTime"] == org.sim.start.replace(minute=1)
    read = org.client.list_page_receipts(PageId=page)["Receipts"][-1]
    assert read["ReceiptType"] == "READ" and read["ReceiptInfo"] == "999999"
    assert read["ContactChannelArn"] == org.channels["akuam"]["SMS"]


def test_E9_delivered_acceptance_records_delivery_only(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    page = page_of(org, engagement, "akuam")
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode="123456")
    org.sim.run()
    assert len(messages(org, PageArn=page)) == 3
    assert receipt_types(org, page).count("READ") == 0


def test_E9_enforce_requires_the_page_code(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    page = page_of(org, engagement, "akuam")
    code = messages(org, PageArn=page)[0]["Code"]
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationException, match="AcceptCode"):
        org.client.accept_page(
            PageId=page, AcceptType="READ", AcceptCode=wrong, AcceptCodeValidation="ENFORCE"
        )
    assert "READ" not in receipt_types(org, page)
    org.client.accept_page(
        PageId=page, AcceptType="READ", AcceptCode=code, AcceptCodeValidation="ENFORCE"
    )
    assert receipt_types(org, page)[-1] == "READ"


def test_E9_a_second_read_is_idempotent(org: Org) -> None:
    org.seed()
    page = page_of(org, org.engage("akuam"), "akuam")
    for _ in range(2):
        org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="123456")
    assert receipt_types(org, page).count("READ") == 1


def test_E9_read_closes_only_the_page_acknowledged(org: Org) -> None:
    org.seed()
    org.escalation("both", [(5, [("akuam", False), ("alejr", False)])])
    engagement = org.engage("both")
    org.client.accept_page(
        PageId=page_of(org, engagement, "akuam"), AcceptType="READ", AcceptCode="123456"
    )
    org.sim.run()
    assert len(messages(org, PageArn=page_of(org, engagement, "alejr"))) == 3


def test_E9_accepting_a_page_of_a_stopped_engagement_records_nothing(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    page = page_of(org, engagement, "akuam")
    org.client.stop_engagement(EngagementId=engagement)
    before = list(org.sim.events)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="123456")
    assert org.sim.events == before
    assert "ReadTime" not in org.client.describe_page(PageId=page)


def test_E10_an_essential_acknowledgement_stops_later_stages(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance(180)
    page = page_of(org, engagement, "akuam")
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="123456")
    org.sim.run()
    contacts = [
        p["ContactArn"]
        for p in org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    ]
    assert contacts == [contact_arn("akuam")]
    assert events_of(org.sim, "ESCALATION_STOPPED") == [
        {
            "Time": org.sim.events[0]["Time"] + 180,
            "Type": "ESCALATION_STOPPED",
            "EngagementArn": engagement,
            "PageArn": page,
        }
    ]


def test_E10_open_pages_continue_after_an_essential_ack_by_default(org: Org) -> None:
    org.seed()
    org.escalation("pair", [(5, [("akuam", True), ("alejr", False)]), (5, [("anasi", False)])])
    engagement = org.engage("pair")
    org.client.accept_page(
        PageId=page_of(org, engagement, "akuam"), AcceptType="READ", AcceptCode="123456"
    )
    org.sim.run()
    assert len(messages(org, PageArn=page_of(org, engagement, "alejr"))) == 3
    assert len(org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]) == 2


def essential_ack_under_stop_all(seconds: float) -> tuple[Org, str]:
    """essential_ack=stop_all; akuam (essential) and alejr paged together in stage 0, anasi in
    stage 1; akuam acknowledges after ``seconds``. Returns the organisation and the engagement."""
    sim = Simulator(seed=7, start=START, region="us-east-2", essential_ack="stop_all")
    org = Org(sim, sim.client())
    org.seed()
    org.escalation("pair", [(5, [("akuam", True), ("alejr", False)]), (5, [("anasi", False)])])
    engagement = org.engage("pair")
    sim.advance(seconds)
    org.client.accept_page(
        PageId=page_of(org, engagement, "akuam"), AcceptType="READ", AcceptCode="123456"
    )
    return org, engagement


def test_E10_stop_all_closes_other_open_pages_with_stop_receipts() -> None:
    org, engagement = essential_ack_under_stop_all(0)
    sim = org.sim
    sim.run()
    alejr = page_of(org, engagement, "alejr")
    assert receipt_types(org, alejr)[-1] == "STOP"
    assert len(messages(org, PageArn=alejr)) == 1
    assert "StopTime" not in org.client.describe_engagement(EngagementId=engagement)
    assert events_of(sim, "ENGAGEMENT_ENDED")


def test_E10_a_page_closed_by_stop_all_still_takes_accept_page() -> None:
    org, engagement = essential_ack_under_stop_all(60)
    sim = org.sim
    alejr = page_of(org, engagement, "alejr")
    assert receipt_types(org, alejr) == ["SENT", "STOP"]
    sim.advance(30)
    org.client.accept_page(PageId=alejr, AcceptType="DELIVERED", AcceptCode="654321")
    org.client.accept_page(PageId=alejr, AcceptType="READ", AcceptCode="654321")
    sim.run()
    assert receipt_types(org, alejr) == ["SENT", "STOP", "DELIVERED", "READ"]
    described = org.client.describe_page(PageId=alejr)
    assert (
        described["DeliveryTime"] == described["ReadTime"] == sim.start.replace(minute=1, second=30)
    )
    assert len(messages(org, PageArn=alejr)) == 1  # its cancelled stages stay cancelled
    assert check_records(sim.events, sim.outbox) == []


def test_E10_a_non_essential_acknowledgement_ends_only_that_contacts_plan(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance(420)
    org.client.accept_page(
        PageId=page_of(org, engagement, "alejr"), AcceptType="READ", AcceptCode="123456"
    )
    org.sim.run()
    pages = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    assert pages[0]["ContactArn"] == contact_arn("anasi")  # newest first (L1)


def test_E11_stop_cancels_pending_work_and_stops_open_pages(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance(302)
    org.client.stop_engagement(EngagementId=engagement, Reason="resolved")
    org.sim.run()
    for alias in ("akuam", "alejr"):
        assert receipt_types(org, page_of(org, engagement, alias))[-1] == "STOP"
    assert not [m for m in messages(org) if offset(m) > 302]
    described = org.client.describe_engagement(EngagementId=engagement)
    assert described["StopTime"] == org.sim.start.replace(minute=5, second=2)
    stopped = events_of(org.sim, "ENGAGEMENT_STOPPED")
    assert [s["Reason"] for s in stopped] == ["resolved"]
    assert not events_of(org.sim, "ENGAGEMENT_ENDED")


def test_E11_stopping_a_stopped_engagement_changes_nothing(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.client.stop_engagement(EngagementId=engagement)
    before = list(org.sim.events)
    org.sim.advance(60)
    org.client.stop_engagement(EngagementId=engagement)
    assert org.sim.events == before
    assert org.client.describe_engagement(EngagementId=engagement)["StopTime"] == org.sim.start


def test_E12_natural_end_is_an_event_and_leaves_stop_time_unset(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.sim.run()
    (ended,) = events_of(org.sim, "ENGAGEMENT_ENDED")
    assert offset(ended) == 600.0  # the EMAIL at 10m is the last work
    assert "StopTime" not in org.client.describe_engagement(EngagementId=engagement)


@pytest.mark.parametrize(("receipts", "end"), [("accept", 600.0), ("carrier", 630.0)])
def test_E12_a_pending_delivery_keeps_an_engagement_alive_only_under_carrier(
    receipts: str, end: float
) -> None:
    sim = Simulator(seed=7, start=START, region="us-east-2", delivery_receipts=receipts)
    org = Org(sim, sim.client())
    org.seed()
    org.engage("akuam")
    sim.run()
    (ended,) = events_of(sim, "ENGAGEMENT_ENDED")
    assert offset(ended) == end  # carrier: the EMAIL sent at 10m arrives 30 s later


def test_E12_a_page_stays_acknowledgeable_after_its_plan_ran_out(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.sim.advance(3600)
    page = page_of(org, engagement, "akuam")
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="123456")
    assert receipt_types(org, page)[-1] == "READ"


def test_E12_a_scheduled_responder_acknowledgement_keeps_the_engagement_open(org: Org) -> None:
    org.seed()
    org.sim.set_responder("akuam", ScriptedResponder(delay=3600))
    org.engage("akuam")
    org.sim.run()
    (ended,) = events_of(org.sim, "ENGAGEMENT_ENDED")
    assert offset(ended) == 3600.0


def test_E12b_page_times_and_receipt_fields(org: Org) -> None:
    _engagement, page = engage_akuam(org, 400)
    described = org.client.describe_page(PageId=page)
    assert described["SentTime"] == org.sim.start.replace(minute=5)  # the latest SENT
    assert "DeliveryTime" not in described  # nothing reported delivery yet
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode="425440")
    org.sim.advance(30)
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode="425441")
    described = org.client.describe_page(PageId=page)
    assert described["DeliveryTime"] == org.sim.start.replace(minute=6, second=40)  # the first
    receipts = org.client.list_page_receipts(PageId=page)["Receipts"]
    sent = receipts[0]
    assert sent["ContactChannelArn"] == org.channels["akuam"]["SMS"]
    assert re.fullmatch(r"SM[0-9a-f]{32}", sent["ReceiptInfo"])
    delivered = [r for r in receipts if r["ReceiptType"] == "DELIVERED"]
    assert [r["ReceiptInfo"] for r in delivered] == ["425440", "425441"]  # the codes given
    assert delivered[0]["ContactChannelArn"] == org.channels["akuam"]["VOICE"]  # latest SENT


def test_E12b_carrier_delivered_receipts_name_the_sent_message() -> None:
    org = carrier_org()
    _engagement, page = engage_akuam(org, 400)
    assert org.client.describe_page(PageId=page)["DeliveryTime"] == org.sim.start.replace(second=5)
    receipts = org.client.list_page_receipts(PageId=page)["Receipts"]
    sent, delivered = receipts[0], receipts[1]
    assert delivered["ReceiptType"] == "DELIVERED"
    assert delivered["ReceiptInfo"] == sent["ReceiptInfo"]  # the provider's message id
    assert delivered["ContactChannelArn"] == sent["ContactChannelArn"]


def test_E12b_stop_names_the_channel_of_the_latest_sent_message(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.sim.advance(320)
    org.client.stop_engagement(EngagementId=engagement)
    stop = org.client.list_page_receipts(PageId=page_of(org, engagement, "akuam"))["Receipts"][-1]
    assert stop["ReceiptType"] == "STOP"
    assert stop["ContactChannelArn"] == org.channels["akuam"]["VOICE"]


def test_E13_same_token_and_parameters_return_the_original_engagement(org: Org) -> None:
    org.seed()
    first = org.engage("akuam", IdempotencyToken="tok-1")
    again = org.engage("akuam", IdempotencyToken="tok-1")
    assert first == again
    assert len(org.client.list_engagements()["Engagements"]) == 1
    with pytest.raises(ValidationException, match="IdempotencyToken"):
        org.engage("akuam", IdempotencyToken="tok-1", Sender="someone-else")


def test_E13_create_contact_and_channel_are_idempotent(org: Org) -> None:
    first = org.client.create_contact(
        Alias="solo", Type="PERSONAL", Plan={"Stages": []}, IdempotencyToken="c1"
    )
    assert first == org.client.create_contact(
        Alias="solo", Type="PERSONAL", Plan={"Stages": []}, IdempotencyToken="c1"
    )
    request = {
        "ContactId": first["ContactArn"],
        "Name": "sms",
        "Type": "SMS",
        "DeliveryAddress": {"SimpleAddress": "+15550199"},
        "IdempotencyToken": "ch1",
    }
    channel = org.client.create_contact_channel(**request)
    assert channel == org.client.create_contact_channel(**request)
    listed = org.client.list_contact_channels(ContactId=first["ContactArn"])["ContactChannels"]
    assert len(listed) == 1
    assert len([m for m in org.sim.outbox if m["Kind"] == "ACTIVATION"]) == 1


def test_E14_resolution_paths_top_first(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.run()
    alejr = page_of(org, engagement, "alejr")
    assert org.client.list_page_resolutions(PageId=alejr)["PageResolutions"] == [
        {"ContactArn": contact_arn("example_escalation"), "Type": "ESCALATION", "StageIndex": 1},
        {"ContactArn": contact_arn("alejr"), "Type": "PERSONAL"},
    ]


def test_E15_responder_delay_counts_from_the_page_creation(org: Org) -> None:
    org.seed()
    org.sim.set_responder("alejr", ScriptedResponder(delay=120))
    engagement = org.engage("example_escalation")
    org.sim.run()
    read = events_of(
        org.sim, "RECEIPT", ReceiptType="READ", PageArn=page_of(org, engagement, "alejr")
    )
    assert [offset(r) for r in read] == [420.0]
