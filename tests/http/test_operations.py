"""The implemented operations through a real boto3 client, in process and through the server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from engine import Simulator
from tests.builders import PREFIX, REGION, START, contact_arn
from tests.http.conftest import SEED, Backend, make_client

START_DT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def plain(response: dict[str, Any]) -> dict[str, Any]:
    """A boto3 response without its ResponseMetadata."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    return excinfo.value.response


def test_create_contact_then_get_contact_returns_it(client: Any) -> None:
    arn = client.create_contact(
        Alias="akuam",
        DisplayName="Akua Mansa",
        Type="PERSONAL",
        Plan={"Stages": []},
        Tags=[{"Key": "team", "Value": "ops"}],
    )["ContactArn"]
    assert arn == contact_arn("akuam")
    assert plain(client.get_contact(ContactId=arn)) == {
        "ContactArn": arn,
        "Alias": "akuam",
        "DisplayName": "Akua Mansa",
        "Type": "PERSONAL",
        "Plan": {"Stages": []},
    }


def test_every_response_has_a_fresh_request_id_and_status_200(client: Any) -> None:
    first = client.list_contacts()["ResponseMetadata"]
    second = client.list_contacts()["ResponseMetadata"]
    assert first["HTTPStatusCode"] == second["HTTPStatusCode"] == 200
    assert first["RequestId"] and second["RequestId"]
    assert first["RequestId"] != second["RequestId"]
    assert first["HTTPHeaders"]["x-amzn-requestid"] == first["RequestId"]
    assert first["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"


def test_update_contact_changes_display_name_and_plan(backend: Backend) -> None:
    org = backend.org()
    arn = org.person("akuam")
    sms = org.channels["akuam"]["SMS"]
    plan = {
        "Stages": [
            {
                "DurationInMinutes": 7,
                "Targets": [
                    {"ChannelTargetInfo": {"ContactChannelId": sms, "RetryIntervalInMinutes": 2}}
                ],
            }
        ]
    }
    backend.client.update_contact(ContactId=arn, DisplayName="Akua", Plan=plan)
    got = backend.client.get_contact(ContactId=arn)
    assert got["DisplayName"] == "Akua"
    assert got["Plan"] == plan


def test_delete_contact_removes_it_and_its_channels(backend: Backend) -> None:
    org = backend.org()
    arn = org.person("akuam")
    channel = org.channels["akuam"]["SMS"]
    backend.client.delete_contact(ContactId=arn)
    with pytest.raises(backend.client.exceptions.ResourceNotFoundException):
        backend.client.get_contact(ContactId=arn)
    with pytest.raises(backend.client.exceptions.ResourceNotFoundException):
        backend.client.get_contact_channel(ContactChannelId=channel)


def test_list_contacts_filters_by_alias_prefix_and_type(client: Any) -> None:
    for alias in ("ops-a", "ops-b", "dev-a"):
        client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})
    client.create_contact(Alias="ops-plan", Type="ESCALATION", Plan={"Stages": []})
    by_prefix = client.list_contacts(AliasPrefix="ops")["Contacts"]
    assert [c["Alias"] for c in by_prefix] == ["ops-a", "ops-b", "ops-plan"]
    plans = client.list_contacts(Type="ESCALATION")["Contacts"]
    assert [(c["Alias"], c["Type"]) for c in plans] == [("ops-plan", "ESCALATION")]


def test_list_contacts_paginator_follows_next_token_over_every_page(client: Any) -> None:
    aliases = [f"person-{n}" for n in range(7)]
    for alias in reversed(aliases):
        client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})
    pages = list(client.get_paginator("list_contacts").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(page["Contacts"]) for page in pages] == [3, 3, 1]
    assert "NextToken" in pages[0]
    assert "NextToken" not in pages[-1]
    assert [c["Alias"] for page in pages for c in page["Contacts"]] == aliases


def test_paginator_max_items_stops_and_resumes_with_its_token(client: Any) -> None:
    for n in range(5):
        client.create_contact(Alias=f"p{n}", Type="PERSONAL", Plan={"Stages": []})
    paginator = client.get_paginator("list_contacts")
    first = paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3}).build_full_result()
    assert [c["Alias"] for c in first["Contacts"]] == ["p0", "p1", "p2"]
    rest = paginator.paginate(
        PaginationConfig={"PageSize": 2, "StartingToken": first["NextToken"]}
    ).build_full_result()
    assert [c["Alias"] for c in rest["Contacts"]] == ["p3", "p4"]


