"""One request shape per ssm-contacts operation, members in the model's order.

``REQUEST_MODELS`` maps each operation name (``"StartEngagement"``) to its request shape, in the
model's operation order. CreateContactRequest also checks that its plan fits its contact type
(docs/semantics.md R1-R2, see ``rules.py``); UpdateContact has no type, so the service checks it
there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Self

from pydantic import BaseModel, Field, model_validator

from engine.model.base import DateTime, ListOf, WireModel
from engine.model.common import TagKeyList, TagsList, TimeRange
from engine.model.constraints import (
    AcceptCode,
    AcceptCodeValidation,
    AcceptType,
    ActivationCode,
    AmazonResourceName,
    ChannelName,
    ChannelType,
    ContactAlias,
    ContactName,
    ContactType,
    Content,
    DeferActivation,
    IdempotencyToken,
    IncidentId,
    MaxResults,
    PaginationToken,
    Policy,
    PublicContent,
    PublicSubject,
    ReceiptInfo,
    RotationName,
    Sender,
    SsmContactsArn,
    StopReason,
    Subject,
    TimeZoneId,
    Uuid,
)
from engine.model.contacts import ContactChannelAddress, Plan
from engine.model.messages import member_path
from engine.model.rotations import (
    PreviewOverride,
    RecurrenceSettings,
    RotationContactsArnList,
    RotationOverrideContactsArnList,
    RotationPreviewMemberList,
)
from engine.model.rules import plan_problems

__all__ = [
    "REQUEST_MODELS",
    "AcceptPageRequest",
    "ActivateContactChannelRequest",
    "CreateContactChannelRequest",
    "CreateContactRequest",
    "CreateRotationOverrideRequest",
    "CreateRotationRequest",
    "DeactivateContactChannelRequest",
    "DeleteContactChannelRequest",
    "DeleteContactRequest",
    "DeleteRotationOverrideRequest",
    "DeleteRotationRequest",
    "DescribeEngagementRequest",
    "DescribePageRequest",
    "GetContactChannelRequest",
    "GetContactPolicyRequest",
    "GetContactRequest",
    "GetRotationOverrideRequest",
    "GetRotationRequest",
    "ListContactChannelsRequest",
    "ListContactsRequest",
    "ListEngagementsRequest",
    "ListPageReceiptsRequest",
    "ListPageResolutionsRequest",
    "ListPagesByContactRequest",
    "ListPagesByEngagementRequest",
    "ListPreviewRotationShiftsRequest",
    "ListRotationOverridesRequest",
    "ListRotationShiftsRequest",
    "ListRotationsRequest",
    "ListTagsForResourceRequest",
    "PutContactPolicyRequest",
    "SendActivationCodeRequest",
    "StartEngagementRequest",
    "StopEngagementRequest",
    "TagResourceRequest",
    "UntagResourceRequest",
    "UpdateContactChannelRequest",
    "UpdateContactRequest",
    "UpdateRotationRequest",
]


class AcceptPageRequest(WireModel):
    """Input of AcceptPage: acknowledge a page, or confirm it arrived."""

    page_id: SsmContactsArn
    contact_channel_id: SsmContactsArn | None = None
    accept_type: AcceptType
    note: ReceiptInfo | None = None
    accept_code: AcceptCode
    accept_code_validation: AcceptCodeValidation | None = None


class ActivateContactChannelRequest(WireModel):
    """Input of ActivateContactChannel: activate a channel with its code."""

    contact_channel_id: SsmContactsArn
    activation_code: ActivationCode


class CreateContactRequest(WireModel):
    """Input of CreateContact: create a person, escalation plan or on-call schedule."""

    alias: ContactAlias
    display_name: ContactName | None = None
    type: ContactType
    plan: Plan
    tags: TagsList | None = None
    idempotency_token: IdempotencyToken | None = None

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], path: str) -> list[dict[str, str]]:
        contact_type, plan = data.get("Type"), data.get("Plan")
        if not isinstance(contact_type, str) or not isinstance(plan, Mapping | BaseModel):
            return []
        return plan_problems(contact_type, plan, member_path(path, "Plan"))

    @model_validator(mode="after")
    def _plan_fits_type(self) -> Self:
        return self._enforce_rules("")


class CreateContactChannelRequest(WireModel):
    """Input of CreateContactChannel: add an SMS, voice or email channel to a person."""

    contact_id: SsmContactsArn
    name: ChannelName
    type: ChannelType
    delivery_address: ContactChannelAddress
    defer_activation: DeferActivation | None = None
    idempotency_token: IdempotencyToken | None = None


class CreateRotationRequest(WireModel):
    """Input of CreateRotation: create an on-call rotation."""

    name: RotationName
    contact_ids: RotationContactsArnList
    start_time: DateTime | None = None
    time_zone_id: TimeZoneId
    recurrence: RecurrenceSettings
    tags: TagsList | None = None
    idempotency_token: IdempotencyToken | None = None


class CreateRotationOverrideRequest(WireModel):
    """Input of CreateRotationOverride: put other contacts on call in a rotation for a while."""

    rotation_id: SsmContactsArn
    new_contact_ids: RotationOverrideContactsArnList
    start_time: DateTime
    end_time: DateTime
    idempotency_token: IdempotencyToken | None = None


class DeactivateContactChannelRequest(WireModel):
    """Input of DeactivateContactChannel: stop a channel from being paged."""

    contact_channel_id: SsmContactsArn


class DeleteContactRequest(WireModel):
    """Input of DeleteContact: remove a contact."""

    contact_id: SsmContactsArn


class DeleteContactChannelRequest(WireModel):
    """Input of DeleteContactChannel: remove a channel from its contact."""

    contact_channel_id: SsmContactsArn


class DeleteRotationRequest(WireModel):
    """Input of DeleteRotation: delete a rotation, removing it from schedules."""

    rotation_id: SsmContactsArn


class DeleteRotationOverrideRequest(WireModel):
    """Input of DeleteRotationOverride: remove an override from a rotation."""

    rotation_id: SsmContactsArn
    rotation_override_id: Uuid


class DescribeEngagementRequest(WireModel):
    """Input of DescribeEngagement: read one engagement."""

    engagement_id: SsmContactsArn


class DescribePageRequest(WireModel):
    """Input of DescribePage: read one page."""

    page_id: SsmContactsArn


class GetContactRequest(WireModel):
    """Input of GetContact: read a contact and its plan."""

    contact_id: SsmContactsArn


class GetContactChannelRequest(WireModel):
    """Input of GetContactChannel: read one contact channel."""

    contact_channel_id: SsmContactsArn


class GetContactPolicyRequest(WireModel):
    """Input of GetContactPolicy: read the resource policy of a contact."""

    contact_arn: SsmContactsArn


class GetRotationRequest(WireModel):
    """Input of GetRotation: read a rotation."""

    rotation_id: SsmContactsArn


class GetRotationOverrideRequest(WireModel):
    """Input of GetRotationOverride: read one override of a rotation."""

    rotation_id: SsmContactsArn
    rotation_override_id: Uuid


class ListContactChannelsRequest(WireModel):
    """Input of ListContactChannels: list the channels of a contact."""

    contact_id: SsmContactsArn
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListContactsRequest(WireModel):
    """Input of ListContacts: list contacts, optionally by alias prefix and type."""

    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None
    alias_prefix: ContactAlias | None = None
    type: ContactType | None = None


class ListEngagementsRequest(WireModel):
    """Input of ListEngagements: list engagements, optionally by incident and time."""

    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None
    incident_id: IncidentId | None = None
    time_range_value: TimeRange | None = None


class ListPageReceiptsRequest(WireModel):
    """Input of ListPageReceipts: list what happened to a page."""

    page_id: SsmContactsArn
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListPageResolutionsRequest(WireModel):
    """Input of ListPageResolutions: show how a page's contact was reached."""

    next_token: PaginationToken | None = None
    page_id: SsmContactsArn


