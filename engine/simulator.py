"""``Simulator``: the Python entry point: a clock, a seed, settings, and an in-process AWS client.

>>> sim = Simulator(seed=0, start="2026-01-01T00:00:00Z", region="us-east-2")
>>> client = sim.client()
>>> sim.advance(300)          # five virtual minutes; everything due by then has happened

State is kept per (account, region); ``client(account=..., region=...)`` reaches another one.
The Simulator is the only door to the service and the escalation core: front ends call
:meth:`call`, read :meth:`state`, and copy the organisation with :meth:`fork`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import simpy

from engine import __version__, oncall
from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION, make_arn, parse_arn
from engine.domain import Engagement, Organisation
from engine.errors import ValidationException, field_error
from engine.knobs import Knobs
from engine.service import IMPLEMENTED, Service
from engine.service.context import Context
from engine.service.imports import import_resources
from engine.service.translate import engagement_detail, page_summary, receipt, resolution_step
from engine.sim.escalation import EscalationEngine
from engine.sim.recorder import MemoryRecorder, Recorder
from engine.sim.responders import Responder
from engine.sim.rng import KeyedRandom
from engine.sim.state import Namespace, NamespaceSnapshot
from engine.timeutil import UTC, epoch_seconds, parse_duration, start_instant, to_datetime

if TYPE_CHECKING:
    from engine.api.client import Client
    from engine.graph import ContactGraph

__all__ = ["DEFAULT_ACCOUNT", "DEFAULT_REGION", "IMPLEMENTED", "Simulator", "Snapshot", "State"]


@dataclasses.dataclass(frozen=True)
class State:
    """A read-only view of one account and region: its organisation (a snapshot), the shift
    schedule of each rotation, and its engagements (snapshots taken when asked for)."""

    organisation: Organisation
    schedules: Mapping[str, oncall.Rotation]
    _namespace: Namespace = dataclasses.field(repr=False)
    _epoch: float = dataclasses.field(repr=False)

    def engagements(self) -> tuple[Engagement, ...]:
        """The engagements kept (all of them unless the run forgets finished ones), in order."""
        start = self._epoch
        return tuple(
            e.snapshot(lambda t: round(start + t, 3)) for e in self._namespace.engagements.values()
        )

    def holds_anything(self) -> bool:
        """Whether any contact, channel, rotation or engagement is here."""
        return self._namespace.holds_anything()


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """What :meth:`Simulator.fork` copies: the current instant, settings, every namespace's
    organisation and counters, and the responders. Picklable, for replications in other
    processes (:meth:`Simulator.restore`)."""

    start: dt.datetime
    seed: int
    account: str
    region: str
    knobs: Knobs
    namespaces: tuple[NamespaceSnapshot, ...]
    responders: tuple[tuple[str, Responder], ...]


class Simulator:
    """A deterministic simulation of ssm-contacts: same inputs, seed and settings, same output.

    ``start`` is the instant virtual time begins (aware datetime, ISO 8601 or epoch seconds);
    without one, the wall-clock second at creation is used and recorded in :attr:`start`
    (docs/semantics.md T0). Keyword ``knobs`` are the settings of docs/semantics.md
    (``delivery_receipts="carrier"``, ``latency={"SMS": 3}``...), over ``settings`` (a whole
    :class:`Knobs`) when given; a bad one raises :class:`engine.knobs.KnobError`. ``recorder``
    receives every record (default: kept in memory); ``retain_finished=False`` forgets each
    engagement once it is over and keeps no receipts, for long batch runs that stream records.
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
        settings: Knobs | None = None,
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
        self.knobs = Knobs.from_mapping({**(settings.as_dict() if settings else {}), **knobs})
        self.recorder = recorder if recorder is not None else MemoryRecorder()
        self._engine = EscalationEngine(
            simpy.Environment(),
            KeyedRandom(seed),
            self.knobs,
            self.recorder,
            self.start.timestamp(),
            retain_finished=retain_finished,
        )
        self._service = Service(self._engine)

    # -- requests ----------------------------------------------------------------------------

    def call(
        self,
        operation: str,
        params: object = None,
        *,
        account: str | None = None,
        region: str | None = None,
    ) -> dict[str, Any]:
        """Run one ssm-contacts request (its AWS name and members) now; raises ServiceError
        subclasses. The answer holds AWS member names, times as aware datetimes."""
        params = {} if params is None else params
        return self._service.call(operation, params, account or self.account, region or self.region)

    def client(self, account: str | None = None, region: str | None = None) -> Client:
        """An in-process ssm-contacts client with boto3's method names and shapes."""
        from engine.api.client import Client

        return Client(self, account or self.account, region or self.region)

    # -- time --------------------------------------------------------------------------------

    @property
    def elapsed(self) -> float:
        """Virtual seconds since :attr:`start`."""
        return float(self._engine.env.now)

    @property
    def now(self) -> dt.datetime:
        """The current virtual instant (aware UTC)."""
        return dt.datetime.fromtimestamp(self._engine.time(), UTC)

    def advance(self, seconds: float | dt.timedelta | str) -> None:
        """Run the clock forward; everything due up to and including the new instant happens."""
        try:
            delta = parse_duration(seconds)
        except ValueError as exc:
            raise field_error(
                "AdvanceSeconds", f"Value '{seconds}' at 'AdvanceSeconds': {exc}"
            ) from None
        self._service.advance_to(self.elapsed + delta)

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
        self._service.advance_to(max(target, self.elapsed))

    def advance_to_elapsed(self, seconds: float) -> None:
        """Run the clock to ``seconds`` after :attr:`start` (never backwards): the exact virtual
        time a journal or a wall-clock pacer holds, with no rounding through an instant."""
        self._service.advance_to(seconds)

    def next_due(self) -> dt.datetime | None:
        """The instant the next scheduled work runs (a stage, a retry, an acknowledgement), or
        None when nothing is scheduled."""
        due = self._engine.next_due()
        if due is None:
            return None
        return dt.datetime.fromtimestamp(round(self._engine.start_epoch + due, 3), UTC)

    def run(self) -> None:
        """Run until every engagement has ended or been stopped."""
        self._service.run_until_idle()

    # -- records -----------------------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        """The event log, in the order things happened (interfaces.md): JSON-ready records,
        whose shapes ``engine.sim.records`` types."""
        return cast("list[dict[str, Any]]", self._memory().events)

    @property
    def outbox(self) -> list[dict[str, Any]]:
        """Every message sent: pages and activation codes, in send order."""
        return cast("list[dict[str, Any]]", self._memory().outbox)

    @property
    def pages_created(self) -> int:
        """How many pages the run has created (kept or forgotten)."""
        return self._engine.pages_created

    def _memory(self) -> MemoryRecorder:
        if not isinstance(self.recorder, MemoryRecorder):
            raise TypeError("this simulator streams its records; it keeps no events or outbox")
        return self.recorder

    # -- state -------------------------------------------------------------------------------

    def state(self, account: str | None = None, region: str | None = None) -> State:
        """A read-only view of one account and region (default: the simulator's own)."""
        key = (account or self.account, region or self.region)
        ns = self._service.namespaces.get(key) or Namespace(*key)
        return State(ns.organisation(), dict(ns.schedules), ns, self._engine.start_epoch)

    def namespaces(self) -> list[tuple[str, str]]:
        """The (account, region) pairs a request or an import has touched, in first-use order."""
        return list(self._service.namespaces)

    @property
    def responders(self) -> Mapping[str, Responder]:
        """The responder models in force, by contact ARN (read-only)."""
        return types.MappingProxyType(self._engine.responders)

    def graph(self, account: str | None = None, region: str | None = None) -> ContactGraph:
        """The contact graph of one namespace's current state (engine.graph.ContactGraph)."""
        from engine.graph import ContactGraph  # networkx is slow to import: only when asked

        return ContactGraph.of(self.state(account, region).organisation)

    # -- organisation and responders ---------------------------------------------------------

    def import_resources(
        self,
        contacts: list[Any],
        channels: list[Any],
        rotations: list[Any] | tuple[()] = (),
        overrides: list[Any] | tuple[()] = (),
        *,
        account: str | None = None,
        region: str | None = None,
        path: str = "organisation",
    ) -> dict[str, str]:
        """Add resources as get-contact, list-contact-channels, get-rotation and
        get-rotation-override print them; returns {ARN given: ARN in the run}.

        Channels keep the ActivationStatus given (R3). All or nothing: a ValidationException
        names every problem with its path under ``path``.
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
        ns = self._service.namespace(account or self.account, region or self.region)
        arn = contact if parse_arn(contact) else make_arn(ns.region, ns.account, "contact", contact)
        if model is None:
            self._engine.responders.pop(arn, None)
        else:
            self._engine.responders[arn] = model

    # -- copies ------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The organisation of every namespace, the settings and the responders, as of now."""
        return Snapshot(
            self.now,
            self.seed,
            self.account,
            self.region,
            self.knobs,
            tuple(ns.snapshot() for ns in self._service.namespaces.values()),
            tuple(self._engine.responders.items()),
        )

    @classmethod
    def restore(
        cls,
        snapshot: Snapshot,
        *,
        seed: int | None = None,
        recorder: Recorder | None = None,
        retain_finished: bool = True,
        schedules: Mapping[tuple[str, str], Mapping[str, oncall.Rotation]] | None = None,
    ) -> Simulator:
        """A simulator starting at the snapshot's instant with its organisation, counters,
        settings and responders, and no engagements (``seed`` replaces the snapshot's).
        ``schedules`` are shift schedules, by namespace, to share instead of rebuilding."""
        sim = cls(
            snapshot.seed if seed is None else seed,
            snapshot.start,
            snapshot.account,
            snapshot.region,
            recorder=recorder,
            retain_finished=retain_finished,
            settings=snapshot.knobs,
        )
        for held in snapshot.namespaces:
            key = (held.organisation.account, held.organisation.region)
            sim._service.namespaces[key] = Namespace.restore(held, (schedules or {}).get(key))
        sim._engine.responders.update(snapshot.responders)
        return sim

    def fork(
        self,
        *,
        seed: int | None = None,
        recorder: Recorder | None = None,
        retain_finished: bool = True,
    ) -> Simulator:
        """An independent simulator starting now with this one's organisation, counters,
        settings and responders but none of its engagements: a replication's starting point.
        The immutable organisation and shift schedules are shared, not copied."""
        schedules = {key: ns.schedules for key, ns in self._service.namespaces.items()}
        return self.restore(
            self.snapshot(),
            seed=seed,
            recorder=recorder,
            retain_finished=retain_finished,
            schedules=schedules,
        )

    # -- results -----------------------------------------------------------------------------

    def result(self) -> dict[str, Any]:
        """Everything the run produced, JSON-ready, times as epoch seconds."""
        engagements = []
        for (account, region), ns in self._service.namespaces.items():
            clock = self._context("Result", account, region).datetime
            for engagement in ns.engagements.values():
                item = _jsonable(engagement_detail(clock, engagement))
                pages = []
                for page in engagement.pages:
                    page_item = _jsonable(page_summary(clock, page))
                    page_item["Receipts"] = [_jsonable(receipt(clock, r)) for r in page.receipts]
                    page_item["Resolutions"] = [resolution_step(s) for s in page.resolution]
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
        ns = self._service.namespace(account or self.account, region or self.region)
        return Context(operation, ns, self._engine)


def _jsonable(item: Mapping[str, object]) -> dict[str, object]:
    return {k: epoch_seconds(v) if isinstance(v, dt.datetime) else v for k, v in item.items()}
