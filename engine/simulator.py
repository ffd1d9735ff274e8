"""``Simulator``: the Python entry point: a clock, a seed, settings, and an in-process AWS client.

>>> sim = Simulator(seed=0, start="2026-01-01T00:00:00Z", region="us-east-2")
>>> client = sim.client()
>>> sim.advance(300)          # five virtual minutes; everything due by then has happened

State is kept per (account, region); ``client(account=..., region=...)`` reaches another one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import simpy

from engine import __version__
from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION, make_arn, parse_arn
from engine.errors import ValidationException, field_error
from engine.knobs import Knobs
from engine.service import Service
from engine.service.context import Context
from engine.service.imports import import_resources
from engine.service.render import engagement_detail, page_summary, receipt
from engine.sim.escalation import EscalationEngine
from engine.sim.recorder import MemoryRecorder, Recorder
from engine.sim.responders import Responder
from engine.sim.rng import KeyedRandom
from engine.timeutil import UTC, epoch_seconds, parse_duration, start_instant, to_datetime

__all__ = ["DEFAULT_ACCOUNT", "DEFAULT_REGION", "Simulator"]


class Simulator:
    """A deterministic simulation of ssm-contacts: same inputs, seed and settings, same output.

    ``start`` is the instant virtual time begins (aware datetime, ISO 8601 or epoch seconds);
    without one, the wall-clock second at creation is used and recorded in :attr:`start`
    (docs/semantics.md T0). Keyword ``knobs`` are the settings of docs/semantics.md
    (``delivery_receipts="carrier"``, ``latency={"SMS": 3}``...); a bad one raises
    :class:`engine.knobs.KnobError`. ``recorder`` receives every record (default: kept in
    memory); ``retain_finished=False`` forgets each engagement once it is over and keeps no
    receipts for ListPageReceipts, for long batch runs whose records stream to a sink.
    """

    def __init__(
        self,
        seed: int = 0,
        start: dt.datetime | str | float | None = None,
        account: str = DEFAULT_ACCOUNT,
        region: str = DEFAULT_REGION,
        *,
        recorder: Recorder | None = None,
        retain_finished: bool = True,
        **knobs: Any,
    ) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an integer (got {seed!r})")
        if start is None:
            start = dt.datetime.now(UTC).replace(microsecond=0)
        self.start = start_instant(start)
        self.seed = seed
        self.account = account
        self.region = region
        self.knobs = Knobs.from_mapping(knobs)
        self.recorder = recorder if recorder is not None else MemoryRecorder()
        self._engine = EscalationEngine(
            simpy.Environment(),
            KeyedRandom(seed),
            self.knobs,
            self.recorder,
            self.start.timestamp(),
            retain_finished=retain_finished,
        )
        self.service = Service(self._engine)

    # -- clients -----------------------------------------------------------------------------

    def client(self, account: str | None = None, region: str | None = None) -> Any:
        """An in-process ssm-contacts client with boto3's method names and shapes."""
        from engine.api.client import Client

        return Client(self.service, account or self.account, region or self.region)

    # -- time --------------------------------------------------------------------------------

    @property
    def elapsed(self) -> float:
        """Virtual seconds since :attr:`start`."""
        return float(self._engine.env.now)

    @property
    def now(self) -> dt.datetime:
        """The current virtual instant (aware UTC)."""
        epoch = round(self._engine.start_epoch + self.elapsed, 3)
        return dt.datetime.fromtimestamp(epoch, UTC)

    def advance(self, seconds: float | dt.timedelta | str) -> None:
        """Run the clock forward; everything due up to and including the new instant happens."""
        try:
            delta = parse_duration(seconds)
        except ValueError as exc:
            raise field_error(
                "AdvanceSeconds", f"Value '{seconds}' at 'AdvanceSeconds': {exc}"
            ) from None
        self.service.advance_to(self.elapsed + delta)

    def advance_to(self, instant: dt.datetime | str | float) -> None:
        """Run the clock to ``instant``; going backwards is a ValidationException (T0)."""
        try:
            target = to_datetime(instant).timestamp() - self._engine.start_epoch
        except ValueError as exc:
            raise field_error("Until", f"Value '{instant}' at 'Until': {exc}") from None
        if target < self.elapsed - 1e-9:
            raise ValidationException(
                f"The clock cannot move backwards: {to_datetime(instant).isoformat()} is before "
                f"the current virtual time {self.now.isoformat()}"
            )
        self.service.advance_to(max(target, self.elapsed))

    def run(self) -> None:
        """Run until every engagement has ended or been stopped."""
        self.service.run_until_idle()

    # -- records -----------------------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        """The event log, in the order things happened (interfaces.md)."""
        return self._memory().events

    @property
    def outbox(self) -> list[dict[str, Any]]:
        """Every message sent: pages and activation codes, in send order."""
        return self._memory().outbox

    def _memory(self) -> MemoryRecorder:
        if not isinstance(self.recorder, MemoryRecorder):
            raise TypeError("this simulator streams its records; it keeps no events or outbox")
        return self.recorder

    # -- organisation and responders ---------------------------------------------------------

    def import_resources(
        self,
        contacts: list[dict[str, Any]],
        channels: list[dict[str, Any]],
        rotations: list[dict[str, Any]] | tuple[()] = (),
        overrides: list[dict[str, Any]] | tuple[()] = (),
        *,
        account: str | None = None,
        region: str | None = None,
        path: str = "organisation",
    ) -> dict[str, str]:
        """Add resources given in AWS shapes; returns {ARN given: ARN in the run}.

        Shapes as get-contact, list-contact-channels, get-rotation and get-rotation-override
        print them. Channels keep the ActivationStatus given (a simulator shortcut,
        docs/semantics.md R3). All or nothing: a ValidationException names every problem with its
        path under ``path``.
        """
        ctx = self._context("ImportResources", account, region)
        return import_resources(ctx, contacts, channels, path, rotations, overrides)

    def set_responder(
        self,
        contact: str,
        model: Responder | None,
        *,
        account: str | None = None,
        region: str | None = None,
    ) -> None:
        """How ``contact`` (alias or ARN) responds when paged from now on; None removes it."""
        ns = self.service.namespace(account or self.account, region or self.region)
        arn = contact if parse_arn(contact) else make_arn(ns.region, ns.account, "contact", contact)
        if model is None:
            self._engine.responders.pop(arn, None)
        else:
            self._engine.responders[arn] = model

    def graph(self, account: str | None = None, region: str | None = None) -> Any:
        """The contact graph of one namespace's current state (engine.graph.ContactGraph)."""
        from engine.graph import ContactGraph
        from engine.service.render import channel_summary, contact_detail
        from engine.service.rotations import rotation_summary

        ns = self.service.namespace(account or self.account, region or self.region)
        return ContactGraph.from_resources(
            [contact_detail(c) for c in ns.contacts.values()],
            [channel_summary(c) for c in ns.channels.values()],
            [rotation_summary(r) for r in ns.rotations.values()],
            [
                {
                    "RotationArn": rotation.arn,
                    "RotationOverrideId": override.id,
                    "NewContactIds": list(override.new_contact_ids),
                    "StartTime": override.start,
                    "EndTime": override.end,
                }
                for rotation in ns.rotations.values()
                for override in rotation.overrides.values()
            ],
        )

    # -- results -----------------------------------------------------------------------------

    def result(self) -> dict[str, Any]:
        """Everything the run produced, JSON-ready, times as epoch seconds."""
        engagements = []
        for (account, region), ns in self.service.namespaces.items():
            ctx = self._context("Result", account, region)
            for engagement in ns.engagements.values():
                item = _jsonable(engagement_detail(ctx, engagement))
                pages = []
                for page in engagement.pages:
                    page_item = _jsonable(page_summary(ctx, page))
                    page_item["Receipts"] = [_jsonable(receipt(ctx, r)) for r in page.receipts]
                    page_item["Resolutions"] = [
                        {
                            "ContactArn": arn,
                            "Type": kind,
                            **({"StageIndex": s} if s is not None else {}),
                        }
                        for arn, kind, s in page.resolution
                    ]
                    pages.append(page_item)
                item["Pages"] = pages
                engagements.append(item)
        return {
            "escsim": __version__,
            "seed": self.seed,
            "start": epoch_seconds(self.start),
            "end": epoch_seconds(self.now),
            "account": self.account,
            "region": self.region,
            "settings": self.knobs.as_dict(),
            "engagements": engagements,
            "outbox": self.outbox,
            "events": self.events,
        }

    def _context(self, operation: str, account: str | None, region: str | None) -> Context:
        ns = self.service.namespace(account or self.account, region or self.region)
        return Context(operation, ns, self._engine)


def _jsonable(item: dict[str, Any]) -> dict[str, Any]:
    return {k: epoch_seconds(v) if isinstance(v, dt.datetime) else v for k, v in item.items()}
