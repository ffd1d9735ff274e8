"""The stateless service rules (docs/semantics.md R1-R2), the field paths and messages of validation
errors, and validate_request's promise to raise nothing but ValidationException."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import ValidationException
from engine.model import validate_request as typed_request
from engine.model.base import RULE_ERROR
from engine.model.contacts import Plan, Stage, Target
from engine.model.requests import CreateContactRequest
from engine.model.rules import plan_problems, stage_problems, target_problems

ARN = "arn:aws:ssm-contacts:us-east-1:111122223333:"
CHANNEL = ARN + "contact-channel/akuam/fc7405c4-46b2-48b7-87b2-93e2f225b90d"
PERSON = ARN + "contact/akuam"
ROTATION = ARN + "rotation/0123abcd-0123-4567-89ab-0123456789ab"
UTC = dt.UTC


def validate_request(operation: str, params: object) -> dict[str, Any]:
    """The members a validated request holds (those given, null ones left out), by AWS name in
    the model's order, as the typed request returned by ``engine.model.validate_request`` has
    them."""
    request = typed_request(operation, params)
    return request.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)


def channel_target() -> dict[str, Any]:
    return {"ChannelTargetInfo": {"ContactChannelId": CHANNEL, "RetryIntervalInMinutes": 1}}


def contact_target() -> dict[str, Any]:
    return {"ContactTargetInfo": {"ContactId": PERSON, "IsEssential": True}}


def stage(*targets: dict[str, Any], minutes: int = 5) -> dict[str, Any]:
    return {"DurationInMinutes": minutes, "Targets": list(targets)}


def create_contact(contact_type: str, plan: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Alias": "akuam", "Type": contact_type, "Plan": plan, **extra}


def fields_of(operation: str, params: object) -> list[dict[str, str]]:
    with pytest.raises(ValidationException) as caught:
        validate_request(operation, params)
    assert caught.value.members["Reason"] == "FIELD_VALIDATION_FAILED"
    fields: list[dict[str, str]] = caught.value.members["Fields"]
    return fields


def names_of(operation: str, params: object) -> list[str]:
    return [field["Name"] for field in fields_of(operation, params)]


def message_at(operation: str, params: object, name: str) -> str:
    matching = [f["Message"] for f in fields_of(operation, params) if f["Name"] == name]
    assert matching, f"no problem reported at {name}"
    return matching[0]


# -- R2: targets and stages -----------------------------------------------------------------------


def test_R2_target_has_exactly_one_info() -> None:
    """A target with both infos or with neither is rejected at the target's path."""
    both = {**channel_target(), **contact_target()}
    params = {"ContactId": PERSON, "Plan": {"Stages": [stage(channel_target(), both, {})]}}
    assert names_of("UpdateContact", params) == [
        "Plan.Stages[0].Targets[1]",
        "Plan.Stages[0].Targets[2]",
    ]
    assert "exactly one of ChannelTargetInfo and ContactTargetInfo (both)" in message_at(
        "UpdateContact", params, "Plan.Stages[0].Targets[1]"
    )
    assert "(neither)" in message_at("UpdateContact", params, "Plan.Stages[0].Targets[2]")
    for good in (channel_target(), contact_target()):
        validate_request("UpdateContact", {"ContactId": PERSON, "Plan": {"Stages": [stage(good)]}})


def test_R2_target_rule_holds_for_the_model_class_too() -> None:
    """Target.model_validate applies the rule itself, as a pydantic error of the rule type."""
    with pytest.raises(pydantic.ValidationError) as caught:
        Target.model_validate({})
    assert caught.value.errors()[0]["type"] == RULE_ERROR
    assert Target.model_validate(channel_target()).channel_target_info is not None


def test_R2_stage_duration_zero_needs_target() -> None:
    """DurationInMinutes 0 is rejected on a stage without targets and allowed on one with."""
    params = {"ContactId": PERSON, "Plan": {"Stages": [stage(minutes=0)]}}
    message = message_at("UpdateContact", params, "Plan.Stages[0].DurationInMinutes")
    assert message == (
        "Value '0' at 'Plan.Stages[0].DurationInMinutes' failed to satisfy constraint: "
        "DurationInMinutes may be 0 only when the stage has at least one target"
    )
    zero_with_target = {"Stages": [stage(channel_target(), minutes=0)]}
    validate_request("UpdateContact", {"ContactId": PERSON, "Plan": zero_with_target})
    validate_request("UpdateContact", {"ContactId": PERSON, "Plan": {"Stages": [stage()]}})
    with pytest.raises(pydantic.ValidationError):
        Stage.model_validate(stage(minutes=0))


