"""TagResource, UntagResource, ListTagsForResource, PutContactPolicy and GetContactPolicy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.errors import (
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)
from tests.api.test_response_shapes import assert_field_error, assert_not_found, assert_wire_shape
from tests.builders import Org, contact_arn


def tags(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in pairs]


def fifty_tags(org: Org, arn: str) -> None:
    org.client.tag_resource(ResourceARN=arn, Tags=tags(*((f"k{i:02d}", "v") for i in range(50))))


# -- TagResource --------------------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["akuam", "example_escalation"])
def test_tag_resource_answers_nothing_and_tags_any_contact(org: Org, alias: str) -> None:
    org.seed()
    answer = org.client.tag_resource(ResourceARN=contact_arn(alias), Tags=tags(("team", "ops")))
    assert answer == {}
    assert_wire_shape("TagResource", answer)
    listed = org.client.list_tags_for_resource(ResourceARN=contact_arn(alias))
    assert listed == {"Tags": tags(("team", "ops"))}


def test_tag_resource_overwrites_the_value_of_a_key_it_already_has(org: Org) -> None:
    arn = org.seed()
    org.client.tag_resource(ResourceARN=arn, Tags=tags(("team", "ops"), ("tier", "1")))
    org.client.tag_resource(ResourceARN=arn, Tags=tags(("team", "sre")))
    listed = org.client.list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert listed == tags(("team", "sre"), ("tier", "1"))


def test_tag_resource_allows_exactly_50_tags(org: Org) -> None:
    arn = org.seed()
    fifty_tags(org, arn)
    org.client.tag_resource(ResourceARN=arn, Tags=tags(("k00", "new")))
    assert len(org.client.list_tags_for_resource(ResourceARN=arn)["Tags"]) == 50


def test_tag_resource_beyond_50_tags_is_a_quota_error_and_adds_nothing(org: Org) -> None:
    arn = org.seed()
    fifty_tags(org, arn)
    with pytest.raises(ServiceQuotaExceededException) as caught:
        org.client.tag_resource(ResourceARN=arn, Tags=tags(("k00", "changed"), ("extra", "v")))
    response = caught.value.response
    assert list(response) == ["Error", "ResourceId", "ResourceType", "QuotaCode", "ServiceCode"]
    assert response["Error"]["Code"] == "ServiceQuotaExceededException"
    assert response["ResourceId"] == arn and response["ServiceCode"] == "ssm-contacts"
    assert response["QuotaCode"]
    assert "51" in caught.value.message and "50" in caught.value.message
    listed = org.client.list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert len(listed) == 50 and listed[0] == {"Key": "k00", "Value": "v"}


def test_tag_resource_rejects_51_tags_in_one_request(org: Org) -> None:
    arn = org.seed()
    with pytest.raises(ValidationException) as caught:
        org.client.tag_resource(ResourceARN=arn, Tags=tags(*((f"k{i}", "v") for i in range(51))))
    assert_field_error(caught.value, "Tags", "51 items")


@pytest.mark.parametrize(
    ("tag", "path", "shown"),
    [
        ({"Key": "a b", "Value": "v"}, "Tags[0].Key", "a b"),
        ({"Key": "", "Value": "v"}, "Tags[0].Key", "''"),
        ({"Key": "k", "Value": "a*b"}, "Tags[0].Value", "a*b"),
        ({"Key": "k", "Value": "v" * 257}, "Tags[0].Value", "257 characters"),
    ],
)
def test_tag_resource_rejects_a_key_or_value_out_of_its_constraints(
    org: Org, tag: dict[str, str], path: str, shown: str
) -> None:
    arn = org.seed()
    with pytest.raises(ValidationException) as caught:
        org.client.tag_resource(ResourceARN=arn, Tags=[tag])
    assert_field_error(caught.value, path, shown)


@pytest.mark.parametrize("operation", ["TagResource", "CreateContact"])
def test_a_tag_without_a_value_is_a_validation_error_naming_it(org: Org, operation: str) -> None:
    arn = org.seed()
    request: dict[str, Any] = (
        {"ResourceARN": arn, "Tags": [{"Key": "team"}]}
        if operation == "TagResource"
        else {"Alias": "tagged", "Type": "PERSONAL", "Plan": {"Stages": []}, "Tags": [{"Key": "t"}]}
    )
    with pytest.raises(ValidationException) as caught:
        org.client.call(operation, request)
    assert_field_error(caught.value, "Tags[0].Value", "null")


def test_tag_resource_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.tag_resource(ResourceARN=contact_arn("ghost"), Tags=tags(("a", "b")))
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")


def test_tag_resource_of_a_contact_channel_is_not_found(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.tag_resource(ResourceARN=sms, Tags=tags(("a", "b")))
    assert caught.value.response["ResourceId"] == sms


def test_tag_resource_of_a_contact_of_another_region_is_not_found(org: Org) -> None:
    org.seed()
    elsewhere = "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam"
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.tag_resource(ResourceARN=elsewhere, Tags=tags(("a", "b")))
    assert_not_found(caught.value, elsewhere, "CONTACT")


# -- UntagResource ------------------------------------------------------------------------------


def test_untag_resource_answers_nothing_and_removes_the_keys(org: Org) -> None:
    arn = org.seed()
    org.client.tag_resource(ResourceARN=arn, Tags=tags(("a", "1"), ("b", "2"), ("c", "3")))
    assert org.client.untag_resource(ResourceARN=arn, TagKeys=["a", "c"]) == {}
    assert org.client.list_tags_for_resource(ResourceARN=arn) == {"Tags": tags(("b", "2"))}


def test_untag_resource_ignores_keys_that_are_not_there(org: Org) -> None:
    arn = org.seed()
    org.client.tag_resource(ResourceARN=arn, Tags=tags(("a", "1")))
    org.client.untag_resource(ResourceARN=arn, TagKeys=["zzz"])
    assert org.client.list_tags_for_resource(ResourceARN=arn) == {"Tags": tags(("a", "1"))}


def test_untag_resource_rejects_more_than_50_keys(org: Org) -> None:
    arn = org.seed()
    with pytest.raises(ValidationException) as caught:
        org.client.untag_resource(ResourceARN=arn, TagKeys=[f"k{i}" for i in range(51)])
    assert_field_error(caught.value, "TagKeys", "51 items")


def test_untag_resource_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.untag_resource(ResourceARN=contact_arn("ghost"), TagKeys=["a"])
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")


# -- ListTagsForResource ------------------------------------------------------------------------


def test_list_tags_for_resource_of_an_untagged_contact_is_an_empty_list(org: Org) -> None:
    arn = org.seed()
    response = org.client.list_tags_for_resource(ResourceARN=arn)
    assert response == {"Tags": []}
    assert_wire_shape("ListTagsForResource", response)


def test_list_tags_for_resource_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.list_tags_for_resource(ResourceARN=contact_arn("ghost"))
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")


def test_list_tags_for_resource_rejects_a_missing_arn(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.list_tags_for_resource()
    assert_field_error(caught.value, "ResourceARN", "null")


# -- PutContactPolicy / GetContactPolicy --------------------------------------------------------


POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": ["ssm-contacts:StartEngagement"],
                "Resource": ["arn:aws:ssm-contacts:*:111122223333:contact/akuam"],
            }
        ],
    },
    indent=2,
)


def test_put_contact_policy_answers_nothing_and_get_returns_it_verbatim(org: Org) -> None:
    org.seed()
    assert org.client.put_contact_policy(ContactArn=contact_arn("akuam"), Policy=POLICY) == {}
    response = org.client.get_contact_policy(ContactArn=contact_arn("akuam"))
    assert response == {"ContactArn": contact_arn("akuam"), "Policy": POLICY}
    assert_wire_shape("GetContactPolicy", response)


def test_put_contact_policy_replaces_the_earlier_policy(org: Org) -> None:
    arn = org.seed()
    org.client.put_contact_policy(ContactArn=arn, Policy=POLICY)
    org.client.put_contact_policy(ContactArn=arn, Policy="{}")
    assert org.client.get_contact_policy(ContactArn=arn)["Policy"] == "{}"


def test_get_contact_policy_without_a_policy_answers_the_arn_alone(org: Org) -> None:
    arn = org.seed()
    assert org.client.get_contact_policy(ContactArn=arn) == {"ContactArn": arn}


def test_put_contact_policy_rejects_a_blank_policy(org: Org) -> None:
    arn = org.seed()
    with pytest.raises(ValidationException) as caught:
        org.client.put_contact_policy(ContactArn=arn, Policy="   ")
    assert_field_error(caught.value, "Policy", "'   '")
    assert org.client.get_contact_policy(ContactArn=arn) == {"ContactArn": arn}


@pytest.mark.parametrize("operation", ["PutContactPolicy", "GetContactPolicy"])
def test_contact_policy_of_an_unknown_contact_is_not_found(org: Org, operation: str) -> None:
    request: dict[str, Any] = {"ContactArn": contact_arn("ghost")}
    if operation == "PutContactPolicy":
        request["Policy"] = POLICY
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.call(operation, request)
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")
