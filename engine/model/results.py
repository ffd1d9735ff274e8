"""One result shape per ssm-contacts operation, members in the model's order.

Each member carries its one-sentence description. ``RESULT_MODELS`` maps each operation name to
the shape of its answer (``<Operation>Result``, found among the classes below, in the model's
operation order); operations that answer nothing have a shape without members (an empty JSON
object on the wire).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

from engine.model.base import DateTime, ListOf, WireModel, shapes_by_operation
from engine.model.common import SsmContactsArnList, TagsList
from engine.model.constraints import (
    ChannelName,
    ContactAlias,
    ContactName,
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
from engine.vocabulary import ActivationStatus, ChannelType, ContactType

# Descriptions several results share.
_SENDER: Final = "Free text naming who or what started the engagement."
_SUBJECT: Final = "Subject line sent to voice and email channels, which are treated as private."
_CONTENT: Final = "Message body sent to voice and email channels, which are treated as private."
_PUBLIC_SUBJECT: Final = "Subject line sent to SMS channels, which are not treated as private."
_PUBLIC_CONTENT: Final = "Message body sent to SMS channels, which are not treated as private."
_INCIDENT_ID: Final = "Identifier of the incident the engagement belongs to, if any."
_CONTACT_ARN: Final = "ARN of the contact."
_PAGES: Final = "The pages on this page of results, newest first."
#: ``NextToken`` of a list result.
_NextToken = Annotated[
    PaginationToken | None,
    Field(description="Returned while items remain; send it back as NextToken for the rest."),
]


class AcceptPageResult(WireModel):
    """Output of AcceptPage (acknowledge a page, or confirm it arrived): no members."""


class ActivateContactChannelResult(WireModel):
    """Output of ActivateContactChannel (activate a channel with its code): no members."""


class CreateContactResult(WireModel):
    """Output of CreateContact (create a person, escalation plan or on-call schedule)."""

    contact_arn: SsmContactsArn = Field(description="ARN of the new contact.")


class CreateContactChannelResult(WireModel):
    """Output of CreateContactChannel (add an SMS, voice or email channel to a person)."""

    contact_channel_arn: SsmContactsArn = Field(description="ARN of the new channel.")


class CreateRotationResult(WireModel):
    """Output of CreateRotation (create an on-call rotation)."""

    rotation_arn: SsmContactsArn = Field(description="ARN of the new rotation.")


class CreateRotationOverrideResult(WireModel):
    """Output of CreateRotationOverride (put other contacts on call in a rotation for a while)."""

    rotation_override_id: Uuid = Field(
        description="Identifier (a UUID, not an ARN) of the new override."
    )


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

    contact_arn: SsmContactsArn = Field(description="ARN of the contact or plan that was engaged.")
    engagement_arn: SsmContactsArn = Field(description="ARN of the engagement.")
    sender: Sender = Field(description=_SENDER)
    subject: Subject = Field(description=_SUBJECT)
    content: Content = Field(description=_CONTENT)
    public_subject: PublicSubject | None = Field(None, description=_PUBLIC_SUBJECT)
    public_content: PublicContent | None = Field(None, description=_PUBLIC_CONTENT)
    incident_id: IncidentId | None = Field(None, description=_INCIDENT_ID)
    start_time: DateTime | None = Field(None, description="Instant the engagement began.")
    stop_time: DateTime | None = Field(
        None, description="Instant the engagement was stopped, absent while it has not been."
    )


class DescribePageResult(WireModel):
    """Output of DescribePage (read one page)."""

    page_arn: SsmContactsArn = Field(description="ARN of the page.")
    engagement_arn: SsmContactsArn = Field(description="ARN of the engagement that sent the page.")
    contact_arn: SsmContactsArn = Field(description="ARN of the personal contact the page went to.")
    sender: Sender = Field(description=_SENDER)
    subject: Subject = Field(description=_SUBJECT)
    content: Content = Field(description=_CONTENT)
    public_subject: PublicSubject | None = Field(None, description=_PUBLIC_SUBJECT)
    public_content: PublicContent | None = Field(None, description=_PUBLIC_CONTENT)
    incident_id: IncidentId | None = Field(None, description=_INCIDENT_ID)
    sent_time: DateTime | None = Field(
        None, description="Instant the page's latest message went out."
    )
    read_time: DateTime | None = Field(
        None, description="Instant the page was acknowledged, absent until then."
    )
    delivery_time: DateTime | None = Field(
        None, description="Instant the page was first reported delivered."
    )


class GetContactResult(WireModel):
    """Output of GetContact (read a contact and its plan)."""

    contact_arn: SsmContactsArn = Field(description=_CONTACT_ARN)
    alias: ContactAlias = Field(description="Unique short name of the contact.")
    display_name: ContactName | None = Field(
        None, description="Human-readable name of the contact, when it has one."
    )
    type: ContactType = Field(description="PERSONAL, ESCALATION or ONCALL_SCHEDULE.")
    plan: Plan = Field(
        description="The contact's stages, or its rotations for an on-call schedule."
    )


class GetContactChannelResult(WireModel):
    """Output of GetContactChannel (read one contact channel)."""

    contact_arn: SsmContactsArn = Field(description="ARN of the contact that owns the channel.")
    contact_channel_arn: SsmContactsArn = Field(description="ARN of the channel.")
    name: ChannelName = Field(description="Name of the channel.")
    type: ChannelType = Field(description="SMS, VOICE or EMAIL.")
    delivery_address: ContactChannelAddress = Field(
        description="Phone number or email address the channel reaches."
    )
    activation_status: ActivationStatus | None = Field(
        None, description="ACTIVATED once its code was confirmed, else NOT_ACTIVATED."
    )


class GetContactPolicyResult(WireModel):
    """Output of GetContactPolicy (read the resource policy of a contact)."""

    contact_arn: SsmContactsArn | None = Field(None, description=_CONTACT_ARN)
    policy: Policy | None = Field(
        None, description="The stored policy document, verbatim; absent when none was set."
    )


class GetRotationResult(WireModel):
    """Output of GetRotation (read a rotation)."""

    rotation_arn: SsmContactsArn = Field(description="ARN of the rotation.")
    name: RotationName = Field(description="Name of the rotation.")
    contact_ids: RotationContactsArnList = Field(
        description="ARNs of the rotation's contacts, in shift order."
    )
    start_time: DateTime = Field(description="Instant the rotation's first shift began or begins.")
    time_zone_id: TimeZoneId = Field(description="IANA time zone the hand-off times are read in.")
    recurrence: RecurrenceSettings = Field(
        description="How and when the rotation's shifts hand over."
    )


class GetRotationOverrideResult(WireModel):
    """Output of GetRotationOverride (read one override of a rotation)."""

    rotation_override_id: Uuid | None = Field(None, description="Identifier of the override.")
    rotation_arn: SsmContactsArn | None = Field(None, description="ARN of the overridden rotation.")
    new_contact_ids: SsmContactsArnList | None = Field(
        None, description="ARNs of the contacts on call during the override."
    )
    start_time: DateTime | None = Field(None, description="Instant the override takes effect.")
    end_time: DateTime | None = Field(None, description="Instant the override ends.")
    create_time: DateTime | None = Field(None, description="Instant the override was created.")


class ListContactChannelsResult(WireModel):
    """Output of ListContactChannels (list the channels of a contact)."""

    next_token: _NextToken = None
    contact_channels: ListOf[ContactChannel] = Field(description="The channels on this page.")


class ListContactsResult(WireModel):
    """Output of ListContacts (list contacts, optionally by alias prefix and type)."""

    next_token: _NextToken = None
    contacts: ListOf[Contact] | None = Field(None, description="The contacts on this page.")


class ListEngagementsResult(WireModel):
    """Output of ListEngagements (list engagements, optionally by incident and time)."""

    next_token: _NextToken = None
    engagements: ListOf[Engagement] = Field(
        description="The engagements on this page, newest first."
    )


class ListPageReceiptsResult(WireModel):
    """Output of ListPageReceipts (list what happened to a page)."""

    next_token: _NextToken = None
    receipts: ListOf[Receipt] | None = Field(
        None, description="The receipts on this page, oldest first."
    )


class ListPageResolutionsResult(WireModel):
    """Output of ListPageResolutions (show how a page's contact was reached)."""

    next_token: _NextToken = None
    page_resolutions: ListOf[ResolutionContact] = Field(
        description="Each step of the chain, the engaged contact first."
    )


class ListPagesByContactResult(WireModel):
    """Output of ListPagesByContact (list the pages a contact received)."""

    next_token: _NextToken = None
    pages: ListOf[Page] = Field(description=_PAGES)


class ListPagesByEngagementResult(WireModel):
    """Output of ListPagesByEngagement (list the pages an engagement sent)."""

    next_token: _NextToken = None
    pages: ListOf[Page] = Field(description=_PAGES)


class ListPreviewRotationShiftsResult(WireModel):
    """Output of ListPreviewRotationShifts (preview the shifts of a rotation not yet created)."""

    rotation_shifts: ListOf[RotationShift] | None = Field(
        None, description="The computed shifts, in time order."
    )
    next_token: _NextToken = None


class ListRotationOverridesResult(WireModel):
    """Output of ListRotationOverrides (list the overrides of a rotation in a time range)."""

    rotation_overrides: ListOf[RotationOverride] | None = Field(
        None, description="The overrides on this page."
    )
    next_token: _NextToken = None


class ListRotationShiftsResult(WireModel):
    """Output of ListRotationShifts (list the shifts of a rotation in a time range)."""

    rotation_shifts: ListOf[RotationShift] | None = Field(
        None, description="The shifts on this page, in time order."
    )
    next_token: _NextToken = None


class ListRotationsResult(WireModel):
    """Output of ListRotations (list rotations, optionally by name prefix)."""

    next_token: _NextToken = None
    rotations: ListOf[Rotation] = Field(description="The rotations on this page.")


class ListTagsForResourceResult(WireModel):
    """Output of ListTagsForResource (read the tags of a contact or rotation)."""

    tags: TagsList | None = Field(None, description="The resource's tags.")


class PutContactPolicyResult(WireModel):
    """Output of PutContactPolicy (set the resource policy of a contact): no members."""


class SendActivationCodeResult(WireModel):
    """Output of SendActivationCode (send a new activation code to a channel): no members."""


class StartEngagementResult(WireModel):
    """Output of StartEngagement (engage a contact, escalation plan or on-call schedule)."""

    engagement_arn: SsmContactsArn = Field(description="ARN of the new engagement.")


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


#: Each operation's result shape by operation name, in the model's order (this module's).
RESULT_MODELS: Final = shapes_by_operation(globals(), "Result")
