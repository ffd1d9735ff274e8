"""A rejected request changes nothing, now or later; and no request, however odd, crashes.

The first property interrupts a random run with a random invalid request (bad ARN, ARN of another
account or region, value out of range, unknown contact, wrong code with ENFORCE, duplicate alias,
reused idempotency token, tag quota...) and checks that every List*/Get* answer, the event log
and the outbox are unchanged, and that the rest of the run is the one a twin without the request
has. The second sends requests generated from botocore's input shapes to every operation of issue
2: the answer is a result or an AWS-named error, never an internal error or a Python exception.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape
from hypothesis import event, given, settings
from hypothesis import strategies as st

from engine import Simulator
from engine.errors import InternalServerException, ServiceError
from tests.builders import PREFIX, REGION, START, Org
from tests.property.test_generated_organisations import (
    FAST,
    Built,
    Case,
    cases,
    events,
    last_code,
    play,
    prepare,
)

SERVICE = botocore.session.get_session().get_service_model("ssm-contacts")
GHOST_CONTACT = f"{PREFIX}contact/ghost"
TAGGED_KEYS = [f"k{i:02d}" for i in range(50)]


# -- what a client can see ----------------------------------------------------------------------


def snapshot(sim: Simulator) -> str:
    """Every List*/Get* answer of the namespace, with the clock, events and outbox, as text."""
    client = sim.client()
    seen: dict[str, Any] = {"now": sim.now, "events": sim.events, "outbox": sim.outbox}
    contacts = [
        c for page in client.get_paginator("list_contacts").paginate() for c in page["Contacts"]
    ]
    seen["contacts"] = contacts
    for contact in contacts:
        arn = contact["ContactArn"]
        seen[arn] = [
            client.get_contact(ContactId=arn),
            client.list_contact_channels(ContactId=arn),
            client.list_tags_for_resource(ResourceARN=arn),
            client.get_contact_policy(ContactArn=arn),
            client.list_pages_by_contact(ContactId=arn),
        ]
        for channel in seen[arn][1]["ContactChannels"]:
            seen[channel["ContactChannelArn"]] = client.get_contact_channel(
                ContactChannelId=channel["ContactChannelArn"]
            )
    engagements = client.list_engagements()
    seen["engagements"] = engagements
    for engagement in engagements["Engagements"]:
        arn = engagement["EngagementArn"]
        pages = client.list_pages_by_engagement(EngagementId=arn)
        seen[arn] = [client.describe_engagement(EngagementId=arn), pages]
        for page in pages["Pages"]:
            page_arn = page["PageArn"]
            seen[page_arn] = [
                client.describe_page(PageId=page_arn),
                client.list_page_receipts(PageId=page_arn),
                client.list_page_resolutions(PageId=page_arn),
            ]
    return json.dumps(seen, default=str)


# -- invalid requests, each built from the state at the moment it is sent -----------------------

Request = tuple[str, dict[str, Any]]
Builder = Callable[[Simulator, Built, int], Request | None]


def _pick(items: list[Any], choice: int) -> Any:
    return items[choice % len(items)] if items else None


def _elsewhere(arn: str, choice: int) -> str:
    if choice % 2:
        return arn.replace(f":{REGION}:", ":eu-west-1:")
    return arn.replace(":111122223333:", ":444455556666:")


def _page_with_code(sim: Simulator, choice: int) -> tuple[str, str] | None:
    sent = [(m["PageArn"], m["Code"]) for m in sim.outbox if m["Kind"] == "PAGE"]
    return _pick(sent, choice)


def _other_digits(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def not_an_arn(sim: Simulator, built: Built, choice: int) -> Request:
    method, member = _pick(
        [
            ("get_contact", "ContactId"),
            ("describe_engagement", "EngagementId"),
            ("stop_engagement", "EngagementId"),
            ("deactivate_contact_channel", "ContactChannelId"),
            ("delete_contact", "ContactId"),
        ],
        choice,
    )
    return method, {member: "not-an-arn"}


def engagement_elsewhere(sim: Simulator, built: Built, choice: int) -> Request | None:
    engagement = _pick([e["EngagementArn"] for e in events(sim, "ENGAGEMENT_STARTED")], choice)
    if engagement is None:
        return None
    return "stop_engagement", {"EngagementId": _elsewhere(engagement, choice)}


def contact_elsewhere(sim: Simulator, built: Built, choice: int) -> Request:
    contact = _elsewhere(_pick(built.engageable, choice), choice)
    return "start_engagement", {"ContactId": contact, "Sender": "x", "Subject": "s", "Content": "c"}


def page_elsewhere(sim: Simulator, built: Built, choice: int) -> Request | None:
    page = _pick([e["PageArn"] for e in events(sim, "PAGE_CREATED")], choice)
    if page is None:
        return None
    return "accept_page", {
        "PageId": _elsewhere(page, choice),
        "AcceptType": "READ",
        "AcceptCode": "123456",
    }


def channel_elsewhere(sim: Simulator, built: Built, choice: int) -> Request:
    channel = _elsewhere(_pick(built.all_channels, choice), choice)
    return "deactivate_contact_channel", {"ContactChannelId": channel}


def duration_out_of_range(sim: Simulator, built: Built, choice: int) -> Request:
    person = choice % len(built.people)
    target = {"ChannelTargetInfo": {"ContactChannelId": built.channels[person][0]}}
    return "update_contact", {
        "ContactId": built.people[person],
        "DisplayName": "renamed",
        "Plan": {"Stages": [{"DurationInMinutes": 31, "Targets": [target]}]},
    }


def retry_out_of_range(sim: Simulator, built: Built, choice: int) -> Request:
    person = choice % len(built.people)
    info = {"ContactChannelId": built.channels[person][0], "RetryIntervalInMinutes": 61}
    return "update_contact", {
        "ContactId": built.people[person],
        "Plan": {"Stages": [{"DurationInMinutes": 5, "Targets": [{"ChannelTargetInfo": info}]}]},
    }


def max_results_out_of_range(sim: Simulator, built: Built, choice: int) -> Request:
    return "list_engagements", {"MaxResults": 1025 + choice}


def reason_too_long(sim: Simulator, built: Built, choice: int) -> Request | None:
    engagement = _pick([e["EngagementArn"] for e in events(sim, "ENGAGEMENT_STARTED")], choice)
    if engagement is None:
        return None
    return "stop_engagement", {"EngagementId": engagement, "Reason": "r" * 256}


def unknown_contact(sim: Simulator, built: Built, choice: int) -> Request:
    if choice % 2:
        return "start_engagement", {
            "ContactId": GHOST_CONTACT,
            "Sender": "x",
            "Subject": "s",
            "Content": "c",
        }
    return "create_contact_channel", {
        "ContactId": GHOST_CONTACT,
        "Name": "sms",
        "Type": "SMS",
        "DeliveryAddress": {"SimpleAddress": "+15550100"},
    }


def wrong_code_enforced(sim: Simulator, built: Built, choice: int) -> Request | None:
    sent = _page_with_code(sim, choice)
    if sent is None:
        return None
    page, code = sent
    return "accept_page", {
        "PageId": page,
        "AcceptType": "READ",
        "AcceptCode": _other_digits(code),
        "AcceptCodeValidation": "ENFORCE",
    }


def duplicate_alias(sim: Simulator, built: Built, choice: int) -> Request:
    alias = _pick(built.engageable, choice).rsplit("/", 1)[-1]
    return "create_contact", {"Alias": alias, "Type": "PERSONAL", "Plan": {"Stages": []}}


def duplicate_channel(sim: Simulator, built: Built, choice: int) -> Request:
    person = choice % len(built.people)
    listed = sim.client().get_contact_channel(ContactChannelId=built.channels[person][0])
    return "create_contact_channel", {
        "ContactId": built.people[person],
        "Name": "twin",
        "Type": listed["Type"],
        "DeliveryAddress": listed["DeliveryAddress"],
    }


def wrong_activation_code(sim: Simulator, built: Built, choice: int) -> Request:
    channel = _pick(built.all_channels, choice)
    code = _other_digits(last_code(sim, channel))
    return "activate_contact_channel", {"ContactChannelId": channel, "ActivationCode": code}


def reused_token(sim: Simulator, built: Built, choice: int) -> Request:
    return "create_contact", {
        "Alias": "tokened_again",
        "Type": "PERSONAL",
        "Plan": {"Stages": []},
        "IdempotencyToken": "tok",
    }


def tag_quota(sim: Simulator, built: Built, choice: int) -> Request:
    return "tag_resource", {
        "ResourceARN": built.people[0],
        "Tags": [{"Key": "k00", "Value": "changed"}, {"Key": "one_more", "Value": "v"}],
    }


def bad_channel_update(sim: Simulator, built: Built, choice: int) -> Request:
    channel = _pick(built.all_channels, choice)
    return "update_contact_channel", {
        "ContactChannelId": channel,
        "Name": "renamed",
        "DeliveryAddress": {"SimpleAddress": "nowhere"},
    }


def foreign_channel_in_plan(sim: Simulator, built: Built, choice: int) -> Request | None:
    if len(built.people) < 2:
        return None
    owner, other = choice % len(built.people), (choice + 1) % len(built.people)
    target = {"ChannelTargetInfo": {"ContactChannelId": built.channels[other][0]}}
    return "update_contact", {
        "ContactId": built.people[owner],
        "Plan": {"Stages": [{"DurationInMinutes": 5, "Targets": [target]}]},
    }


def accept_through_foreign_channel(sim: Simulator, built: Built, choice: int) -> Request | None:
    page = _pick(events(sim, "PAGE_CREATED"), choice)
    if page is None or len(built.people) < 2:
        return None
    owner = built.people.index(page["ContactArn"])
    other = built.channels[(owner + 1) % len(built.people)][0]
    return "accept_page", {
        "PageId": page["PageArn"],
        "ContactChannelId": other,
        "AcceptType": "READ",
        "AcceptCode": "123456",
    }


def wrong_types(sim: Simulator, built: Built, choice: int) -> Request:
    return _pick(
        [
            ("create_contact", {"Alias": 5, "Type": "PERSONAL", "Plan": {"Stages": []}}),
            ("start_engagement", {"ContactId": built.people[0], "Sender": "x", "Subject": "s"}),
            ("list_contacts", {"MaxResults": "10"}),
            ("accept_page", {"PageId": built.people[0], "AcceptType": "READ", "AcceptCode": 1}),
        ],
        choice,
    )


BAD_REQUESTS: dict[str, Builder] = {
    builder.__name__: builder
    for builder in (
        not_an_arn,
        engagement_elsewhere,
        contact_elsewhere,
        page_elsewhere,
        channel_elsewhere,
        duration_out_of_range,
        retry_out_of_range,
        max_results_out_of_range,
        reason_too_long,
        unknown_contact,
        wrong_code_enforced,
        duplicate_alias,
        duplicate_channel,
        wrong_activation_code,
        reused_token,
        tag_quota,
        bad_channel_update,
        foreign_channel_in_plan,
        accept_through_foreign_channel,
        wrong_types,
    )
}


def setup(case: Case) -> tuple[Simulator, Built]:
    """The case's organisation, plus a used idempotency token and a contact with 50 tags."""
    sim, built = prepare(case)
    client = sim.client()
    client.create_contact(
        Alias="tokened", Type="PERSONAL", Plan={"Stages": []}, IdempotencyToken="tok"
    )
    client.tag_resource(
        ResourceARN=built.people[0], Tags=[{"Key": k, "Value": "v"} for k in TAGGED_KEYS]
    )
    return sim, built


