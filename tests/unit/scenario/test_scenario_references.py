"""``${step.Member}`` references and the bare aliases a script may use for contact ARNs."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_text
from engine.scenario.references import ReferenceError, find_references, resolve

RESPONSES = {
    "start1": {"EngagementArn": "arn:aws:ssm-contacts:us-east-1:1:engagement/a/b"},
    "pages": {"Pages": [{"PageArn": "p0"}, {"PageArn": "p1"}]},
    "when": {"StartTime": dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)},
}


def test_a_whole_string_reference_becomes_the_value() -> None:
    assert resolve("${start1.EngagementArn}", RESPONSES) == RESPONSES["start1"]["EngagementArn"]
    assert resolve("${pages.Pages}", RESPONSES) == RESPONSES["pages"]["Pages"]
    assert resolve("${start1}", RESPONSES) == RESPONSES["start1"]


def test_list_indices_reach_into_lists() -> None:
    assert resolve("${pages.Pages[1].PageArn}", RESPONSES) == "p1"


def test_references_inside_text_are_replaced_by_text() -> None:
    assert resolve("page ${pages.Pages[0].PageArn}!", RESPONSES) == "page p0!"
    assert resolve("at ${when.StartTime}", RESPONSES) == "at 2026-01-01T09:00:00+00:00"


def test_resolve_walks_mappings_and_lists() -> None:
    request = {"EngagementId": "${start1.EngagementArn}", "Ids": ["${pages.Pages[0].PageArn}"]}
    assert resolve(request, RESPONSES) == {
        "EngagementId": RESPONSES["start1"]["EngagementArn"],
        "Ids": ["p0"],
    }


def test_double_dollar_writes_a_literal_reference() -> None:
    assert resolve("cost $${start1}", RESPONSES) == "cost ${start1}"
    assert find_references("$${x}") == []


def test_a_step_without_response_is_an_error() -> None:
    with pytest.raises(ReferenceError, match="step 'gone' has no response"):
        resolve("${gone.EngagementArn}", RESPONSES)


def test_a_missing_member_names_the_members_there_are() -> None:
    with pytest.raises(ReferenceError, match=r"has no Nope \(its members: EngagementArn\)"):
        resolve("${start1.Nope}", RESPONSES)


def test_malformed_references_are_rejected() -> None:
    for text in ("${}", "${1abc}", "${a..b}", "${a"):
        with pytest.raises(ReferenceError, match="malformed reference"):
            find_references(text)


SCRIPTED = """\
version: 1
name: refs
region: us-east-2
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
script:
  - at: 0m
    id: start1
    StartEngagement: {ContactId: akuam, Sender: cli, Subject: s, Content: c}
  - at: 1m
    ListPagesByContact: {ContactId: akuam}
  - at: 2m
    acknowledge: {contact: akuam, engagement: start1}
  - at: 3m
    StopEngagement: {EngagementId: "${start1.EngagementArn}"}
  - at: 4m
    TagResource: {ResourceARN: akuam, Tags: []}
"""


def test_bare_aliases_become_contact_arns_in_contact_members() -> None:
    [scenario] = load_text(SCRIPTED)
    arn = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam"
    assert scenario.steps[0].request["ContactId"] == arn
    assert scenario.steps[1].request == {"ContactId": arn}
    assert scenario.steps[4].request["ResourceARN"] == arn


def test_acknowledge_refers_to_the_engagement_of_a_step() -> None:
    [scenario] = load_text(SCRIPTED)
    step = scenario.steps[2]
    assert step.operation == "AcceptPage"
    assert step.acknowledgement is not None
    assert step.acknowledgement.engagement == "${start1.EngagementArn}"
    assert step.acknowledgement.contact_arn.endswith(":contact/akuam")


def test_a_reference_to_a_later_step_is_an_error() -> None:
    text = SCRIPTED.replace("id: start1", "id: later").replace(
        "  - at: 3m\n", "  - at: 3m\n    id: start1\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "refs.scenario.yaml")
    assert caught.value.lines() == [
        "refs.scenario.yaml:15: script[2].acknowledge.engagement: no earlier step has id "
        "'start1' (write the id of the step that started the engagement, a ${...} reference or "
        "an ARN)",
        "refs.scenario.yaml:18: script[3].StopEngagement.EngagementId: ${start1.EngagementArn} "
        "refers to no earlier step with id 'start1'",
    ]


def test_step_ids_are_unique() -> None:
    text = SCRIPTED.replace("  - at: 1m\n", "  - at: 1m\n    id: start1\n")
    with pytest.raises(ScenarioError, match="step id 'start1' is used twice"):
        load_text(text)
