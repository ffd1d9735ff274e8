"""Eight threads of boto3 clients against one ``escsim serve`` lose nothing and duplicate nothing.

Each thread has its own session and client and, over and over, creates a contact, retries that
create with the same IdempotencyToken, starts an engagement (and retries it the same way),
finds the page, acknowledges it, and now and then moves the clock through the control path.
Every answer is counted; afterwards the server's lists, receipts and event log must account for
every one of them, no ARN may appear twice, every retry must have returned the first ARN, and
the records must keep every invariant of ``engine.check``.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from engine.check import check_records
from tests.http.conftest import Served
from tests.security.conftest import boto_client, start_serve

THREADS = 8


@pytest.fixture
def served() -> Iterator[Served]:
    running = start_serve("--region", "us-east-2", "--seed", "5")
    yield running
    code, _, err = running.stop(15)
    assert code == 0, err


def control(url: str, path: str, payload: dict[str, Any] | None = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url + path, data=data, method="GET" if data is None else "POST"
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def hammer(url: str, rounds: int) -> dict[str, Any]:
    """Run THREADS workers for ``rounds`` rounds each; returns what they created and counted."""
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def work(index: int) -> dict[str, list[str]]:
        client = boto_client(url, f"AKID{index}", "secret")
        made: dict[str, list[str]] = {"contacts": [], "engagements": [], "pages": []}
        local: Counter[str] = Counter()
        for n in range(rounds):
            create = {
                "Alias": f"t{index}-{n}",
                "Type": "PERSONAL",
                "Plan": {"Stages": []},
                "IdempotencyToken": f"contact-{index}-{n}",
            }
            contact = client.create_contact(**create)["ContactArn"]
            assert client.create_contact(**create)["ContactArn"] == contact
            local["CreateContact"] += 2
            engage = {
                "ContactId": contact,
                "Sender": "load",
                "Subject": "s",
                "Content": "c",
                "IdempotencyToken": f"engagement-{index}-{n}",
            }
            engagement = client.start_engagement(**engage)["EngagementArn"]
            assert client.start_engagement(**engage)["EngagementArn"] == engagement
            local["StartEngagement"] += 2
            (page,) = client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
            local["ListPagesByEngagement"] += 1
            client.accept_page(PageId=page["PageArn"], AcceptType="READ", AcceptCode="000000")
            local["AcceptPage"] += 1
            if n % 3 == index % 3:
                control(url, "/_escsim/clock", {"AdvanceSeconds": 30})
                local["clock"] += 1
            made["contacts"].append(contact)
            made["engagements"].append(engagement)
            made["pages"].append(page["PageArn"])
        with lock:
            counts.update(local)
        return made

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    made = {key: [arn for result in results for arn in result[key]] for key in results[0]}
    return {"made": made, "counts": counts}


def verify(url: str, outcome: dict[str, Any], rounds: int) -> int:
    """Everything the threads were told happened is in the server's state; returns how many
    requests were served."""
    made, counts = outcome["made"], outcome["counts"]
    total = THREADS * rounds
    for key in ("contacts", "engagements", "pages"):
        assert len(made[key]) == len(set(made[key])) == total, key
    reader = boto_client(url, "AKIDREADER", "secret")
    listed = [
        c["ContactArn"]
        for page in reader.get_paginator("list_contacts").paginate()
        for c in page["Contacts"]
    ]
    assert sorted(listed) == sorted(made["contacts"])
    engagements = [
        e["EngagementArn"]
        for page in reader.get_paginator("list_engagements").paginate()
        for e in page["Engagements"]
    ]
    assert sorted(engagements) == sorted(made["engagements"])
    events = control(url, "/_escsim/events")["Events"]
    outbox = control(url, "/_escsim/outbox")["Messages"]
    kinds = Counter(e["Type"] for e in events)
    assert kinds["ENGAGEMENT_STARTED"] == kinds["PAGE_CREATED"] == total
    reads = [e["PageArn"] for e in events if e.get("ReceiptType") == "READ"]
    assert sorted(reads) == sorted(made["pages"])
    assert check_records(events, outbox) == []
    served: int = sum(counts.values())
    assert served == total * 6 + counts["clock"]
    return served


def test_eight_threads_of_boto3_clients_lose_no_request(served: Served) -> None:
    rounds = 15
    verify(served.url, hammer(served.url, rounds), rounds)


@pytest.mark.slow
def test_eight_threads_of_boto3_clients_in_a_long_run(served: Served) -> None:
    rounds = 150
    served_requests = verify(served.url, hammer(served.url, rounds), rounds)
    print(f"concurrent requests served with zero loss: {served_requests}")
