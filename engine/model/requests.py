"""One request shape per ssm-contacts operation, members in the model's order.

Each member carries its one-sentence description, which help, skeletons and the shape's JSON
Schema read. ``REQUEST_MODELS`` maps each operation name (``"StartEngagement"``) to its request
shape (``StartEngagementRequest``), found among the classes below, which are in the model's
operation order. CreateContactRequest also checks that its plan fits its contact type
(docs/semantics.md R1-R2, see ``rules.py``); UpdateContact has no type, so the service checks it
there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Self

from pydantic import BaseModel, Field, model_validator

from engine.model.base import DateTime, ListOf, WireModel, shapes_by_operation
from engine.model.common import TagKeyList, TagsList, TimeRange
from engine.model.constraints import (
    AcceptCode,
    ActivationCode,
    AmazonResourceName,
    ChannelName,
    ContactAlias,
    ContactName,
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
from engine.vocabulary import AcceptCodeValidation, AcceptType, ChannelType, ContactType

# Descriptions several requests share.
_TAGS: Final = "Key-value labels (up to 50) to attach to the new resource."
_TOKEN_AUTO: Final = (
    "A caller-chosen key under which a repeated identical call returns the first result instead of"
    " acting again; SDKs and the CLI generate one when it is left out."
)
_TOKEN_MANUAL: Final = (
    "A caller-chosen key under which a repeated identical call returns the first result instead of"
    " acting again; nothing is generated when it is left out."
)
_TIME_ZONE: Final = "IANA time zone, such as Europe/Berlin, in which hand-off times are read."
_RECURRENCE: Final = (
    "When shifts hand over (daily, weekly or monthly times), how many contacts are on call at "
    "once, how many periods a shift lasts, and optional coverage windows."
)
_OVERRIDDEN_ROTATION: Final = "ARN of the rotation the override belongs to."
#: ``NextToken`` and ``MaxResults`` of a list request.
_NextToken = Annotated[
    PaginationToken | None,
    Field(description="The token a previous page returned, to continue listing where it stopped."),
]
_MaxResults = Annotated[
    MaxResults | None, Field(description="How many items one page may hold at most (0 to 1024).")
]


class AcceptPageRequest(WireModel):
    """Input of AcceptPage: acknowledge a page, or confirm it arrived."""

    page_id: SsmContactsArn = Field(description="ARN of the page being answered.")
    contact_channel_id: SsmContactsArn | None = Field(
        None, description="ARN of the channel the answer came through, if known."
    )
    accept_type: AcceptType = Field(
        description="READ acknowledges the page; DELIVERED only confirms it arrived."
    )
    note: ReceiptInfo | None = Field(
        None, description="Free text kept with the receipt this call records."
    )
    accept_code: AcceptCode = Field(description="The 6- to 10-digit code that came with the page.")
    accept_code_validation: AcceptCodeValidation | None = Field(
        None,
        description=(
            "ENFORCE rejects a code that differs from the page's; IGNORE, the default, accepts any"
            " code."
        ),
    )


class ActivateContactChannelRequest(WireModel):
    """Input of ActivateContactChannel: activate a channel with its code."""

    contact_channel_id: SsmContactsArn = Field(description="ARN of the channel to activate.")
    activation_code: ActivationCode = Field(
        description="The 6- to 10-digit code the channel received."
    )


class CreateContactRequest(WireModel):
    """Input of CreateContact: create a person, escalation plan or on-call schedule."""

    alias: ContactAlias = Field(
        description="Unique short name (lowercase letters, digits, _ and -) that ends the ARN."
    )
    display_name: ContactName | None = Field(
        None, description="Human-readable name shown for the contact."
    )
    type: ContactType = Field(
        description="PERSONAL for a person, ESCALATION for a plan, ONCALL_SCHEDULE for rotations."
    )
    plan: Plan = Field(
        description=(
            "Channel stages for a person, contact stages for an escalation plan, or the rotation "
            "ARNs of an on-call schedule."
        )
    )
    tags: TagsList | None = Field(None, description=_TAGS)
    idempotency_token: IdempotencyToken | None = Field(None, description=_TOKEN_AUTO)

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

    contact_id: SsmContactsArn = Field(
        description="ARN of the personal contact that owns the channel."
    )
    name: ChannelName = Field(
        description="Name of the channel, unique enough for people to tell channels apart."
    )
    type: ChannelType = Field(description="SMS, VOICE or EMAIL.")
    delivery_address: ContactChannelAddress = Field(
        description="Phone number (with + and country code) or email address to reach."
    )
    defer_activation: DeferActivation | None = Field(
        None, description="When true, no activation code is sent until one is asked for."
    )
    idempotency_token: IdempotencyToken | None = Field(None, description=_TOKEN_AUTO)


class CreateRotationRequest(WireModel):
    """Input of CreateRotation: create an on-call rotation."""

    name: RotationName = Field(description="Name of the rotation.")
    contact_ids: RotationContactsArnList = Field(
        description="ARNs of the personal contacts on the rotation, in their shift order."
    )
    start_time: DateTime | None = Field(
        None, description="Instant the rotation's first shift begins; the call's time when absent."
    )
    time_zone_id: TimeZoneId = Field(description=_TIME_ZONE)
    recurrence: RecurrenceSettings = Field(description=_RECURRENCE)
    tags: TagsList | None = Field(None, description=_TAGS)
    idempotency_token: IdempotencyToken | None = Field(None, description=_TOKEN_MANUAL)


class CreateRotationOverrideRequest(WireModel):
    """Input of CreateRotationOverride: put other contacts on call in a rotation for a while."""

    rotation_id: SsmContactsArn = Field(description="ARN of the rotation to override.")
    new_contact_ids: RotationOverrideContactsArnList = Field(
        description="ARNs of the contacts on call instead; an empty list leaves nobody."
    )
    start_time: DateTime = Field(description="Instant the override takes effect.")
    end_time: DateTime = Field(description="Instant the regular contacts take over again.")
    idempotency_token: IdempotencyToken | None = Field(None, description=_TOKEN_MANUAL)


class DeactivateContactChannelRequest(WireModel):
    """Input of DeactivateContactChannel: stop a channel from being paged."""

    contact_channel_id: SsmContactsArn = Field(description="ARN of the channel to deactivate.")


class DeleteContactRequest(WireModel):
    """Input of DeleteContact: remove a contact."""

    contact_id: SsmContactsArn = Field(description="ARN of the contact to delete.")


class DeleteContactChannelRequest(WireModel):
    """Input of DeleteContactChannel: remove a channel from its contact."""

    contact_channel_id: SsmContactsArn = Field(description="ARN of the channel to delete.")


class DeleteRotationRequest(WireModel):
    """Input of DeleteRotation: delete a rotation, removing it from schedules."""

    rotation_id: SsmContactsArn = Field(description="ARN of the rotation to delete.")


class DeleteRotationOverrideRequest(WireModel):
    """Input of DeleteRotationOverride: remove an override from a rotation."""

    rotation_id: SsmContactsArn = Field(description=_OVERRIDDEN_ROTATION)
    rotation_override_id: Uuid = Field(description="Identifier of the override to remove.")


class DescribeEngagementRequest(WireModel):
    """Input of DescribeEngagement: read one engagement."""

    engagement_id: SsmContactsArn = Field(description="ARN of the engagement to read.")


class DescribePageRequest(WireModel):
    """Input of DescribePage: read one page."""

    page_id: SsmContactsArn = Field(description="ARN of the page to read.")


class GetContactRequest(WireModel):
    """Input of GetContact: read a contact and its plan."""

    contact_id: SsmContactsArn = Field(description="ARN of the contact to read.")


class GetContactChannelRequest(WireModel):
    """Input of GetContactChannel: read one contact channel."""

    contact_channel_id: SsmContactsArn = Field(description="ARN of the channel to read.")


class GetContactPolicyRequest(WireModel):
    """Input of GetContactPolicy: read the resource policy of a contact."""

    contact_arn: SsmContactsArn = Field(description="ARN of the contact whose policy to read.")


class GetRotationRequest(WireModel):
    """Input of GetRotation: read a rotation."""

    rotation_id: SsmContactsArn = Field(description="ARN of the rotation to read.")


class GetRotationOverrideRequest(WireModel):
    """Input of GetRotationOverride: read one override of a rotation."""

    rotation_id: SsmContactsArn = Field(description=_OVERRIDDEN_ROTATION)
    rotation_override_id: Uuid = Field(description="Identifier of the override to read.")


class ListContactChannelsRequest(WireModel):
    """Input of ListContactChannels: list the channels of a contact."""

    contact_id: SsmContactsArn = Field(description="ARN of the contact whose channels to list.")
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListContactsRequest(WireModel):
    """Input of ListContacts: list contacts, optionally by alias prefix and type."""

    next_token: _NextToken = None
    max_results: _MaxResults = None
    alias_prefix: ContactAlias | None = Field(
        None, description="Keep only contacts whose alias starts with this text."
    )
    type: ContactType | None = Field(None, description="Keep only contacts of this type.")


class ListEngagementsRequest(WireModel):
    """Input of ListEngagements: list engagements, optionally by incident and time."""

    next_token: _NextToken = None
    max_results: _MaxResults = None
    incident_id: IncidentId | None = Field(
        None, description="Keep only engagements started for this incident."
    )
    time_range_value: TimeRange | None = Field(
        None, description="Keep only engagements that started between these two instants."
    )


class ListPageReceiptsRequest(WireModel):
    """Input of ListPageReceipts: list what happened to a page."""

    page_id: SsmContactsArn = Field(description="ARN of the page whose receipts to list.")
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListPageResolutionsRequest(WireModel):
    """Input of ListPageResolutions: show how a page's contact was reached."""

    next_token: _NextToken = None
    page_id: SsmContactsArn = Field(description="ARN of the page whose path to show.")


