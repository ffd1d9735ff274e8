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

from engine.api.paginate import Page, PagedResult, PageIterator, PaginationError
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


def paging_of(operation: Operation, parsed: argparse.Namespace, params: Page) -> Paging:
    """The paging the command line asks for. Raises CommandError (252) for paging options
    given with ``--no-paginate`` or with a page asked for by hand."""
    paginator = operation.paginator
    if paginator is None:
        return Paging(False)
    by_hand = {paginator.input_token, paginator.limit_key} & params.keys()
    paging = Paging(
        not parsed.no_paginate and not by_hand,
        getattr(parsed, "page_size", None),
        getattr(parsed, "max_items", None),
        getattr(parsed, "starting_token", None),
    )
    given = {
        "--starting-token": paging.starting_token,
        "--page-size": paging.page_size,
        "--max-items": paging.max_items,
    }
    used = [flag for flag, value in given.items() if value is not None]
    if used and not paging.enabled:
        message = "Cannot specify --no-paginate along with pagination arguments: "
        raise exits.CommandError(["", message + ", ".join(used)], exits.BAD_ARGUMENTS)
    if paging.max_items is not None and paging.max_items <= 0:
        sys.stderr.write(
            "warning: Non-positive values for --max-items may result in undefined behavior.\n"
        )
    return paging


def paginate(
    operation: Operation, call: Callable[[Page], Page], request: Page, paging: Paging
) -> Page | PagedResult:
    """One call, or every page as ``paging`` says. Raises PaginationError for a bad
    ``--starting-token`` or a service that repeats its token."""
    paginator = operation.paginator
    if not paging.enabled or paginator is None:
        return call(request)
    return PageIterator(
        call,
        request,
        paginator,
        page_size=paging.page_size,
        max_items=paging.max_items,
        starting_token=paging.starting_token,
    ).collect()