# -- R1/R2: plans by contact type --------------------------------------------------------------


def test_R2_personal_plan_targets_channels_only() -> None:
    """A PERSONAL contact's plan may not target contacts."""
    params = create_contact("PERSONAL", {"Stages": [stage(channel_target(), contact_target())]})
    name = "Plan.Stages[0].Targets[1].ContactTargetInfo"
    assert names_of("CreateContact", params) == [name]
    assert "may target only contact channels" in message_at("CreateContact", params, name)
    validate_request(
        "CreateContact", create_contact("PERSONAL", {"Stages": [stage(channel_target())]})
    )


def test_R2_personal_plan_lists_no_rotations() -> None:
    """A PERSONAL contact's plan may not list RotationIds (an empty list is no list)."""
    params = create_contact("PERSONAL", {"Stages": [], "RotationIds": [ROTATION]})
    assert names_of("CreateContact", params) == ["Plan.RotationIds"]
    validate_request("CreateContact", create_contact("PERSONAL", {"Stages": [], "RotationIds": []}))


def test_R2_escalation_plan_targets_contacts_only() -> None:
    """An ESCALATION plan may not target contact channels."""
    params = create_contact(
        "ESCALATION", {"Stages": [stage(contact_target()), stage(channel_target())]}
    )
    name = "Plan.Stages[1].Targets[0].ChannelTargetInfo"
    assert names_of("CreateContact", params) == [name]
    assert "may target only contacts (ContactTargetInfo)" in message_at(
        "CreateContact", params, name
    )
    validate_request(
        "CreateContact", create_contact("ESCALATION", {"Stages": [stage(contact_target())]})
    )


def test_R2_escalation_plan_lists_no_rotations() -> None:
    """An ESCALATION plan may not list RotationIds."""
    params = create_contact(
        "ESCALATION", {"Stages": [stage(contact_target())], "RotationIds": [ROTATION]}
    )
    assert names_of("CreateContact", params) == ["Plan.RotationIds"]


def test_R1_oncall_schedule_needs_a_rotation() -> None:
    """An ONCALL_SCHEDULE plan without RotationIds, or with an empty list, is rejected."""
    for plan in ({}, {"RotationIds": []}):
        params = create_contact("ONCALL_SCHEDULE", plan)
        assert names_of("CreateContact", params) == ["Plan.RotationIds"]
        assert "must list 1 to 8 RotationIds (it lists 0)" in message_at(
            "CreateContact", params, "Plan.RotationIds"
        )


def test_R1_oncall_schedule_rotation_cap_is_8() -> None:
    """Eight rotations are accepted, nine are not, although the model allows 25."""
    eight = create_contact("ONCALL_SCHEDULE", {"RotationIds": [ROTATION] * 8})
    assert validate_request("CreateContact", eight)["Plan"] == {"RotationIds": [ROTATION] * 8}
    nine = create_contact("ONCALL_SCHEDULE", {"RotationIds": [ROTATION] * 9})
    assert "(it lists 9)" in message_at("CreateContact", nine, "Plan.RotationIds")


def test_R1_oncall_schedule_has_no_stages() -> None:
    """An ONCALL_SCHEDULE plan may not have stages; an empty Stages list is allowed."""
    params = create_contact(
        "ONCALL_SCHEDULE", {"Stages": [stage(contact_target())], "RotationIds": [ROTATION]}
    )
    assert names_of("CreateContact", params) == ["Plan.Stages"]
    ok = create_contact("ONCALL_SCHEDULE", {"Stages": [], "RotationIds": [ROTATION]})
    validate_request("CreateContact", ok)


def test_plan_problems_is_a_plain_function_with_a_chosen_path() -> None:
    """plan_problems takes a type and an AWS-shaped plan (or a Plan); paths start at ``path``."""
    plan = {"Stages": [stage(contact_target())], "RotationIds": [ROTATION]}
    problems = plan_problems("PERSONAL", plan, "Contacts[2].Plan")
    assert [p["Name"] for p in problems] == [
        "Contacts[2].Plan.Stages[0].Targets[0].ContactTargetInfo",
        "Contacts[2].Plan.RotationIds",
    ]
    assert all(set(p) == {"Name", "Message"} for p in problems)
    assert plan_problems("PERSONAL", Plan.model_validate(plan)) == plan_problems("PERSONAL", plan)
    assert plan_problems("ESCALATION", {"Stages": [stage(contact_target())]}) == []
    assert plan_problems("NOT_A_TYPE", plan) == []


