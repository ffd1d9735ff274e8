"""json, text and table output: byte for byte what the AWS CLI prints for the same response."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import jmespath
import pytest

from engine.api.registry import OPERATIONS
from engine.cli.aws.output import OutputOptions, iso_timestamps, write_response
from engine.cli.aws.paginate import Paging, paginate
from tests.workspace.awscli_oracle import ask

ARN = "arn:aws:ssm-contacts:us-east-2:111122223333"
T0 = dt.datetime(2021, 5, 18, 20, 42, 57, 485000, tzinfo=dt.UTC)

CONTACTS = {
    "Contacts": [
        {"ContactArn": f"{ARN}:contact/akuam", "Alias": "akuam", "DisplayName": "Akua Mansa",
         "Type": "PERSONAL"},
        {"ContactArn": f"{ARN}:contact/alejr", "Alias": "alejr", "Type": "PERSONAL"},
        {"ContactArn": f"{ARN}:contact/example_escalation", "Alias": "example_escalation",
         "DisplayName": "Example Escalation", "Type": "ESCALATION"},
    ]
}  # fmt: skip
CONTACT = {
    "ContactArn": f"{ARN}:contact/example_escalation",
    "Alias": "example_escalation",
    "DisplayName": "Example Escalation",
    "Type": "ESCALATION",
    "Plan": {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [
                    {"ContactTargetInfo": {"ContactId": f"{ARN}:contact/akuam",
                                           "IsEssential": True}},
                    {"ContactTargetInfo": {"ContactId": f"{ARN}:contact/alejr",
                                           "IsEssential": False}},
                ],
            },
            {"DurationInMinutes": 0, "Targets": []},
        ],
        "RotationIds": [],
    },
}  # fmt: skip
RECEIPTS = {
    "Receipts": [
        {"ContactChannelArn": f"{ARN}:contact-channel/akuam/beb25840-5ac8-4644-95cc-7a8de390fa65",
         "ReceiptType": "SENT", "ReceiptInfo": "x", "ReceiptTime": T0},
        {"ReceiptType": "READ", "ReceiptTime": T0 + dt.timedelta(minutes=7)},
    ]
}  # fmt: skip
UNICODE = {
    "Contacts": [
        {"ContactArn": f"{ARN}:contact/yamada", "Alias": "yamada", "DisplayName": "山田 太郎",
         "Type": "PERSONAL"},
        {"ContactArn": f"{ARN}:contact/zoe", "Alias": "zoe", "DisplayName": "Zoë Ångström",
         "Type": "PERSONAL"},
    ]
}  # fmt: skip
SINGLE = {"EngagementArn": f"{ARN}:engagement/akuam/607ced0e-e8fa-4ea7-8958-a237b8803f8f"}
ENGAGEMENT = {
    "ContactArn": f"{ARN}:contact/akuam",
    "EngagementArn": f"{ARN}:engagement/akuam/607ced0e-e8fa-4ea7-8958-a237b8803f8f",
    "Sender": "cli",
    "Subject": "cli-test",
    "Content": "Testing engagements via CLI",
    "PublicSubject": "cli-test",
    "PublicContent": "Testing engagements va CLI",
    "StartTime": T0,
}
EMPTY_LIST = {"Contacts": []}
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "contacts": ("ListContacts", CONTACTS),
    "contact-with-plan": ("GetContact", CONTACT),
    "receipts-with-timestamps": ("ListPageReceipts", RECEIPTS),
    "unicode": ("ListContacts", UNICODE),
    "single-member": ("StartEngagement", SINGLE),
    "wide-single-structure": ("DescribeEngagement", ENGAGEMENT),
    "empty-list": ("ListContacts", EMPTY_LIST),
    "empty-response": ("StopEngagement", {}),
}
QUERIES = [
    None,
    "Contacts[].Alias",
    "Contacts[].[Alias,Type]",
    "Contacts[0]",
    "length(Contacts)",
    "Contacts[?Type=='ESCALATION'].{Name:DisplayName,Arn:ContactArn}",
    "Contacts[5]",
]
FORMATS = ["json", "text", "table"]


def _ours(command: str, data: Any, output: str, query: str | None = None) -> str:
    stream = io.StringIO()
    compiled = jmespath.compile(query) if query else None
    write_response(command, data, OutputOptions(output, compiled, False, 80), stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def oracle() -> dict[tuple[str, str, str | None], str]:
    questions = []
    keys = []
    for case, (command, data) in CASES.items():
        for output in FORMATS:
            keys.append((case, output, None))
            questions.append(
                {"op": "format", "output": output, "command": command,
                 "data": iso_timestamps(data)}
            )  # fmt: skip
    for query in QUERIES:
        for output in FORMATS:
            keys.append(("query", output, query))
            questions.append(
                {"op": "format", "output": output, "command": "ListContacts", "data": CONTACTS,
                 "query": query}
            )  # fmt: skip
    return dict(zip(keys, ask(questions), strict=True))


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("case", list(CASES))
def test_response_prints_as_the_aws_cli_prints_it(
    oracle: dict[tuple[str, str, str | None], str], case: str, output: str
) -> None:
    command, data = CASES[case]
    assert _ours(command, data, output) == oracle[(case, output, None)]


@pytest.mark.parametrize("output", FORMATS)
@pytest.mark.parametrize("query", QUERIES)
def test_query_result_prints_as_the_aws_cli_prints_it(
    oracle: dict[tuple[str, str, str | None], str], query: str | None, output: str
) -> None:
    assert _ours("ListContacts", CONTACTS, output, query) == oracle[("query", output, query)]


def test_timestamps_print_in_iso_8601_as_aws_cli_version_2_prints_them() -> None:
    printed = _ours("ListPageReceipts", RECEIPTS, "json")
    assert '"ReceiptTime": "2021-05-18T20:42:57.485000+00:00"' in printed


def test_yaml_output_reads_back_as_the_response() -> None:
    import yaml

    assert yaml.safe_load(_ours("GetContact", CONTACT, "yaml")) == CONTACT


def test_yaml_stream_prints_each_page_as_a_list_item() -> None:
    import yaml

    pages = _pages(3)
    result = paginate(
        OPERATIONS["ListContacts"],
        lambda params: pages[int(params.get("NextToken") or 0)],
        {},
        Paging(True),
    )
    printed = _ours("ListContacts", result, "yaml-stream")
    assert yaml.safe_load(printed) == [{"Contacts": page["Contacts"]} for page in pages]


def test_table_colours_only_when_asked() -> None:
    stream = io.StringIO()
    write_response("ListContacts", CONTACTS, OutputOptions("table", None, True, 80), stream)
    assert "\x1b[" in stream.getvalue()
    assert "\x1b[" not in _ours("ListContacts", CONTACTS, "table")


def _pages(count: int) -> list[dict[str, Any]]:
    contacts = [
        {"ContactArn": f"{ARN}:contact/c{i:02d}", "Alias": f"c{i:02d}", "Type": "PERSONAL"}
        for i in range(count * 3)
    ]
    pages = []
    for index in range(count):
        page: dict[str, Any] = {"Contacts": contacts[index * 3 : index * 3 + 3]}
        if index + 1 < count:
            page["NextToken"] = str(index + 1)
        pages.append(page)
    return pages


PAGING = [
    {},
    {"max_items": 4},
    {"max_items": 3},
    {"max_items": 20},
    {
        "max_items": 2,
        "starting_token": "eyJOZXh0VG9rZW4iOiAiMSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9",
    },
    {"starting_token": "eyJOZXh0VG9rZW4iOiAiMiJ9"},
]


@pytest.fixture(scope="module")
def paged_oracle() -> list[str]:
    questions = [
        {"op": "format_pages", "output": output, "command": "ListContacts", "pages": _pages(3),
         "result_key": "Contacts", **paging}
        for paging in PAGING
        for output in FORMATS
    ]  # fmt: skip
    return ask(questions)


@pytest.mark.parametrize("index", range(len(PAGING) * len(FORMATS)))
def test_merged_pages_print_as_the_aws_cli_prints_them(paged_oracle: list[str], index: int) -> None:
    paging = PAGING[index // len(FORMATS)]
    output = FORMATS[index % len(FORMATS)]
    pages = _pages(3)
    result = paginate(
        OPERATIONS["ListContacts"],
        lambda params: pages[int(params.get("NextToken") or 0)],
        {},
        Paging(
            True, max_items=paging.get("max_items"), starting_token=paging.get("starting_token")
        ),
    )
    assert _ours("ListContacts", result, output) == paged_oracle[index]
