"""The AWS CLI's paging options, and the pages they fetch (:mod:`engine.api.paginate` pages).

``--page-size`` sets ``MaxResults`` on every call; ``--max-items`` stops after that many items
and prints a resume token, which ``--starting-token`` takes back; ``--no-paginate`` makes one
call. Asking for a page by hand (``--next-token``, ``--max-results``, or the same members in a
``--cli-input-json`` file) means "this page only", as in the AWS CLI version 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable

from engine.api.paginate import Page, PageIterator, PaginationError, merge_pages
from engine.api.registry import Operation
from engine.cli import exits

__all__ = ["PagedResult", "PaginationError", "Paging", "paginate", "paging_of"]


@dataclasses.dataclass(frozen=True, slots=True)
class Paging:
    """Whether to follow NextToken, and the paging options given."""

    enabled: bool
    page_size: int | None = None
    max_items: int | None = None
    starting_token: str | None = None


@dataclasses.dataclass
class PagedResult:
    """Every page fetched (already cut to ``--max-items``) and the token to resume from."""

    pages: list[Page]
    result_key: str
    resume_token: str | None = None

    def full_result(self) -> Page:
        """The pages' items merged into one response, with ``NextToken`` when cut short."""
        return merge_pages(self.pages, self.result_key, self.resume_token)


def paging_of(operation: Operation, parsed: argparse.Namespace, params: Page) -> Paging:
    """The paging the command line asks for. Raises CommandError (252) for paging options
    given with ``--no-paginate`` or with a page asked for by hand."""
    paginator = operation.paginator
    if paginator is None:
        return Paging(False)
    page_size = getattr(parsed, "page_size", None)
    max_items = getattr(parsed, "max_items", None)
    start = getattr(parsed, "starting_token", None)
    enabled = not parsed.no_paginate
    manual = [paginator.input_token] + ([paginator.limit_key] if paginator.limit_key else [])
    if any(member in params for member in manual):
        enabled = False
    if not enabled:
        used = [
            flag
            for flag, value in (
                ("--starting-token", start),
                ("--page-size", page_size),
                ("--max-items", max_items),
            )
            if value is not None
        ]
        if used:
            raise exits.CommandError(
                [
                    "",
                    "Cannot specify --no-paginate along with pagination arguments: "
                    + ", ".join(used),
                ],
                exits.BAD_ARGUMENTS,
            )
    if max_items is not None and max_items <= 0:
        sys.stderr.write(
            "warning: Non-positive values for --max-items may result in undefined behavior.\n"
        )
    return Paging(enabled, page_size, max_items, start)


def paginate(
    operation: Operation,
    call: Callable[[Page], Page],
    request: Page,
    paging: Paging,
) -> Page | PagedResult:
    """One call, or every page as ``paging`` says. Raises PaginationError for a bad
    ``--starting-token`` or a service that repeats its token."""
    paginator = operation.paginator
    if not paging.enabled or paginator is None:
        return call(request)
    pages = PageIterator(
        call,
        request,
        paginator,
        page_size=paging.page_size,
        max_items=paging.max_items,
        starting_token=paging.starting_token,
    )
    return PagedResult(list(pages), paginator.result_key, pages.resume_token)