def test_plan_problems_tolerates_malformed_plans() -> None:
    """Parts it cannot read are skipped: their field constraints report them."""
    assert plan_problems("PERSONAL", {"Stages": "x", "RotationIds": 5}) == []
    assert plan_problems("PERSONAL", {"Stages": [None, {"Targets": [7]}]}) == []
    assert stage_problems({"DurationInMinutes": False, "Targets": []}, "Plan.Stages[0]") == []


def test_update_contact_checks_shape_rules_but_not_type_rules() -> None:
    """UpdateContact has no Type: its plan gets the stage and target rules only."""
    mixed = {
        "Stages": [stage(channel_target()), stage(contact_target())],
        "RotationIds": [ROTATION],
    }
    assert validate_request("UpdateContact", {"ContactId": PERSON, "Plan": mixed})["Plan"] == mixed


def test_rule_problems_are_listed_with_field_problems() -> None:
    """Rule breaches are reported along with every field error, not only once the fields pass."""
    bad_target = {
        "ChannelTargetInfo": {"ContactChannelId": "nope"},
        "ContactTargetInfo": {"ContactId": PERSON, "IsEssential": True},
    }
    params = create_contact("PERSONAL", {"Stages": [stage(bad_target)]}, Alias="Not Valid")
    assert names_of("CreateContact", params) == [
        "Alias",
        "Plan.Stages[0].Targets[0].ChannelTargetInfo.ContactChannelId",
        "Plan.Stages[0].Targets[0].ContactTargetInfo",
        "Plan.Stages[0].Targets[0]",
    ]


def test_create_contact_request_model_applies_the_type_rule() -> None:
    """CreateContactRequest.model_validate rejects a plan that does not fit its Type."""
    with pytest.raises(pydantic.ValidationError) as caught:
        CreateContactRequest.model_validate(create_contact("ONCALL_SCHEDULE", {}))
    assert caught.value.errors()[0]["type"] == RULE_ERROR


# -- paths and messages -------------------------------------------------------------------------


def test_range_message_names_value_path_and_limit() -> None:
    params = {"ContactId": PERSON, "Plan": {"Stages": [stage(channel_target(), minutes=45)]}}
    assert fields_of("UpdateContact", params) == [
        {
            "Name": "Plan.Stages[0].DurationInMinutes",
            "Message": "Value '45' at 'Plan.Stages[0].DurationInMinutes' failed to satisfy "
            "constraint: Member must have value less than or equal to 30",
        }
    ]


def test_length_pattern_enum_and_type_messages() -> None:
    params = {
        "ResourceARN": PERSON,
        "Tags": [{"Key": "ok", "Value": "v"}, {"Key": "k" * 129, "Value": "a*b"}, {"Key": 5}],
    }
    assert fields_of("TagResource", params) == [
        {
            "Name": "Tags[1].Key",
            "Message": f"Value '{'k' * 80}...' (129 characters) at 'Tags[1].Key' failed to "
            "satisfy constraint: Member must have length less than or equal to 128",
        },
        {
            "Name": "Tags[1].Value",
            "Message": "Value 'a*b' at 'Tags[1].Value' failed to satisfy constraint: Member "
            r"must satisfy regular expression pattern: ^[\p{L}\p{Z}\p{N}_.:\/=+\-@]*$",
        },
        {
            "Name": "Tags[2].Key",
            "Message": "Value '5' at 'Tags[2].Key' failed to satisfy constraint: Member must "
            "be a string (got integer)",
        },
    ]
    enum = message_at("ListContacts", {"Type": "TEAM"}, "Type")
    assert enum == (
        "Value 'TEAM' at 'Type' failed to satisfy constraint: Member must satisfy enum value "
        "set: [PERSONAL, ESCALATION, ONCALL_SCHEDULE]"
    )


def test_missing_and_null_required_members_must_not_be_null() -> None:
    expected = "Value null at 'Sender' failed to satisfy constraint: Member must not be null"
    base = {"ContactId": PERSON, "Subject": "s", "Content": "c"}
    assert message_at("StartEngagement", base, "Sender") == expected
    assert message_at("StartEngagement", {**base, "Sender": None}, "Sender") == expected


