"""The service layer: one handler per AWS operation over per-(account, region) state.

``Service`` owns the simulation clock: every request runs at the current virtual instant, after
the work due at that instant (docs/semantics.md T1c), and the work it sets going at that instant has
run before it returns (T1b).
"""

from __future__ import annotations

import simpy

from engine.errors import InternalServerException, ServiceError, ValidationException
from engine.model.validation import validate_request
from engine.service import (  # noqa: F401  (importing a module registers its handlers)
    channels,
    contacts,
    engagements,
    rotations,
    tags,
)
from engine.service.context import Context
from engine.service.handlers import HANDLERS, Answer
from engine.sim.escalation import EscalationEngine
from engine.sim.state import Namespace

__all__ = ["IMPLEMENTED", "Service"]

IMPLEMENTED: frozenset[str] = frozenset(HANDLERS)


class Service:
    """AWS operations against the simulation; front ends call :meth:`call`."""

    def __init__(self, engine: EscalationEngine) -> None:
        self.engine = engine
        self.env: simpy.Environment = engine.env
        self.namespaces: dict[tuple[str, str], Namespace] = {}

    def namespace(self, account: str, region: str) -> Namespace:
        """The state of one account and region, created empty on first use."""
        key = (account, region)
        ns = self.namespaces.get(key)
        if ns is None:
            ns = self.namespaces[key] = Namespace(account, region)
        return ns

    def call(self, operation: str, params: object, account: str, region: str) -> Answer:
        """Validate and run one request; raises ServiceError subclasses only. A rejected request
        changes nothing (X2): handlers check before they write."""
        handler = HANDLERS.get(operation)
        if handler is None:
            raise ValidationException(
                f"Operation {operation!r} is not an ssm-contacts operation escsim implements",
                "UNKNOWN_OPERATION",
            )
        request = validate_request(operation, params)
        ctx = Context(operation, self.namespace(account, region), self.engine)
        try:
            response = handler(ctx, request)
        except ServiceError:
            raise
        except Exception as exc:  # a bug: answer as AWS would, never with a traceback
            raise InternalServerException(
                f"escsim failed while handling {operation}: {type(exc).__name__}: {exc}"
            ) from exc
        self.run_due()
        return response

    # -- the clock --------------------------------------------------------------------------

    def run_due(self) -> None:
        """Run everything due at the current instant (including work that schedules more)."""
        self.engine.run_until(self.env.now)

    def advance_to(self, virtual: float) -> None:
        """Run everything due up to and including ``virtual`` seconds, and stop the clock there."""
        self.engine.run_until(max(virtual, self.env.now))

    def run_until_idle(self) -> None:
        """Run until every engagement has ended or been stopped; the clock stops at the last
        instant anything happened, not at cancelled work."""
        self.engine.run_until(float("inf"), while_open=True)
