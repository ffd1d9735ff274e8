"""Tags on contacts (all three types) and rotations."""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import (
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)
from engine.model import requests as rq
from engine.model.common import Tag
from engine.model.messages import field_problem, must_not_be_null, violation
from engine.service.context import Context
from engine.service.handlers import Answer, handles

MAX_TAGS = 50
TAG_QUOTA_CODE = "tags-per-resource"


def tag_map(tags: Sequence[Tag]) -> dict[str, str]:
    """Tags as {key: value}; a tag without its Key or Value (both optional in the model) is a
    ValidationException."""
    missing = [
        f"Tags[{i}].{member}"
        for i, tag in enumerate(tags)
        for member, value in (("Key", tag.key), ("Value", tag.value))
        if value is None
    ]
    problems = [field_problem(m, violation(None, m, must_not_be_null())) for m in missing]
    if problems:
        raise ValidationException.for_fields(problems)
    return {str(tag.key): str(tag.value) for tag in tags}


def _tags_of(ctx: Context, arn: str) -> dict[str, str]:
    for kind, table in (("contact", ctx.ns.contacts), ("rotation", ctx.ns.rotations)):
        key = ctx.canonical(arn, kind)
        if key is not None and key in table:
            return ctx.ns.tags.setdefault(key, {})
    raise ResourceNotFoundException(
        f"Resource not found: {arn!r} names no contact or rotation in account "
        f"{ctx.ns.account}, region {ctx.ns.region}",
        arn,
        "ROTATION" if ctx.canonical(arn, "rotation") else "CONTACT",
    )


@handles("TagResource")
def tag_resource(ctx: Context, req: rq.TagResourceRequest) -> Answer:
    """TagResource: add or overwrite tags, at most 50 on a resource."""
    tags = _tags_of(ctx, req.resource_arn)
    merged = {**tags, **tag_map(req.tags)}
    if len(merged) > MAX_TAGS:
        raise ServiceQuotaExceededException(
            f"Resource {req.resource_arn} would have {len(merged)} tags; at most {MAX_TAGS} "
            "are allowed",
            TAG_QUOTA_CODE,
            req.resource_arn,
            "TAG",
        )
    tags.update(merged)
    return {}


@handles("UntagResource")
def untag_resource(ctx: Context, req: rq.UntagResourceRequest) -> Answer:
    """UntagResource: remove the named keys; keys that are not there are ignored."""
    tags = _tags_of(ctx, req.resource_arn)
    for key in req.tag_keys:
        tags.pop(key, None)
    return {}


@handles("ListTagsForResource")
def list_tags_for_resource(ctx: Context, req: rq.ListTagsForResourceRequest) -> Answer:
    """ListTagsForResource: tags in the order they were first set."""
    tags = _tags_of(ctx, req.resource_arn)
    return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
