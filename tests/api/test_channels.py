"""Contact channel operations through the client: create, read, update, delete, list, activation."""

from __future__ import annotations

from typing import Any

import pytest

from engine.errors import ConflictException, ResourceNotFoundException, ValidationException
from tests.api.test_response_shapes import assert_field_error, assert_not_found, assert_wire_shape
from tests.builders import PREFIX, Org, contact_arn, events_of, last_activation_code

GHOST_CHANNEL = f"{PREFIX}contact-channel/akuam/00000000-0000-4000-8000-000000000000"
OTHER_REGION = "arn:aws:ssm-contacts:eu-west-1:111122223333:"


def bare_contact(org: Org, alias: str = "akuam") -> str:
    return str(
        org.client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    )


def new_channel(org: Org, contact: str, **extra: Any) -> str:
    request = {
        "ContactId": contact,
        "Name": "phone",
        "Type": "SMS",
        "DeliveryAddress": {"SimpleAddress": "+15550100"},
        **extra,
    }
    return str(org.client.create_contact_channel(**request)["ContactChannelArn"])


# -- CreateContactChannel -----------------------------------------------------------------------


def test_create_contact_channel_answers_a_channel_arn_under_the_owner_alias(org: Org) -> None:
    contact = bare_contact(org)
    response = org.client.create_contact_channel(
        ContactId=contact, Name="phone", Type="SMS", DeliveryAddress={"SimpleAddress": "+15550100"}
    )
    assert list(response) == ["ContactChannelArn"]
    assert response["ContactChannelArn"].startswith(f"{PREFIX}contact-channel/akuam/")
    assert_wire_shape("CreateContactChannel", response)


def test_create_contact_channel_sends_the_code_to_the_new_address(org: Org) -> None:
    channel = new_channel(
        org, bare_contact(org), Type="EMAIL", DeliveryAddress={"SimpleAddress": "akuam@example.com"}
    )
    (message,) = org.sim.outbox
    assert message == {
        "Time": org.sim.start.timestamp(),
        "Kind": "ACTIVATION",
        "ChannelType": "EMAIL",
        "ContactChannelArn": channel,
        "DeliveryAddress": "akuam@example.com",
        "ContactArn": contact_arn("akuam"),
        "Code": message["Code"],
    }


def test_create_contact_channel_for_an_escalation_plan_is_a_validation_error(org: Org) -> None:
    escalation = org.seed()
    with pytest.raises(ValidationException) as caught:
        new_channel(org, escalation, DeliveryAddress={"SimpleAddress": "+15550188"})
    assert_field_error(caught.value, "ContactId", escalation)
    assert "PERSONAL" in caught.value.message


def test_create_contact_channel_for_a_contact_of_another_region_is_a_validation_error(
    org: Org,
) -> None:
    bare_contact(org)
    elsewhere = f"{OTHER_REGION}contact/akuam"
    with pytest.raises(ValidationException) as caught:
        new_channel(org, elsewhere)
    assert_field_error(caught.value, "ContactId", elsewhere)


@pytest.mark.parametrize(
    ("kind", "address"),
    [("SMS", "5550100"), ("VOICE", "+0555"), ("EMAIL", "akuam.example.com")],
)
def test_create_contact_channel_rejects_an_address_unfit_for_the_type(
    org: Org, kind: str, address: str
) -> None:
    with pytest.raises(ValidationException) as caught:
        new_channel(org, bare_contact(org), Type=kind, DeliveryAddress={"SimpleAddress": address})
    assert_field_error(caught.value, "DeliveryAddress.SimpleAddress", address)
    assert not org.sim.outbox


