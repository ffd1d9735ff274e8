"""CreateContact, GetContact, UpdateContact, DeleteContact and ListContacts through the client."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import ConflictException, ResourceNotFoundException, ValidationException
from tests.api.test_response_shapes import assert_field_error, assert_not_found, assert_wire_shape
from tests.builders import ACCOUNT, PREFIX, REGION, Org, contact_arn

EMPTY: dict[str, Any] = {"Stages": []}
GHOST_CHANNEL = f"{PREFIX}contact-channel/akuam/00000000-0000-4000-8000-000000000000"


def escalation_plan(*targets: tuple[str, bool], minutes: int = 5) -> dict[str, Any]:
    return {
        "Stages": [
            {
                "DurationInMinutes": minutes,
                "Targets": [
                    {"ContactTargetInfo": {"ContactId": contact_arn(a), "IsEssential": e}}
                    for a, e in targets
                ],
            }
        ]
    }


# -- CreateContact ------------------------------------------------------------------------------


def test_create_contact_answers_the_arn_of_the_alias_in_the_client_region(org: Org) -> None:
    response = org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY)
    assert response == {"ContactArn": f"arn:aws:ssm-contacts:{REGION}:{ACCOUNT}:contact/akuam"}
    assert_wire_shape("CreateContact", response)


def test_create_contact_stores_display_name_type_and_plan_as_given(org: Org) -> None:
    org.person("akuam")
    plan = escalation_plan(("akuam", True))
    arn = org.client.create_contact(
        Alias="oncall_plan", DisplayName="On-call plan", Type="ESCALATION", Plan=plan
    )["ContactArn"]
    assert org.client.get_contact(ContactId=arn) == {
        "ContactArn": arn,
        "Alias": "oncall_plan",
        "DisplayName": "On-call plan",
        "Type": "ESCALATION",
        "Plan": plan,
    }


def test_create_contact_attaches_the_tags_given(org: Org) -> None:
    tags = [{"Key": "team", "Value": "ops"}, {"Key": "tier", "Value": "1"}]
    arn = org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY, Tags=tags)[
        "ContactArn"
    ]
    assert org.client.list_tags_for_resource(ResourceARN=arn) == {"Tags": tags}


def test_create_contact_with_a_taken_alias_is_a_conflict_naming_the_contact(org: Org) -> None:
    org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY)
    with pytest.raises(ConflictException) as caught:
        org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY)
    assert caught.value.response == {
        "Error": {"Code": "ConflictException", "Message": caught.value.message},
        "ResourceId": contact_arn("akuam"),
        "ResourceType": "CONTACT",
    }
    assert "akuam" in caught.value.message


def test_create_contact_rejects_an_alias_that_is_not_a_string(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias=5, Type="PERSONAL", Plan=EMPTY)
    assert_field_error(caught.value, "Alias", "5")
    assert "string" in caught.value.message


def test_create_contact_rejects_a_type_outside_the_enum(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="akuam", Type="TEAM", Plan=EMPTY)
    assert_field_error(caught.value, "Type", "TEAM")
    assert "PERSONAL, ESCALATION, ONCALL_SCHEDULE" in caught.value.message


def test_create_contact_rejects_a_missing_plan(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="akuam", Type="PERSONAL")
    assert_field_error(caught.value, "Plan", "null")


def test_create_contact_lists_every_field_problem_at_once(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="Not Valid", Type="TEAM", Plan=EMPTY, DisplayName="a/b")
    names = [f["Name"] for f in caught.value.response["Fields"]]
    assert sorted(names) == ["Alias", "DisplayName", "Type"]
    assert caught.value.message.startswith("3 validation errors detected")


def test_create_contact_rejects_an_unknown_member_by_name(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY, Colour="red")
    assert_field_error(caught.value, "Colour")


def test_create_contact_rejects_more_than_50_tags(org: Org) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan=EMPTY, Tags=tags)
    assert_field_error(caught.value, "Tags", "51 items")


def test_create_contact_rejects_a_plan_that_does_not_fit_the_type(org: Org) -> None:
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [{"ChannelTargetInfo": {"ContactChannelId": GHOST_CHANNEL}}],
            }
        ]
    }
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="plan", Type="ESCALATION", Plan=plan)
    assert_field_error(caught.value, "Plan.Stages[0].Targets[0].ChannelTargetInfo")


def test_create_contact_naming_a_missing_rotation_is_a_validation_error(org: Org) -> None:
    rotation = f"{PREFIX}rotation/00000000-0000-4000-8000-000000000000"
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(
            Alias="schedule", Type="ONCALL_SCHEDULE", Plan={"RotationIds": [rotation]}
        )
    assert_field_error(caught.value, "Plan.RotationIds[0]", rotation)


def test_create_contact_rejects_a_reused_token_with_other_parameters(org: Org) -> None:
    org.client.create_contact(Alias="first", Type="PERSONAL", Plan=EMPTY, IdempotencyToken="t1")
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(
            Alias="second", Type="PERSONAL", Plan=EMPTY, IdempotencyToken="t1"
        )
    assert_field_error(caught.value, "IdempotencyToken", "t1")
    with pytest.raises(ResourceNotFoundException):
        org.client.get_contact(ContactId=contact_arn("second"))


# -- GetContact ---------------------------------------------------------------------------------


def test_get_contact_answers_the_plan_with_canonical_arns(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 1,
                "Targets": [
                    {"ChannelTargetInfo": {"ContactChannelId": sms, "RetryIntervalInMinutes": 2}}
                ],
            }
        ]
    }
    org.client.update_contact(ContactId=contact_arn("akuam"), Plan=plan)
    response = org.client.get_contact(ContactId=contact_arn("akuam"))
    assert response == {
        "ContactArn": contact_arn("akuam"),
        "Alias": "akuam",
        "Type": "PERSONAL",
        "Plan": plan,
    }
    assert_wire_shape("GetContact", response)


def test_get_contact_of_an_unknown_alias_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.get_contact(ContactId=contact_arn("nobody"))
    assert_not_found(caught.value, contact_arn("nobody"), "CONTACT")


def test_get_contact_with_a_channel_arn_is_not_found_as_a_contact(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.get_contact(ContactId=sms)
    assert_not_found(caught.value, sms, "CONTACT")


def test_get_contact_rejects_an_id_that_is_not_an_arn(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.get_contact(ContactId="akuam")
    assert_field_error(caught.value, "ContactId", "akuam")


# -- UpdateContact ------------------------------------------------------------------------------


def test_update_contact_answers_nothing_and_replaces_the_whole_plan(org: Org) -> None:
    escalation = org.seed()
    plan = escalation_plan(("anasi", False), minutes=10)
    assert org.client.update_contact(ContactId=escalation, Plan=plan) == {}
    assert org.client.get_contact(ContactId=escalation)["Plan"] == plan


def test_update_contact_display_name_keeps_the_plan(org: Org) -> None:
    escalation = org.seed()
    before = org.client.get_contact(ContactId=escalation)["Plan"]
    org.client.update_contact(ContactId=escalation, DisplayName="Example plan")
    after = org.client.get_contact(ContactId=escalation)
    assert after["DisplayName"] == "Example plan" and after["Plan"] == before


def test_update_contact_with_an_empty_display_name_removes_it(org: Org) -> None:
    org.client.create_contact(Alias="akuam", DisplayName="Akua", Type="PERSONAL", Plan=EMPTY)
    org.client.update_contact(ContactId=contact_arn("akuam"), DisplayName="")
    assert "DisplayName" not in org.client.get_contact(ContactId=contact_arn("akuam"))


def test_update_contact_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.update_contact(ContactId=contact_arn("nobody"), DisplayName="x")
    assert_not_found(caught.value, contact_arn("nobody"), "CONTACT")


def test_update_contact_naming_a_missing_contact_is_not_found(org: Org) -> None:
    escalation = org.seed()
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.update_contact(ContactId=escalation, Plan=escalation_plan(("ghost", True)))
    assert_not_found(caught.value, contact_arn("ghost"), "CONTACT")
    assert "Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId" in caught.value.message


def test_update_contact_naming_a_missing_channel_is_not_found(org: Org) -> None:
    org.person("akuam")
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [{"ChannelTargetInfo": {"ContactChannelId": GHOST_CHANNEL}}],
            }
        ]
    }
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.update_contact(ContactId=contact_arn("akuam"), Plan=plan)
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


def test_update_contact_rejects_contact_targets_in_a_personal_plan(org: Org) -> None:
    org.seed()
    with pytest.raises(ValidationException) as caught:
        org.client.update_contact(
            ContactId=contact_arn("akuam"), Plan=escalation_plan(("alejr", True))
        )
    assert_field_error(caught.value, "Plan.Stages[0].Targets[0].ContactTargetInfo")


def test_a_rejected_update_changes_neither_display_name_nor_plan(org: Org) -> None:
    escalation = org.seed()
    before = org.client.get_contact(ContactId=escalation)
    with pytest.raises(ResourceNotFoundException):
        org.client.update_contact(
            ContactId=escalation, DisplayName="Renamed", Plan=escalation_plan(("ghost", True))
        )
    assert org.client.get_contact(ContactId=escalation) == before


# -- DeleteContact ------------------------------------------------------------------------------


def test_delete_contact_answers_nothing_and_frees_the_alias(org: Org) -> None:
    org.seed()
    assert org.client.delete_contact(ContactId=contact_arn("anasi")) == {}
    with pytest.raises(ResourceNotFoundException):
        org.client.get_contact(ContactId=contact_arn("anasi"))
    again = org.client.create_contact(Alias="anasi", Type="PERSONAL", Plan=EMPTY)
    assert again == {"ContactArn": contact_arn("anasi")}


def test_delete_contact_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.delete_contact(ContactId=contact_arn("nobody"))
    assert_not_found(caught.value, contact_arn("nobody"), "CONTACT")


def test_delete_contact_of_a_rotation_member_answers_the_dependent_entities(org: Org) -> None:
    org.person("akuam")
    rotation = org.rotation("primary", ["akuam"])
    with pytest.raises(org.client.exceptions.ConflictException) as caught:
        org.client.delete_contact(ContactId=contact_arn("akuam"))
    response = caught.value.response
    assert list(response) == ["Error", "ResourceId", "ResourceType", "DependentEntities"]
    assert response["Error"]["Code"] == "ConflictException"
    assert (response["ResourceId"], response["ResourceType"]) == (contact_arn("akuam"), "CONTACT")
    assert response["DependentEntities"] == [
        {"RelationType": "RotationMember", "DependentResourceIds": [rotation]}
    ]


def test_deleting_an_escalation_plan_keeps_its_engagements_describable(org: Org) -> None:
    escalation = org.seed()
    engagement = org.engage("example_escalation")
    org.client.delete_contact(ContactId=escalation)
    described = org.client.describe_engagement(EngagementId=engagement)
    assert described["ContactArn"] == escalation
    assert len(org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]) == 1


# -- ListContacts -------------------------------------------------------------------------------


def test_list_contacts_answers_summaries_ordered_by_alias(org: Org) -> None:
    org.client.create_contact(Alias="zed", DisplayName="Zed", Type="PERSONAL", Plan=EMPTY)
    org.client.create_contact(Alias="amy", Type="PERSONAL", Plan=EMPTY)
    response = org.client.list_contacts()
    assert response == {
        "Contacts": [
            {"ContactArn": contact_arn("amy"), "Alias": "amy", "Type": "PERSONAL"},
            {
                "ContactArn": contact_arn("zed"),
                "Alias": "zed",
                "DisplayName": "Zed",
                "Type": "PERSONAL",
            },
        ]
    }
    assert_wire_shape("ListContacts", response)


def test_list_contacts_without_contacts_answers_an_empty_list(org: Org) -> None:
    assert org.client.list_contacts() == {"Contacts": []}


def test_list_contacts_alias_prefix_keeps_matching_aliases(org: Org) -> None:
    org.seed()
    listed = org.client.list_contacts(AliasPrefix="al")["Contacts"]
    assert [c["Alias"] for c in listed] == ["alejr"]
    assert org.client.list_contacts(AliasPrefix="zz") == {"Contacts": []}


def test_list_contacts_type_keeps_contacts_of_that_type(org: Org) -> None:
    org.seed()
    personal = org.client.list_contacts(Type="PERSONAL")["Contacts"]
    assert [c["Alias"] for c in personal] == ["akuam", "alejr", "anasi"]


def test_list_contacts_filters_combine(org: Org) -> None:
    org.seed()
    org.escalation("example_two", [(5, [("akuam", False)])])
    listed = org.client.list_contacts(AliasPrefix="ex", Type="ESCALATION")["Contacts"]
    assert [c["Alias"] for c in listed] == ["example_escalation", "example_two"]
    assert org.client.list_contacts(AliasPrefix="ex", Type="PERSONAL") == {"Contacts": []}


def test_list_contacts_rejects_an_alias_prefix_outside_the_pattern(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.list_contacts(AliasPrefix="A B")
    assert_field_error(caught.value, "AliasPrefix", "A B")


def test_list_contacts_rejects_a_type_outside_the_enum(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.list_contacts(Type="TEAM")
    assert_field_error(caught.value, "Type", "TEAM")


def test_list_contacts_shows_only_the_client_region(org: Org) -> None:
    org.seed()
    elsewhere = org.sim.client(region="eu-west-1")
    elsewhere.create_contact(Alias="remote", Type="PERSONAL", Plan=EMPTY)
    assert [c["Alias"] for c in elsewhere.list_contacts()["Contacts"]] == ["remote"]
    assert "remote" not in [c["Alias"] for c in org.client.list_contacts()["Contacts"]]
