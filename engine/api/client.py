"""The in-process client: boto3's method names, keyword arguments, responses and errors.

``client.start_engagement(ContactId=..., ...)`` validates and runs the request against the
simulator; errors are raised as ``engine.errors`` classes, also reachable as
``client.exceptions.<Code>``. ``client.get_paginator(name)`` pages as boto3's paginators do.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable
from typing import Any, Protocol

from engine import errors
from engine.api import registry
from engine.api.paginate import Page, PageIterator
from engine.api.registry import OPERATIONS, by_python_name

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


class Client:
    """An ssm-contacts client bound to one account and region of a simulator."""

    exceptions = _Exceptions(ClientError=errors.ServiceError, **errors.ERROR_CLASSES)

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
        return Paginator(functools.partial(self.call, op.name), op.paginator)

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


@dataclasses.dataclass(frozen=True, slots=True)
class Paginator:
    """Pages a list operation as boto3's paginators do (see :mod:`engine.api.paginate`).

    ``paginate(**params, PaginationConfig={...})`` takes ``PageSize`` (sent as MaxResults),
    ``MaxItems`` and ``StartingToken``, and returns a :class:`PageIterator`.
    """

    call: Callable[[Page], Page]
    spec: registry.Paginator

    def paginate(self, **kwargs: Any) -> PageIterator:
        """Iterate over the pages of the operation's answer."""
        config = kwargs.pop("PaginationConfig", None) or {}
        return PageIterator(
            self.call,
            kwargs,
            self.spec,
            page_size=config.get("PageSize"),
            max_items=config.get("MaxItems"),
            starting_token=config.get("StartingToken"),
        )


def _implemented() -> frozenset[str]:
    from engine.service import IMPLEMENTED

    return IMPLEMENTED