class ListPagesByContactRequest(WireModel):
    """Input of ListPagesByContact: list the pages a contact received."""

    contact_id: SsmContactsArn
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListPagesByEngagementRequest(WireModel):
    """Input of ListPagesByEngagement: list the pages an engagement sent."""

    engagement_id: SsmContactsArn
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListPreviewRotationShiftsRequest(WireModel):
    """Input of ListPreviewRotationShifts: preview the shifts of a rotation not yet created."""

    rotation_start_time: DateTime | None = None
    start_time: DateTime | None = None
    end_time: DateTime
    members: RotationPreviewMemberList
    time_zone_id: TimeZoneId
    recurrence: RecurrenceSettings
    overrides: ListOf[PreviewOverride] | None = None
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListRotationOverridesRequest(WireModel):
    """Input of ListRotationOverrides: list the overrides of a rotation in a time range."""

    rotation_id: SsmContactsArn
    start_time: DateTime
    end_time: DateTime
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListRotationShiftsRequest(WireModel):
    """Input of ListRotationShifts: list the shifts of a rotation in a time range."""

    rotation_id: SsmContactsArn
    start_time: DateTime | None = None
    end_time: DateTime
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListRotationsRequest(WireModel):
    """Input of ListRotations: list rotations, optionally by name prefix."""

    rotation_name_prefix: RotationName | None = None
    next_token: PaginationToken | None = None
    max_results: MaxResults | None = None