@st.composite
def interrupted_runs(draw: st.DrawFn, max_steps: int = 8) -> tuple[Case, int, int]:
    """A case, how many of its steps run before the invalid request, and a choice for it."""
    case = draw(cases(max_steps=max_steps))
    return case, draw(st.integers(1, len(case.script))), draw(st.integers(0, 63))


def _reject(sim: Simulator, request: Request) -> ServiceError:
    method, params = request
    with pytest.raises(ServiceError) as caught:
        getattr(sim.client(), method)(**params)
    assert not isinstance(caught.value, InternalServerException), caught.value
    return caught.value


def first_applicable(sim: Simulator, built: Built, name: str, choice: int) -> Request:
    """The named invalid request, or the next one (by name) that the state allows."""
    names = sorted(BAD_REQUESTS)
    start = names.index(name)
    for k in range(len(names)):
        candidate = names[(start + k) % len(names)]
        request = BAD_REQUESTS[candidate](sim, built, choice)
        if request is not None:
            event(f"invalid request: {candidate}")
            return request
    raise AssertionError("not_an_arn always applies")


def check_rejection_leaves_no_trace(name: str, run: tuple[Case, int, int]) -> None:
    case, split, choice = run
    sim, built = setup(case)
    play(sim, built, case.script[:split])
    before = snapshot(sim)
    _reject(sim, first_applicable(sim, built, name, choice))
    assert snapshot(sim) == before
    play(sim, built, case.script[split:], first=split)
    sim.run()
    twin, twin_built = setup(case)
    play(twin, twin_built, case.script)
    twin.run()
    assert json.dumps(sim.outbox) == json.dumps(twin.outbox)
    assert json.dumps(sim.events) == json.dumps(twin.events)


