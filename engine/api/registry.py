"""The operation registry: every ssm-contacts operation with its names, shapes, errors and docs.

One ``Operation`` per AWS operation, shared by the in-process client (``python_name``), the
command line (``cli_name``), the HTTP endpoint (``name``, the ``X-Amz-Target`` suffix) and
scenario files. Names, required members, error codes, paginators and the auto-filled idempotency
token follow the botocore model (``tests/unit/api/test_registry.py`` checks them against it); the
summaries here and the member descriptions (``Field(description=...)`` on the request and result
shapes, which help, skeletons and the JSON Schema of the shapes all read) are escsim's own.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, NamedTuple

from engine.model.base import WireModel, model_members
from engine.model.requests import REQUEST_MODELS
from engine.model.results import RESULT_MODELS

__all__ = [
    "OPERATIONS",
    "Operation",
    "Paginator",
    "by_cli_name",
    "by_python_name",
    "cli_name",
    "python_name",
]


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

    ``docs`` and ``output_docs`` map every input and output member to one sentence, the
    description on its field; they are read-only mappings. ``errors`` lists the error codes the
    model allows, in its order. ``read_only`` operations (Get, List, Describe) change nothing,
    so nothing journals them.
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


# Error codes, as the model names them.
ACCESS_DENIED: Final = "AccessDeniedException"
CONFLICT: Final = "ConflictException"
DATA_ENCRYPTION: Final = "DataEncryptionException"
INTERNAL: Final = "InternalServerException"
NOT_FOUND: Final = "ResourceNotFoundException"
QUOTA: Final = "ServiceQuotaExceededException"
THROTTLING: Final = "ThrottlingException"
VALIDATION: Final = "ValidationException"

# The error lists several operations share, in the model's order.
_USUAL: Final = (ACCESS_DENIED, INTERNAL, NOT_FOUND, THROTTLING, VALIDATION)
_ENCRYPTED: Final = (ACCESS_DENIED, DATA_ENCRYPTION, INTERNAL, NOT_FOUND, THROTTLING, VALIDATION)
_USUAL_CONFLICT: Final = (ACCESS_DENIED, CONFLICT, INTERNAL, NOT_FOUND, THROTTLING, VALIDATION)
_USUAL_QUOTA: Final = (ACCESS_DENIED, INTERNAL, NOT_FOUND, QUOTA, THROTTLING, VALIDATION)
_NO_RESOURCE: Final = (ACCESS_DENIED, INTERNAL, THROTTLING, VALIDATION)  # nothing to be found
_TAGGING: Final = (ACCESS_DENIED, THROTTLING, NOT_FOUND, VALIDATION, INTERNAL)


# A capital starting a lowercase word, after any character: "ContactId" -> "Contact-Id".
_WORD_START = re.compile(r"(.)([A-Z][a-z]+)")
# A capital right after a lowercase letter or digit: "resourceARN" -> "resource-ARN".
_CAP_AFTER_LOWER = re.compile(r"([a-z0-9])([A-Z])")
# An all-capitals plural at the end ("ARNs") is one word: "ResourceARNs" -> "Resource-arns".
_CAPITALS_PLURAL = re.compile(r"[A-Z]{2,}s$")


@functools.cache
def _transform(name: str, sep: str) -> str:
    # botocore's xform_name, restated so that escsim needs no botocore at run time.
    if sep in name:
        return name
    plural = _CAPITALS_PLURAL.search(name)
    if plural is not None:
        name = f"{name[: -len(plural.group())]}{sep}{plural.group().lower()}"
    spaced = _WORD_START.sub(rf"\1{sep}\2", name)
    return _CAP_AFTER_LOWER.sub(rf"\1{sep}\2", spaced).lower()


def cli_name(member: str) -> str:
    """The AWS CLI's kebab-case name of a member or operation: ``ResourceARNs`` ->
    ``resource-arns``."""
    return _transform(member, "-")


def python_name(member: str) -> str:
    """boto3's snake_case name of a member or operation: ``ContactId`` -> ``contact_id``."""
    return _transform(member, "_")


