"""One result shape per ssm-contacts operation, members in the model's order.

``RESULT_MODELS`` maps each operation name to the shape of its answer; operations that answer
nothing have a shape without members (an empty JSON object on the wire).
"""

from __future__ import annotations

from typing import Final

from engine.model.base import DateTime, ListOf, WireModel
from engine.model.common import SsmContactsArnList, TagsList
from engine.model.constraints import (
    ActivationStatus,
    ChannelName,
    ChannelType,
    ContactAlias,
    ContactName,
    ContactType,
    Content,
    IncidentId,
    PaginationToken,
    Policy,
    PublicContent,
    PublicSubject,
    RotationName,
    Sender,
    SsmContactsArn,
    Subject,
    TimeZoneId,
    Uuid,
)
from engine.model.contacts import Contact, ContactChannel, ContactChannelAddress, Plan
from engine.model.engagements import Engagement, Page, Receipt, ResolutionContact
from engine.model.rotations import (
    RecurrenceSettings,
    Rotation,
    RotationContactsArnList,
    RotationOverride,
    RotationShift,
)

__all__ = [
    "RESULT_MODELS",
    "AcceptPageResult",
    "ActivateContactChannelResult",
    "CreateContactChannelResult",
    "CreateContactResult",
    "CreateRotationOverrideResult",
    "CreateRotationResult",
    "DeactivateContactChannelResult",
    "DeleteContactChannelResult",
    "DeleteContactResult",
    "DeleteRotationOverrideResult",
    "DeleteRotationResult",
    "DescribeEngagementResult",
    "DescribePageResult",
    "GetContactChannelResult",
    "GetContactPolicyResult",
    "GetContactResult",
    "GetRotationOverrideResult",
    "GetRotationResult",
    "ListContactChannelsResult",
    "ListContactsResult",
    "ListEngagementsResult",
    "ListPageReceiptsResult",
    "ListPageResolutionsResult",
    "ListPagesByContactResult",
    "ListPagesByEngagementResult",
    "ListPreviewRotationShiftsResult",
    "ListRotationOverridesResult",
    "ListRotationShiftsResult",
    "ListRotationsResult",
    "ListTagsForResourceResult",
    "PutContactPolicyResult",
    "SendActivationCodeResult",
    "StartEngagementResult",
    "StopEngagementResult",
    "TagResourceResult",
    "UntagResourceResult",
    "UpdateContactChannelResult",
    "UpdateContactResult",
    "UpdateRotationResult",
]


class AcceptPageResult(WireModel):
    """Output of AcceptPage (acknowledge a page, or confirm it arrived): no members."""


class ActivateContactChannelResult(WireModel):
    """Output of ActivateContactChannel (activate a channel with its code): no members."""


class CreateContactResult(WireModel):
    """Output of CreateContact (create a person, escalation plan or on-call schedule)."""

    contact_arn: SsmContactsArn


class CreateContactChannelResult(WireModel):
    """Output of CreateContactChannel (add an SMS, voice or email channel to a person)."""

    contact_channel_arn: SsmContactsArn


class CreateRotationResult(WireModel):
    """Output of CreateRotation (create an on-call rotation)."""

    rotation_arn: SsmContactsArn


class CreateRotationOverrideResult(WireModel):
    """Output of CreateRotationOverride (put other contacts on call in a rotation for a while)."""

    rotation_override_id: Uuid


class DeactivateContactChannelResult(WireModel):
    """Output of DeactivateContactChannel (stop a channel from being paged): no members."""


class DeleteContactResult(WireModel):
    """Output of DeleteContact (remove a contact): no members."""


class DeleteContactChannelResult(WireModel):
    """Output of DeleteContactChannel (remove a channel from its contact): no members."""


class DeleteRotationResult(WireModel):
    """Output of DeleteRotation (delete a rotation, removing it from schedules): no members."""


class DeleteRotationOverrideResult(WireModel):
    """Output of DeleteRotationOverride (remove an override from a rotation): no members."""


