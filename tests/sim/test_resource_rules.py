"""docs/semantics.md R1-R4, L1, X1, X1b and X2: resources, references, lists and errors."""

from __future__ import annotations

import pytest

from engine import Simulator
from engine.errors import (
    ConflictException,
    ResourceNotFoundException,
    ServiceError,
    ValidationException,
)
from tests.builders import START, Org, contact_arn, events_of, last_activation_code


def test_R1_alias_is_unique_per_account_and_region(org: Org) -> None:
    org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    with pytest.raises(ConflictException) as caught:
        org.client.create_contact(Alias="akuam", Type="ESCALATION", Plan={"Stages": []})
    assert caught.value.response["ResourceId"] == contact_arn("akuam")
    other_region = org.sim.client(region="eu-west-1")
    created = other_region.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    assert created["ContactArn"] == "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam"


def test_R1_alias_and_type_cannot_be_updated(org: Org) -> None:
    org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    with pytest.raises(ValidationException, match="Alias"):
        org.client.update_contact(ContactId=contact_arn("akuam"), Alias="other")


def test_R2_an_escalation_plan_may_not_target_an_escalation_plan(org: Org) -> None:
    org.seed()
    with pytest.raises(ValidationException) as caught:
        org.escalation("outer", [(5, [("example_escalation", True)])])
    field = caught.value.response["Fields"][0]
    assert field["Name"] == "Plan.Stages[0].Targets[0].ContactTargetInfo.ContactId"
    assert contact_arn("example_escalation") in field["Message"]
    assert "outer" not in [c["Alias"] for c in org.client.list_contacts()["Contacts"]]


def test_R2_a_personal_plan_names_only_its_own_channels(org: Org) -> None:
    org.person("akuam")
    arn = org.client.create_contact(Alias="bob", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    foreign = org.channels["akuam"]["SMS"]
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 5,
                "Targets": [{"ChannelTargetInfo": {"ContactChannelId": foreign}}],
            }
        ]
    }
    with pytest.raises(ValidationException, match="own channels"):
        org.client.update_contact(ContactId=arn, Plan=plan)


def test_R2_stage_duration_and_retry_interval_ranges(org: Org) -> None:
    org.person("akuam")
    channel = org.channels["akuam"]["SMS"]
    for minutes, retry, name in (
        (31, 0, "Plan.Stages[0].DurationInMinutes"),
        (5, 61, "Plan.Stages[0].Targets[0].ChannelTargetInfo.RetryIntervalInMinutes"),
    ):
        plan = {
            "Stages": [
                {
                    "DurationInMinutes": minutes,
                    "Targets": [
                        {
                            "ChannelTargetInfo": {
                                "ContactChannelId": channel,
                                "RetryIntervalInMinutes": retry,
                            }
                        }
                    ],
                }
            ]
        }
        with pytest.raises(ValidationException) as caught:
            org.client.update_contact(ContactId=contact_arn("akuam"), Plan=plan)
        assert [f["Name"] for f in caught.value.response["Fields"]] == [name]


def test_R2_a_zero_minute_stage_needs_a_target(org: Org) -> None:
    with pytest.raises(ValidationException, match="DurationInMinutes"):
        org.client.create_contact(
            Alias="empty",
            Type="ESCALATION",
            Plan={"Stages": [{"DurationInMinutes": 0, "Targets": []}]},
        )


def test_R3_a_new_channel_is_not_activated_and_gets_a_code(org: Org) -> None:
    arn = org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})[
        "ContactArn"
    ]
    channel = org.client.create_contact_channel(
        ContactId=arn, Name="phone", Type="SMS", DeliveryAddress={"SimpleAddress": "+15550100"}
    )["ContactChannelArn"]
    assert (
        org.client.get_contact_channel(ContactChannelId=channel)["ActivationStatus"]
        == "NOT_ACTIVATED"
    )
    (activation,) = [m for m in org.sim.outbox if m["Kind"] == "ACTIVATION"]
    assert activation["DeliveryAddress"] == "+15550100" and len(activation["Code"]) == 6


