"""Pagination of every list operation: pages of 50, MaxResults, NextToken and the paginators."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest

from engine import Simulator
from engine.errors import ValidationException
from tests.api.test_response_shapes import assert_field_error, assert_wire_shape
from tests.builders import REGION, START, Org, contact_arn

COUNT = 57  # more than one default page of 50
EMPTY: dict[str, Any] = {"Stages": []}


@dataclasses.dataclass
class Listing:
    """A list operation over an organisation holding more than 50 of its items."""

    client: Any
    operation: str  # the AWS name
    python_name: str
    params: dict[str, Any]
    result_key: str
    expected: list[str]  # every item's identity, in list order (some list newest first, L1)
    identity: Callable[[dict[str, Any]], str]


def new_sim(**knobs: Any) -> tuple[Simulator, Any]:
    sim = Simulator(seed=3, start=START, region=REGION, **knobs)
    return sim, sim.client()


def contacts_listing() -> Listing:
    _, client = new_sim()
    for i in reversed(range(COUNT)):
        client.create_contact(Alias=f"c{i:03d}", Type="PERSONAL", Plan=EMPTY)
    expected = [contact_arn(f"c{i:03d}") for i in range(COUNT)]
    return Listing(
        client, "ListContacts", "list_contacts", {}, "Contacts", expected, lambda c: c["ContactArn"]
    )


def channels_listing() -> Listing:
    _, client = new_sim()
    owner = client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY)["ContactArn"]
    expected = [
        client.create_contact_channel(
            ContactId=owner,
            Name=f"phone{i}",
            Type="SMS",
            DeliveryAddress={"SimpleAddress": f"+1555{i:07d}"},
            DeferActivation=True,
        )["ContactChannelArn"]
        for i in range(COUNT)
    ]
    return Listing(
        client,
        "ListContactChannels",
        "list_contact_channels",
        {"ContactId": owner},
        "ContactChannels",
        expected,
        lambda c: c["ContactChannelArn"],
    )


def _engage_person_repeatedly(client: Any) -> list[str]:
    person = client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY)["ContactArn"]
    return [
        client.start_engagement(ContactId=person, Sender="cli", Subject="s", Content="c")[
            "EngagementArn"
        ]
        for _ in range(COUNT)
    ]


def engagements_listing() -> Listing:
    _, client = new_sim()
    expected = _engage_person_repeatedly(client)[::-1]
    return Listing(
        client,
        "ListEngagements",
        "list_engagements",
        {},
        "Engagements",
        expected,
        lambda e: e["EngagementArn"],
    )


def pages_by_contact_listing() -> Listing:
    _, client = new_sim()
    engagements = _engage_person_repeatedly(client)
    expected = [
        client.list_pages_by_engagement(EngagementId=e)["Pages"][0]["PageArn"]
        for e in reversed(engagements)
    ]
    return Listing(
        client,
        "ListPagesByContact",
        "list_pages_by_contact",
        {"ContactId": contact_arn("akuam")},
        "Pages",
        expected,
        lambda p: p["PageArn"],
    )


def pages_by_engagement_listing() -> Listing:
    sim, client = new_sim()
    aliases = [f"p{i:03d}" for i in range(COUNT)]
    for alias in aliases:
        client.create_contact(Alias=alias, Type="PERSONAL", Plan=EMPTY)
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [
                    {"ContactTargetInfo": {"ContactId": contact_arn(a), "IsEssential": False}}
                    for a in aliases
                ],
            }
        ]
    }
    escalation = client.create_contact(Alias="everyone", Type="ESCALATION", Plan=plan)
    engagement = client.start_engagement(
        ContactId=escalation["ContactArn"], Sender="cli", Subject="s", Content="c"
    )["EngagementArn"]
    expected = [e["PageArn"] for e in reversed(sim.events) if e["Type"] == "PAGE_CREATED"]
    return Listing(
        client,
        "ListPagesByEngagement",
        "list_pages_by_engagement",
        {"EngagementId": engagement},
        "Pages",
        expected,
        lambda p: p["PageArn"],
    )


def receipts_listing() -> Listing:
    # until_ack re-sends every minute through a 30-minute stage: 30 SENT and 30 DELIVERED.
    sim, client = new_sim(retry_mode="until_ack", delivery_receipts="carrier")
    org = Org(sim, client)
    org.person("akuam", stages=[(30, ["SMS"], 1)])
    engagement = org.engage("akuam")
    sim.run()
    page = client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]["PageArn"]
    expected = [
        f"{e['ReceiptType']}@{e['Time']}"
        for e in sim.events
        if e["Type"] == "RECEIPT" and e["PageArn"] == page
    ]
    assert len(expected) == 60
    return Listing(
        client,
        "ListPageReceipts",
        "list_page_receipts",
        {"PageId": page},
        "Receipts",
        expected,
        lambda r: f"{r['ReceiptType']}@{r['ReceiptTime'].timestamp()}",
    )


BUILDERS = {
    "ListContacts": contacts_listing,
    "ListContactChannels": channels_listing,
    "ListEngagements": engagements_listing,
    "ListPagesByContact": pages_by_contact_listing,
    "ListPagesByEngagement": pages_by_engagement_listing,
    "ListPageReceipts": receipts_listing,
}


@pytest.fixture(params=list(BUILDERS))
def listing(request: pytest.FixtureRequest) -> Listing:
    return BUILDERS[request.param]()


def call(listing: Listing, **extra: Any) -> dict[str, Any]:
    response: dict[str, Any] = listing.client.call(listing.operation, {**listing.params, **extra})
    assert_wire_shape(listing.operation, response)
    return response


def ids(listing: Listing, page: dict[str, Any]) -> list[str]:
    return [listing.identity(item) for item in page[listing.result_key]]


def test_without_max_results_a_page_holds_50_and_a_token_for_the_rest(listing: Listing) -> None:
    first = call(listing)
    assert list(first) == ["NextToken", listing.result_key]
    assert ids(listing, first) == listing.expected[:50]
    second = call(listing, NextToken=first["NextToken"])
    assert list(second) == [listing.result_key]
    assert ids(listing, second) == listing.expected[50:]


def test_max_results_sizes_pages_and_tokens_walk_every_item_once(listing: Listing) -> None:
    seen: list[str] = []
    token: str | None = None
    while True:
        page = call(listing, MaxResults=8, **({"NextToken": token} if token else {}))
        assert len(page[listing.result_key]) <= 8
        seen += ids(listing, page)
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == listing.expected


def test_tokens_are_opaque_strings_of_the_model_alphabet(listing: Listing) -> None:
    token = call(listing, MaxResults=1)["NextToken"]
    assert isinstance(token, str) and 0 < len(token) <= 2048
    assert re.fullmatch(r"[\\/a-zA-Z0-9_+=\-]*", token)


def test_paginator_yields_every_item_in_pages_of_50(listing: Listing) -> None:
    pages = list(listing.client.get_paginator(listing.python_name).paginate(**listing.params))
    assert [len(p[listing.result_key]) for p in pages] == [50, len(listing.expected) - 50]
    assert [i for p in pages for i in ids(listing, p)] == listing.expected


def test_paginator_page_size_is_sent_as_max_results(listing: Listing) -> None:
    paginator = listing.client.get_paginator(listing.python_name)
    pages = list(paginator.paginate(**listing.params, PaginationConfig={"PageSize": 20}))
    assert [len(p[listing.result_key]) for p in pages] == [20, 20, len(listing.expected) - 40]
    assert [i for p in pages for i in ids(listing, p)] == listing.expected


def test_paginator_max_items_stops_after_that_many_items(listing: Listing) -> None:
    paginator = listing.client.get_paginator(listing.python_name)
    config = {"PageSize": 10, "MaxItems": 25}
    pages = list(paginator.paginate(**listing.params, PaginationConfig=config))
    assert [len(p[listing.result_key]) for p in pages] == [10, 10, 5]
    assert [i for p in pages for i in ids(listing, p)] == listing.expected[:25]


def test_paginator_starting_token_continues_where_a_page_ended(listing: Listing) -> None:
    token = call(listing, MaxResults=30)["NextToken"]
    paginator = listing.client.get_paginator(listing.python_name)
    pages = list(paginator.paginate(**listing.params, PaginationConfig={"StartingToken": token}))
    assert [i for p in pages for i in ids(listing, p)] == listing.expected[30:]


def test_paginator_resumes_after_the_last_item_when_max_items_cuts_a_page() -> None:
    listing = contacts_listing()
    paginator = listing.client.get_paginator("list_contacts")
    config = {"PageSize": 10, "MaxItems": 15}
    cut = paginator.paginate(PaginationConfig=config).build_full_result()
    assert ids(listing, cut) == listing.expected[:15]
    rest = paginator.paginate(
        PaginationConfig={"PageSize": 10, "StartingToken": cut["NextToken"]}
    ).build_full_result()
    assert ids(listing, rest) == listing.expected[15:]


def test_a_token_of_another_operation_is_rejected() -> None:
    listing = contacts_listing()
    token = call(listing, MaxResults=5)["NextToken"]
    with pytest.raises(ValidationException) as caught:
        listing.client.list_engagements(NextToken=token)
    assert_field_error(caught.value, "NextToken", token)


def test_max_results_above_1024_is_rejected() -> None:
    listing = engagements_listing()
    with pytest.raises(ValidationException) as caught:
        call(listing, MaxResults=1025)
    assert_field_error(caught.value, "MaxResults", "1025")


def test_max_results_must_be_an_integer() -> None:
    listing = engagements_listing()
    with pytest.raises(ValidationException) as caught:
        call(listing, MaxResults="10")
    assert_field_error(caught.value, "MaxResults", "10")


def test_page_resolutions_paginate_as_a_single_page(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    page = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]["PageArn"]
    pages = list(org.client.get_paginator("list_page_resolutions").paginate(PageId=page))
    assert pages == [org.client.list_page_resolutions(PageId=page)]
    assert "NextToken" not in pages[0] and len(pages[0]["PageResolutions"]) == 2


def test_every_list_operation_of_issue_2_has_a_paginator(org: Org) -> None:
    names = [
        "list_contacts",
        "list_contact_channels",
        "list_engagements",
        "list_page_receipts",
        "list_page_resolutions",
        "list_pages_by_contact",
        "list_pages_by_engagement",
    ]
    assert all(org.client.can_paginate(name) for name in names)
    assert not org.client.can_paginate("get_contact")