def test_null_optional_member_counts_as_absent() -> None:
    request = {"ContactId": PERSON, "Sender": "s", "Subject": "s", "Content": "c"}
    result = validate_request("StartEngagement", {**request, "IncidentId": None})
    assert result == request


def test_unknown_members_are_named_with_the_valid_ones() -> None:
    params = {"ContactId": PERSON, "contact_id": PERSON, "Plan": {"Stagez": []}}
    assert sorted(fields_of("UpdateContact", params), key=lambda f: f["Name"]) == [
        {
            "Name": "Plan.Stagez",
            "Message": "Unknown parameter 'Plan.Stagez'; valid members: Stages, RotationIds",
        },
        {
            "Name": "contact_id",
            "Message": "Unknown parameter 'contact_id'; "
            "valid members: ContactId, DisplayName, Plan",
        },
    ]


def test_map_values_and_keys_have_paths_through_the_key() -> None:
    recurrence = {
        "NumberOfOnCalls": 1,
        "RecurrenceMultiplier": 1,
        "DailySettings": [{"HourOfDay": 9, "MinuteOfHour": 0}],
        "ShiftCoverages": {
            "MON": [{"Start": {"HourOfDay": 24, "MinuteOfHour": 0}}],
            "MONDAY": [],
        },
    }
    params = {"RotationId": ROTATION, "Recurrence": recurrence}
    assert names_of("UpdateRotation", params) == [
        "Recurrence.ShiftCoverages.MON[0].Start.HourOfDay",
        "Recurrence.ShiftCoverages.MONDAY",
    ]
    assert "Map keys must satisfy constraint: [Member must satisfy enum value set: [MON," in (
        message_at("UpdateRotation", params, "Recurrence.ShiftCoverages.MONDAY")
    )


def test_long_values_are_shortened_but_keep_their_path() -> None:
    params = {"ContactArn": PERSON, "Policy": "x" * 400_000}
    (field,) = fields_of("PutContactPolicy", params)
    assert field["Name"] == "Policy"
    assert "(400000 characters) at 'Policy'" in field["Message"]
    assert len(field["Message"]) < 300


def test_every_problem_is_listed_in_one_exception() -> None:
    params = {"Alias": "A", "Type": "X", "Plan": 5, "Tags": "none", "Extra": 1}
    with pytest.raises(ValidationException) as caught:
        validate_request("CreateContact", params)
    fields = caught.value.members["Fields"]
    assert [f["Name"] for f in fields] == ["Alias", "Type", "Plan", "Tags", "Extra"]
    assert caught.value.message.startswith("5 validation errors detected: Value 'A' at 'Alias'")


def test_unknown_operation_is_reported_as_such() -> None:
    with pytest.raises(ValidationException) as caught:
        validate_request("LaunchRocket", {})
    assert caught.value.members["Reason"] == "UNKNOWN_OPERATION"
    assert "LaunchRocket" in caught.value.message


@pytest.mark.parametrize("params", [None, [], "text", 5, ("ContactId", PERSON)])
def test_a_request_that_is_not_an_object_cannot_be_parsed(params: object) -> None:
    with pytest.raises(ValidationException) as caught:
        validate_request("GetContact", params)
    assert caught.value.members["Reason"] == "CANNOT_PARSE"


def test_only_given_members_come_back_in_model_order() -> None:
    params = {"MaxResults": 3, "Type": "PERSONAL"}
    assert list(validate_request("ListContacts", params)) == ["MaxResults", "Type"]
    assert validate_request("ListEngagements", {}) == {}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (dt.datetime(2025, 1, 1, 9), dt.datetime(2025, 1, 1, 9, tzinfo=UTC)),
        (
            dt.datetime(2025, 1, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            dt.datetime(2025, 1, 1, 9, tzinfo=UTC),
        ),
        (1735722000, dt.datetime(2025, 1, 1, 9, tzinfo=UTC)),
        (1735722000.25, dt.datetime(2025, 1, 1, 9, 0, 0, 250000, tzinfo=UTC)),
        ("2025-01-01T09:00:00Z", dt.datetime(2025, 1, 1, 9, tzinfo=UTC)),
        ("2025-01-01T11:00:00+02:00", dt.datetime(2025, 1, 1, 9, tzinfo=UTC)),
    ],
)
def test_timestamps_become_aware_utc(given: object, expected: dt.datetime) -> None:
    result = validate_request("ListRotationShifts", {"RotationId": ROTATION, "EndTime": given})
    assert result["EndTime"] == expected
    assert result["EndTime"].utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("given", [1e20, math.nan, math.inf, "2025-13-01", "soon", True, None])