class DescribeEngagementResult(WireModel):
    """Output of DescribeEngagement (read one engagement)."""

    contact_arn: SsmContactsArn
    engagement_arn: SsmContactsArn
    sender: Sender
    subject: Subject
    content: Content
    public_subject: PublicSubject | None = None
    public_content: PublicContent | None = None
    incident_id: IncidentId | None = None
    start_time: DateTime | None = None
    stop_time: DateTime | None = None


class DescribePageResult(WireModel):
    """Output of DescribePage (read one page)."""

    page_arn: SsmContactsArn
    engagement_arn: SsmContactsArn
    contact_arn: SsmContactsArn
    sender: Sender
    subject: Subject
    content: Content
    public_subject: PublicSubject | None = None
    public_content: PublicContent | None = None
    incident_id: IncidentId | None = None
    sent_time: DateTime | None = None
    read_time: DateTime | None = None
    delivery_time: DateTime | None = None


class GetContactResult(WireModel):
    """Output of GetContact (read a contact and its plan)."""

    contact_arn: SsmContactsArn
    alias: ContactAlias
    display_name: ContactName | None = None
    type: ContactType
    plan: Plan


class GetContactChannelResult(WireModel):
    """Output of GetContactChannel (read one contact channel)."""

    contact_arn: SsmContactsArn
    contact_channel_arn: SsmContactsArn
    name: ChannelName
    type: ChannelType
    delivery_address: ContactChannelAddress
    activation_status: ActivationStatus | None = None


class GetContactPolicyResult(WireModel):
    """Output of GetContactPolicy (read the resource policy of a contact)."""

    contact_arn: SsmContactsArn | None = None
    policy: Policy | None = None


class GetRotationResult(WireModel):
    """Output of GetRotation (read a rotation)."""

    rotation_arn: SsmContactsArn
    name: RotationName
    contact_ids: RotationContactsArnList
    start_time: DateTime
    time_zone_id: TimeZoneId
    recurrence: RecurrenceSettings


class GetRotationOverrideResult(WireModel):
    """Output of GetRotationOverride (read one override of a rotation)."""

    rotation_override_id: Uuid | None = None
    rotation_arn: SsmContactsArn | None = None
    new_contact_ids: SsmContactsArnList | None = None
    start_time: DateTime | None = None
    end_time: DateTime | None = None
    create_time: DateTime | None = None


class ListContactChannelsResult(WireModel):
    """Output of ListContactChannels (list the channels of a contact)."""

    next_token: PaginationToken | None = None
    contact_channels: ListOf[ContactChannel]


class ListContactsResult(WireModel):
    """Output of ListContacts (list contacts, optionally by alias prefix and type)."""

    next_token: PaginationToken | None = None
    contacts: ListOf[Contact] | None = None


class ListEngagementsResult(WireModel):
    """Output of ListEngagements (list engagements, optionally by incident and time)."""

    next_token: PaginationToken | None = None
    engagements: ListOf[Engagement]


class ListPageReceiptsResult(WireModel):
    """Output of ListPageReceipts (list what happened to a page)."""

    next_token: PaginationToken | None = None
    receipts: ListOf[Receipt] | None = None


class ListPageResolutionsResult(WireModel):
    """Output of ListPageResolutions (show how a page's contact was reached)."""

    next_token: PaginationToken | None = None
    page_resolutions: ListOf[ResolutionContact]


class ListPagesByContactResult(WireModel):
    """Output of ListPagesByContact (list the pages a contact received)."""

    next_token: PaginationToken | None = None
    pages: ListOf[Page]


class ListPagesByEngagementResult(WireModel):
    """Output of ListPagesByEngagement (list the pages an engagement sent)."""

    next_token: PaginationToken | None = None
    pages: ListOf[Page]


class ListPreviewRotationShiftsResult(WireModel):
    """Output of ListPreviewRotationShifts (preview the shifts of a rotation not yet created)."""

    rotation_shifts: ListOf[RotationShift] | None = None
    next_token: PaginationToken | None = None


class ListRotationOverridesResult(WireModel):
    """Output of ListRotationOverrides (list the overrides of a rotation in a time range)."""

    rotation_overrides: ListOf[RotationOverride] | None = None
    next_token: PaginationToken | None = None