def test_R3_defer_activation_sends_no_code(org: Org) -> None:
    arn = org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})[
        "ContactArn"
    ]
    channel = org.client.create_contact_channel(
        ContactId=arn,
        Name="mail",
        Type="EMAIL",
        DeliveryAddress={"SimpleAddress": "a@example.com"},
        DeferActivation=True,
    )["ContactChannelArn"]
    assert not org.sim.outbox
    with pytest.raises(ValidationException, match="SendActivationCode"):
        org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode="123456")


def test_R3_only_the_last_code_sent_activates(org: Org) -> None:
    arn = org.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})[
        "ContactArn"
    ]
    channel = org.client.create_contact_channel(
        ContactId=arn, Name="phone", Type="VOICE", DeliveryAddress={"SimpleAddress": "+15550100"}
    )["ContactChannelArn"]
    first = last_activation_code(org.sim, channel)
    org.client.send_activation_code(ContactChannelId=channel)
    second = last_activation_code(org.sim, channel)
    assert first != second
    with pytest.raises(ValidationException, match="ActivationCode"):
        org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode=first)
    org.client.activate_contact_channel(ContactChannelId=channel, ActivationCode=second)
    assert (
        org.client.get_contact_channel(ContactChannelId=channel)["ActivationStatus"] == "ACTIVATED"
    )
    assert [e["Type"] for e in org.sim.events] == ["CHANNEL_CREATED", "CHANNEL_ACTIVATED"]


def test_R3b_a_new_address_needs_activating_again(org: Org) -> None:
    org.person("akuam")
    channel = org.channels["akuam"]["SMS"]
    org.client.update_contact_channel(
        ContactChannelId=channel, DeliveryAddress={"SimpleAddress": "+15550999"}
    )
    described = org.client.get_contact_channel(ContactChannelId=channel)
    assert described["ActivationStatus"] == "NOT_ACTIVATED"
    assert org.sim.outbox[-1]["DeliveryAddress"] == "+15550999"
    org.client.update_contact_channel(ContactChannelId=channel, Name="renamed")
    assert org.client.get_contact_channel(ContactChannelId=channel)["Name"] == "renamed"


def test_R3b_a_duplicate_channel_is_a_conflict(org: Org) -> None:
    org.person("akuam")
    with pytest.raises(ConflictException):
        org.client.create_contact_channel(
            ContactId=contact_arn("akuam"),
            Name="again",
            Type="SMS",
            DeliveryAddress={"SimpleAddress": "+15550100"},
        )


def test_R3b_deleting_a_contact_deletes_its_channels(org: Org) -> None:
    org.person("akuam")
    org.client.delete_contact(ContactId=contact_arn("akuam"))
    for channel in org.channels["akuam"].values():
        with pytest.raises(ResourceNotFoundException):
            org.client.get_contact_channel(ContactChannelId=channel)
    assert len(events_of(org.sim, "CHANNEL_DELETED")) == 3


def test_R3b_deleting_a_rotation_member_is_a_conflict(org: Org) -> None:
    org.person("akuam")
    rotation = org.rotation("primary", ["akuam"])
    with pytest.raises(ConflictException) as caught:
        org.client.delete_contact(ContactId=contact_arn("akuam"))
    assert caught.value.response["DependentEntities"] == [
        {"RelationType": "RotationMember", "DependentResourceIds": [rotation]}
    ]
    assert org.client.get_contact(ContactId=contact_arn("akuam"))["Alias"] == "akuam"


def test_R4_a_deleted_channel_is_skipped_at_run_time(org: Org) -> None:
    org.person("akuam", stages=[(5, ["SMS", "VOICE"], 0)])
    org.client.delete_contact_channel(ContactChannelId=org.channels["akuam"]["VOICE"])
    org.engage("akuam")
    org.sim.run()
    (skipped,) = events_of(org.sim, "CHANNEL_SKIPPED")
    assert skipped["Reason"] == "channel not found"
    assert [m["ChannelType"] for m in org.sim.outbox if m["Kind"] == "PAGE"] == ["SMS"]