def _paginator(request: type[WireModel], result: type[WireModel]) -> Paginator | None:
    """A list operation (NextToken in and out) pages over the other member of its result."""
    inputs, outputs = model_members(request), model_members(result)
    if "NextToken" not in inputs or "NextToken" not in outputs:
        return None
    (result_key,) = (member for member in outputs if member != "NextToken")
    limit_key = "MaxResults" if "MaxResults" in inputs else None
    return Paginator("NextToken", "NextToken", result_key, limit_key)


def _docs(model: type[WireModel]) -> Mapping[str, str]:
    """Each member's description, as its field gives it."""
    return types.MappingProxyType(
        {field.alias or name: field.description or "" for name, field in model.model_fields.items()}
    )


class _Entry(NamedTuple):
    """What the registry says of an operation beyond its shapes: its errors and a summary."""

    errors: tuple[str, ...]
    summary: str


def _operation(name: str, entry: _Entry) -> Operation:
    request_model = REQUEST_MODELS[name]
    result_model = RESULT_MODELS[name]
    required = tuple(
        field.alias or field_name
        for field_name, field in request_model.model_fields.items()
        if field.is_required()
    )
    return Operation(
        name=name,
        python_name=python_name(name),
        cli_name=cli_name(name),
        request_model=request_model,
        result_model=result_model,
        input_members=model_members(request_model),
        required=required,
        output_members=model_members(result_model),
        errors=entry.errors,
        read_only=name.startswith(("Get", "List", "Describe")),
        paginator=_paginator(request_model, result_model),
        idempotency_member="IdempotencyToken" if name in _AUTO_TOKEN else None,
        summary=entry.summary,
        docs=_docs(request_model),
        output_docs=_docs(result_model),
    )