def test_contact_channel_lifecycle(backend: Backend) -> None:
    client = backend.client
    contact = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})[
        "ContactArn"
    ]
    channel = client.create_contact_channel(
        ContactId=contact, Name="phone", Type="SMS", DeliveryAddress={"SimpleAddress": "+15550100"}
    )["ContactChannelArn"]
    assert channel.startswith(f"{PREFIX}contact-channel/akuam/")
    assert client.get_contact_channel(ContactChannelId=channel)["ActivationStatus"] == (
        "NOT_ACTIVATED"
    )
    codes = [m["Code"] for m in backend.outbox if m["ContactChannelArn"] == channel]
    assert len(codes) == 1
    client.activate_contact_channel(ContactChannelId=channel, ActivationCode=codes[0])
    assert client.get_contact_channel(ContactChannelId=channel)["ActivationStatus"] == "ACTIVATED"
    client.deactivate_contact_channel(ContactChannelId=channel)
    assert client.get_contact_channel(ContactChannelId=channel)["ActivationStatus"] == (
        "NOT_ACTIVATED"
    )
    client.send_activation_code(ContactChannelId=channel)
    assert len([m for m in backend.outbox if m["ContactChannelArn"] == channel]) == 2
    client.update_contact_channel(
        ContactChannelId=channel, Name="mobile", DeliveryAddress={"SimpleAddress": "+15550199"}
    )
    listed = client.list_contact_channels(ContactId=contact)["ContactChannels"]
    assert [(c["Name"], c["DeliveryAddress"]["SimpleAddress"]) for c in listed] == [
        ("mobile", "+15550199")
    ]
    client.delete_contact_channel(ContactChannelId=channel)
    assert client.list_contact_channels(ContactId=contact)["ContactChannels"] == []


def test_engagement_pages_receipts_acceptance_and_stop(backend: Backend) -> None:
    client = backend.client
    org = backend.org()
    org.seed()
    engagement = org.engage("example_escalation", IncidentId="incident-1")
    described = client.describe_engagement(EngagementId=engagement)
    assert described["ContactArn"] == contact_arn("example_escalation")
    assert described["StartTime"] == START_DT
    assert "StopTime" not in described
    listed = client.list_engagements(IncidentId="incident-1")["Engagements"]
    assert [e["EngagementArn"] for e in listed] == [engagement]

    backend.advance(10)
    pages = client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    assert [p["ContactArn"] for p in pages] == [contact_arn("akuam")]
    page = pages[0]["PageArn"]
    assert page.startswith(f"{PREFIX}page/akuam/")
    by_contact = client.list_pages_by_contact(ContactId=contact_arn("akuam"))["Pages"]
    assert [p["PageArn"] for p in by_contact] == [page]
    code = next(m["Code"] for m in backend.outbox if m.get("PageArn") == page)
    assert "DeliveryTime" not in client.describe_page(PageId=page)
    client.accept_page(PageId=page, AcceptType="DELIVERED", AcceptCode=code)
    detail = client.describe_page(PageId=page)
    assert detail["DeliveryTime"] == START_DT + dt.timedelta(seconds=10)
    receipts = client.list_page_receipts(PageId=page)["Receipts"]
    assert [r["ReceiptType"] for r in receipts] == ["SENT", "DELIVERED"]
    resolutions = client.list_page_resolutions(PageId=page)["PageResolutions"]
    assert [r["Type"] for r in resolutions] == ["ESCALATION", "PERSONAL"]

    client.accept_page(PageId=page, AcceptType="READ", AcceptCode=code, Note="on it")
    assert "READ" in [r["ReceiptType"] for r in client.list_page_receipts(PageId=page)["Receipts"]]
    client.stop_engagement(EngagementId=engagement, Reason="resolved")
    stopped = client.describe_engagement(EngagementId=engagement)
    assert stopped["StopTime"] == START_DT + dt.timedelta(seconds=10)
    assert any(e["Type"] == "ENGAGEMENT_STOPPED" for e in backend.events)


def test_timestamps_come_back_as_aware_datetimes_to_the_millisecond(backend: Backend) -> None:
    backend.org().person("akuam")
    backend.advance(1.25)
    engagement = backend.org().engage("akuam")
    started = backend.client.describe_engagement(EngagementId=engagement)["StartTime"]
    assert isinstance(started, dt.datetime)
    assert started.tzinfo is not None
    assert started == START_DT + dt.timedelta(seconds=1.25)


def test_start_engagement_with_the_same_idempotency_token_returns_the_first(client: Any) -> None:
    contact = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})[
        "ContactArn"
    ]
    request = {"ContactId": contact, "Sender": "s", "Subject": "t", "Content": "c"}
    first = client.start_engagement(**request, IdempotencyToken="token-1")["EngagementArn"]
    again = client.start_engagement(**request, IdempotencyToken="token-1")["EngagementArn"]
    assert first == again
    assert len(client.list_engagements()["Engagements"]) == 1


def test_contact_policy_round_trip(client: Any) -> None:
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    policy = '{"Version": "2012-10-17", "Statement": []}'
    client.put_contact_policy(ContactArn=arn, Policy=policy)
    assert plain(client.get_contact_policy(ContactArn=arn)) == {"ContactArn": arn, "Policy": policy}