def test_R4_a_deleted_contact_in_an_escalation_plan_is_skipped(org: Org) -> None:
    org.seed()
    org.client.delete_contact(ContactId=contact_arn("alejr"))
    engagement = org.engage("example_escalation")
    org.sim.run()
    (skipped,) = events_of(org.sim, "TARGET_SKIPPED")
    assert (skipped["ContactArn"], skipped["StageIndex"]) == (contact_arn("alejr"), 1)
    pages = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    assert [p["ContactArn"] for p in pages] == [contact_arn("anasi"), contact_arn("akuam")]


def test_L1_contacts_list_by_alias_and_pages_hold_50(org: Org) -> None:
    for i in reversed(range(120)):
        org.client.create_contact(Alias=f"c{i:03d}", Type="PERSONAL", Plan={"Stages": []})
    first = org.client.list_contacts()
    assert len(first["Contacts"]) == 50 and first["Contacts"][0]["Alias"] == "c000"
    second = org.client.list_contacts(NextToken=first["NextToken"])
    assert second["Contacts"][0]["Alias"] == "c050"
    third = org.client.list_contacts(NextToken=second["NextToken"], MaxResults=7)
    assert [c["Alias"] for c in third["Contacts"]] == [f"c{i:03d}" for i in range(100, 107)]
    everything = [
        c["Alias"]
        for page in org.client.get_paginator("list_contacts").paginate(
            PaginationConfig={"PageSize": 33}
        )
        for c in page["Contacts"]
    ]
    assert everything == sorted(everything) and len(everything) == 120


def test_L1_engagements_and_pages_list_newest_first(org: Org) -> None:
    org.seed()
    org.person("solo", stages=[(5, ["SMS"], 0)])
    engagements = [org.engage("example_escalation")]
    org.sim.advance(600)  # all three stages of the escalation have paged someone
    engagements.append(org.engage("solo"))  # two more at one instant: creation order reversed
    engagements.append(org.engage("akuam"))
    listed = [e["EngagementArn"] for e in org.client.list_engagements()["Engagements"]]
    assert listed == engagements[::-1]
    first = engagements[0]
    by_engagement = org.client.list_pages_by_engagement(EngagementId=first)["Pages"]
    assert [p["ContactArn"] for p in by_engagement] == [
        contact_arn(alias) for alias in ("anasi", "alejr", "akuam")
    ]
    by_contact = org.client.list_pages_by_contact(ContactId=contact_arn("akuam"))["Pages"]
    assert [p["EngagementArn"] for p in by_contact] == [engagements[2], first]
    receipts = org.client.list_page_receipts(PageId=by_engagement[2]["PageArn"])["Receipts"]
    assert [r["ReceiptTime"] for r in receipts] == sorted(r["ReceiptTime"] for r in receipts)


def test_L1_paginated_walks_continue_newest_first_without_repeats(org: Org) -> None:
    org.person("solo", stages=[(5, ["SMS"], 0)])
    created = []
    for _ in range(7):
        created.append(org.engage("solo"))
        org.sim.advance(60)
    first = org.client.list_engagements(MaxResults=3)
    assert [e["EngagementArn"] for e in first["Engagements"]] == created[:3:-1]
    created.append(org.engage("solo"))  # made during the walk: it is not on the later pages
    walked = [e["EngagementArn"] for e in first["Engagements"]]
    token = first.get("NextToken")
    while token:
        page = org.client.list_engagements(MaxResults=3, NextToken=token)
        walked += [e["EngagementArn"] for e in page["Engagements"]]
        token = page.get("NextToken")
    assert walked == created[6::-1]
    paginated = [
        e["EngagementArn"]
        for page in org.client.get_paginator("list_engagements").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for e in page["Engagements"]
    ]
    assert paginated == created[::-1]
    pages = [
        p["PageArn"]
        for page in org.client.get_paginator("list_pages_by_contact").paginate(
            ContactId=contact_arn("solo"), PaginationConfig={"PageSize": 3}
        )
        for p in page["Pages"]
    ]
    starts = [org.client.describe_page(PageId=p)["EngagementArn"] for p in pages]
    assert starts == created[::-1]