def test_bad_timestamps_are_field_errors(given: object) -> None:
    params = {"RotationId": ROTATION, "EndTime": given}
    assert names_of("ListRotationShifts", params) == ["EndTime"]


def test_unicode_letter_classes_work_in_names() -> None:
    """ContactName's \\p{L}\\p{Z}\\p{N} classes accept letters, spaces and digits of any script."""
    params = create_contact("PERSONAL", {"Stages": []}, DisplayName="Zoë Ünal ٣ 名前")
    assert validate_request("CreateContact", params)["DisplayName"] == "Zoë Ünal ٣ 名前"
    bad = create_contact("PERSONAL", {"Stages": []}, DisplayName="Zoë/Ünal")
    assert names_of("CreateContact", bad) == ["DisplayName"]


def test_patterns_match_anywhere_in_the_value() -> None:
    """Smithy patterns are not anchored: the ARN pattern needs a match, not a whole-value match."""
    result = validate_request("GetContact", {"ContactId": "see " + PERSON})
    assert result == {"ContactId": "see " + PERSON}


def test_lists_accept_tuples_but_not_sets() -> None:
    params = {"RotationId": ROTATION, "ContactIds": (PERSON,), "Recurrence": _recurrence()}
    assert validate_request("UpdateRotation", params)["ContactIds"] == [PERSON]
    params["ContactIds"] = {PERSON}
    assert "Member must be a list (got set)" in message_at("UpdateRotation", params, "ContactIds")


def test_shapes_take_python_names_and_dump_aws_names() -> None:
    """Inside Python, shapes are built by snake_case name; on the wire they speak PascalCase."""
    plan = Plan(rotation_ids=[ROTATION])
    assert plan.model_dump(exclude_none=True) == {"RotationIds": [ROTATION]}
    with pytest.raises(pydantic.ValidationError):
        Plan.model_validate({"RotationIds": [ROTATION], "Extra": 1})


def _recurrence() -> dict[str, Any]:
    return {"NumberOfOnCalls": 1, "RecurrenceMultiplier": 1}


# -- nothing but ValidationException ------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
MEMBER_NAMES = {
    "CreateContact": ["Alias", "DisplayName", "Type", "Plan", "Tags", "IdempotencyToken"],
    "CreateRotation": ["Name", "ContactIds", "StartTime", "TimeZoneId", "Recurrence", "Tags"],
    "ListPreviewRotationShifts": ["EndTime", "Members", "TimeZoneId", "Recurrence", "Overrides"],
    "StartEngagement": ["ContactId", "Sender", "Subject", "Content", "IncidentId"],
    "AcceptPage": ["PageId", "AcceptType", "AcceptCode", "AcceptCodeValidation"],
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    operation=st.sampled_from(sorted(MEMBER_NAMES)),
    params=json_values,
    members=st.data(),
)
def test_only_validation_exceptions_escape(operation: str, params: object, members: Any) -> None:
    """Arbitrary JSON-like input, at the top or under real member names, never raises otherwise."""
    shaped = members.draw(
        st.dictionaries(st.sampled_from(MEMBER_NAMES[operation]), json_values, max_size=6)
    )
    for candidate in (params, shaped):
        try:
            result = validate_request(operation, candidate)
        except ValidationException as error:
            assert error.members["Reason"] in {"CANNOT_PARSE", "FIELD_VALIDATION_FAILED"}
            for field in error.members.get("Fields", []):
                assert set(field) == {"Name", "Message"} and field["Name"]
        else:
            assert isinstance(result, dict)


@settings(max_examples=200, deadline=None)
@given(
    plan=json_values, contact_type=st.sampled_from(["PERSONAL", "ESCALATION", "ONCALL_SCHEDULE"])
)
def test_plan_rules_never_raise_on_malformed_plans(plan: object, contact_type: str) -> None:
    """The rule functions read anything and return field problems."""
    if isinstance(plan, dict):
        assert isinstance(plan_problems(contact_type, plan), list)
    assert isinstance(stage_problems(plan, "Plan"), list)
    assert isinstance(target_problems(plan, "Plan"), list)
