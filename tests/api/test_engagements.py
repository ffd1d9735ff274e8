"""StartEngagement, StopEngagement, DescribeEngagement and ListEngagements through the client."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine import Simulator
from engine.errors import ResourceNotFoundException, ValidationException
from tests.api.test_response_shapes import (
    assert_aware_utc,
    assert_field_error,
    assert_not_found,
    assert_wire_shape,
)
from tests.builders import PREFIX, START, Org, contact_arn, events_of

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
GHOST_ENGAGEMENT = f"{PREFIX}engagement/akuam/00000000-0000-4000-8000-000000000000"


# -- StartEngagement: the seed's two examples, verbatim -----------------------------------------


def test_seed_example_1_pages_a_contacts_channels(org: Org) -> None:
    org.seed()
    response = org.client.start_engagement(
        ContactId="arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam",
        Sender="cli",
        Subject="cli-test",
        Content="Testing engagements via CLI",
        PublicSubject="cli-test",
        PublicContent="Testing engagements va CLI",
    )
    assert list(response) == ["EngagementArn"]
    assert re.fullmatch(
        r"arn:aws:ssm-contacts:us-east-2:111122223333:engagement/akuam/" + UUID,
        response["EngagementArn"],
    )
    (sms,) = [m for m in org.sim.outbox if m["Kind"] == "PAGE"]
    assert (sms["ChannelType"], sms["Subject"], sms["Content"]) == (
        "SMS",
        "cli-test",
        "Testing engagements va CLI",
    )


def test_seed_example_2_engages_contacts_through_the_escalation_plan(org: Org) -> None:
    org.seed()
    response = org.client.start_engagement(
        ContactId="arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation",
        Sender="cli",
        Subject="cli-test",
        Content="Testing engagements via CLI",
        PublicSubject="cli-test",
        PublicContent="Testing engagements va CLI",
    )
    assert re.fullmatch(
        r"arn:aws:ssm-contacts:us-east-2:111122223333:engagement/example_escalation/" + UUID,
        response["EngagementArn"],
    )
    org.sim.run()
    pages = org.client.list_pages_by_engagement(EngagementId=response["EngagementArn"])["Pages"]
    assert [p["ContactArn"] for p in pages] == [  # newest first
        contact_arn("anasi"),
        contact_arn("alejr"),
        contact_arn("akuam"),
    ]


# -- StartEngagement ----------------------------------------------------------------------------


def test_start_engagement_answers_only_the_engagement_arn(org: Org) -> None:
    org.seed()
    response = org.client.start_engagement(
        ContactId=contact_arn("akuam"), Sender="cli", Subject="s", Content="c"
    )
    assert_wire_shape("StartEngagement", response)
    assert list(response) == ["EngagementArn"]


def test_start_engagement_records_the_request_texts(org: Org) -> None:
    org.seed()
    engagement = org.client.start_engagement(
        ContactId=contact_arn("akuam"),
        Sender="pager-bot",
        Subject="disk full",
        Content="db-1 is out of disk",
        PublicSubject="alert",
        PublicContent="check the console",
        IncidentId="arn:aws:ssm-incidents::111122223333:incident-record/plan/1",
    )["EngagementArn"]
    assert org.client.describe_engagement(EngagementId=engagement) == {
        "ContactArn": contact_arn("akuam"),
        "EngagementArn": engagement,
        "Sender": "pager-bot",
        "Subject": "disk full",
        "Content": "db-1 is out of disk",
        "PublicSubject": "alert",
        "PublicContent": "check the console",
        "IncidentId": "arn:aws:ssm-incidents::111122223333:incident-record/plan/1",
        "StartTime": org.sim.now,
    }


def test_start_engagement_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.start_engagement(
            ContactId=contact_arn("ghost"), Sender="cli", Subject="s", Content="c"
        )
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")
    assert org.sim.events == []


@pytest.mark.parametrize(
    "elsewhere",
    [
        "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam",
        "arn:aws:ssm-contacts:us-east-2:999999999999:contact/akuam",
    ],
)
def test_start_engagement_with_a_contact_of_another_account_or_region_is_not_found(
    org: Org, elsewhere: str
) -> None:
    org.seed()
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.start_engagement(ContactId=elsewhere, Sender="cli", Subject="s", Content="c")
    assert_not_found(caught.value, elsewhere, "CONTACT")


def test_start_engagement_names_every_missing_required_member(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.start_engagement(ContactId=contact_arn("akuam"))
    names = [f["Name"] for f in caught.value.response["Fields"]]
    assert names == ["Sender", "Subject", "Content"]


@pytest.mark.parametrize(
    ("member", "value", "shown"),
    [
        ("Sender", "a$b", "a$b"),
        ("Subject", "", "''"),
        ("Content", "x" * 8193, "8193 characters"),
        ("PublicSubject", 7, "7"),
        ("IncidentId", "inc;1", "inc;1"),
        ("IdempotencyToken", "has space", "has space"),
    ],
)
def test_start_engagement_rejects_a_member_out_of_its_constraints(
    org: Org, member: str, value: object, shown: str
) -> None:
    org.seed()
    request: dict[str, object] = {
        "ContactId": contact_arn("akuam"),
        "Sender": "cli",
        "Subject": "s",
        "Content": "c",
        member: value,
    }
    with pytest.raises(ValidationException) as caught:
        org.client.start_engagement(**request)
    assert_field_error(caught.value, member, shown)
    assert org.client.list_engagements() == {"Engagements": []}


def test_start_engagement_rejects_a_reused_token_with_other_texts(org: Org) -> None:
    org.seed()
    org.engage("akuam", IdempotencyToken="tok")
    with pytest.raises(ValidationException) as caught:
        org.engage("akuam", IdempotencyToken="tok", Subject="different")
    assert_field_error(caught.value, "IdempotencyToken", "tok")


# -- StopEngagement -----------------------------------------------------------------------------


def test_stop_engagement_answers_nothing_and_sets_the_stop_time(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance(90)
    assert org.client.stop_engagement(EngagementId=engagement, Reason="resolved") == {}
    described = org.client.describe_engagement(EngagementId=engagement)
    assert described["StopTime"] == org.sim.start + dt.timedelta(seconds=90)
    (stopped,) = events_of(org.sim, "ENGAGEMENT_STOPPED")
    assert stopped["Reason"] == "resolved"


def test_stop_engagement_without_a_reason_records_none(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.client.stop_engagement(EngagementId=engagement)
    (stopped,) = events_of(org.sim, "ENGAGEMENT_STOPPED")
    assert "Reason" not in stopped


def test_stop_engagement_of_an_unknown_engagement_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.stop_engagement(EngagementId=GHOST_ENGAGEMENT)
    assert_not_found(caught.value, GHOST_ENGAGEMENT, "ENGAGEMENT")


def test_stop_engagement_rejects_a_reason_longer_than_255(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    with pytest.raises(ValidationException) as caught:
        org.client.stop_engagement(EngagementId=engagement, Reason="r" * 256)
    assert_field_error(caught.value, "Reason", "256 characters")
    assert "StopTime" not in org.client.describe_engagement(EngagementId=engagement)


# -- DescribeEngagement -------------------------------------------------------------------------


def test_describe_engagement_leaves_out_what_was_not_given(org: Org) -> None:
    org.seed()
    engagement = org.client.start_engagement(
        ContactId=contact_arn("akuam"), Sender="cli", Subject="s", Content="c"
    )["EngagementArn"]
    response = org.client.describe_engagement(EngagementId=engagement)
    assert response == {
        "ContactArn": contact_arn("akuam"),
        "EngagementArn": engagement,
        "Sender": "cli",
        "Subject": "s",
        "Content": "c",
        "StartTime": org.sim.start,
    }
    assert_aware_utc(response["StartTime"])
    assert_wire_shape("DescribeEngagement", response)


def test_describe_engagement_of_a_finished_engagement_has_no_stop_time(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    org.sim.run()
    assert events_of(org.sim, "ENGAGEMENT_ENDED")
    assert "StopTime" not in org.client.describe_engagement(EngagementId=engagement)


def test_describe_engagement_of_an_unknown_engagement_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.describe_engagement(EngagementId=GHOST_ENGAGEMENT)
    assert_not_found(caught.value, GHOST_ENGAGEMENT, "ENGAGEMENT")


def test_describe_engagement_with_an_arn_of_another_region_is_not_found(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    elsewhere = engagement.replace(":us-east-2:", ":eu-west-1:")
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.describe_engagement(EngagementId=elsewhere)
    assert_not_found(caught.value, elsewhere, "ENGAGEMENT")


def test_describe_engagement_with_a_page_arn_is_not_found(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam")
    page = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]["PageArn"]
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.describe_engagement(EngagementId=page)
    assert_not_found(caught.value, page, "ENGAGEMENT")


# -- ListEngagements ----------------------------------------------------------------------------


def test_list_engagements_answers_summaries_newest_first(org: Org) -> None:
    org.seed()
    first = org.engage("akuam", IncidentId="inc-1")
    org.sim.advance(60)
    second = org.engage("example_escalation")
    org.client.stop_engagement(EngagementId=first)
    response = org.client.list_engagements()
    assert response == {
        "Engagements": [
            {
                "EngagementArn": second,
                "ContactArn": contact_arn("example_escalation"),
                "Sender": "cli",
                "StartTime": org.sim.now,
            },
            {
                "EngagementArn": first,
                "ContactArn": contact_arn("akuam"),
                "Sender": "cli",
                "IncidentId": "inc-1",
                "StartTime": org.sim.start,
                "StopTime": org.sim.now,
            },
        ]
    }
    assert_wire_shape("ListEngagements", response)


def test_list_engagements_incident_id_keeps_that_incident_only(org: Org) -> None:
    org.seed()
    org.engage("akuam", IncidentId="inc-1")
    second = org.engage("alejr", IncidentId="inc-2")
    org.engage("anasi")
    listed = org.client.list_engagements(IncidentId="inc-2")["Engagements"]
    assert [e["EngagementArn"] for e in listed] == [second]
    assert org.client.list_engagements(IncidentId="inc-9") == {"Engagements": []}


def test_list_engagements_time_range_keeps_starts_within_it_inclusive(org: Org) -> None:
    org.seed()
    starts = {}
    for minute, alias in ((0, "akuam"), (10, "alejr"), (20, "anasi")):
        org.sim.advance_to(org.sim.start + dt.timedelta(minutes=minute))
        starts[alias] = org.engage(alias)
    window = {
        "StartTime": org.sim.start + dt.timedelta(minutes=10),
        "EndTime": org.sim.start + dt.timedelta(minutes=20),
    }
    listed = org.client.list_engagements(TimeRangeValue=window)["Engagements"]
    assert [e["EngagementArn"] for e in listed] == [starts["anasi"], starts["alejr"]]


def test_list_engagements_time_range_may_be_open_ended_and_take_epoch_or_iso(org: Org) -> None:
    org.seed()
    early = org.engage("akuam")
    org.sim.advance(600)
    late = org.engage("alejr")
    after = org.client.list_engagements(TimeRangeValue={"StartTime": "2026-01-01T00:05:00Z"})
    assert [e["EngagementArn"] for e in after["Engagements"]] == [late]
    before = org.client.list_engagements(TimeRangeValue={"EndTime": 1767225600 + 300})
    assert [e["EngagementArn"] for e in before["Engagements"]] == [early]


def test_list_engagements_rejects_a_time_that_is_not_a_timestamp(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.list_engagements(TimeRangeValue={"StartTime": "yesterday"})
    assert_field_error(caught.value, "TimeRangeValue.StartTime", "yesterday")


def test_list_engagements_rejects_an_unknown_time_range_member(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.list_engagements(TimeRangeValue={"From": 0})
    assert_field_error(caught.value, "TimeRangeValue.From")


def test_list_engagements_shows_only_the_client_region() -> None:
    sim = Simulator(seed=1, start=START, region="us-east-2")
    home = Org(sim, sim.client())
    home.seed()
    home.engage("akuam")
    assert sim.client(region="eu-west-1").list_engagements() == {"Engagements": []}