@pytest.mark.parametrize("name", sorted(BAD_REQUESTS))
@settings(FAST, max_examples=20)
@given(run=interrupted_runs())
def test_a_rejected_request_changes_nothing_now_or_later(
    name: str, run: tuple[Case, int, int]
) -> None:
    check_rejection_leaves_no_trace(name, run)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BAD_REQUESTS))
@settings(FAST, max_examples=150)
@given(run=interrupted_runs(max_steps=20))
def test_a_rejected_request_changes_nothing_on_long_runs(
    name: str, run: tuple[Case, int, int]
) -> None:
    check_rejection_leaves_no_trace(name, run)


# -- requests generated from the model ----------------------------------------------------------

ISSUE_2_OPERATIONS = [
    "CreateContact",
    "GetContact",
    "UpdateContact",
    "DeleteContact",
    "ListContacts",
    "CreateContactChannel",
    "GetContactChannel",
    "UpdateContactChannel",
    "DeleteContactChannel",
    "ListContactChannels",
    "ActivateContactChannel",
    "DeactivateContactChannel",
    "SendActivationCode",
    "StartEngagement",
    "StopEngagement",
    "DescribeEngagement",
    "ListEngagements",
    "DescribePage",
    "ListPagesByContact",
    "ListPagesByEngagement",
    "ListPageReceipts",
    "ListPageResolutions",
    "AcceptPage",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "PutContactPolicy",
    "GetContactPolicy",
]