def test_largest_valid_request_a_395000_character_policy_is_accepted(client: Any) -> None:
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    # Every character is sent escaped as \u00e9: about 2.4 MB on the wire.
    policy = "\u00e9" * 395_000
    client.put_contact_policy(ContactArn=arn, Policy=policy)
    assert client.get_contact_policy(ContactArn=arn)["Policy"] == policy


def test_body_over_4_mib_is_refused_with_a_413_json_error(client: Any) -> None:
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    with pytest.raises(ClientError) as excinfo:
        client.put_contact_policy(ContactArn=arn, Policy="\u00e9" * 800_000)
    response = error_of(excinfo)
    assert response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert "4194304" in response["Error"]["Message"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "Policy" not in plain(client.get_contact_policy(ContactArn=arn))


def test_tags_are_added_listed_and_removed(client: Any) -> None:
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    client.tag_resource(
        ResourceARN=arn, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "tier", "Value": "1"}]
    )
    client.untag_resource(ResourceARN=arn, TagKeys=["tier"])
    assert client.list_tags_for_resource(ResourceARN=arn)["Tags"] == [
        {"Key": "team", "Value": "ops"}
    ]


def test_more_than_50_tags_is_a_service_quota_error_with_its_codes(client: Any) -> None:
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": f"a{n}", "Value": "v"} for n in range(30)])
    with pytest.raises(client.exceptions.ServiceQuotaExceededException) as excinfo:
        client.tag_resource(
            ResourceARN=arn, Tags=[{"Key": f"b{n}", "Value": "v"} for n in range(30)]
        )
    response = error_of(excinfo)  # type: ignore[arg-type]
    assert response["ServiceCode"] == "ssm-contacts"
    assert response["QuotaCode"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_contact_is_resource_not_found_with_its_members(client: Any) -> None:
    missing = contact_arn("nobody")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.get_contact(ContactId=missing)
    response = error_of(excinfo)  # type: ignore[arg-type]
    assert response["Error"]["Code"] == "ResourceNotFoundException"
    assert response["ResourceId"] == missing
    assert response["ResourceType"] == "CONTACT"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RetryAttempts"] == 0


def test_invalid_members_are_one_validation_error_listing_fields(client: Any) -> None:
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.create_contact(Alias="Not An Alias!", Type="BOGUS", Plan={"Stages": []})
    response = error_of(excinfo)  # type: ignore[arg-type]
    assert response["Reason"] == "FIELD_VALIDATION_FAILED"
    assert sorted(f["Name"] for f in response["Fields"]) == ["Alias", "Type"]
    assert all(f["Message"] for f in response["Fields"])


def test_duplicate_alias_is_a_conflict_naming_the_contact(client: Any) -> None:
    arn = client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    response = error_of(excinfo)  # type: ignore[arg-type]
    assert response["ResourceId"] == arn
    assert response["ResourceType"] == "CONTACT"


def test_each_signed_region_is_a_separate_namespace(backend: Backend) -> None:
    backend.client.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})
    endpoint_url = None if backend.mode == "inprocess" else backend.client.meta.endpoint_url
    west = make_client(endpoint_url, region="us-west-2")
    assert west.list_contacts()["Contacts"] == []
    arn = west.create_contact(Alias="akuam", Type="PERSONAL", Plan={"Stages": []})["ContactArn"]
    assert arn == "arn:aws:ssm-contacts:us-west-2:111122223333:contact/akuam"


def test_responses_match_the_in_process_client_field_for_field(backend: Backend) -> None:
    # The same calls on an identical simulator, without any wire: every answer must agree.
    twin = Simulator(seed=SEED, start=START, region=REGION)
    twin_client = twin.client()
    for client in (backend.client, twin_client):
        for alias in ("akuam", "alejr"):
            client.create_contact(Alias=alias, Type="PERSONAL", Plan={"Stages": []})
            client.create_contact_channel(
                ContactId=contact_arn(alias),
                Name="sms",
                Type="SMS",
                DeliveryAddress={"SimpleAddress": "+15550100"},
                IdempotencyToken=f"channel-{alias}",
            )
    engagement = backend.client.start_engagement(
        ContactId=contact_arn("akuam"), Sender="s", Subject="t", Content="c", IdempotencyToken="e1"
    )["EngagementArn"]
    twin_engagement = twin_client.start_engagement(
        ContactId=contact_arn("akuam"), Sender="s", Subject="t", Content="c", IdempotencyToken="e1"
    )["EngagementArn"]
    assert engagement == twin_engagement
    calls: list[tuple[str, dict[str, Any]]] = [
        ("list_contacts", {}),
        ("get_contact", {"ContactId": contact_arn("akuam")}),
        ("list_contact_channels", {"ContactId": contact_arn("alejr")}),
        ("describe_engagement", {"EngagementId": engagement}),
        ("list_engagements", {}),
        ("list_pages_by_engagement", {"EngagementId": engagement}),
    ]
    for name, params in calls:
        assert plain(getattr(backend.client, name)(**params)) == getattr(twin_client, name)(
            **params
        ), name
    assert backend.outbox == twin.outbox
    assert backend.events == twin.events