def test_create_contact_channel_rejects_a_missing_simple_address(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        new_channel(org, bare_contact(org), DeliveryAddress={})
    assert_field_error(caught.value, "DeliveryAddress.SimpleAddress", "null")


def test_create_contact_channel_rejects_a_type_outside_the_enum(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        new_channel(org, bare_contact(org), Type="FAX")
    assert_field_error(caught.value, "Type", "FAX")


def test_create_contact_channel_rejects_a_non_boolean_defer_activation(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        new_channel(org, bare_contact(org), DeferActivation="yes")
    assert_field_error(caught.value, "DeferActivation", "yes")


def test_a_second_channel_with_the_same_type_and_address_names_the_first(org: Org) -> None:
    contact = bare_contact(org)
    first = new_channel(org, contact)
    with pytest.raises(ConflictException) as caught:
        new_channel(org, contact, Name="again")
    assert caught.value.response == {
        "Error": {"Code": "ConflictException", "Message": caught.value.message},
        "ResourceId": first,
        "ResourceType": "CONTACT_CHANNEL",
    }


def test_the_same_address_on_another_type_is_not_a_conflict(org: Org) -> None:
    contact = bare_contact(org)
    new_channel(org, contact)
    voice = new_channel(org, contact, Type="VOICE", Name="voice")
    assert org.client.get_contact_channel(ContactChannelId=voice)["Type"] == "VOICE"


# -- GetContactChannel --------------------------------------------------------------------------


def test_get_contact_channel_answers_the_channel_not_activated_at_first(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    response = org.client.get_contact_channel(ContactChannelId=channel)
    assert response == {
        "ContactArn": contact_arn("akuam"),
        "ContactChannelArn": channel,
        "Name": "phone",
        "Type": "SMS",
        "DeliveryAddress": {"SimpleAddress": "+15550100"},
        "ActivationStatus": "NOT_ACTIVATED",
    }
    assert_wire_shape("GetContactChannel", response)


def test_get_contact_channel_of_an_unknown_channel_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.get_contact_channel(ContactChannelId=GHOST_CHANNEL)
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


def test_get_contact_channel_with_an_arn_of_another_region_is_not_found(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    elsewhere = channel.replace(PREFIX, OTHER_REGION)
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.get_contact_channel(ContactChannelId=elsewhere)
    assert_not_found(caught.value, elsewhere, "CONTACT_CHANNEL")


# -- UpdateContactChannel -----------------------------------------------------------------------


def test_update_contact_channel_name_keeps_it_activated(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    assert org.client.update_contact_channel(ContactChannelId=sms, Name="mobile") == {}
    described = org.client.get_contact_channel(ContactChannelId=sms)
    assert (described["Name"], described["ActivationStatus"]) == ("mobile", "ACTIVATED")


def test_update_contact_channel_to_its_own_address_keeps_it_activated(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    sent = len(org.sim.outbox)
    org.client.update_contact_channel(
        ContactChannelId=sms, DeliveryAddress={"SimpleAddress": "+15550100"}
    )
    assert org.client.get_contact_channel(ContactChannelId=sms)["ActivationStatus"] == "ACTIVATED"
    assert len(org.sim.outbox) == sent


def test_update_contact_channel_to_the_address_of_a_sibling_is_a_conflict(org: Org) -> None:
    contact = bare_contact(org)
    first = new_channel(org, contact)
    second = new_channel(
        org, contact, Name="backup", DeliveryAddress={"SimpleAddress": "+15550111"}
    )
    with pytest.raises(ConflictException) as caught:
        org.client.update_contact_channel(
            ContactChannelId=second, DeliveryAddress={"SimpleAddress": "+15550100"}
        )
    assert caught.value.response["ResourceId"] == first
    assert caught.value.response["ResourceType"] == "CONTACT_CHANNEL"
    assert org.client.get_contact_channel(ContactChannelId=second)["DeliveryAddress"] == {
        "SimpleAddress": "+15550111"
    }


def test_update_contact_channel_rejects_a_bad_name(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    with pytest.raises(ValidationException) as caught:
        org.client.update_contact_channel(ContactChannelId=channel, Name="a/b")
    assert_field_error(caught.value, "Name", "a/b")


def test_update_contact_channel_of_an_unknown_channel_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.update_contact_channel(ContactChannelId=GHOST_CHANNEL, Name="x")
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


# -- DeleteContactChannel -----------------------------------------------------------------------


def test_delete_contact_channel_answers_nothing_and_removes_it(org: Org) -> None:
    org.person("akuam")
    voice = org.channels["akuam"]["VOICE"]
    assert org.client.delete_contact_channel(ContactChannelId=voice) == {}
    with pytest.raises(ResourceNotFoundException):
        org.client.get_contact_channel(ContactChannelId=voice)
    listed = org.client.list_contact_channels(ContactId=contact_arn("akuam"))["ContactChannels"]
    assert [c["Type"] for c in listed] == ["SMS", "EMAIL"]
    (deleted,) = events_of(org.sim, "CHANNEL_DELETED")
    assert deleted["ContactChannelArn"] == voice


def test_delete_contact_channel_leaves_the_plan_naming_it(org: Org) -> None:
    org.person("akuam")
    voice = org.channels["akuam"]["VOICE"]
    org.client.delete_contact_channel(ContactChannelId=voice)
    plan = org.client.get_contact(ContactId=contact_arn("akuam"))["Plan"]
    named = [
        t["ChannelTargetInfo"]["ContactChannelId"] for s in plan["Stages"] for t in s["Targets"]
    ]
    assert voice in named


def test_delete_contact_channel_of_an_unknown_channel_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.delete_contact_channel(ContactChannelId=GHOST_CHANNEL)
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


# -- ListContactChannels ------------------------------------------------------------------------


def test_list_contact_channels_answers_summaries_in_creation_order(org: Org) -> None:
    org.person("akuam", activate=("VOICE",))
    response = org.client.list_contact_channels(ContactId=contact_arn("akuam"))
    assert [(c["Name"], c["ActivationStatus"]) for c in response["ContactChannels"]] == [
        ("sms", "NOT_ACTIVATED"),
        ("voice", "ACTIVATED"),
        ("email", "NOT_ACTIVATED"),
    ]
    assert response["ContactChannels"][0] == {
        "ContactChannelArn": org.channels["akuam"]["SMS"],
        "ContactArn": contact_arn("akuam"),
        "Name": "sms",
        "Type": "SMS",
        "DeliveryAddress": {"SimpleAddress": "+15550100"},
        "ActivationStatus": "NOT_ACTIVATED",
    }
    assert_wire_shape("ListContactChannels", response)


def test_list_contact_channels_lists_only_that_contacts_channels(org: Org) -> None:
    org.person("akuam")
    org.person("alejr")
    listed = org.client.list_contact_channels(ContactId=contact_arn("alejr"))["ContactChannels"]
    assert {c["ContactArn"] for c in listed} == {contact_arn("alejr")}


def test_list_contact_channels_of_an_escalation_plan_is_empty(org: Org) -> None:
    escalation = org.seed()
    assert org.client.list_contact_channels(ContactId=escalation) == {"ContactChannels": []}


def test_list_contact_channels_of_an_unknown_contact_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.list_contact_channels(ContactId=contact_arn("nobody"))
    assert_not_found(caught.value, contact_arn("nobody"), "CONTACT")


# -- ActivateContactChannel ---------------------------------------------------------------------


def test_activate_contact_channel_answers_nothing_and_records_the_activation(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    code = last_activation_code(org.sim, channel)
    assert org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode=code) == {}
    assert org.client.get_contact_channel(ContactChannelId=channel)["ActivationStatus"] == (
        "ACTIVATED"
    )
    assert events_of(org.sim, "CHANNEL_ACTIVATED", ContactChannelArn=channel)


def test_activating_an_active_channel_again_records_nothing_more(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    before = list(org.sim.events)
    code = last_activation_code(org.sim, sms)
    org.client.activate_contact_channel(ContactChannelId=sms, ActivationCode=code)
    assert org.sim.events == before


def test_activate_contact_channel_with_a_wrong_code_names_the_code(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    wrong = "999999" if last_activation_code(org.sim, channel) != "999999" else "999998"
    with pytest.raises(ValidationException) as caught:
        org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode=wrong)
    assert_field_error(caught.value, "ActivationCode", wrong)


def test_activate_contact_channel_rejects_a_code_shorter_than_six_digits(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    with pytest.raises(ValidationException) as caught:
        org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode="12")
    assert_field_error(caught.value, "ActivationCode", "12")


def test_activate_without_any_code_sent_is_a_rule_error_not_a_field_error(org: Org) -> None:
    channel = new_channel(org, bare_contact(org), DeferActivation=True)
    with pytest.raises(ValidationException) as caught:
        org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode="123456")
    assert caught.value.response == {
        "Error": {"Code": "ValidationException", "Message": caught.value.message},
        "Reason": "OTHER",
    }
    assert channel in caught.value.message


def test_activate_contact_channel_of_an_unknown_channel_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.activate_contact_channel(ContactChannelId=GHOST_CHANNEL, ActivationCode="123456")
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


# -- DeactivateContactChannel -------------------------------------------------------------------


def test_deactivate_contact_channel_answers_nothing_and_stops_paging_it(org: Org) -> None:
    org.person("akuam", stages=[(5, ["SMS", "VOICE"], 0)])
    sms = org.channels["akuam"]["SMS"]
    assert org.client.deactivate_contact_channel(ContactChannelId=sms) == {}
    assert org.client.get_contact_channel(ContactChannelId=sms)["ActivationStatus"] == (
        "NOT_ACTIVATED"
    )
    org.engage("akuam")
    assert [m["ChannelType"] for m in org.sim.outbox if m["Kind"] == "PAGE"] == ["VOICE"]


def test_deactivating_an_inactive_channel_records_nothing(org: Org) -> None:
    channel = new_channel(org, bare_contact(org))
    before = list(org.sim.events)
    org.client.deactivate_contact_channel(ContactChannelId=channel)
    assert org.sim.events == before


def test_a_deactivated_channel_comes_back_with_its_last_code(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    org.client.deactivate_contact_channel(ContactChannelId=sms)
    code = last_activation_code(org.sim, sms)
    org.client.activate_contact_channel(ContactChannelId=sms, ActivationCode=code)
    assert [e["Type"] for e in org.sim.events if e.get("ContactChannelArn") == sms][-2:] == [
        "CHANNEL_DEACTIVATED",
        "CHANNEL_ACTIVATED",
    ]


def test_deactivate_contact_channel_of_an_unknown_channel_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.deactivate_contact_channel(ContactChannelId=GHOST_CHANNEL)
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")


# -- SendActivationCode -------------------------------------------------------------------------


def test_send_activation_code_answers_nothing_and_sends_a_fresh_code(org: Org) -> None:
    channel = new_channel(org, bare_contact(org), DeferActivation=True)
    assert org.client.send_activation_code(ContactChannelId=channel) == {}
    (message,) = org.sim.outbox
    assert (message["Kind"], message["ContactChannelArn"]) == ("ACTIVATION", channel)
    org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode=message["Code"])


def test_send_activation_code_does_not_deactivate_an_active_channel(org: Org) -> None:
    org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    org.client.send_activation_code(ContactChannelId=sms)
    assert org.client.get_contact_channel(ContactChannelId=sms)["ActivationStatus"] == "ACTIVATED"


def test_send_activation_code_to_an_unknown_channel_is_not_found(org: Org) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        org.client.send_activation_code(ContactChannelId=GHOST_CHANNEL)
    assert_not_found(caught.value, GHOST_CHANNEL, "CONTACT_CHANNEL")
    assert not org.sim.outbox
