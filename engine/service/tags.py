"""Tags on contacts (all three types) and rotations."""

from __future__ import annotations

from typing import Any

from engine.errors import (
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)
from engine.service.context import Context
from engine.service.handlers import handles

__all__ = ["MAX_TAGS", "tag_map"]

MAX_TAGS = 50
TAG_QUOTA_CODE = "tags-per-resource"


def tag_map(tags: list[dict[str, str]], path: str = "Tags") -> dict[str, str]:
    """Tags as {key: value}; a tag without its Key or Value is a ValidationException.

    The AWS model leaves both members optional, but a tag is meaningless without either.
    """
    problems = [
        {
            "Name": f"{path}[{i}].{member}",
            "Message": f"Value null at '{path}[{i}].{member}' failed to satisfy constraint: "
            "Member must not be null",
        }
        for i, tag in enumerate(tags)
        for member in ("Key", "Value")
        if member not in tag
    ]
    if problems:
        raise ValidationException.for_fields(problems)
    return {tag["Key"]: tag["Value"] for tag in tags}


def _tags_of(ctx: Context, arn: str) -> dict[str, str]:
    contact_key = ctx.canonical(arn, "contact")
    if contact_key is not None and contact_key in ctx.ns.contacts:
        return ctx.ns.contacts[contact_key].tags
    rotation_key = ctx.canonical(arn, "rotation")
    if rotation_key is not None and rotation_key in ctx.ns.rotations:
        return ctx.ns.rotations[rotation_key].tags
    raise ResourceNotFoundException(
        f"Resource not found: {arn!r} names no contact or rotation in account "
        f"{ctx.ns.account}, region {ctx.ns.region}",
        arn,
        "ROTATION" if ctx.canonical(arn, "rotation") else "CONTACT",
    )


@handles("TagResource")
def tag_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """TagResource: add or overwrite tags, at most 50 on a resource."""
    tags = _tags_of(ctx, req["ResourceARN"])
    merged = {**tags, **tag_map(req["Tags"])}
    if len(merged) > MAX_TAGS:
        raise ServiceQuotaExceededException(
            f"Resource {req['ResourceARN']} would have {len(merged)} tags; at most {MAX_TAGS} "
            "are allowed",
            TAG_QUOTA_CODE,
            req["ResourceARN"],
            "TAG",
        )
    tags.update(merged)
    return {}


@handles("UntagResource")
def untag_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """UntagResource: remove the named keys; keys that are not there are ignored."""
    tags = _tags_of(ctx, req["ResourceARN"])
    for key in req["TagKeys"]:
        tags.pop(key, None)
    return {}


@handles("ListTagsForResource")
def list_tags_for_resource(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListTagsForResource: tags in the order they were first set."""
    tags = _tags_of(ctx, req["ResourceARN"])
    return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