class ListTagsForResourceRequest(WireModel):
    """Input of ListTagsForResource: read the tags of a contact or rotation."""

    resource_arn: AmazonResourceName = Field(alias="ResourceARN")


class PutContactPolicyRequest(WireModel):
    """Input of PutContactPolicy: set the resource policy of a contact."""

    contact_arn: SsmContactsArn
    policy: Policy


class SendActivationCodeRequest(WireModel):
    """Input of SendActivationCode: send a new activation code to a channel."""

    contact_channel_id: SsmContactsArn


class StartEngagementRequest(WireModel):
    """Input of StartEngagement: engage a contact, escalation plan or on-call schedule."""

    contact_id: SsmContactsArn
    sender: Sender
    subject: Subject
    content: Content
    public_subject: PublicSubject | None = None
    public_content: PublicContent | None = None
    incident_id: IncidentId | None = None
    idempotency_token: IdempotencyToken | None = None


class StopEngagementRequest(WireModel):
    """Input of StopEngagement: stop an engagement and its pending pages."""

    engagement_id: SsmContactsArn
    reason: StopReason | None = None


class TagResourceRequest(WireModel):
    """Input of TagResource: add tags to a contact or rotation."""

    resource_arn: AmazonResourceName = Field(alias="ResourceARN")
    tags: TagsList


class UntagResourceRequest(WireModel):
    """Input of UntagResource: remove tags from a contact or rotation."""

    resource_arn: AmazonResourceName = Field(alias="ResourceARN")
    tag_keys: TagKeyList


class UpdateContactRequest(WireModel):
    """Input of UpdateContact: change a contact's display name or plan."""

    contact_id: SsmContactsArn
    display_name: ContactName | None = None
    plan: Plan | None = None


class UpdateContactChannelRequest(WireModel):
    """Input of UpdateContactChannel: change a channel's name or address."""

    contact_channel_id: SsmContactsArn
    name: ChannelName | None = None
    delivery_address: ContactChannelAddress | None = None


class UpdateRotationRequest(WireModel):
    """Input of UpdateRotation: change members, start, zone or recurrence of a rotation."""

    rotation_id: SsmContactsArn
    contact_ids: RotationContactsArnList | None = None
    start_time: DateTime | None = None
    time_zone_id: TimeZoneId | None = None
    recurrence: RecurrenceSettings


#: Each operation's request shape, by operation name, in the model's order.
REQUEST_MODELS: Final[dict[str, type[WireModel]]] = {
    "AcceptPage": AcceptPageRequest,
    "ActivateContactChannel": ActivateContactChannelRequest,
    "CreateContact": CreateContactRequest,
    "CreateContactChannel": CreateContactChannelRequest,
    "CreateRotation": CreateRotationRequest,
    "CreateRotationOverride": CreateRotationOverrideRequest,
    "DeactivateContactChannel": DeactivateContactChannelRequest,
    "DeleteContact": DeleteContactRequest,
    "DeleteContactChannel": DeleteContactChannelRequest,
    "DeleteRotation": DeleteRotationRequest,
    "DeleteRotationOverride": DeleteRotationOverrideRequest,
    "DescribeEngagement": DescribeEngagementRequest,
    "DescribePage": DescribePageRequest,
    "GetContact": GetContactRequest,
    "GetContactChannel": GetContactChannelRequest,
    "GetContactPolicy": GetContactPolicyRequest,
    "GetRotation": GetRotationRequest,
    "GetRotationOverride": GetRotationOverrideRequest,
    "ListContactChannels": ListContactChannelsRequest,
    "ListContacts": ListContactsRequest,
    "ListEngagements": ListEngagementsRequest,
    "ListPageReceipts": ListPageReceiptsRequest,
    "ListPageResolutions": ListPageResolutionsRequest,
    "ListPagesByContact": ListPagesByContactRequest,
    "ListPagesByEngagement": ListPagesByEngagementRequest,
    "ListPreviewRotationShifts": ListPreviewRotationShiftsRequest,
    "ListRotationOverrides": ListRotationOverridesRequest,
    "ListRotationShifts": ListRotationShiftsRequest,
    "ListRotations": ListRotationsRequest,
    "ListTagsForResource": ListTagsForResourceRequest,
    "PutContactPolicy": PutContactPolicyRequest,
    "SendActivationCode": SendActivationCodeRequest,
    "StartEngagement": StartEngagementRequest,
    "StopEngagement": StopEngagementRequest,
    "TagResource": TagResourceRequest,
    "UntagResource": UntagResourceRequest,
    "UpdateContact": UpdateContactRequest,
    "UpdateContactChannel": UpdateContactChannelRequest,
    "UpdateRotation": UpdateRotationRequest,
}
