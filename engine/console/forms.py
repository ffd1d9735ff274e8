"""Reading the console's form posts: URL-encoded fields, bounded, with errors naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qsl

#: A form post larger than this is refused: the largest form (start an engagement) is far smaller.
MAX_FORM_BYTES: Final = 64 * 1024


class FormError(Exception):
    """A field missing or wrong: the sentence names the field and the value."""


def parse_form(body: bytes, content_type: str) -> dict[str, str]:
    """The fields of an ``application/x-www-form-urlencoded`` body (the last value of a name)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise FormError(
            f"Console forms are posted as application/x-www-form-urlencoded, not {media!r}"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise FormError("The form is not UTF-8 text") from None
    return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=False))


def required(fields: Mapping[str, str], name: str) -> str:
    """The non-empty value of field ``name``."""
    value = fields.get(name, "").strip()
    if not value:
        raise FormError(f"The field '{name}' is required")
    return value


def optional(fields: Mapping[str, str], name: str) -> str | None:
    """The value of field ``name``, None when empty or absent."""
    value = fields.get(name, "").strip()
    return value or None


def choice(fields: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """The value of field ``name``, one of ``allowed``."""
    value = required(fields, name)
    if value not in allowed:
        raise FormError(f"The field '{name}' is {value!r}; expected one of {', '.join(allowed)}")
    return value