def fuzz_world() -> tuple[Simulator, Org]:
    """The seed's organisation with an engagement under way; the same ARNs on every call."""
    sim = Simulator(seed=7, start=START, region=REGION)
    org = Org(sim, sim.client())
    org.seed()
    org.engage("example_escalation")
    sim.advance(30)
    return sim, org


def _known_arns() -> list[str]:
    sim, org = fuzz_world()
    arns = [c["ContactArn"] for c in org.client.list_contacts()["Contacts"]]
    arns += [c for owned in org.channels.values() for c in owned.values()]
    arns += [e["EngagementArn"] for e in events(sim, "ENGAGEMENT_STARTED")]
    arns += [e["PageArn"] for e in events(sim, "PAGE_CREATED")]
    return [*arns, GHOST_CONTACT, arns[0].replace(f":{REGION}:", ":eu-west-1:")]


KNOWN_ARNS = _known_arns()
garbage = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=4,
)


def _plausible_strings() -> dict[str, st.SearchStrategy[Any]]:
    """Values that fit the named string shapes, so that requests get past validation."""
    texts = st.sampled_from(["cli", "disk full", "a b"])
    return {
        "SsmContactsArn": st.sampled_from(KNOWN_ARNS),
        "AmazonResourceName": st.sampled_from(KNOWN_ARNS),
        "TagKey": st.sampled_from(["team", "tier"]),
        "TagValue": st.sampled_from(["ops", "1"]),
        "ContactAlias": st.sampled_from(["akuam", "newbie", "a"]),
        "ContactName": st.sampled_from(["", "Akua M"]),
        "ChannelName": st.sampled_from(["sms", "pager"]),
        "SimpleAddress": st.sampled_from(["+15550100", "+15550199", "x@example.com"]),
        "AcceptCode": st.sampled_from(["123456", "0000000000"]),
        "ActivationCode": st.sampled_from(["123456", "0000000000"]),
        "Sender": texts,
        "Subject": texts,
        "Content": texts,
        "PublicSubject": texts,
        "PublicContent": texts,
        "IncidentId": texts,
        "StopReason": texts,
        "ReceiptInfo": texts,
        "Policy": st.just("{}"),
        "IdempotencyToken": st.sampled_from(["tok1", "tok2"]),
    }