def test_L1_filters_and_bad_tokens(org: Org) -> None:
    org.seed()
    names = [c["Alias"] for c in org.client.list_contacts(AliasPrefix="a")["Contacts"]]
    assert names == ["akuam", "alejr", "anasi"]
    escalations = org.client.list_contacts(Type="ESCALATION")["Contacts"]
    assert [c["Alias"] for c in escalations] == ["example_escalation"]
    with pytest.raises(ValidationException, match="NextToken"):
        org.client.list_contacts(NextToken="bm90LWEtdG9rZW4=")


def test_X1_errors_carry_aws_codes_and_members(org: Org) -> None:
    with pytest.raises(org.client.exceptions.ResourceNotFoundException) as caught:
        org.client.get_contact(ContactId=contact_arn("nobody"))
    response = caught.value.response
    assert response["Error"]["Code"] == "ResourceNotFoundException"
    assert response["ResourceType"] == "CONTACT" and response["ResourceId"] == contact_arn("nobody")
    assert contact_arn("nobody") in response["Error"]["Message"]


def test_X1_field_errors_name_the_path_and_value(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact(Alias="Bad Alias", Type="PERSONAL", Plan={"Stages": []})
    response = caught.value.response
    assert response["Reason"] == "FIELD_VALIDATION_FAILED"
    assert response["Fields"][0]["Name"] == "Alias"
    assert "Bad Alias" in response["Fields"][0]["Message"]


def test_X1_an_arn_of_another_account_or_region_is_not_found(org: Org) -> None:
    org.seed()
    for arn in (
        "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam",
        "arn:aws:ssm-contacts:us-east-2:999999999999:contact/akuam",
    ):
        with pytest.raises(ResourceNotFoundException):
            org.client.get_contact(ContactId=arn)


def test_X1b_create_contact_channel_names_a_missing_contact_as_validation(org: Org) -> None:
    with pytest.raises(ValidationException) as caught:
        org.client.create_contact_channel(
            ContactId=contact_arn("ghost"),
            Name="sms",
            Type="SMS",
            DeliveryAddress={"SimpleAddress": "+15550100"},
        )
    assert caught.value.response["Fields"][0]["Name"] == "ContactId"


def test_X1b_create_contact_names_a_missing_target_as_validation(org: Org) -> None:
    with pytest.raises(ValidationException, match="ghost"):
        org.escalation("plan", [(5, [("ghost", True)])])


def test_X2_a_rejected_request_changes_nothing(org: Org) -> None:
    org.seed()
    before_events = list(org.sim.events)
    before_contacts = org.client.list_contacts()
    bad_requests = [
        (
            "update_contact",
            {
                "ContactId": contact_arn("akuam"),
                "Plan": {"Stages": [{"DurationInMinutes": 99, "Targets": []}]},
            },
        ),
        (
            "update_contact_channel",
            {
                "ContactChannelId": org.channels["akuam"]["SMS"],
                "Name": "ok",
                "DeliveryAddress": {"SimpleAddress": "not-a-phone"},
            },
        ),
        (
            "create_contact_channel",
            {
                "ContactId": contact_arn("akuam"),
                "Name": "dup",
                "Type": "SMS",
                "DeliveryAddress": {"SimpleAddress": "+15550100"},
            },
        ),
        (
            "start_engagement",
            {"ContactId": contact_arn("ghost"), "Sender": "x", "Subject": "s", "Content": "c"},
        ),
    ]
    for method, request in bad_requests:
        with pytest.raises(ServiceError):
            getattr(org.client, method)(**request)
    assert org.sim.events == before_events
    assert org.client.list_contacts() == before_contacts
    assert (
        org.client.get_contact_channel(ContactChannelId=org.channels["akuam"]["SMS"])["Name"]
        == "sms"
    )


def test_simulator_rejects_bad_settings_by_name() -> None:
    from engine.knobs import KnobError

    with pytest.raises(KnobError, match="max_retries"):
        Simulator(start=START, max_retries=101)
    with pytest.raises(KnobError, match="bogus"):
        Simulator(start=START, bogus=1)
