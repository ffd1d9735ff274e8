"""``Simulator.import_resources``: an organisation in AWS shapes, moved into the run's namespace."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine import Simulator
from engine.errors import ValidationException
from tests.builders import ACCOUNT, PREFIX, REGION, START, Org, contact_arn, events_of

THEIRS = "arn:aws:ssm-contacts:eu-west-1:444455556666:"
SMS_ID = "fc7405c4-46b2-48b7-87b2-93e2f225b90d"
MAIL_ID = "0b8d7a52-3f0c-4c39-9d8e-7b1a2c3d4e5f"
EMPTY: dict[str, Any] = {"Type": "PERSONAL", "Plan": {"Stages": []}}


def their_contacts() -> list[dict[str, Any]]:
    """akuam (SMS then EMAIL) and an escalation plan engaging akuam and a deleted contact."""
    return [
        {
            "ContactArn": f"{THEIRS}contact/akuam",
            "Alias": "akuam",
            "DisplayName": "Akua M",
            "Type": "PERSONAL",
            "Plan": {
                "Stages": [
                    {
                        "DurationInMinutes": 5,
                        "Targets": [
                            {
                                "ChannelTargetInfo": {
                                    "ContactChannelId": f"{THEIRS}contact-channel/akuam/{SMS_ID}",
                                    "RetryIntervalInMinutes": 1,
                                }
                            }
                        ],
                    },
                    {
                        "DurationInMinutes": 5,
                        "Targets": [
                            {
                                "ChannelTargetInfo": {
                                    "ContactChannelId": f"{THEIRS}contact-channel/akuam/{MAIL_ID}"
                                }
                            }
                        ],
                    },
                ]
            },
        },
        {
            "ContactArn": f"{THEIRS}contact/oncall",
            "Alias": "oncall",
            "Type": "ESCALATION",
            "Plan": {
                "Stages": [
                    {
                        "DurationInMinutes": 10,
                        "Targets": [
                            {
                                "ContactTargetInfo": {
                                    "ContactId": f"{THEIRS}contact/akuam",
                                    "IsEssential": True,
                                }
                            },
                            {
                                "ContactTargetInfo": {
                                    "ContactId": f"{THEIRS}contact/departed",
                                    "IsEssential": False,
                                }
                            },
                        ],
                    }
                ]
            },
        },
    ]


def their_channels() -> list[dict[str, Any]]:
    return [
        {
            "ContactChannelArn": f"{THEIRS}contact-channel/akuam/{SMS_ID}",
            "ContactArn": f"{THEIRS}contact/akuam",
            "Name": "phone",
            "Type": "SMS",
            "DeliveryAddress": {"SimpleAddress": "+15550100"},
            "ActivationStatus": "ACTIVATED",
        },
        {
            "ContactChannelArn": f"{THEIRS}contact-channel/akuam/{MAIL_ID}",
            "ContactArn": f"{THEIRS}contact/akuam",
            "Name": "mail",
            "Type": "EMAIL",
            "DeliveryAddress": {"SimpleAddress": "akuam@example.com"},
        },
    ]


def new_sim() -> Simulator:
    return Simulator(seed=5, start=START, region=REGION)


def field_names(error: ValidationException) -> list[str]:
    return [f["Name"] for f in error.response["Fields"]]


def test_import_answers_the_run_arn_of_every_arn_given(org: Org) -> None:
    arns = org.sim.import_resources(their_contacts(), their_channels())
    assert arns[f"{THEIRS}contact/akuam"] == contact_arn("akuam")
    assert arns[f"{THEIRS}contact/oncall"] == contact_arn("oncall")
    assert arns[f"{THEIRS}contact-channel/akuam/{SMS_ID}"] == (
        f"{PREFIX}contact-channel/akuam/{SMS_ID}"
    )
    assert arns[f"{THEIRS}contact-channel/akuam/{MAIL_ID}"] == (
        f"{PREFIX}contact-channel/akuam/{MAIL_ID}"
    )


def test_imported_contacts_read_back_in_the_run_account_and_region(org: Org) -> None:
    org.sim.import_resources(their_contacts(), their_channels())
    akuam = org.client.get_contact(ContactId=contact_arn("akuam"))
    assert (akuam["ContactArn"], akuam["DisplayName"], akuam["Type"]) == (
        contact_arn("akuam"),
        "Akua M",
        "PERSONAL",
    )
    listed = org.client.list_contacts()["Contacts"]
    assert [c["ContactArn"] for c in listed] == [contact_arn("akuam"), contact_arn("oncall")]


def test_plan_references_are_rewritten_and_keep_their_uuids(org: Org) -> None:
    org.sim.import_resources(their_contacts(), their_channels())
    akuam_plan = org.client.get_contact(ContactId=contact_arn("akuam"))["Plan"]
    channel_ids = [
        t["ChannelTargetInfo"]["ContactChannelId"]
        for s in akuam_plan["Stages"]
        for t in s["Targets"]
    ]
    assert channel_ids == [
        f"{PREFIX}contact-channel/akuam/{SMS_ID}",
        f"{PREFIX}contact-channel/akuam/{MAIL_ID}",
    ]
    oncall_plan = org.client.get_contact(ContactId=contact_arn("oncall"))["Plan"]
    targets = [t["ContactTargetInfo"] for t in oncall_plan["Stages"][0]["Targets"]]
    assert targets == [
        {"ContactId": contact_arn("akuam"), "IsEssential": True},
        {"ContactId": contact_arn("departed"), "IsEssential": False},
    ]


def test_activation_status_is_honoured_and_absent_means_not_activated(org: Org) -> None:
    org.sim.import_resources(their_contacts(), their_channels())
    listed = org.client.list_contact_channels(ContactId=contact_arn("akuam"))["ContactChannels"]
    assert [(c["Name"], c["ActivationStatus"]) for c in listed] == [
        ("phone", "ACTIVATED"),
        ("mail", "NOT_ACTIVATED"),
    ]
    assert [e["Type"] for e in org.sim.events] == [
        "CHANNEL_CREATED",
        "CHANNEL_ACTIVATED",
        "CHANNEL_CREATED",
    ]
    assert org.sim.outbox == []


def test_an_imported_organisation_engages_and_skips_what_dangles(org: Org) -> None:
    org.sim.import_resources(their_contacts(), their_channels())
    org.engage("oncall")
    org.sim.run()
    pages = [m for m in org.sim.outbox if m["Kind"] == "PAGE"]
    assert [(m["ChannelType"], m["DeliveryAddress"]) for m in pages] == [("SMS", "+15550100")]
    (skipped_target,) = events_of(org.sim, "TARGET_SKIPPED")
    assert skipped_target["ContactArn"] == contact_arn("departed")
    (skipped_channel,) = events_of(org.sim, "CHANNEL_SKIPPED")
    assert skipped_channel["Reason"] == "channel not activated"


def test_import_round_trips_what_get_contact_and_list_contact_channels_print(org: Org) -> None:
    org.seed()
    contacts = [
        org.client.get_contact(ContactId=c["ContactArn"])
        for c in org.client.list_contacts()["Contacts"]
    ]
    channels = [
        ch
        for c in contacts
        for ch in org.client.list_contact_channels(ContactId=c["ContactArn"])["ContactChannels"]
    ]
    other = Simulator(seed=9, start=START, region="ap-south-1", account="444455556666")
    other.import_resources(contacts, channels)
    moved = other.client()

    def here(text: str) -> str:
        return text.replace(f":{REGION}:{ACCOUNT}:", ":ap-south-1:444455556666:")

    for contact in contacts:
        assert moved.get_contact(ContactId=here(contact["ContactArn"])) == _rewrite(contact, here)
    for channel in channels:
        assert (
            moved.get_contact_channel(ContactChannelId=here(channel["ContactChannelArn"]))[
                "ActivationStatus"
            ]
            == channel["ActivationStatus"]
        )


def _rewrite(value: Any, here: Any) -> Any:
    if isinstance(value, str):
        return here(value)
    if isinstance(value, list):
        return [_rewrite(v, here) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, here) for k, v in value.items()}
    return value


def test_import_into_another_namespace_by_keyword() -> None:
    sim = new_sim()
    sim.import_resources(their_contacts(), their_channels(), account="444455556666")
    assert sim.client().list_contacts() == {"Contacts": []}
    listed = sim.client(account="444455556666").list_contacts()["Contacts"]
    assert [c["Alias"] for c in listed] == ["akuam", "oncall"]


def test_a_bad_item_imports_nothing_at_all() -> None:
    sim = new_sim()
    channels = their_channels()
    channels[1]["DeliveryAddress"] = {"SimpleAddress": "not-an-email"}
    with pytest.raises(ValidationException):
        sim.import_resources(their_contacts(), channels)
    assert sim.client().list_contacts() == {"Contacts": []}
    assert sim.events == [] and sim.outbox == []


def test_every_problem_is_listed_with_its_path_under_the_prefix() -> None:
    sim = new_sim()
    contacts = their_contacts()
    contacts[1]["Plan"]["Stages"][0]["DurationInMinutes"] = 31
    contacts.append({"ContactArn": f"{THEIRS}contact/On Call", "Alias": "On Call", **EMPTY})
    channels = their_channels()
    channels[0]["Type"] = "FAX"
    channels[1]["DeliveryAddress"] = {"SimpleAddress": "not-an-email"}
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(contacts, channels, path="scenario.organisation")
    error = caught.value
    assert error.response["Reason"] == "FIELD_VALIDATION_FAILED"
    assert sorted(field_names(error)) == [
        "scenario.organisation.channels[0].Type",
        "scenario.organisation.channels[1].DeliveryAddress.SimpleAddress",
        "scenario.organisation.contacts[1].Plan.Stages[0].DurationInMinutes",
        "scenario.organisation.contacts[2].Alias",
    ]
    for field in error.response["Fields"]:
        assert f"'{field['Name']}'" in field["Message"]
    assert error.message.startswith("4 validation errors detected")


def test_every_problem_of_one_channel_is_listed() -> None:
    sim = new_sim()
    channels = their_channels()
    channels[1]["DeliveryAddress"] = {"SimpleAddress": "not-an-email"}
    channels[1]["ActivationStatus"] = "PENDING"
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(their_contacts(), channels)
    assert sorted(field_names(caught.value)) == [
        "organisation.channels[1].ActivationStatus",
        "organisation.channels[1].DeliveryAddress.SimpleAddress",
    ]


def test_channels_of_a_rejected_contact_are_still_checked_for_their_own_problems() -> None:
    sim = new_sim()
    contacts = their_contacts()
    contacts[0]["Plan"]["Stages"][0]["DurationInMinutes"] = 31
    channels = their_channels()
    channels[1]["DeliveryAddress"] = {"SimpleAddress": "not-an-email"}
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(contacts, channels)
    assert sorted(field_names(caught.value)) == [
        "organisation.channels[1].DeliveryAddress.SimpleAddress",
        "organisation.contacts[0].Plan.Stages[0].DurationInMinutes",
    ]


def test_a_contact_arn_is_required() -> None:
    sim = new_sim()
    contacts = their_contacts()
    del contacts[1]["ContactArn"]
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(contacts, their_channels())
    assert field_names(caught.value) == ["organisation.contacts[1].ContactArn"]


def test_a_contact_arn_must_end_in_the_alias() -> None:
    sim = new_sim()
    contacts = their_contacts()
    contacts[1]["ContactArn"] = f"{THEIRS}contact/someone_else"
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(contacts, their_channels())
    assert field_names(caught.value) == ["organisation.contacts[1].ContactArn"]


def test_a_channel_arn_is_required() -> None:
    sim = new_sim()
    channels = their_channels()
    del channels[0]["ContactChannelArn"]
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(their_contacts(), channels)
    assert field_names(caught.value) == ["organisation.channels[0].ContactChannelArn"]


def test_an_alias_already_in_the_run_is_a_problem(org: Org) -> None:
    org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    with pytest.raises(ValidationException) as caught:
        org.sim.import_resources(their_contacts(), their_channels())
    assert field_names(caught.value) == ["organisation.contacts[0].Alias"]


def test_a_second_channel_of_one_owner_type_and_address_is_a_problem() -> None:
    sim = new_sim()
    channels = their_channels()
    twin = {**channels[0], "Name": "phone2"}
    twin["ContactChannelArn"] = f"{THEIRS}contact-channel/akuam/{MAIL_ID[:-1]}0"
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(their_contacts(), [*channels, twin])
    assert field_names(caught.value) == ["organisation.channels[2].DeliveryAddress.SimpleAddress"]
    assert "is already the address of akuam's SMS channel" in str(caught.value)
    # Another owner, another type or another address is no twin.
    other_type = {**twin, "Type": "VOICE"}
    sim.import_resources(their_contacts(), [*channels, other_type])
    assert (
        len(sim.client().list_contact_channels(ContactId=contact_arn("akuam"))["ContactChannels"])
        == 3
    )


def test_a_channel_twin_of_one_already_in_the_run_is_a_problem(org: Org) -> None:
    org.sim.import_resources(their_contacts(), their_channels()[:1])
    again = {**their_channels()[0], "ContactChannelArn": f"{THEIRS}contact-channel/akuam/{MAIL_ID}"}
    with pytest.raises(ValidationException) as caught:
        org.sim.import_resources([], [again])
    assert field_names(caught.value) == ["organisation.channels[0].DeliveryAddress.SimpleAddress"]


def test_a_channel_of_an_unknown_or_escalation_contact_is_a_problem() -> None:
    sim = new_sim()
    channels = their_channels()
    channels[0]["ContactArn"] = f"{THEIRS}contact/oncall"
    channels[1]["ContactArn"] = f"{THEIRS}contact/nobody"
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(their_contacts(), channels)
    assert field_names(caught.value) == [
        "organisation.channels[0].ContactArn",
        "organisation.channels[1].ContactArn",
    ]
    assert "ESCALATION" in caught.value.response["Fields"][0]["Message"]


def test_the_same_channel_twice_is_a_problem() -> None:
    sim = new_sim()
    channels = their_channels()
    channels.append(copy.deepcopy(channels[0]))
    channels[2]["Name"] = "again"
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(their_contacts(), channels)
    assert field_names(caught.value) == ["organisation.channels[2].ContactChannelArn"]


def test_two_channels_with_one_type_and_address_are_a_problem() -> None:
    sim = new_sim()
    channels = their_channels()
    twin = copy.deepcopy(channels[0])
    twin["ContactChannelArn"] = (
        f"{THEIRS}contact-channel/akuam/9e9e9e9e-3f0c-4c39-9d8e-7b1a2c3d4e5f"
    )
    channels.append(twin)
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(their_contacts(), channels)
    assert [n for n in field_names(caught.value) if n.startswith("organisation.channels[2]")]


def test_a_plan_naming_another_contacts_channel_is_a_problem() -> None:
    sim = new_sim()
    contacts = their_contacts()
    contacts.append(
        {
            "ContactArn": f"{THEIRS}contact/bob",
            "Alias": "bob",
            "Type": "PERSONAL",
            "Plan": copy.deepcopy(contacts[0]["Plan"]),
        }
    )
    with pytest.raises(ValidationException) as caught:
        sim.import_resources(contacts, their_channels())
    assert field_names(caught.value) == [
        "organisation.contacts[2].Plan.Stages[0].Targets[0].ChannelTargetInfo.ContactChannelId"
    ]


def test_contacts_and_channels_must_be_lists() -> None:
    sim = new_sim()
    with pytest.raises(ValidationException) as caught:
        sim.import_resources({"Alias": "akuam"}, "none")
    assert field_names(caught.value) == ["organisation.contacts", "organisation.channels"]