PLAUSIBLE = _plausible_strings()


def _strings(shape: Shape) -> st.SearchStrategy[Any]:
    if shape.enum:
        return st.sampled_from(shape.enum)
    anything = st.one_of(
        st.sampled_from(KNOWN_ARNS),
        st.sampled_from(["123456", "+15550100", "a@example.com", "", " ", "akuam", "x" * 300]),
        st.text(max_size=12),
    )
    plausible = PLAUSIBLE.get(shape.name)
    return anything if plausible is None else st.one_of(plausible, plausible, anything)


def values(shape: Shape) -> st.SearchStrategy[Any]:
    """Mostly well-typed values of a botocore shape, and now and then anything at all."""
    kind = shape.type_name
    if kind == "structure":
        members = {name: values(member) for name, member in shape.members.items()}
        required = {name: members[name] for name in shape.required_members}
        optional = {name: s for name, s in members.items() if name not in required}
        typed = st.one_of(
            st.fixed_dictionaries(required, optional=optional),
            st.fixed_dictionaries({}, optional=members),
        )
    elif kind == "list":
        typed = st.lists(values(shape.member), max_size=3)
    elif kind == "string":
        typed = _strings(shape)
    elif kind in ("integer", "long"):
        typed = st.one_of(st.integers(-2, 70), st.integers())
    elif kind == "boolean":
        typed = st.booleans()
    elif kind == "timestamp":
        typed = st.one_of(st.integers(1767225000, 1767232000), st.datetimes(), st.text(max_size=8))
    else:
        typed = garbage
    return st.one_of(typed, typed, typed, typed, typed, typed, typed, typed, typed, garbage)


REQUESTS = {name: values(SERVICE.operation_model(name).input_shape) for name in ISSUE_2_OPERATIONS}


def check_answer_or_aws_error(operation: str, params: Any) -> None:
    _, org = fuzz_world()
    try:
        response = org.client.call(operation, params)
    except InternalServerException:
        raise
    except ServiceError:
        return
    assert isinstance(response, dict)


@settings(FAST, max_examples=500)
@given(operation=st.sampled_from(ISSUE_2_OPERATIONS), data=st.data())
def test_no_request_crashes_the_service(operation: str, data: st.DataObject) -> None:
    check_answer_or_aws_error(operation, data.draw(REQUESTS[operation], label="params"))


@pytest.mark.slow
@settings(FAST, max_examples=10000)
@given(operation=st.sampled_from(ISSUE_2_OPERATIONS), data=st.data())
def test_no_request_crashes_the_service_in_a_long_fuzz(operation: str, data: st.DataObject) -> None:
    check_answer_or_aws_error(operation, data.draw(REQUESTS[operation], label="params"))