class ListPagesByContactRequest(WireModel):
    """Input of ListPagesByContact: list the pages a contact received."""

    contact_id: SsmContactsArn = Field(description="ARN of the contact whose pages to list.")
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListPagesByEngagementRequest(WireModel):
    """Input of ListPagesByEngagement: list the pages an engagement sent."""

    engagement_id: SsmContactsArn = Field(description="ARN of the engagement whose pages to list.")
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListPreviewRotationShiftsRequest(WireModel):
    """Input of ListPreviewRotationShifts: preview the shifts of a rotation not yet created."""

    rotation_start_time: DateTime | None = Field(
        None, description="Instant the imagined rotation starts; shifts count from it."
    )
    start_time: DateTime | None = Field(
        None, description="Leave out shifts that end before this instant."
    )
    end_time: DateTime = Field(description="Leave out shifts that start after this instant.")
    members: RotationPreviewMemberList = Field(
        description="Names of the imagined rotation's members, in shift order."
    )
    time_zone_id: TimeZoneId = Field(description=_TIME_ZONE)
    recurrence: RecurrenceSettings = Field(description=_RECURRENCE)
    overrides: ListOf[PreviewOverride] | None = Field(
        None, description="Imagined overrides to apply to the computed shifts."
    )
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListRotationOverridesRequest(WireModel):
    """Input of ListRotationOverrides: list the overrides of a rotation in a time range."""

    rotation_id: SsmContactsArn = Field(description="ARN of the rotation whose overrides to list.")
    start_time: DateTime = Field(description="Beginning of the time range to look in.")
    end_time: DateTime = Field(description="End of the time range to look in.")
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListRotationShiftsRequest(WireModel):
    """Input of ListRotationShifts: list the shifts of a rotation in a time range."""

    rotation_id: SsmContactsArn = Field(description="ARN of the rotation whose shifts to list.")
    start_time: DateTime | None = Field(
        None, description="Beginning of the time range; the current instant when absent."
    )
    end_time: DateTime = Field(description="End of the time range.")
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListRotationsRequest(WireModel):
    """Input of ListRotations: list rotations, optionally by name prefix."""

    rotation_name_prefix: RotationName | None = Field(
        None, description="Keep only rotations whose name starts with this text."
    )
    next_token: _NextToken = None
    max_results: _MaxResults = None


