"""Following ``NextToken`` through a list operation and merging the pages, as the AWS CLI does.

``--page-size`` sets ``MaxResults`` on every call; ``--max-items`` stops after that many items
and hands out a resume token of the CLI's own (base64 JSON holding the service's token and how
many items of its page were already shown), which ``--starting-token`` takes back. Service
tokens never mix with these: a client-made token is only ever read here.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections.abc import Callable
from typing import Any

from engine.api.registry import Paginator

__all__ = ["PagedResult", "PaginationError", "decode_token", "encode_token", "paginate"]


class PaginationError(ValueError):
    """A bad ``--starting-token``, or a service that repeats its token."""


@dataclasses.dataclass
class PagedResult:
    """Every page fetched (already cut to ``--max-items``) and the token to resume from."""

    pages: list[dict[str, Any]]
    result_key: str
    resume_token: str | None = None

    def full_result(self) -> dict[str, Any]:
        """The pages' items merged into one response, with ``NextToken`` when cut short."""
        merged: dict[str, Any] = {}
        for page in self.pages:
            items = page.get(self.result_key)
            if items is None:
                continue
            if self.result_key in merged:
                merged[self.result_key].extend(items)
            else:
                merged[self.result_key] = list(items)
        if self.resume_token is not None:
            merged["NextToken"] = self.resume_token
        return merged


def encode_token(token: dict[str, Any]) -> str:
    """The CLI's opaque resume token for ``token`` (base64 of its JSON)."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def decode_token(text: str, input_token: str) -> tuple[dict[str, Any], int]:
    """The service token and the number of items to skip that a ``--starting-token`` holds.

    A token that is not one of the CLI's is read as a bare service token (optionally
    ``TOKEN___N`` with N items to skip), as the AWS CLI reads its older tokens.
    """
    try:
        decoded = json.loads(base64.b64decode(text.encode("utf-8"), validate=True).decode("utf-8"))
        if not isinstance(decoded, dict):
            raise TypeError(decoded)
        skip = decoded.pop("boto_truncate_amount", 0)
        if sorted(decoded) != [input_token] or not isinstance(skip, int):
            raise PaginationError(f"Bad starting token: {text}")
        return decoded, skip
    except (ValueError, TypeError, binascii.Error) as exc:
        if isinstance(exc, PaginationError):
            raise
    parts = text.split("___")
    skip = 0
    if len(parts) == 2:
        try:
            skip = int(parts[1])
            parts = parts[:1]
        except ValueError:
            parts = [text]
    if len(parts) > 1:
        raise PaginationError(f"Bad starting token: {text}")
    return {input_token: None if parts[0] == "None" else parts[0]}, skip


def paginate(
    call: Callable[[dict[str, Any]], dict[str, Any]],
    params: dict[str, Any],
    paginator: Paginator,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    starting_token: str | None = None,
) -> PagedResult:
    """Call ``call`` page after page until the service stops handing out tokens.

    Raises :class:`PaginationError` for a bad starting token or a service that repeats a token.
    """
    params = dict(params)
    in_key, out_key, result_key = (
        paginator.input_token,
        paginator.output_token,
        paginator.result_key,
    )
    token: dict[str, Any] = {in_key: None}
    skip = 0
    if starting_token is not None:
        token, skip = decode_token(starting_token, in_key)
        _inject(params, token)
    if page_size is not None and paginator.limit_key is not None:
        params[paginator.limit_key] = page_size
    result = PagedResult([], result_key)
    total = 0
    first = True
    previous: dict[str, Any] | None = None
    while True:
        page = dict(call(dict(params)))
        page_skip = 0
        if first and starting_token is not None:
            page_skip = skip
            items = page.get(result_key)
            if isinstance(items, list):
                page[result_key] = items[skip:]
        first = False
        items = page.get(result_key) or []
        excess = 0 if max_items is None else total + len(items) - max_items
        if excess > 0:
            keep = len(items) - excess
            page[result_key] = items[:keep]
            result.pages.append(page)
            result.resume_token = encode_token({**token, "boto_truncate_amount": keep + page_skip})
            return result
        result.pages.append(page)
        total += len(items)
        next_value = page.get(out_key) or None
        token = {in_key: next_value}
        if next_value is None:
            return result
        if max_items is not None and total == max_items:
            result.resume_token = encode_token(token)
            return result
        if previous is not None and previous == token:
            raise PaginationError(f"The same next token was received twice: {token}")
        _inject(params, token)
        previous = token


def _inject(params: dict[str, Any], token: dict[str, Any]) -> None:
    for name, value in token.items():
        if value is not None and value != "None":
            params[name] = value
        else:
            params.pop(name, None)
