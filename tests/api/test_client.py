"""The in-process client itself: methods, generic calls, error classes and boto3-like responses."""

from __future__ import annotations

from typing import Any

import pytest

from engine import errors
from engine.errors import ServiceError, ValidationException
from tests.api.test_response_shapes import assert_field_error
from tests.builders import ACCOUNT, Org, contact_arn

ISSUE_2_METHODS = [
    "create_contact",
    "get_contact",
    "update_contact",
    "delete_contact",
    "list_contacts",
    "create_contact_channel",
    "get_contact_channel",
    "update_contact_channel",
    "delete_contact_channel",
    "list_contact_channels",
    "activate_contact_channel",
    "deactivate_contact_channel",
    "send_activation_code",
    "start_engagement",
    "stop_engagement",
    "describe_engagement",
    "list_engagements",
    "describe_page",
    "list_pages_by_contact",
    "list_pages_by_engagement",
    "list_page_receipts",
    "list_page_resolutions",
    "accept_page",
    "tag_resource",
    "untag_resource",
    "list_tags_for_resource",
    "put_contact_policy",
    "get_contact_policy",
]


def test_the_client_has_boto3_method_names_for_every_operation(org: Org) -> None:
    for name in ISSUE_2_METHODS:
        method = getattr(org.client, name)
        assert callable(method) and method.__name__ == name and method.__doc__
    assert set(ISSUE_2_METHODS) <= set(dir(org.client))


def test_an_unknown_method_is_an_attribute_error(org: Org) -> None:
    with pytest.raises(AttributeError, match="start_engagment"):
        org.client.start_engagment  # noqa: B018  (the attribute access is the test)
    assert not hasattr(org.client, "StartEngagement")


def test_call_dispatches_by_the_aws_operation_name(org: Org) -> None:
    response = org.client.call(
        "CreateContact", {"Alias": "akuam", "Type": "PERSONAL", "Plan": {"Stages": []}}
    )
    assert response == {"ContactArn": contact_arn("akuam")}
    assert org.client.call("ListContacts") == org.client.list_contacts()


def test_call_of_an_unknown_operation_is_an_unknown_operation_error(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.call("StartEngagment", {})
    assert caught.value.response["Reason"] == "UNKNOWN_OPERATION"
    assert "StartEngagment" in caught.value.message


def test_call_with_parameters_that_are_not_a_mapping_cannot_be_parsed(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.call("ListContacts", ["not", "a", "dict"])
    assert caught.value.response["Reason"] == "CANNOT_PARSE"


def test_errors_are_caught_through_client_exceptions_by_code(org: Org) -> None:
    exceptions = org.client.exceptions
    for code, cls in errors.ERROR_CLASSES.items():
        assert getattr(exceptions, code) is cls
    with pytest.raises(exceptions.ResourceNotFoundException):
        org.client.get_contact(ContactId=contact_arn("ghost"))
    with pytest.raises(exceptions.ValidationException):
        org.client.get_contact(ContactId="ghost")


def test_client_error_catches_every_service_error(org: Org) -> None:
    assert org.client.exceptions.ClientError is ServiceError
    caught = []
    for request in ({"ContactId": contact_arn("ghost")}, {"ContactId": 5}):
        try:
            org.client.get_contact(**request)
        except org.client.exceptions.ClientError as error:
            caught.append(error.response["Error"]["Code"])
    assert caught == ["ResourceNotFoundException", "ValidationException"]


def test_error_response_is_shaped_like_boto3_client_error_response(org: Org) -> None:
    with pytest.raises(ServiceError) as caught:
        org.client.get_contact(ContactId=contact_arn("ghost"))
    error = caught.value
    assert error.response == {
        "Error": {"Code": "ResourceNotFoundException", "Message": error.message},
        "ResourceId": contact_arn("ghost"),
        "ResourceType": "CONTACT",
    }
    assert (error.code, str(error)) == ("ResourceNotFoundException", error.message)
    assert "ResponseMetadata" not in error.response


def test_validation_error_response_carries_reason_and_fields(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="Bad Alias", Type="PERSONAL", Plan={"Stages": []})
    response = caught.value.response
    assert list(response) == ["Error", "Reason", "Fields"]
    assert response["Fields"] == [{"Name": "Alias", "Message": response["Fields"][0]["Message"]}]


def test_successful_responses_carry_no_response_metadata(org: Org) -> None:
    org.seed()
    for response in (
        org.client.list_contacts(),
        org.client.get_contact(ContactId=contact_arn("akuam")),
        org.client.update_contact(ContactId=contact_arn("akuam"), DisplayName="A"),
    ):
        assert "ResponseMetadata" not in response


@pytest.mark.parametrize(
    ("method", "request_", "path", "shown"),
    [
        ("create_contact", {"Alias": 5, "Type": "PERSONAL", "Plan": {}}, "Alias", "5"),
        ("create_contact", {"Alias": "a", "Type": "PERSONAL", "Plan": "x"}, "Plan", "x"),
        (
            "create_contact",
            {"Alias": "a", "Type": "ESCALATION", "Plan": {"Stages": "x"}},
            "Plan.Stages",
            "x",
        ),
        (
            "create_contact",
            {"Alias": "a", "Type": "ESCALATION", "Plan": {"Stages": [5]}},
            "Plan.Stages[0]",
            "5",
        ),
        (
            "create_contact",
            {
                "Alias": "a",
                "Type": "ESCALATION",
                "Plan": {"Stages": [{"DurationInMinutes": "5", "Targets": []}]},
            },
            "Plan.Stages[0].DurationInMinutes",
            "5",
        ),
        (
            "create_contact",
            {"Alias": "a", "Type": "PERSONAL", "Plan": {}, "Tags": [5]},
            "Tags[0]",
            "5",
        ),
        ("list_contacts", {"MaxResults": 1.5}, "MaxResults", "1.5"),
        ("get_contact", {"ContactId": None}, "ContactId", "null"),
        ("get_contact", {"ContactId": ["arn"]}, "ContactId", "arn"),
        (
            "create_contact_channel",
            {
                "ContactId": contact_arn("akuam"),
                "Name": "n",
                "Type": "SMS",
                "DeliveryAddress": "+15550100",
            },
            "DeliveryAddress",
            "+15550100",
        ),
        (
            "accept_page",
            {"PageId": contact_arn("x"), "AcceptType": "READ", "AcceptCode": 123456},
            "AcceptCode",
            "123456",
        ),
        ("untag_resource", {"ResourceARN": contact_arn("x"), "TagKeys": "k"}, "TagKeys", "k"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_validation_error_naming_its_path(
    org: Org, method: str, request_: dict[str, Any], path: str, shown: str
) -> None:
    with pytest.raises(ValidationException) as caught:
        getattr(org.client, method)(**request_)
    assert_field_error(caught.value, path, shown)


def test_clients_of_other_accounts_and_regions_keep_separate_state(org: Org) -> None:
    org.seed()
    other_account = org.sim.client(account="444455556666")
    other_region = org.sim.client(region="eu-west-1")
    assert other_account.list_contacts() == {"Contacts": []}
    assert other_region.list_contacts() == {"Contacts": []}
    made = other_account.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    assert made["ContactArn"] == "arn:aws:ssm-contacts:us-east-2:444455556666:contact/akuam"
    assert (other_region.account, other_region.region) == (ACCOUNT, "eu-west-1")
