"""Command-line names of AWS members and operations, derived as the AWS CLI derives them.

``cli_name("ContactId")`` is ``contact-id``; a trailing run of capitals with a final ``s``
(``ResourceARNs``) stays one word, and ``ResourceARN`` becomes ``resource-arn``. The rules are the
AWS CLI's (botocore's ``xform_name``), restated here so that escsim needs no botocore at run time.
"""

from __future__ import annotations

import functools
import re

__all__ = ["cli_name", "python_name"]

# A capital starting a lowercase word, after any character: "ContactId" -> "Contact-Id".
_WORD_START = re.compile(r"(.)([A-Z][a-z]+)")
# A capital right after a lowercase letter or digit: "resourceARN" -> "resource-ARN".
_CAP_AFTER_LOWER = re.compile(r"([a-z0-9])([A-Z])")
# An all-capitals plural at the end ("ARNs") is one word: "ResourceARNs" -> "Resource-arns".
_CAPITALS_PLURAL = re.compile(r"[A-Z]{2,}s$")


@functools.cache
def _transform(name: str, sep: str) -> str:
    if sep in name:
        return name
    plural = _CAPITALS_PLURAL.search(name)
    if plural is not None:
        name = f"{name[: -len(plural.group())]}{sep}{plural.group().lower()}"
    spaced = _WORD_START.sub(rf"\1{sep}\2", name)
    return _CAP_AFTER_LOWER.sub(rf"\1{sep}\2", spaced).lower()


def cli_name(member: str) -> str:
    """The kebab-case option name of an AWS member or operation name (without ``--``)."""
    return _transform(member, "-")


def python_name(member: str) -> str:
    """The snake_case name of an AWS member or operation name."""
    return _transform(member, "_")