class ListTagsForResourceRequest(WireModel):
    """Input of ListTagsForResource: read the tags of a contact or rotation."""

    resource_arn: AmazonResourceName = Field(
        alias="ResourceARN", description="ARN of the contact or rotation whose tags to read."
    )


class PutContactPolicyRequest(WireModel):
    """Input of PutContactPolicy: set the resource policy of a contact."""

    contact_arn: SsmContactsArn = Field(description="ARN of the contact the policy is for.")
    policy: Policy = Field(description="The policy document, kept verbatim.")


class SendActivationCodeRequest(WireModel):
    """Input of SendActivationCode: send a new activation code to a channel."""

    contact_channel_id: SsmContactsArn = Field(
        description="ARN of the channel to send a new code to."
    )


class StartEngagementRequest(WireModel):
    """Input of StartEngagement: engage a contact, escalation plan or on-call schedule."""

    contact_id: SsmContactsArn = Field(
        description="ARN of the person, escalation plan or on-call schedule to engage."
    )
    sender: Sender = Field(description="Free text naming who or what started the engagement.")
    subject: Subject = Field(
        description="Subject line sent to voice and email channels, which are treated as private."
    )
    content: Content = Field(
        description="Message body sent to voice and email channels, which are treated as private."
    )
    public_subject: PublicSubject | None = Field(
        None, description="Subject line sent to SMS channels, which are not treated as private."
    )
    public_content: PublicContent | None = Field(
        None, description="Message body sent to SMS channels, which are not treated as private."
    )
    incident_id: IncidentId | None = Field(
        None, description="Identifier of the incident the engagement belongs to, if any."
    )
    idempotency_token: IdempotencyToken | None = Field(None, description=_TOKEN_AUTO)


