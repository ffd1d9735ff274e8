"""Pages through the client: DescribePage, the page lists, receipts, resolutions and AcceptPage."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.errors import ResourceNotFoundException, ValidationException
from tests.api.test_response_shapes import assert_field_error, assert_not_found, assert_wire_shape
from tests.builders import PREFIX, Org, contact_arn, events_of

GHOST_PAGE = f"{PREFIX}page/akuam/00000000-0000-4000-8000-000000000000"
GHOST_CHANNEL = f"{PREFIX}contact-channel/akuam/00000000-0000-4000-8000-000000000000"


def first_page(org: Org, engagement: str) -> str:
    return str(org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]["PageArn"])


def page_code(org: Org, page: str) -> str:
    return str(next(m["Code"] for m in org.sim.outbox if m.get("PageArn") == page))


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


# -- DescribePage -------------------------------------------------------------------------------


def test_describe_page_answers_the_engagement_texts_and_the_page_times(org: Org) -> None:
    org.seed()
    engagement = org.engage("akuam", IncidentId="inc-3")
    page = first_page(org, engagement)
    org.sim.advance(29.6)  # as AWS's published describe-page: delivered just before read
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode=page_code(org, page))
    org.sim.advance(0.4)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode=page_code(org, page))
    response = org.client.describe_page(PageId=page)
    assert response == {
        "PageArn": page,
        "EngagementArn": engagement,
        "ContactArn": contact_arn("akuam"),
        "Sender": "cli",
        "Subject": "cli-test",
        "Content": "Testing engagements via CLI",
        "PublicSubject": "cli-test",
        "PublicContent": "Testing engagements va CLI",
        "IncidentId": "inc-3",
        "SentTime": org.sim.start,
        "ReadTime": org.sim.start + seconds(30),
        "DeliveryTime": org.sim.start + seconds(29.6),
    }
    assert_wire_shape("DescribePage", response)


def test_describe_page_of_an_unknown_page_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.describe_page(PageId=GHOST_PAGE)
    assert_not_found(caught.value, GHOST_PAGE, "PAGE")


def test_describe_page_with_an_arn_of_another_account_is_not_found(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    elsewhere = page.replace(":111122223333:", ":444455556666:")
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.describe_page(PageId=elsewhere)
    assert_not_found(caught.value, elsewhere, "PAGE")


def test_describe_page_rejects_a_page_id_that_is_not_an_arn(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.describe_page(PageId="page-1")
    assert_field_error(caught.value, "PageId", "page-1")


# -- ListPagesByContact -------------------------------------------------------------------------


def test_list_pages_by_contact_lists_every_engagement_of_the_person(org: Org) -> None:
    org.seed()
    direct = org.engage("akuam")
    via_plan = org.engage("example_escalation")
    response = org.client.list_pages_by_contact(ContactId=contact_arn("akuam"))
    assert [p["EngagementArn"] for p in response["Pages"]] == [via_plan, direct]  # newest first
    assert response["Pages"][1] == {
        "PageArn": first_page(org, direct),
        "EngagementArn": direct,
        "ContactArn": contact_arn("akuam"),
        "Sender": "cli",
        "SentTime": org.sim.start,
    }
    assert_wire_shape("ListPagesByContact", response)


def test_list_pages_by_contact_of_a_contact_never_paged_is_empty(org: Org) -> None:
    org.seed()
    org.engage("akuam")
    assert org.client.list_pages_by_contact(ContactId=contact_arn("anasi")) == {"Pages": []}


def test_list_pages_by_contact_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.list_pages_by_contact(ContactId=contact_arn("ghost"))
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")


# -- ListPagesByEngagement ----------------------------------------------------------------------


def test_list_pages_by_engagement_lists_pages_newest_first(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance(600)
    response = org.client.list_pages_by_engagement(EngagementId=engagement)
    pages = response["Pages"]
    assert [p["ContactArn"] for p in pages] == [
        contact_arn("anasi"),
        contact_arn("alejr"),
        contact_arn("akuam"),
    ]
    assert {p["EngagementArn"] for p in pages} == {engagement}
    assert_wire_shape("ListPagesByEngagement", response)


def test_list_pages_by_engagement_of_an_unknown_engagement_is_not_found(org: Org) -> None:
    ghost = f"{PREFIX}engagement/akuam/00000000-0000-4000-8000-000000000000"
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.list_pages_by_engagement(EngagementId=ghost)
    assert_not_found(caught.value, ghost, "ENGAGEMENT")


# -- ListPageReceipts ---------------------------------------------------------------------------


def test_list_page_receipts_answers_receipts_in_time_order(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    org.sim.advance(5)
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode="000000")
    org.sim.advance(55)
    org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="000000")
    response = org.client.list_page_receipts(PageId=page)
    sms = org.channels["akuam"]["SMS"]
    receipts = response["Receipts"]
    assert [(r["ReceiptType"], r["ReceiptTime"]) for r in receipts] == [
        ("SENT", org.sim.start),
        ("DELIVERED", org.sim.start + seconds(5)),
        ("READ", org.sim.start + seconds(60)),
    ]
    assert receipts[2] == {
        "ContactChannelArn": sms,
        "ReceiptType": "READ",
        "ReceiptInfo": "000000",
        "ReceiptTime": org.sim.start + seconds(60),
    }
    assert_wire_shape("ListPageReceipts", response)


def test_list_page_receipts_of_an_unknown_page_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.list_page_receipts(PageId=GHOST_PAGE)
    assert_not_found(caught.value, GHOST_PAGE, "PAGE")


# -- ListPageResolutions ------------------------------------------------------------------------


def test_list_page_resolutions_answers_the_path_from_the_plan_down(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    response = org.client.list_page_resolutions(PageId=first_page(org, engagement))
    assert response == {
        "PageResolutions": [
            {
                "ContactArn": contact_arn("example_escalation"),
                "Type": "ESCALATION",
                "StageIndex": 0,
            },
            {"ContactArn": contact_arn("akuam"), "Type": "PERSONAL"},
        ]
    }
    assert_wire_shape("ListPageResolutions", response)


def test_list_page_resolutions_has_no_max_results_member(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    with pytest.raises(ValidationException) as caught:
        org.client.list_page_resolutions(PageId=page, MaxResults=1)
    assert_field_error(caught.value, "MaxResults")


def test_list_page_resolutions_of_an_unknown_page_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.list_page_resolutions(PageId=GHOST_PAGE)
    assert_not_found(caught.value, GHOST_PAGE, "PAGE")


# -- AcceptPage ---------------------------------------------------------------------------------


def test_accept_page_read_answers_nothing_and_sets_the_read_time(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    org.sim.advance(12)
    assert org.client.accept_page(PageId=page, AcceptType="READ", AcceptCode="123456") == {}
    assert org.client.describe_page(PageId=page)["ReadTime"] == org.sim.start + seconds(12)


def test_accept_page_through_a_channel_names_that_channel_in_the_receipt(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    email = org.channels["akuam"]["EMAIL"]
    org.client.accept_page(
        PageId=page, ContactChannelId=email, AcceptType="READ", AcceptCode="654321"
    )
    read = org.client.list_page_receipts(PageId=page)["Receipts"][-1]
    assert (read["ReceiptType"], read["ContactChannelArn"], read["ReceiptInfo"]) == (
        "READ",
        email,
        "654321",
    )


def test_accept_page_delivered_sets_the_delivery_time_only(org: Org) -> None:
    org.person("akuam", stages=[(5, ["EMAIL"], 0)])
    page = first_page(org, org.engage("akuam"))
    org.sim.advance(2)
    org.client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode="123456")
    described = org.client.describe_page(PageId=page)
    assert described["DeliveryTime"] == org.sim.start + seconds(2)
    assert "ReadTime" not in described


def test_accept_page_with_enforce_and_the_right_code_is_accepted(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    org.client.accept_page(
        PageId=page,
        AcceptType="READ",
        AcceptCode=page_code(org, page),
        AcceptCodeValidation="ENFORCE",
    )
    assert "ReadTime" in org.client.describe_page(PageId=page)


def test_accept_page_with_enforce_and_a_wrong_code_names_the_code(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    wrong = "000001" if page_code(org, page) != "000001" else "000002"
    with pytest.raises(ValidationException) as caught:
        org.client.accept_page(
            PageId=page, AcceptType="READ", AcceptCode=wrong, AcceptCodeValidation="ENFORCE"
        )
    assert_field_error(caught.value, "AcceptCode", wrong)
    assert "ReadTime" not in org.client.describe_page(PageId=page)


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("AcceptCode", "12"),
        ("AcceptCode", "12345678901"),
        ("AcceptCode", "12345a"),
        ("AcceptType", "ACK"),
        ("AcceptCodeValidation", "MAYBE"),
        ("Note", ""),
    ],
)
def test_accept_page_rejects_a_member_out_of_its_constraints(
    org: Org, member: str, value: str
) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    request = {"PageId": page, "AcceptType": "READ", "AcceptCode": "123456", member: value}
    with pytest.raises(ValidationException) as caught:
        org.client.accept_page(**request)
    assert_field_error(caught.value, member)
    assert not events_of(org.sim, "RECEIPT", ReceiptType="READ")


def test_accept_page_through_another_contacts_channel_is_a_validation_error(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    foreign = org.channels["alejr"]["SMS"]
    with pytest.raises(ValidationException) as caught:
        org.client.accept_page(
            PageId=page, ContactChannelId=foreign, AcceptType="READ", AcceptCode="123456"
        )
    assert_field_error(caught.value, "ContactChannelId", foreign)


def test_accept_page_through_an_unknown_channel_is_not_found(org: Org) -> None:
    org.seed()
    page = first_page(org, org.engage("akuam"))
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.accept_page(
            PageId=page, ContactChannelId=GHOST_CHANNEL, AcceptType="READ", AcceptCode="123456"
        )
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


def test_accept_page_of_an_unknown_page_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.accept_page(PageId=GHOST_PAGE, AcceptType="READ", AcceptCode="123456")
    assert_not_found(caught.value, GHOST_PAGE, "PAGE")
