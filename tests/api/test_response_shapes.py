"""Every operation's answer against botocore's output shapes, and the checks other API tests share.

``assert_wire_shape`` walks a response along the botocore model: only modelled members, in the
model's order, required ones present, absent optional ones left out (never None), timestamps as
aware UTC datetimes, enums within their values. The sweep below calls each of the 28 operations
of issue 2 once on a populated organisation and pins the exact members of its answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape

from engine.api.registry import OPERATIONS
from engine.errors import ServiceError
from tests.builders import Org, contact_arn

SERVICE = botocore.session.get_session().get_service_model("ssm-contacts")


def assert_aware_utc(value: object, where: str = "value") -> None:
    """``value`` is a timezone-aware datetime at UTC."""
    assert isinstance(value, dt.datetime), f"{where}: {value!r} is not a datetime"
    assert value.tzinfo is not None, f"{where}: {value!r} is naive"
    assert value.utcoffset() == dt.timedelta(0), f"{where}: {value!r} is not at UTC"


def assert_wire_shape(operation: str, response: dict[str, Any]) -> None:
    """``response`` is a well-formed answer of ``operation`` (see the module docstring)."""
    members = OPERATIONS[operation].output_members
    assert list(response) == [m for m in members if m in response], (operation, list(response))
    _check(SERVICE.operation_model(operation).output_shape, response, operation)


def _check(shape: Shape | None, value: object, where: str) -> None:
    if shape is None:
        assert value == {}, f"{where}: an operation without output answered {value!r}"
        return
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), f"{where}: {value!r} is not a structure"
        members = list(shape.members)
        assert set(value) <= set(members), f"{where}: unmodelled {set(value) - set(members)}"
        assert list(value) == [m for m in members if m in value], f"{where}: order {list(value)}"
        for required in shape.required_members:
            assert required in value, f"{where}: required member {required} is missing"
        for name, item in value.items():
            _check(shape.members[name], item, f"{where}.{name}")
    elif kind == "list":
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        for index, item in enumerate(value):
            _check(shape.member, item, f"{where}[{index}]")
    elif kind == "timestamp":
        assert_aware_utc(value, where)
    elif kind == "string":
        assert isinstance(value, str), f"{where}: {value!r} is not a string"
        if shape.enum:
            assert value in shape.enum, f"{where}: {value!r} is not one of {shape.enum}"
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r}"
    elif kind == "boolean":
        assert isinstance(value, bool), f"{where}: {value!r} is not a boolean"
    else:
        raise AssertionError(f"{where}: no check for shape type {kind}")


def assert_field_error(error: ServiceError, name: str, value: str | None = None) -> None:
    """A FIELD_VALIDATION_FAILED ValidationException whose Fields name ``name`` (and ``value``)."""
    response = error.response
    assert response["Error"]["Code"] == "ValidationException"
    assert response["Reason"] == "FIELD_VALIDATION_FAILED"
    assert list(response) == ["Error", "Reason", "Fields"]
    named = [f for f in response["Fields"] if f["Name"] == name]
    assert named, f"no field named {name!r} in {response['Fields']}"
    assert f"'{name}'" in named[0]["Message"]
    assert named[0]["Message"] in response["Error"]["Message"]
    if value is not None:
        assert value in named[0]["Message"]


def assert_not_found(error: ServiceError, resource_id: str, resource_type: str) -> None:
    """A ResourceNotFoundException with exactly the AWS members, naming the resource."""
    assert error.response == {
        "Error": {"Code": "ResourceNotFoundException", "Message": error.message},
        "ResourceId": resource_id,
        "ResourceType": resource_type,
    }
    assert resource_id in error.message


# -- the sweep ----------------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    """An organisation with a stopped, acknowledged engagement and a running one."""

    org: Org
    escalation: str
    stopped: str
    running: str
    read_page: str
    sms: str


def build_world(org: Org) -> World:
    escalation = org.seed()
    client = org.client
    client.update_contact(ContactId=contact_arn("akuam"), DisplayName="Akua M")
    client.tag_resource(ResourceARN=escalation, Tags=[{"Key": "team", "Value": "ops"}])
    client.put_contact_policy(ContactArn=escalation, Policy='{"Version": "2012-10-17"}')
    # The running engagement is the older one: lists of engagements start with the newest (L1),
    # and the stopped one's summary has every member.
    running = client.start_engagement(
        ContactId=contact_arn("alejr"), Sender="cli", Subject="s", Content="c"
    )["EngagementArn"]
    stopped = org.engage("example_escalation", IncidentId="incident-7")
    org.sim.advance(5)
    read_page = client.list_pages_by_engagement(EngagementId=stopped)["Pages"][0]["PageArn"]
    client.accept_page(PageId=read_page, AcceptType="DELIVERED", AcceptCode="123456")
    org.sim.advance(55)
    client.accept_page(PageId=read_page, AcceptType="READ", AcceptCode="123456")
    client.stop_engagement(EngagementId=stopped, Reason="done")
    return World(org, escalation, stopped, running, read_page, org.channels["anasi"]["SMS"])


PLAN: dict[str, Any] = {"Stages": []}
ALL_PAGE_MEMBERS = ["PageArn", "EngagementArn", "ContactArn", "Sender", "IncidentId", "SentTime"]
ALL_PAGE_MEMBERS += ["DeliveryTime", "ReadTime"]

# Operation -> (request built from the world, the members of its answer in order, and for list
# answers the members of their first item).
SWEEP: dict[str, tuple[Callable[[World], dict[str, Any]], list[str], list[str] | None]] = {
    "CreateContact": (
        lambda w: {"Alias": "newbie", "Type": "PERSONAL", "Plan": PLAN},
        ["ContactArn"],
        None,
    ),
    "GetContact": (
        lambda w: {"ContactId": contact_arn("akuam")},
        ["ContactArn", "Alias", "DisplayName", "Type", "Plan"],
        None,
    ),
    "UpdateContact": (lambda w: {"ContactId": contact_arn("anasi"), "DisplayName": "A"}, [], None),
    "DeleteContact": (lambda w: {"ContactId": contact_arn("anasi")}, [], None),
    "ListContacts": (lambda w: {}, ["Contacts"], ["ContactArn", "Alias", "DisplayName", "Type"]),
    "CreateContactChannel": (
        lambda w: {
            "ContactId": contact_arn("anasi"),
            "Name": "pager",
            "Type": "SMS",
            "DeliveryAddress": {"SimpleAddress": "+15550177"},
        },
        ["ContactChannelArn"],
        None,
    ),
    "GetContactChannel": (
        lambda w: {"ContactChannelId": w.sms},
        ["ContactArn", "ContactChannelArn", "Name", "Type", "DeliveryAddress", "ActivationStatus"],
        None,
    ),
    "UpdateContactChannel": (lambda w: {"ContactChannelId": w.sms, "Name": "phone"}, [], None),
    "DeleteContactChannel": (lambda w: {"ContactChannelId": w.sms}, [], None),
    "ListContactChannels": (
        lambda w: {"ContactId": contact_arn("anasi")},
        ["ContactChannels"],
        ["ContactChannelArn", "ContactArn", "Name", "Type", "DeliveryAddress", "ActivationStatus"],
    ),
    "ActivateContactChannel": (
        lambda w: {
            "ContactChannelId": w.sms,
            "ActivationCode": [
                m["Code"] for m in w.org.sim.outbox if m.get("ContactChannelArn") == w.sms
            ][-1],
        },
        [],
        None,
    ),
    "DeactivateContactChannel": (lambda w: {"ContactChannelId": w.sms}, [], None),
    "SendActivationCode": (lambda w: {"ContactChannelId": w.sms}, [], None),
    "StartEngagement": (
        lambda w: {"ContactId": w.escalation, "Sender": "cli", "Subject": "s", "Content": "c"},
        ["EngagementArn"],
        None,
    ),
    "StopEngagement": (lambda w: {"EngagementId": w.running}, [], None),
    "DescribeEngagement": (
        lambda w: {"EngagementId": w.stopped},
        [
            "ContactArn",
            "EngagementArn",
            "Sender",
            "Subject",
            "Content",
            "PublicSubject",
            "PublicContent",
            "IncidentId",
            "StartTime",
            "StopTime",
        ],
        None,
    ),
    "ListEngagements": (
        lambda w: {},
        ["Engagements"],
        ["EngagementArn", "ContactArn", "Sender", "IncidentId", "StartTime", "StopTime"],
    ),
    "DescribePage": (
        lambda w: {"PageId": w.read_page},
        [
            "PageArn",
            "EngagementArn",
            "ContactArn",
            "Sender",
            "Subject",
            "Content",
            "PublicSubject",
            "PublicContent",
            "IncidentId",
            "SentTime",
            "ReadTime",
            "DeliveryTime",
        ],
        None,
    ),
    "ListPagesByContact": (
        lambda w: {"ContactId": contact_arn("akuam")},
        ["Pages"],
        ALL_PAGE_MEMBERS,
    ),
    "ListPagesByEngagement": (
        lambda w: {"EngagementId": w.stopped},
        ["Pages"],
        ALL_PAGE_MEMBERS,
    ),
    "ListPageReceipts": (
        lambda w: {"PageId": w.read_page},
        ["Receipts"],
        ["ContactChannelArn", "ReceiptType", "ReceiptInfo", "ReceiptTime"],
    ),
    "ListPageResolutions": (
        lambda w: {"PageId": w.read_page},
        ["PageResolutions"],
        ["ContactArn", "Type", "StageIndex"],
    ),
    "AcceptPage": (
        lambda w: {"PageId": w.read_page, "AcceptType": "DELIVERED", "AcceptCode": "123456"},
        [],
        None,
    ),
    "TagResource": (
        lambda w: {"ResourceARN": w.escalation, "Tags": [{"Key": "tier", "Value": "1"}]},
        [],
        None,
    ),
    "UntagResource": (lambda w: {"ResourceARN": w.escalation, "TagKeys": ["team"]}, [], None),
    "ListTagsForResource": (lambda w: {"ResourceARN": w.escalation}, ["Tags"], ["Key", "Value"]),
    "PutContactPolicy": (lambda w: {"ContactArn": w.escalation, "Policy": "{}"}, [], None),
    "GetContactPolicy": (lambda w: {"ContactArn": w.escalation}, ["ContactArn", "Policy"], None),
}


def test_the_sweep_covers_the_28_operations_of_issue_2() -> None:
    assert len(SWEEP) == 28
    assert set(SWEEP) <= set(OPERATIONS)


@pytest.mark.parametrize("operation", list(SWEEP))
def test_answer_has_exactly_the_model_members_in_model_order(org: Org, operation: str) -> None:
    world = build_world(org)
    request, members, item_members = SWEEP[operation]
    response = org.client.call(operation, request(world))
    assert list(response) == members
    assert_wire_shape(operation, response)
    if item_members is not None:
        (items_key,) = [m for m in members if m != "NextToken"]
        assert list(response[items_key][0]) == item_members


@pytest.mark.parametrize("operation", list(SWEEP))
def test_method_and_call_give_the_same_answer(operation: str) -> None:
    from engine import Simulator
    from tests.builders import REGION, START

    answers = []
    for by_method in (True, False):
        sim = Simulator(seed=7, start=START, region=REGION)
        org = Org(sim, sim.client())
        world = build_world(org)
        request, _, _ = SWEEP[operation]
        if by_method:
            answers.append(getattr(org.client, OPERATIONS[operation].python_name)(**request(world)))
        else:
            answers.append(org.client.call(operation, request(world)))
    assert answers[0] == answers[1]


def test_optional_members_are_left_out_until_they_have_a_value(org: Org) -> None:
    org.seed()
    engagement = org.client.start_engagement(
        ContactId=contact_arn("akuam"), Sender="cli", Subject="s", Content="c"
    )["EngagementArn"]
    described = org.client.describe_engagement(EngagementId=engagement)
    assert list(described) == [
        "ContactArn",
        "EngagementArn",
        "Sender",
        "Subject",
        "Content",
        "StartTime",
    ]
    page = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"][0]
    assert list(page) == ["PageArn", "EngagementArn", "ContactArn", "Sender", "SentTime"]
    page_detail = org.client.describe_page(PageId=page["PageArn"])
    assert list(page_detail) == [
        "PageArn",
        "EngagementArn",
        "ContactArn",
        "Sender",
        "Subject",
        "Content",
        "SentTime",
    ]
    assert list(org.client.get_contact(ContactId=contact_arn("akuam"))) == [
        "ContactArn",
        "Alias",
        "Type",
        "Plan",
    ]
    assert org.client.get_contact_policy(ContactArn=contact_arn("akuam")) == {
        "ContactArn": contact_arn("akuam")
    }


def test_a_page_that_was_never_sent_has_no_times(org: Org) -> None:
    org.person("akuam", activate=())
    engagement = org.engage("akuam")
    (page,) = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    assert list(page) == ["PageArn", "EngagementArn", "ContactArn", "Sender"]
    assert org.client.list_page_receipts(PageId=page["PageArn"]) == {"Receipts": []}


def test_every_timestamp_is_an_aware_utc_datetime_at_the_virtual_instant(org: Org) -> None:
    world = build_world(org)
    described = org.client.describe_engagement(EngagementId=world.stopped)
    assert described["StartTime"] == org.sim.start
    assert described["StopTime"] == org.sim.start + dt.timedelta(seconds=60)
    page = org.client.describe_page(PageId=world.read_page)
    for name in ("SentTime", "ReadTime", "DeliveryTime"):
        assert_aware_utc(page[name], name)
    assert page["DeliveryTime"] == org.sim.start + dt.timedelta(seconds=5)
    assert page["ReadTime"] == org.sim.start + dt.timedelta(seconds=60)
