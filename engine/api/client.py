"""The in-process client: boto3's method names, keyword arguments, responses and errors.

``client.start_engagement(ContactId=..., ...)`` validates and runs the request against the
simulator; errors are raised as ``engine.errors`` classes, also reachable as
``client.exceptions.<Code>``. ``client.get_paginator(name)`` pages as boto3's paginators do.
"""

from __future__ import annotations

import base64
import binascii
import json
import types
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from engine import errors
from engine.api.registry import OPERATIONS, Operation, by_python_name

__all__ = ["Caller", "Client", "PageIterator", "Paginator"]


class Caller(Protocol):
    """What a client sends its requests to: ``engine.simulator.Simulator``."""

    def call(
        self,
        operation: str,
        params: object = None,
        *,
        account: str | None = None,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Run one request; raises ServiceError subclasses."""


class _Exceptions(types.SimpleNamespace):
    """``client.exceptions``: the error classes by AWS code, plus ``ClientError`` for them all."""


_EXCEPTIONS = _Exceptions(ClientError=errors.ServiceError, **errors.ERROR_CLASSES)


class Client:
    """An ssm-contacts client bound to one account and region of a simulator."""

    exceptions = _EXCEPTIONS

    def __init__(self, simulator: Caller, account: str, region: str) -> None:
        self._simulator = simulator
        self.account = account
        self.region = region

    def call(self, operation: str, params: object = None) -> dict[str, Any]:
        """Run ``operation`` (its AWS name, e.g. "StartEngagement") with ``params``."""
        return self._simulator.call(operation, params, account=self.account, region=self.region)

    def can_paginate(self, operation_name: str) -> bool:
        """Whether ``operation_name`` (python name) has a paginator."""
        op = by_python_name(operation_name)
        return op is not None and op.paginator is not None

    def get_paginator(self, operation_name: str) -> Paginator:
        """A paginator for a list operation, by its python name (``list_pages_by_engagement``)."""
        op = by_python_name(operation_name)
        if op is None or op.paginator is None:
            raise ValueError(f"Operation cannot be paginated: {operation_name}")
        return Paginator(self, op)

    def __getattr__(self, name: str) -> Callable[..., dict[str, Any]]:
        op = by_python_name(name)
        if op is None or op.name not in _implemented():
            raise AttributeError(f"'Client' object has no attribute '{name}'")

        def method(**kwargs: Any) -> dict[str, Any]:
            return self.call(op.name, kwargs)

        method.__name__ = name
        method.__doc__ = op.summary
        return method

    def __dir__(self) -> list[str]:
        names = [OPERATIONS[n].python_name for n in _implemented()]
        return sorted({*super().__dir__(), *names})


class Paginator:
    """Pages a list operation as boto3's paginators do.

    ``paginate(**params, PaginationConfig={...})`` takes ``PageSize`` (sent as MaxResults),
    ``MaxItems`` and ``StartingToken``, and returns a :class:`PageIterator`.
    """

    def __init__(self, client: Client, op: Operation) -> None:
        self._client = client
        self._op = op

    def paginate(self, **kwargs: Any) -> PageIterator:
        """Iterate over the pages of the operation's answer."""
        config = kwargs.pop("PaginationConfig", None) or {}
        return PageIterator(
            self._client,
            self._op,
            kwargs,
            page_size=config.get("PageSize"),
            max_items=config.get("MaxItems"),
            starting_token=config.get("StartingToken"),
        )


class PageIterator:
    """The pages of one paginated call; ``resume_token`` says where a MaxItems cut stopped.

    Resume tokens have botocore's form (base64 JSON with the service token and the number of
    items of that page already returned), so they resume exactly after the last item seen.
    """

    def __init__(
        self,
        client: Client,
        op: Operation,
        params: dict[str, Any],
        *,
        page_size: int | None,
        max_items: int | None,
        starting_token: str | None,
    ) -> None:
        self._client = client
        self._op = op
        self._params = dict(params)
        self._page_size = page_size
        self._max_items = max_items
        self._starting_token = starting_token
        self.resume_token: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        spec = self._op.paginator
        assert spec is not None
        params = dict(self._params)
        if self._page_size is not None and spec.limit_key:
            params[spec.limit_key] = self._page_size
        token, skip = _decode_resume(self._starting_token, spec.input_token)
        seen = 0
        while True:
            if token is not None:
                params[spec.input_token] = token
            page = self._client.call(self._op.name, params)
            items = list(page.get(spec.result_key, []))[skip:]
            offset_in_page, skip = skip, 0
            page = {**page, spec.result_key: items}
            if self._max_items is not None and seen + len(items) > self._max_items:
                keep = self._max_items - seen
                page[spec.result_key] = items[:keep]
                self.resume_token = _encode_resume(spec.input_token, token, offset_in_page + keep)
                yield page
                return
            seen += len(items)
            yield page
            next_token = page.get(spec.output_token)
            if not next_token:
                return
            if self._max_items is not None and seen == self._max_items:
                self.resume_token = _encode_resume(spec.input_token, next_token, 0)
                return
            token = next_token

    def build_full_result(self) -> dict[str, Any]:
        """All pages merged into one answer; ``NextToken`` is the resume token after a cut."""
        spec = self._op.paginator
        assert spec is not None
        merged: dict[str, Any] = {spec.result_key: []}
        for page in self:
            merged[spec.result_key].extend(page.get(spec.result_key, []))
            for key, value in page.items():
                if key not in (spec.result_key, spec.output_token):
                    merged[key] = value
        if self.resume_token is not None:
            merged["NextToken"] = self.resume_token
        return merged


def _encode_resume(input_token: str, token: str | None, truncate: int) -> str:
    body: dict[str, Any] = {input_token: token}
    if truncate:
        body["boto_truncate_amount"] = truncate
    return base64.b64encode(json.dumps(body).encode()).decode()


def _decode_resume(starting: str | None, input_token: str) -> tuple[str | None, int]:
    """(service token, items of its page to skip) from a starting token.

    A plain service token (not one of our resume tokens) starts at the beginning of its page.
    """
    if starting is None:
        return None, 0
    try:
        body = json.loads(base64.b64decode(starting, validate=True))
    except (ValueError, binascii.Error):
        return starting, 0
    if not isinstance(body, dict) or input_token not in body:
        return starting, 0
    skip = body.get("boto_truncate_amount", 0)
    return body[input_token], skip if isinstance(skip, int) and skip > 0 else 0


def _implemented() -> frozenset[str]:
    from engine.service import IMPLEMENTED

    return IMPLEMENTED
