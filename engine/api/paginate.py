"""Following ``NextToken`` through a list operation, as botocore's paginators do.

:class:`PageIterator` calls the operation page after page: ``page_size`` is sent as the limit
member, ``max_items`` stops after that many items and leaves a resume token, ``starting_token``
takes one back. A resume token is botocore's: base64 of JSON holding the service's token and
how many items of its page were already returned (``boto_truncate_amount``), so paging resumes
exactly after the last item seen. A starting token that is not one of these is read as the AWS
CLI reads its older tokens: a bare service token, optionally ``TOKEN___N`` with N items of its
page to skip. A service that hands out the token it was given stops the paging with
:class:`PaginationError`. The in-process client's ``get_paginator`` and the command line's
paging both go through here.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import TypeAlias

from engine.api.registry import Paginator

__all__ = [
    "Page",
    "PageIterator",
    "PagedResult",
    "PaginationError",
    "Token",
    "decode_token",
    "encode_token",
]

Page: TypeAlias = dict[str, object]
"""A list operation's request, or one page of its answer: AWS member names to values."""
Token: TypeAlias = dict[str, object]
"""The service's token by its input member (``{"NextToken": ...}``), as resume tokens hold it."""


class PaginationError(ValueError):
    """A bad starting token, or a service that repeats its token."""


def encode_token(token: Token) -> str:
    """The opaque resume token for ``token`` (base64 of its JSON)."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def decode_token(text: str, input_token: str) -> tuple[Token, int]:
    """The service token, and the number of items of its page to skip, that ``text`` holds.

    A token that is not a resume token is a bare service token (optionally ``TOKEN___N``).
    Raises PaginationError for a resume token of another operation's making.
    """
    try:
        decoded = json.loads(base64.b64decode(text.encode("utf-8"), validate=True).decode("utf-8"))
        if not isinstance(decoded, dict):
            raise TypeError(decoded)
    except (ValueError, TypeError, binascii.Error):
        return _legacy_token(text, input_token)
    skip = decoded.pop("boto_truncate_amount", 0)
    if sorted(decoded) != [input_token] or not isinstance(skip, int):
        raise PaginationError(f"Bad starting token: {text}")
    return decoded, skip


def _legacy_token(text: str, input_token: str) -> tuple[Token, int]:
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


@dataclasses.dataclass
class PageIterator:
    """The pages of one paginated call of ``call`` (params -> one page).

    Each iteration calls the operation again. Once it has stopped on ``max_items``,
    ``resume_token`` says where the next call should start (None when nothing remains).
    """

    call: Callable[[Page], Page]
    params: Page
    paginator: Paginator
    _: dataclasses.KW_ONLY
    page_size: int | None = None
    max_items: int | None = None
    starting_token: str | None = None
    resume_token: str | None = dataclasses.field(default=None, init=False)

    def __iter__(self) -> Iterator[Page]:
        spec, max_items = self.paginator, self.max_items
        in_key, result_key = spec.input_token, spec.result_key
        params = dict(self.params)
        token: Token = {in_key: None}
        skip = 0
        if self.starting_token is not None:
            token, skip = decode_token(self.starting_token, in_key)
            _inject(params, token)
        if self.page_size is not None and spec.limit_key is not None:
            params[spec.limit_key] = self.page_size
        total = 0
        previous: Token | None = None
        while True:
            page = dict(self.call(dict(params)))
            found = page.get(result_key)
            items: list[object] = found[skip:] if isinstance(found, list) else []
            if isinstance(found, list):
                page[result_key] = items
            excess = 0 if max_items is None else total + len(items) - max_items
            if excess > 0:
                keep = len(items) - excess
                page[result_key] = items[:keep]
                self.resume_token = encode_token({**token, "boto_truncate_amount": keep + skip})
                yield page
                return
            skip = 0
            total += len(items)
            yield page
            token = {in_key: page.get(spec.output_token) or None}
            if token[in_key] is None:
                return
            if max_items is not None and total == max_items:
                self.resume_token = encode_token(token)
                return
            if token == previous:
                raise PaginationError(f"The same next token was received twice: {token}")
            _inject(params, token)
            previous = token

    def collect(self) -> PagedResult:
        """Every page, and the resume token when ``max_items`` cut them short."""
        pages = list(self)
        return PagedResult(pages, self.paginator.result_key, self.resume_token)

    def build_full_result(self) -> Page:
        """Every page merged into one answer (:meth:`PagedResult.full_result`)."""
        return self.collect().full_result()


@dataclasses.dataclass
class PagedResult:
    """The pages of a paginated call (cut to ``max_items``) and the token to resume from."""

    pages: list[Page]
    result_key: str
    resume_token: str | None = None

    def full_result(self) -> Page:
        """The pages' items in one answer, with ``NextToken`` (the resume token) when cut short.

        As botocore's ``build_full_result``: the result key is there when a page had it.
        """
        key = self.result_key
        lists = [items for page in self.pages if isinstance(items := page.get(key), list)]
        merged: Page = {key: [item for items in lists for item in items]} if lists else {}
        if self.resume_token is not None:
            merged["NextToken"] = self.resume_token
        return merged


def _inject(params: Page, token: Token) -> None:
    for name, value in token.items():
        if value is not None and value != "None":
            params[name] = value
        else:
            params.pop(name, None)