# Every operation, in the model's order: the errors it may answer, and what it does.
_TABLE: Final[dict[str, _Entry]] = {
    "AcceptPage": _Entry(_USUAL, "Records that a paged contact received or acknowledged a page."),
    "ActivateContactChannel": _Entry(
        _USUAL, "Activates a contact channel by confirming the code that was sent to it."
    ),
    "CreateContact": _Entry(
        (ACCESS_DENIED, CONFLICT, INTERNAL, QUOTA, THROTTLING, VALIDATION, DATA_ENCRYPTION),
        "Creates a personal contact, an escalation plan or an on-call schedule.",
    ),
    "CreateContactChannel": _Entry(
        (ACCESS_DENIED, CONFLICT, DATA_ENCRYPTION, INTERNAL, THROTTLING, VALIDATION),
        "Adds an SMS, voice or email channel to a personal contact.",
    ),
    "CreateRotation": _Entry(
        _USUAL_QUOTA, "Creates an on-call rotation whose contacts take turns in shifts."
    ),
    "CreateRotationOverride": _Entry(
        _USUAL_QUOTA, "Puts other contacts on call in a rotation for a stretch of time."
    ),
    "DeactivateContactChannel": _Entry(
        _USUAL, "Stops paging a contact channel until it is activated again."
    ),
    "DeleteContact": _Entry(
        (ACCESS_DENIED, INTERNAL, NOT_FOUND, THROTTLING, CONFLICT, VALIDATION),
        "Deletes a contact; plans that name it keep the reference, which is then skipped.",
    ),
    "DeleteContactChannel": _Entry(
        _USUAL, "Deletes a contact channel; stages that name it skip it from then on."
    ),
    "DeleteRotation": _Entry(
        _USUAL_CONFLICT,
        "Deletes a rotation and removes it from every on-call schedule that lists it.",
    ),
    "DeleteRotationOverride": _Entry(
        _USUAL, "Removes an override so that the rotation's regular contacts are back on call."
    ),
    "DescribeEngagement": _Entry(
        _ENCRYPTED,
        "Returns one engagement: whom it engaged, its texts and when it started and stopped.",
    ),
    "DescribePage": _Entry(
        _ENCRYPTED, "Returns one page: its engagement, contact, texts and delivery times."
    ),
    "GetContact": _Entry(
        (*_USUAL, DATA_ENCRYPTION), "Returns a contact with its type and its whole plan."
    ),
    "GetContactChannel": _Entry(
        _ENCRYPTED, "Returns one contact channel with its address and activation state."
    ),
    "GetContactPolicy": _Entry(_USUAL, "Returns the resource policy stored for a contact."),
    "GetRotation": _Entry(_USUAL, "Returns a rotation's members, start, time zone and recurrence."),
    "GetRotationOverride": _Entry(_USUAL, "Returns one override of a rotation."),
    "ListContactChannels": _Entry(_ENCRYPTED, "Lists the channels of a personal contact."),
    "ListContacts": _Entry(
        _NO_RESOURCE, "Lists contacts by alias, optionally only those of one type or alias prefix."
    ),
    "ListEngagements": _Entry(
        _NO_RESOURCE,
        "Lists engagements, optionally of one incident or started within a time range.",
    ),
    "ListPageReceipts": _Entry(
        _USUAL, "Lists the receipts of a page: sent, delivered, read, failed or stopped."
    ),
    "ListPageResolutions": _Entry(
        _USUAL, "Shows the chain from the engaged contact down to the person a page reached."
    ),
    "ListPagesByContact": _Entry(_USUAL, "Lists the pages a personal contact has received."),
    "ListPagesByEngagement": _Entry(_USUAL, "Lists the pages an engagement has sent."),
    "ListPreviewRotationShifts": _Entry(
        _NO_RESOURCE, "Computes the shifts a rotation would have, without creating it."
    ),
    "ListRotationOverrides": _Entry(
        _USUAL, "Lists the overrides of a rotation that fall within a time range."
    ),
    "ListRotationShifts": _Entry(
        _USUAL_CONFLICT, "Lists the shifts of a rotation, overrides applied, within a time range."
    ),
    "ListRotations": _Entry(
        _USUAL, "Lists rotations, optionally only those whose name starts with a prefix."
    ),
    "ListTagsForResource": _Entry(_TAGGING, "Returns the tags attached to a contact or rotation."),
    "PutContactPolicy": _Entry(
        (ACCESS_DENIED, CONFLICT, VALIDATION, NOT_FOUND, THROTTLING, INTERNAL),
        "Stores a resource policy for a contact, replacing any earlier one.",
    ),
    "SendActivationCode": _Entry(
        (ACCESS_DENIED, DATA_ENCRYPTION, INTERNAL, NOT_FOUND, QUOTA, THROTTLING, VALIDATION),
        "Sends a channel a new code with which it can be activated.",
    ),
    "StartEngagement": _Entry(
        _ENCRYPTED,
        "Engages a contact, escalation plan or on-call schedule and starts paging at once.",
    ),
    "StopEngagement": _Entry(
        (ACCESS_DENIED, VALIDATION, NOT_FOUND, THROTTLING, INTERNAL),
        "Stops an engagement: nothing more is sent and open pages are closed.",
    ),
    "TagResource": _Entry(
        (ACCESS_DENIED, THROTTLING, NOT_FOUND, INTERNAL, QUOTA, VALIDATION),
        "Attaches tags to a contact or rotation, replacing values of keys it already has.",
    ),
    "UntagResource": _Entry(_TAGGING, "Removes tags from a contact or rotation by key."),
    "UpdateContact": _Entry(
        (*_USUAL_QUOTA, DATA_ENCRYPTION), "Changes a contact's display name, its plan, or both."
    ),
    "UpdateContactChannel": _Entry(
        (ACCESS_DENIED, CONFLICT, DATA_ENCRYPTION, INTERNAL, NOT_FOUND, THROTTLING, VALIDATION),
        "Changes a contact channel's name, its address, or both.",
    ),
    "UpdateRotation": _Entry(
        _USUAL_CONFLICT, "Changes a rotation's contacts, start, time zone or recurrence."
    ),
}
# The operations whose IdempotencyToken SDKs fill in when it is not given.
_AUTO_TOKEN: Final = frozenset({"CreateContact", "CreateContactChannel", "StartEngagement"})

_ALL: Final = tuple(_operation(name, entry) for name, entry in _TABLE.items())

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
