"""Concurrent boto3 clients lose nothing: every request runs whole, one at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.builders import contact_arn
from tests.http.conftest import Backend, make_client

THREADS = 8
PER_THREAD = 6


def test_eight_threads_creating_contacts_and_engaging_them_lose_nothing(
    backend: Backend,
) -> None:
    endpoint_url = None if backend.mode == "inprocess" else backend.client.meta.endpoint_url
    clients = [make_client(endpoint_url) for _ in range(THREADS)]

    def work(index: int) -> tuple[list[str], list[str]]:
        client = clients[index]
        contacts, engagements = [], []
        for n in range(PER_THREAD):
            alias = f"t{index}-{n}"
            contacts.append(
                client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})[
                    "ContactArn"
                ]
            )
            engagements.append(
                client.start_engagement(
                    ContactId=contact_arn(alias), Sender="load", Subject="s", Content="c"
                )["EngagementArn"]
            )
        return contacts, engagements

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    contacts = [arn for made, _ in results for arn in made]
    engagements = [arn for _, started in results for arn in started]
    total = THREADS * PER_THREAD
    assert len(set(contacts)) == len(contacts) == total
    assert len(set(engagements)) == len(engagements) == total

    listed_contacts = [
        c["ContactArn"]
        for page in backend.client.get_paginator("list_contacts").paginate()
        for c in page["Contacts"]
    ]
    listed_engagements = [
        e["EngagementArn"]
        for page in backend.client.get_paginator("list_engagements").paginate()
        for e in page["Engagements"]
    ]
    assert sorted(listed_contacts) == sorted(contacts)
    assert sorted(listed_engagements) == sorted(engagements)
    started = [e for e in backend.events if e["Type"] == "ENGAGEMENT_STARTED"]
    assert len(started) == total