class ListRotationShiftsResult(WireModel):
    """Output of ListRotationShifts (list the shifts of a rotation in a time range)."""

    rotation_shifts: ListOf[RotationShift] | None = None
    next_token: PaginationToken | None = None


class ListRotationsResult(WireModel):
    """Output of ListRotations (list rotations, optionally by name prefix)."""

    next_token: PaginationToken | None = None
    rotations: ListOf[Rotation]


class ListTagsForResourceResult(WireModel):
    """Output of ListTagsForResource (read the tags of a contact or rotation)."""

    tags: TagsList | None = None


class PutContactPolicyResult(WireModel):
    """Output of PutContactPolicy (set the resource policy of a contact): no members."""


class SendActivationCodeResult(WireModel):
    """Output of SendActivationCode (send a new activation code to a channel): no members."""


class StartEngagementResult(WireModel):
    """Output of StartEngagement (engage a contact, escalation plan or on-call schedule)."""

    engagement_arn: SsmContactsArn


class StopEngagementResult(WireModel):
    """Output of StopEngagement (stop an engagement and its pending pages): no members."""


class TagResourceResult(WireModel):
    """Output of TagResource (add tags to a contact or rotation): no members."""


class UntagResourceResult(WireModel):
    """Output of UntagResource (remove tags from a contact or rotation): no members."""


class UpdateContactResult(WireModel):
    """Output of UpdateContact (change a contact's display name or plan): no members."""


class UpdateContactChannelResult(WireModel):
    """Output of UpdateContactChannel (change a channel's name or address): no members."""


class UpdateRotationResult(WireModel):
    """Output of UpdateRotation (change a rotation's members or schedule): no members."""


#: Each operation's result shape, by operation name, in the model's order.
RESULT_MODELS: Final[dict[str, type[WireModel]]] = {
    "AcceptPage": AcceptPageResult,
    "ActivateContactChannel": ActivateContactChannelResult,
    "CreateContact": CreateContactResult,
    "CreateContactChannel": CreateContactChannelResult,
    "CreateRotation": CreateRotationResult,
    "CreateRotationOverride": CreateRotationOverrideResult,
    "DeactivateContactChannel": DeactivateContactChannelResult,
    "DeleteContact": DeleteContactResult,
    "DeleteContactChannel": DeleteContactChannelResult,
    "DeleteRotation": DeleteRotationResult,
    "DeleteRotationOverride": DeleteRotationOverrideResult,
    "DescribeEngagement": DescribeEngagementResult,
    "DescribePage": DescribePageResult,
    "GetContact": GetContactResult,
    "GetContactChannel": GetContactChannelResult,
    "GetContactPolicy": GetContactPolicyResult,
    "GetRotation": GetRotationResult,
    "GetRotationOverride": GetRotationOverrideResult,
    "ListContactChannels": ListContactChannelsResult,
    "ListContacts": ListContactsResult,
    "ListEngagements": ListEngagementsResult,
    "ListPageReceipts": ListPageReceiptsResult,
    "ListPageResolutions": ListPageResolutionsResult,
    "ListPagesByContact": ListPagesByContactResult,
    "ListPagesByEngagement": ListPagesByEngagementResult,
    "ListPreviewRotationShifts": ListPreviewRotationShiftsResult,
    "ListRotationOverrides": ListRotationOverridesResult,
    "ListRotationShifts": ListRotationShiftsResult,
    "ListRotations": ListRotationsResult,
    "ListTagsForResource": ListTagsForResourceResult,
    "PutContactPolicy": PutContactPolicyResult,
    "SendActivationCode": SendActivationCodeResult,
    "StartEngagement": StartEngagementResult,
    "StopEngagement": StopEngagementResult,
    "TagResource": TagResourceResult,
    "UntagResource": UntagResourceResult,
    "UpdateContact": UpdateContactResult,
    "UpdateContactChannel": UpdateContactChannelResult,
    "UpdateRotation": UpdateRotationResult,
}
