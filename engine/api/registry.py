"""The operation registry: every ssm-contacts operation with its names, shapes, errors and docs.

One ``Operation`` per AWS operation, shared by the in-process client (``python_name``), the
command line (``cli_name``), the HTTP endpoint (``name``, the ``X-Amz-Target`` suffix) and
scenario files. Names, required members, error codes, paginators and the auto-filled idempotency
token follow the botocore model (``tests/unit/test_registry.py`` checks them against it); the
summaries and member descriptions are escsim's own.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from engine.model.base import WireModel, model_members
from engine.model.requests import REQUEST_MODELS
from engine.model.results import RESULT_MODELS

__all__ = ["OPERATIONS", "Operation", "Paginator", "by_cli_name", "by_python_name"]


@dataclass(frozen=True, slots=True)
class Paginator:
    """How a list operation pages: which members carry the token, the items and the page size."""

    input_token: str
    output_token: str
    result_key: str
    limit_key: str | None


@dataclass(frozen=True, slots=True)
class Operation:
    """One ssm-contacts operation and everything a front end needs to expose it.

    ``docs`` and ``output_docs`` map every input and output member to one sentence; they are
    read-only mappings. ``errors`` lists the error codes the model allows, in its order.
    ``read_only`` operations (Get, List, Describe) change nothing, so nothing journals them.
    """

    name: str
    python_name: str
    cli_name: str
    request_model: type[WireModel]
    result_model: type[WireModel]
    input_members: tuple[str, ...]
    required: tuple[str, ...]
    output_members: tuple[str, ...]
    errors: tuple[str, ...]
    read_only: bool
    paginator: Paginator | None
    idempotency_member: str | None
    summary: str
    docs: Mapping[str, str]
    output_docs: Mapping[str, str]


AD: Final = "AccessDeniedException"
C: Final = "ConflictException"
DE: Final = "DataEncryptionException"
IS: Final = "InternalServerException"
RNF: Final = "ResourceNotFoundException"
SQ: Final = "ServiceQuotaExceededException"
T: Final = "ThrottlingException"
V: Final = "ValidationException"

# Descriptions several operations share.
_NEXT_TOKEN_IN: Final = "The token a previous page returned, to continue listing where it stopped."
_MAX_RESULTS_IN: Final = "How many items one page may hold at most (0 to 1024)."
_NEXT_TOKEN_OUT: Final = "Returned while items remain; send it back as NextToken for the rest."
_TOKEN_AUTO: Final = (
    "A caller-chosen key under which a repeated identical call returns the first result "
    "instead of acting again; SDKs and the CLI generate one when it is left out."
)
_TOKEN_MANUAL: Final = (
    "A caller-chosen key under which a repeated identical call returns the first result "
    "instead of acting again; nothing is generated when it is left out."
)
_TAGS_IN: Final = "Key-value labels (up to 50) to attach to the new resource."
_SUBJECT: Final = "Subject line sent to voice and email channels, which are treated as private."
_CONTENT: Final = "Message body sent to voice and email channels, which are treated as private."
_PUBLIC_SUBJECT: Final = "Subject line sent to SMS channels, which are not treated as private."
_PUBLIC_CONTENT: Final = "Message body sent to SMS channels, which are not treated as private."
_SENDER: Final = "Free text naming who or what started the engagement."
_INCIDENT_ID: Final = "Identifier of the incident the engagement belongs to, if any."
_TIME_ZONE_IN: Final = "IANA time zone, such as Europe/Berlin, in which hand-off times are read."
_RECURRENCE_IN: Final = (
    "When shifts hand over (daily, weekly or monthly times), how many contacts are on call "
    "at once, how many periods a shift lasts, and optional coverage windows."
)
_CHANNEL_ID_IN: Final = "ARN of the contact channel concerned."


def _python_name(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _cli_name(name: str) -> str:
    return _python_name(name).replace("_", "-")


def _paged(result_key: str, *, limit: bool = True) -> Paginator:
    return Paginator("NextToken", "NextToken", result_key, "MaxResults" if limit else None)


def _operation(
    name: str,
    summary: str,
    errors: tuple[str, ...],
    docs: dict[str, str],
    output_docs: dict[str, str] | None = None,
    *,
    paginator: Paginator | None = None,
    idempotency_member: str | None = None,
) -> Operation:
    request_model = REQUEST_MODELS[name]
    result_model = RESULT_MODELS[name]
    required = tuple(
        field.alias or field_name
        for field_name, field in request_model.model_fields.items()
        if field.is_required()
    )
    return Operation(
        name=name,
        python_name=_python_name(name),
        cli_name=_cli_name(name),
        request_model=request_model,
        result_model=result_model,
        input_members=model_members(request_model),
        required=required,
        output_members=model_members(result_model),
        errors=errors,
        read_only=name.startswith(("Get", "List", "Describe")),
        paginator=paginator,
        idempotency_member=idempotency_member,
        summary=summary,
        docs=types.MappingProxyType(docs),
        output_docs=types.MappingProxyType(output_docs or {}),
    )


_ALL: Final = (
    _operation(
        "AcceptPage",
        "Records that a paged contact received or acknowledged a page.",
        (AD, IS, RNF, T, V),
        {
            "PageId": "ARN of the page being answered.",
            "ContactChannelId": "ARN of the channel the answer came through, if known.",
            "AcceptType": "READ acknowledges the page; DELIVERED only confirms it arrived.",
            "Note": "Free text kept with the receipt this call records.",
            "AcceptCode": "The 6- to 10-digit code that came with the page.",
            "AcceptCodeValidation": (
                "ENFORCE rejects a code that differs from the page's; IGNORE, the default, "
                "accepts any code."
            ),
        },
    ),
    _operation(
        "ActivateContactChannel",
        "Activates a contact channel by confirming the code that was sent to it.",
        (AD, IS, RNF, T, V),
        {
            "ContactChannelId": "ARN of the channel to activate.",
            "ActivationCode": "The 6- to 10-digit code the channel received.",
        },
    ),
    _operation(
        "CreateContact",
        "Creates a personal contact, an escalation plan or an on-call schedule.",
        (AD, C, IS, SQ, T, V, DE),
        {
            "Alias": "Unique short name (lowercase letters, digits, _ and -) that ends the ARN.",
            "DisplayName": "Human-readable name shown for the contact.",
            "Type": "PERSONAL for a person, ESCALATION for a plan, ONCALL_SCHEDULE for rotations.",
            "Plan": (
                "Channel stages for a person, contact stages for an escalation plan, or the "
                "rotation ARNs of an on-call schedule."
            ),
            "Tags": _TAGS_IN,
            "IdempotencyToken": _TOKEN_AUTO,
        },
        {"ContactArn": "ARN of the new contact."},
        idempotency_member="IdempotencyToken",
    ),
    _operation(
        "CreateContactChannel",
        "Adds an SMS, voice or email channel to a personal contact.",
        (AD, C, DE, IS, T, V),
        {
            "ContactId": "ARN of the personal contact that owns the channel.",
            "Name": "Name of the channel, unique enough for people to tell channels apart.",
            "Type": "SMS, VOICE or EMAIL.",
            "DeliveryAddress": "Phone number (with + and country code) or email address to reach.",
            "DeferActivation": "When true, no activation code is sent until one is asked for.",
            "IdempotencyToken": _TOKEN_AUTO,
        },
        {"ContactChannelArn": "ARN of the new channel."},
        idempotency_member="IdempotencyToken",
    ),
    _operation(
        "CreateRotation",
        "Creates an on-call rotation whose contacts take turns in shifts.",
        (AD, IS, RNF, SQ, T, V),
        {
            "Name": "Name of the rotation.",
            "ContactIds": "ARNs of the personal contacts on the rotation, in their shift order.",
            "StartTime": "Instant the rotation's first shift begins; the call's time when absent.",
            "TimeZoneId": _TIME_ZONE_IN,
            "Recurrence": _RECURRENCE_IN,
            "Tags": _TAGS_IN,
            "IdempotencyToken": _TOKEN_MANUAL,
        },
        {"RotationArn": "ARN of the new rotation."},
    ),
    _operation(
        "CreateRotationOverride",
        "Puts other contacts on call in a rotation for a stretch of time.",
        (AD, IS, RNF, SQ, T, V),
        {
            "RotationId": "ARN of the rotation to override.",
            "NewContactIds": "ARNs of the contacts on call instead; an empty list leaves nobody.",
            "StartTime": "Instant the override takes effect.",
            "EndTime": "Instant the regular contacts take over again.",
            "IdempotencyToken": _TOKEN_MANUAL,
        },
        {"RotationOverrideId": "Identifier (a UUID, not an ARN) of the new override."},
    ),
    _operation(
        "DeactivateContactChannel",
        "Stops paging a contact channel until it is activated again.",
        (AD, IS, RNF, T, V),
        {"ContactChannelId": "ARN of the channel to deactivate."},
    ),
    _operation(
        "DeleteContact",
        "Deletes a contact; plans that name it keep the reference, which is then skipped.",
        (AD, IS, RNF, T, C, V),
        {"ContactId": "ARN of the contact to delete."},
    ),
    _operation(
        "DeleteContactChannel",
        "Deletes a contact channel; stages that name it skip it from then on.",
        (AD, IS, RNF, T, V),
        {"ContactChannelId": "ARN of the channel to delete."},
    ),
    _operation(
        "DeleteRotation",
        "Deletes a rotation and removes it from every on-call schedule that lists it.",
        (AD, C, IS, RNF, T, V),
        {"RotationId": "ARN of the rotation to delete."},
    ),
    _operation(
        "DeleteRotationOverride",
        "Removes an override so that the rotation's regular contacts are back on call.",
        (AD, IS, RNF, T, V),
        {
            "RotationId": "ARN of the rotation the override belongs to.",
            "RotationOverrideId": "Identifier of the override to remove.",
        },
    ),
    _operation(
        "DescribeEngagement",
        "Returns one engagement: whom it engaged, its texts and when it started and stopped.",
        (AD, DE, IS, RNF, T, V),
        {"EngagementId": "ARN of the engagement to read."},
        {
            "ContactArn": "ARN of the contact or plan that was engaged.",
            "EngagementArn": "ARN of the engagement.",
            "Sender": _SENDER,
            "Subject": _SUBJECT,
            "Content": _CONTENT,
            "PublicSubject": _PUBLIC_SUBJECT,
            "PublicContent": _PUBLIC_CONTENT,
            "IncidentId": _INCIDENT_ID,
            "StartTime": "Instant the engagement began.",
            "StopTime": "Instant the engagement was stopped, absent while it has not been.",
        },
    ),
    _operation(
        "DescribePage",
        "Returns one page: its engagement, contact, texts and delivery times.",
        (AD, DE, IS, RNF, T, V),
        {"PageId": "ARN of the page to read."},
        {
            "PageArn": "ARN of the page.",
            "EngagementArn": "ARN of the engagement that sent the page.",
            "ContactArn": "ARN of the personal contact the page went to.",
            "Sender": _SENDER,
            "Subject": _SUBJECT,
            "Content": _CONTENT,
            "PublicSubject": _PUBLIC_SUBJECT,
            "PublicContent": _PUBLIC_CONTENT,
            "IncidentId": _INCIDENT_ID,
            "SentTime": "Instant the page's latest message went out.",
            "ReadTime": "Instant the page was acknowledged, absent until then.",
            "DeliveryTime": "Instant the page was first reported delivered.",
        },
    ),
    _operation(
        "GetContact",
        "Returns a contact with its type and its whole plan.",
        (AD, IS, RNF, T, V, DE),
        {"ContactId": "ARN of the contact to read."},
        {
            "ContactArn": "ARN of the contact.",
            "Alias": "Unique short name of the contact.",
            "DisplayName": "Human-readable name of the contact, when it has one.",
            "Type": "PERSONAL, ESCALATION or ONCALL_SCHEDULE.",
            "Plan": "The contact's stages, or its rotations for an on-call schedule.",
        },
    ),
    _operation(
        "GetContactChannel",
        "Returns one contact channel with its address and activation state.",
        (AD, DE, IS, RNF, T, V),
        {"ContactChannelId": "ARN of the channel to read."},
        {
            "ContactArn": "ARN of the contact that owns the channel.",
            "ContactChannelArn": "ARN of the channel.",
            "Name": "Name of the channel.",
            "Type": "SMS, VOICE or EMAIL.",
            "DeliveryAddress": "Phone number or email address the channel reaches.",
            "ActivationStatus": "ACTIVATED once its code was confirmed, else NOT_ACTIVATED.",
        },
    ),
    _operation(
        "GetContactPolicy",
        "Returns the resource policy stored for a contact.",
        (AD, IS, RNF, T, V),
        {"ContactArn": "ARN of the contact whose policy to read."},
        {
            "ContactArn": "ARN of the contact.",
            "Policy": "The stored policy document, verbatim; absent when none was set.",
        },
    ),
    _operation(
        "GetRotation",
        "Returns a rotation's members, start, time zone and recurrence.",
        (AD, IS, RNF, T, V),
        {"RotationId": "ARN of the rotation to read."},
        {
            "RotationArn": "ARN of the rotation.",
            "Name": "Name of the rotation.",
            "ContactIds": "ARNs of the rotation's contacts, in shift order.",
            "StartTime": "Instant the rotation's first shift began or begins.",
            "TimeZoneId": "IANA time zone the hand-off times are read in.",
            "Recurrence": "How and when the rotation's shifts hand over.",
        },
    ),
    _operation(
        "GetRotationOverride",
        "Returns one override of a rotation.",
        (AD, IS, RNF, T, V),
        {
            "RotationId": "ARN of the rotation the override belongs to.",
            "RotationOverrideId": "Identifier of the override to read.",
        },
        {
            "RotationOverrideId": "Identifier of the override.",
            "RotationArn": "ARN of the overridden rotation.",
            "NewContactIds": "ARNs of the contacts on call during the override.",
            "StartTime": "Instant the override takes effect.",
            "EndTime": "Instant the override ends.",
            "CreateTime": "Instant the override was created.",
        },
    ),
    _operation(
        "ListContactChannels",
        "Lists the channels of a personal contact.",
        (AD, DE, IS, RNF, T, V),
        {
            "ContactId": "ARN of the contact whose channels to list.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"NextToken": _NEXT_TOKEN_OUT, "ContactChannels": "The channels on this page."},
        paginator=_paged("ContactChannels"),
    ),
    _operation(
        "ListContacts",
        "Lists contacts by alias, optionally only those of one type or alias prefix.",
        (AD, IS, T, V),
        {
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
            "AliasPrefix": "Keep only contacts whose alias starts with this text.",
            "Type": "Keep only contacts of this type.",
        },
        {"NextToken": _NEXT_TOKEN_OUT, "Contacts": "The contacts on this page."},
        paginator=_paged("Contacts"),
    ),
    _operation(
        "ListEngagements",
        "Lists engagements, optionally of one incident or started within a time range.",
        (AD, IS, T, V),
        {
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
            "IncidentId": "Keep only engagements started for this incident.",
            "TimeRangeValue": "Keep only engagements that started between these two instants.",
        },
        {
            "NextToken": _NEXT_TOKEN_OUT,
            "Engagements": "The engagements on this page, newest first.",
        },
        paginator=_paged("Engagements"),
    ),
    _operation(
        "ListPageReceipts",
        "Lists the receipts of a page: sent, delivered, read, failed or stopped.",
        (AD, IS, RNF, T, V),
        {
            "PageId": "ARN of the page whose receipts to list.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"NextToken": _NEXT_TOKEN_OUT, "Receipts": "The receipts on this page, oldest first."},
        paginator=_paged("Receipts"),
    ),
    _operation(
        "ListPageResolutions",
        "Shows the chain from the engaged contact down to the person a page reached.",
        (AD, IS, RNF, T, V),
        {"NextToken": _NEXT_TOKEN_IN, "PageId": "ARN of the page whose path to show."},
        {
            "NextToken": _NEXT_TOKEN_OUT,
            "PageResolutions": "Each step of the chain, the engaged contact first.",
        },
        paginator=_paged("PageResolutions", limit=False),
    ),
    _operation(
        "ListPagesByContact",
        "Lists the pages a personal contact has received.",
        (AD, IS, RNF, T, V),
        {
            "ContactId": "ARN of the contact whose pages to list.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"NextToken": _NEXT_TOKEN_OUT, "Pages": "The pages on this page of results, newest first."},
        paginator=_paged("Pages"),
    ),
    _operation(
        "ListPagesByEngagement",
        "Lists the pages an engagement has sent.",
        (AD, IS, RNF, T, V),
        {
            "EngagementId": "ARN of the engagement whose pages to list.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"NextToken": _NEXT_TOKEN_OUT, "Pages": "The pages on this page of results, newest first."},
        paginator=_paged("Pages"),
    ),
    _operation(
        "ListPreviewRotationShifts",
        "Computes the shifts a rotation would have, without creating it.",
        (AD, IS, T, V),
        {
            "RotationStartTime": "Instant the imagined rotation starts; shifts count from it.",
            "StartTime": "Leave out shifts that end before this instant.",
            "EndTime": "Leave out shifts that start after this instant.",
            "Members": "Names of the imagined rotation's members, in shift order.",
            "TimeZoneId": _TIME_ZONE_IN,
            "Recurrence": _RECURRENCE_IN,
            "Overrides": "Imagined overrides to apply to the computed shifts.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"RotationShifts": "The computed shifts, in time order.", "NextToken": _NEXT_TOKEN_OUT},
        paginator=_paged("RotationShifts"),
    ),
    _operation(
        "ListRotationOverrides",
        "Lists the overrides of a rotation that fall within a time range.",
        (AD, IS, RNF, T, V),
        {
            "RotationId": "ARN of the rotation whose overrides to list.",
            "StartTime": "Beginning of the time range to look in.",
            "EndTime": "End of the time range to look in.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"RotationOverrides": "The overrides on this page.", "NextToken": _NEXT_TOKEN_OUT},
        paginator=_paged("RotationOverrides"),
    ),
    _operation(
        "ListRotationShifts",
        "Lists the shifts of a rotation, overrides applied, within a time range.",
        (AD, C, IS, RNF, T, V),
        {
            "RotationId": "ARN of the rotation whose shifts to list.",
            "StartTime": "Beginning of the time range; the current instant when absent.",
            "EndTime": "End of the time range.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"RotationShifts": "The shifts on this page, in time order.", "NextToken": _NEXT_TOKEN_OUT},
        paginator=_paged("RotationShifts"),
    ),
    _operation(
        "ListRotations",
        "Lists rotations, optionally only those whose name starts with a prefix.",
        (AD, IS, RNF, T, V),
        {
            "RotationNamePrefix": "Keep only rotations whose name starts with this text.",
            "NextToken": _NEXT_TOKEN_IN,
            "MaxResults": _MAX_RESULTS_IN,
        },
        {"NextToken": _NEXT_TOKEN_OUT, "Rotations": "The rotations on this page."},
        paginator=_paged("Rotations"),
    ),
    _operation(
        "ListTagsForResource",
        "Returns the tags attached to a contact or rotation.",
        (AD, T, RNF, V, IS),
        {"ResourceARN": "ARN of the contact or rotation whose tags to read."},
        {"Tags": "The resource's tags."},
    ),
    _operation(
        "PutContactPolicy",
        "Stores a resource policy for a contact, replacing any earlier one.",
        (AD, C, V, RNF, T, IS),
        {
            "ContactArn": "ARN of the contact the policy is for.",
            "Policy": "The policy document, kept verbatim.",
        },
    ),
    _operation(
        "SendActivationCode",
        "Sends a channel a new code with which it can be activated.",
        (AD, DE, IS, RNF, SQ, T, V),
        {"ContactChannelId": "ARN of the channel to send a new code to."},
    ),
    _operation(
        "StartEngagement",
        "Engages a contact, escalation plan or on-call schedule and starts paging at once.",
        (AD, DE, IS, RNF, T, V),
        {
            "ContactId": "ARN of the person, escalation plan or on-call schedule to engage.",
            "Sender": _SENDER,
            "Subject": _SUBJECT,
            "Content": _CONTENT,
            "PublicSubject": _PUBLIC_SUBJECT,
            "PublicContent": _PUBLIC_CONTENT,
            "IncidentId": _INCIDENT_ID,
            "IdempotencyToken": _TOKEN_AUTO,
        },
        {"EngagementArn": "ARN of the new engagement."},
        idempotency_member="IdempotencyToken",
    ),
    _operation(
        "StopEngagement",
        "Stops an engagement: nothing more is sent and open pages are closed.",
        (AD, V, RNF, T, IS),
        {
            "EngagementId": "ARN of the engagement to stop.",
            "Reason": "Free text saying why the engagement was stopped.",
        },
    ),
    _operation(
        "TagResource",
        "Attaches tags to a contact or rotation, replacing values of keys it already has.",
        (AD, T, RNF, IS, SQ, V),
        {
            "ResourceARN": "ARN of the contact or rotation to tag.",
            "Tags": "Key-value labels to attach.",
        },
    ),
    _operation(
        "UntagResource",
        "Removes tags from a contact or rotation by key.",
        (AD, T, RNF, V, IS),
        {
            "ResourceARN": "ARN of the contact or rotation to untag.",
            "TagKeys": "Keys of the tags to remove.",
        },
    ),
    _operation(
        "UpdateContact",
        "Changes a contact's display name, its plan, or both.",
        (AD, IS, RNF, SQ, T, V, DE),
        {
            "ContactId": "ARN of the contact to change.",
            "DisplayName": "New human-readable name; an empty string removes it.",
            "Plan": "New plan, replacing the whole of the old one.",
        },
    ),
    _operation(
        "UpdateContactChannel",
        "Changes a contact channel's name, its address, or both.",
        (AD, C, DE, IS, RNF, T, V),
        {
            "ContactChannelId": "ARN of the channel to change.",
            "Name": "New name of the channel.",
            "DeliveryAddress": "New phone number or email address to reach.",
        },
    ),
    _operation(
        "UpdateRotation",
        "Changes a rotation's contacts, start, time zone or recurrence.",
        (AD, C, IS, RNF, T, V),
        {
            "RotationId": "ARN of the rotation to change.",
            "ContactIds": "New list of the rotation's contacts, in their new shift order.",
            "StartTime": "New instant from which shifts are counted.",
            "TimeZoneId": "New IANA time zone for the hand-off times.",
            "Recurrence": "New hand-off settings, replacing the old ones whole.",
        },
    ),
)

#: Every ssm-contacts operation by its AWS name, in the model's order.
OPERATIONS: Final[dict[str, Operation]] = {op.name: op for op in _ALL}
_BY_PYTHON_NAME: Final = {op.python_name: op for op in _ALL}
_BY_CLI_NAME: Final = {op.cli_name: op for op in _ALL}


def by_python_name(name: str) -> Operation | None:
    """The operation boto3 calls ``name`` (``start_engagement``), or None if there is none."""
    return _BY_PYTHON_NAME.get(name)


def by_cli_name(name: str) -> Operation | None:
    """The operation the AWS CLI calls ``name`` (``start-engagement``), or None if there is none."""
    return _BY_CLI_NAME.get(name)
