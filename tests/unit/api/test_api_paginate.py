"""The one paginator (engine.api.paginate): botocore's pages and resume tokens, the AWS CLI's
older ``TOKEN___N`` tokens, and a service that repeats its token; the in-process client pages
through it as the command line does."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.paginate import Paginator as BotocorePaginator

from engine import Simulator
from engine.api.paginate import PageIterator, PaginationError, decode_token, encode_token
from engine.api.registry import OPERATIONS
from tests.builders import START

SPEC = OPERATIONS["ListContacts"].paginator
assert SPEC is not None
CONFIG = {
    "input_token": SPEC.input_token,
    "output_token": SPEC.output_token,
    "limit_key": SPEC.limit_key,
    "result_key": SPEC.result_key,
}
PAGES: dict[str | None, dict[str, Any]] = {
    None: {"Contacts": [1, 2, 3], "NextToken": "a"},
    "a": {"Contacts": [4, 5, 6], "NextToken": "b"},
    "b": {"Contacts": [7, 8]},
}


def answer(params: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(PAGES[params.get("NextToken")])  # botocore edits the pages it gets


RESUME = encode_token({"NextToken": "a", "boto_truncate_amount": 1})


@pytest.mark.parametrize("max_items", [None, 0, 1, 2, 3, 4, 6, 8, 9])
@pytest.mark.parametrize("starting_token", [None, "a", "b", "a___2", "None___1", RESUME])
def test_pages_and_resume_tokens_are_botocores(
    max_items: int | None, starting_token: str | None
) -> None:
    config = {"MaxItems": max_items, "StartingToken": starting_token}
    theirs = BotocorePaginator(lambda **params: answer(params), CONFIG, None).paginate(
        PaginationConfig={k: v for k, v in config.items() if v is not None}
    )
    ours = PageIterator(answer, {}, SPEC, max_items=max_items, starting_token=starting_token)
    assert list(ours) == list(theirs)
    assert ours.resume_token == theirs.resume_token


def test_a_resume_token_reads_back_as_the_token_and_the_items_to_skip() -> None:
    assert decode_token(RESUME, "NextToken") == ({"NextToken": "a"}, 1)
    assert decode_token("a___2", "NextToken") == ({"NextToken": "a"}, 2)
    assert decode_token("plain", "NextToken") == ({"NextToken": "plain"}, 0)


@pytest.mark.parametrize(
    "token", [encode_token({"Marker": "a"}), encode_token({"NextToken": "a", "x": 1}), "a___b___c"]
)
def test_a_token_of_another_making_is_refused(token: str) -> None:
    with pytest.raises(PaginationError, match="Bad starting token"):
        list(PageIterator(answer, {}, SPEC, starting_token=token))


def test_a_service_repeating_its_token_stops_the_paging() -> None:
    def stuck(params: dict[str, Any]) -> dict[str, Any]:
        return {"Contacts": [1], "NextToken": "again"}

    with pytest.raises(PaginationError, match="same next token was received twice"):
        list(PageIterator(stuck, {}, SPEC))


def test_the_clients_paginator_takes_the_aws_clis_older_tokens() -> None:
    client = Simulator(seed=0, start=START).client()
    for alias in ("a", "b", "c", "d"):
        client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})
    token = client.list_contacts(MaxResults=2)["NextToken"]
    paginator = client.get_paginator("list_contacts")
    rest = paginator.paginate(PaginationConfig={"StartingToken": f"{token}___1"})
    assert [c["Alias"] for c in rest.build_full_result()["Contacts"]] == ["d"]