class StopEngagementRequest(WireModel):
    """Input of StopEngagement: stop an engagement and its pending pages."""

    engagement_id: SsmContactsArn = Field(description="ARN of the engagement to stop.")
    reason: StopReason | None = Field(
        None, description="Free text saying why the engagement was stopped."
    )


class TagResourceRequest(WireModel):
    """Input of TagResource: add tags to a contact or rotation."""

    resource_arn: AmazonResourceName = Field(
        alias="ResourceARN", description="ARN of the contact or rotation to tag."
    )
    tags: TagsList = Field(description="Key-value labels to attach.")


class UntagResourceRequest(WireModel):
    """Input of UntagResource: remove tags from a contact or rotation."""

    resource_arn: AmazonResourceName = Field(
        alias="ResourceARN", description="ARN of the contact or rotation to untag."
    )
    tag_keys: TagKeyList = Field(description="Keys of the tags to remove.")


class UpdateContactRequest(WireModel):
    """Input of UpdateContact: change a contact's display name or plan."""

    contact_id: SsmContactsArn = Field(description="ARN of the contact to change.")
    display_name: ContactName | None = Field(
        None, description="New human-readable name; an empty string removes it."
    )
    plan: Plan | None = Field(None, description="New plan, replacing the whole of the old one.")


class UpdateContactChannelRequest(WireModel):
    """Input of UpdateContactChannel: change a channel's name or address."""

    contact_channel_id: SsmContactsArn = Field(description="ARN of the channel to change.")
    name: ChannelName | None = Field(None, description="New name of the channel.")
    delivery_address: ContactChannelAddress | None = Field(
        None, description="New phone number or email address to reach."
    )


class UpdateRotationRequest(WireModel):
    """Input of UpdateRotation: change members, start, zone or recurrence of a rotation."""

    rotation_id: SsmContactsArn = Field(description="ARN of the rotation to change.")
    contact_ids: RotationContactsArnList | None = Field(
        None, description="New list of the rotation's contacts, in their new shift order."
    )
    start_time: DateTime | None = Field(
        None, description="New instant from which shifts are counted."
    )
    time_zone_id: TimeZoneId | None = Field(
        None, description="New IANA time zone for the hand-off times."
    )
    recurrence: RecurrenceSettings = Field(
        description="New hand-off settings, replacing the old ones whole."
    )


#: Each operation's request shape by operation name, in the model's order (this module's).
REQUEST_MODELS: Final = shapes_by_operation(globals(), "Request")
