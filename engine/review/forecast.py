"""Monte Carlo forecast: replications of the incident model through the engine, aggregated.

One replication is a fork of the review's :class:`~engine.simulator.Simulator` seeded for that
replication, holding its organisation, with a counting recorder and ``retain_finished=False``: the
incidents of the replication are fed in time order (``advance_to`` then StartEngagement), the
run goes on until every engagement has ended, and the recorder keeps only counts and one time
to acknowledge per incident. A replication is a pure function of (job, index): every draw is
keyed by the review's seed and the replication index, so whichever executor runs it, on however
many workers, gives the same result, and results are always combined in index order.

Figures (definitions): time to acknowledge is from StartEngagement to the first READ of any page
of the engagement; an incident nobody acknowledges counts as never (so P90 is "never" when more
than 10% go unacknowledged). Reaching stage k means that stage of the engaged escalation plan
started. Messages are send attempts (failed ones included) per engagement, by channel type.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import pickle
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from engine.errors import ServiceError
from engine.oncall.zones import load_zone
from engine.review.incidents import (
    MAX_INCIDENTS,
    IncidentModel,
    IntensityCurve,
    ResponderModel,
    arrivals,
    in_hours,
    replication_seed,
)
from engine.review.load import MEASURES, load_summary, on_call_seconds, person_zones
from engine.review.responders import MessageResponder
from engine.review.stats import Estimate, mean_interval, quantile_interval, total_interval, wilson
from engine.sim.recorder import Recorder
from engine.sim.records import EventRecord
from engine.sim.rng import KeyedRandom
from engine.simulator import Simulator, Snapshot
from engine.vocabulary import CHANNEL_TYPES, ChannelType, ReceiptType

if TYPE_CHECKING:
    from engine.graph import ContactGraph
    from engine.review.inputs import ReviewInput


WITHIN = (("5m", 300.0), ("15m", 900.0), ("30m", 1800.0))
_MIN_UNITS = 20
_SENDER = "escsim-review"
_HELD_PAGES = 4096
"""Pages the tally holds before counting them into the load."""
_WANTED = frozenset(
    {
        "ENGAGEMENT_STARTED",
        "ENGAGEMENT_ENDED",
        "ENGAGEMENT_STOPPED",
        "STAGE_STARTED",
        "PAGE_CREATED",
        "MESSAGE",
        "RECEIPT",
    }
)


class ModelError(ValueError):
    """An incident model that does not fit the organisation (a target or responder naming no
    contact) or the window (more incidents than a replication may hold)."""


@dataclasses.dataclass(frozen=True)
class ReplicationJob:
    """Everything a worker needs to run replications; picklable, the same for every index.

    ``snapshot`` is the organisation (with its settings and responders) at the window's start;
    ``targets`` are contact ARNs ("" for a target this organisation lacks, whose incidents then
    fail to start); ``people`` the personal contacts load is counted for, with their ``zones``.
    """

    key: str
    snapshot: Snapshot
    start: float
    end: float
    seed: int
    model: IncidentModel
    targets: tuple[str, ...]
    target_weights: tuple[float, ...]
    people: tuple[str, ...]
    zones: tuple[str, ...]
    batches: int
    review_responders: tuple[tuple[str, ResponderModel], ...]


@dataclasses.dataclass(slots=True)
class ReplicationResult:
    """What one replication measured. Per incident (in time order): instant, target index,
    seconds to the first acknowledgement (inf for none) and the highest escalation stage
    started (-1 when the target is not an escalation plan or the start failed). Sums over
    engagements of messages per channel type and of pages, with sums of squares. ``load[m][b][p]``
    counts measure ``MEASURES[m]`` for person ``p`` over the incidents of batch ``b``."""

    index: int
    times: list[float]
    targets: list[int]
    tta: list[float]
    reached: list[int]
    failed: int
    engagements: int
    messages: list[int]
    messages_sq: list[int]
    pages: int
    pages_sq: int
    load: list[list[list[int]]]


@dataclasses.dataclass(frozen=True)
class ForecastPlan:
    """A job and what the summary needs to name things: aliases of targets and people (and the
    stages of each target's plan), which people belong to the load population, and exact
    on-call seconds by alias."""

    job: ReplicationJob
    replications: int
    target_names: tuple[str, ...]
    target_kinds: tuple[str, ...]
    target_stages: tuple[int, ...]
    """How many stages each target's escalation plan has (0 for other targets)."""
    aliases: tuple[str, ...]
    population: tuple[bool, ...]
    on_call: dict[str, float]


# --- planning ------------------------------------------------------------------------------------


def plan_forecast(
    review: ReviewInput,
    start: dt.datetime,
    end: dt.datetime,
    replications: int,
    seed: int,
    *,
    target_names: Sequence[str] | None = None,
    target_weights: Sequence[float] | None = None,
) -> ForecastPlan:
    """The job for ``replications`` replications of ``review`` over [start, end).

    Targets are ``target_names`` when given (diff passes one list to both versions; a name this
    organisation lacks only fails its incidents), else the model's, else the defaults (see
    engine.review.incidents). Raises ModelError for a model target or a responder entry naming
    no contact.
    """
    ns = review.organisation
    model = review.incidents
    names, weights, strict = _target_spec(review, model, target_names, target_weights)
    targets: list[str] = []
    kinds: list[str] = []
    stages: list[int] = []
    for name in names:
        arn = review.contact_arn(name)
        if arn is None and strict:
            raise ModelError(
                f"incident model {model.source}: target {name!r} names no contact of {review.label}"
            )
        targets.append(arn or "")
        contact = ns.contacts[arn] if arn else None
        kinds.append(contact.type if contact else "MISSING")
        escalation = contact is not None and contact.type == "ESCALATION"
        stages.append(len(contact.plan.stages or ()) if contact and escalation else 0)
    _check_volume(model, start, end)
    people = sorted(
        (c for c in ns.contacts.values() if c.type == "PERSONAL"), key=lambda c: c.alias
    )
    person_arns = tuple(c.arn for c in people)
    zones = tuple(person_zones(ns, person_arns, model.zone))
    review_responders = _responders(review, model, person_arns)
    reachable = _reachable(review.graph, [t for t in targets if t])
    layered = review.simulator.knobs.schedule_layers == "last_wins"
    on_call = on_call_seconds(review.state, start, end, layered=layered)
    population = tuple(arn in reachable or on_call.get(arn, 0.0) > 0 for arn in person_arns)
    batches = max(1, math.ceil(_MIN_UNITS / replications))
    job = ReplicationJob(
        key="",
        snapshot=dataclasses.replace(review.simulator.snapshot(), start=start),
        start=start.timestamp(),
        end=end.timestamp(),
        seed=seed,
        model=model,
        targets=tuple(targets),
        target_weights=tuple(weights),
        people=person_arns,
        zones=zones,
        batches=batches,
        review_responders=review_responders,
    )
    digest = hashlib.sha256(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    return ForecastPlan(
        job=dataclasses.replace(job, key=digest),
        replications=replications,
        target_names=tuple(
            review.alias_of(t) if t else n for t, n in zip(targets, names, strict=True)
        ),
        target_kinds=tuple(kinds),
        target_stages=tuple(stages),
        aliases=tuple(c.alias for c in people),
        population=population,
        on_call={review.alias_of(arn): seconds for arn, seconds in sorted(on_call.items())},
    )


def expected_incidents(model: IncidentModel, start: dt.datetime, end: dt.datetime) -> float:
    """How many incidents a replication holds on average over [start, end): the model's count,
    or its rate over the window's intensity curve."""
    if model.rate is None:
        return float(model.count or 0)
    curve = IntensityCurve(model.weights, model.profile_zone, start.timestamp(), end.timestamp())
    return float(model.rate * curve.total)


def _check_volume(model: IncidentModel, start: dt.datetime, end: dt.datetime) -> None:
    if model.rate is None:
        return
    expected = expected_incidents(model, start, end)
    if expected > MAX_INCIDENTS:
        raise ModelError(
            f"incident model {model.source}: {expected:.0f} incidents expected per replication "
            f"over the window; at most {MAX_INCIDENTS} are allowed"
        )


def _target_spec(
    review: ReviewInput,
    model: IncidentModel,
    names: Sequence[str] | None,
    weights: Sequence[float] | None,
) -> tuple[list[str], list[float], bool]:
    if names is not None:
        given = list(weights) if weights is not None else [1.0] * len(names)
        return list(names), given, False
    if model.targets:
        return [n for n, _ in model.targets], [w for _, w in model.targets], True
    chosen = default_targets(review)
    return chosen, [1.0] * len(chosen), True


def default_targets(review: ReviewInput) -> list[str]:
    """Every escalation plan, else every on-call schedule, else every person, by alias."""
    contacts = sorted(review.organisation.contacts.values(), key=lambda c: c.alias)
    for kind in ("ESCALATION", "ONCALL_SCHEDULE", "PERSONAL"):
        chosen = [c.alias for c in contacts if c.type == kind]
        if chosen:
            return chosen
    raise ModelError(f"{review.label} has no contacts, so there is nothing to engage")


def _responders(
    review: ReviewInput, model: IncidentModel, people: tuple[str, ...]
) -> tuple[tuple[str, ResponderModel], ...]:
    """Review responder models by contact ARN: a model's own entry wins over the input's
    responder (which a fork keeps), which wins over the model's default."""
    chosen: dict[str, ResponderModel] = {}
    for name, responder in model.responders:
        arn = review.contact_arn(name)
        if arn is None:
            raise ModelError(
                f"incident model {model.source}: responders.{name} names no contact of "
                f"{review.label}"
            )
        chosen[arn] = responder
    given = review.responders
    if model.default_responder is not None:
        for arn in people:
            if arn not in chosen and arn not in given:
                chosen[arn] = model.default_responder
    return tuple(sorted(chosen.items()))


def _reachable(graph: ContactGraph, targets: Sequence[str]) -> set[str]:
    """Personal contacts that engaging the targets can page (ignoring time): whom each target
    engages, and whom the schedules among them engage."""
    found: set[str] = set()
    for target in targets:
        for engaged in graph.engaged_contacts(target):
            found.update(graph.engaged_contacts(engaged))
    return found


# --- running -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Prepared:
    template: Simulator
    curve: IntensityCurve
    person_index: dict[str, int]
    zones: tuple[Any, ...]


_CACHE: dict[str, _Prepared] = {}
_CACHE_LOCK = threading.Lock()


def _prepared(job: ReplicationJob) -> _Prepared:
    """What every replication of a job shares, built once per worker process: the simulator
    each replication forks, holding the organisation (a forecast changes nothing but
    engagements, pages and counters, which a fork starts afresh)."""
    with _CACHE_LOCK:
        found = _CACHE.get(job.key)
        if found is None:
            template = Simulator.restore(job.snapshot)
            curve = IntensityCurve(job.model.weights, job.model.profile_zone, job.start, job.end)
            index = {arn: i for i, arn in enumerate(job.people)}
            zones = tuple(load_zone(zone) for zone in job.zones)
            found = _Prepared(template, curve, index, zones)
            _CACHE.clear()  # one job at a time: a worker never holds two organisations
            _CACHE[job.key] = found
        return found


def run_chunk(job: ReplicationJob, indices: Sequence[int]) -> list[ReplicationResult]:
    """Run the replications ``indices`` of ``job`` one after another (an executor's task)."""
    return [run_replication(job, index) for index in indices]


def run_replication(job: ReplicationJob, index: int) -> ReplicationResult:
    """Replication ``index`` of ``job``: a pure function of both."""
    prepared = _prepared(job)
    incidents = arrivals(
        job.model, prepared.curve, job.target_weights, KeyedRandom(job.seed), index
    )
    tally = _Tally(job, prepared, index, len(incidents))
    sim = prepared.template.fork(
        seed=replication_seed(job.seed, index), recorder=tally, retain_finished=False
    )
    for arn, model in job.review_responders:
        zone = job.zones[prepared.person_index[arn]] if arn in prepared.person_index else "UTC"
        sim.set_responder(arn, MessageResponder(model, zone))
    for incident in incidents:
        sim.advance_to(incident.time)
        target = job.targets[incident.target]
        tally.begin(incident.index, incident.time, incident.target, target)
        if not target:
            tally.result.failed += 1
            continue
        try:
            sim.call(
                "StartEngagement",
                {
                    "ContactId": target,
                    "Sender": _SENDER,
                    "Subject": "Forecast incident",
                    "Content": f"Incident {incident.index} of replication {index}",
                },
            )
        except ServiceError:
            tally.result.failed += 1
    sim.run()
    tally.flush()
    return tally.result


class _Open:
    """An engagement in flight, as the tally follows it (a plain slotted class: one per
    engagement, made between the engine's steps)."""

    __slots__ = ("incident", "messages", "page_arns", "pages", "read", "stage", "start", "target")

    def __init__(self, incident: int, start: float, target: str) -> None:
        self.incident = incident
        self.start = start
        self.target = target
        self.read = math.inf
        self.stage = -1
        self.messages = [0, 0, 0]
        self.pages = 0
        self.page_arns: list[str] = []


class _Tally(Recorder):
    """Counts what the forecast needs as records happen, keeping nothing per record."""

    keeps_messages = False
    page_stages = False  # how far an engagement got is its escalation plan's stage

    def __init__(
        self, job: ReplicationJob, prepared: _Prepared, index: int, incidents: int
    ) -> None:
        self._person_index = prepared.person_index
        self._zones = prepared.zones
        self._night = job.model.night
        self._batches = job.batches
        self._open: dict[str, _Open] = {}
        self._pages: dict[str, tuple[_Open, int]] = {}
        self._held: list[tuple[float, int, int]] = []
        self._current = (-1, 0.0, -1, "")
        people = len(job.people)
        self.result = ReplicationResult(
            index=index,
            times=[0.0] * incidents,
            targets=[0] * incidents,
            tta=[math.inf] * incidents,
            reached=[-1] * incidents,
            failed=0,
            engagements=0,
            messages=[0, 0, 0],
            messages_sq=[0, 0, 0],
            pages=0,
            pages_sq=0,
            load=[[[0] * people for _ in range(job.batches)] for _ in range(len(MEASURES))],
        )

    def wants(self, event_type: str) -> bool:
        return event_type in _WANTED

    def begin(self, incident: int, time: float, target_index: int, target: str) -> None:
        """The next StartEngagement is for ``incident``."""
        self.result.times[incident] = time
        self.result.targets[incident] = target_index
        self._current = (incident, time, target_index, target)

    def receipt(
        self,
        time: float,
        engagement: str,
        page: str,
        channel: str | None,
        kind: ReceiptType,
        info: str | None,
    ) -> None:
        # Only acknowledgements count: the other receipts are not built at all.
        if kind == "READ":
            self._read(time, engagement, page)

    def stage(
        self, time: float, engagement: str, contact: str, index: int, page: str | None
    ) -> None:
        # How far the escalation plan got (pages' own stages are not sent: page_stages).
        found = self._open.get(engagement)
        if found is not None and contact == found.target:
            found.stage = max(found.stage, index)

    def send(
        self,
        time: float,
        engagement: str,
        page: str,
        channel: str,
        kind: ChannelType,
        attempt: int,
        outcome: Literal["SENT", "ERROR"],
    ) -> None:
        found = self._open.get(engagement)
        if found is not None:
            found.messages[CHANNEL_TYPES.index(kind)] += 1

    def event(self, record: EventRecord) -> None:
        if record["Type"] == "ENGAGEMENT_STARTED":
            incident, _time, _index, target = self._current
            self._open[record["EngagementArn"]] = _Open(incident, record["Time"], target)
        elif record["Type"] == "ENGAGEMENT_ENDED" or record["Type"] == "ENGAGEMENT_STOPPED":
            self._end(record["EngagementArn"])

    def page(self, time: float, engagement_arn: str, page_arn: str, contact: str) -> None:
        engagement = self._open.get(engagement_arn)
        if engagement is None:
            return
        engagement.pages += 1
        person = self._person_index.get(contact)
        if person is None:
            return
        self._pages[page_arn] = (engagement, person)
        engagement.page_arns.append(page_arn)
        # Counted in flush(): one tight loop over the held pages costs far less than working
        # out local times between the engine's own steps.
        self._held.append((time, person, engagement.incident % self._batches))
        if len(self._held) >= _HELD_PAGES:
            self.flush()

    def flush(self) -> None:
        """Count the held pages into the load: each once, by batch, person and local time."""
        pages, night, weekend, _acks = self.result.load
        zones, (night_start, night_end) = self._zones, self._night
        for time, person, batch in self._held:
            pages[batch][person] += 1
            local = dt.datetime.fromtimestamp(time, zones[person])
            if local.weekday() >= 5:
                weekend[batch][person] += 1
            if in_hours(local.hour * 60 + local.minute, night_start, night_end):
                night[batch][person] += 1
        self._held.clear()

    def _read(self, time: float, engagement_arn: str, page_arn: str) -> None:
        engagement = self._open.get(engagement_arn)
        if engagement is None:
            return
        if time < engagement.read:
            engagement.read = time
        found = self._pages.get(page_arn)
        if found is not None:
            batch = engagement.incident % self._batches
            self.result.load[3][batch][found[1]] += 1

    def _end(self, engagement_arn: str) -> None:
        engagement = self._open.pop(engagement_arn, None)
        if engagement is None:
            return
        incident, result = engagement.incident, self.result
        if engagement.read < math.inf:
            result.tta[incident] = round(engagement.read - engagement.start, 3)
        result.reached[incident] = engagement.stage
        result.engagements += 1
        for i, count in enumerate(engagement.messages):
            result.messages[i] += count
            result.messages_sq[i] += count * count
        result.pages += engagement.pages
        result.pages_sq += engagement.pages * engagement.pages
        for arn in engagement.page_arns:
            self._pages.pop(arn, None)


# --- aggregating ---------------------------------------------------------------------------------


def summarise(plan: ForecastPlan, results: Sequence[ReplicationResult]) -> dict[str, object]:
    """The forecast section of the review: every figure with its 95% interval."""
    job = plan.job
    ordered = sorted(results, key=lambda r: r.index)
    incidents = sum(len(r.tta) for r in ordered)
    engagements = sum(r.engagements for r in ordered)
    tta, reach = acknowledgement_figures(plan, ordered)
    section: dict[str, object] = {
        "replications": plan.replications,
        "seed": job.seed,
        "incidents": incidents,
        "incidents_per_replication": total_interval(
            [len(r.tta) for r in ordered], 1.0 / max(1, len(ordered))
        ),
        "engagements": engagements,
        "failed_starts": sum(r.failed for r in ordered),
        "time_to_acknowledge": tta,
        "stage_reach": reach,
        "messages_per_engagement": {
            kind: mean_interval(
                sum(r.messages[i] for r in ordered),
                sum(r.messages_sq[i] for r in ordered),
                engagements,
            )
            for i, kind in enumerate(CHANNEL_TYPES)
        },
        "pages_per_engagement": mean_interval(
            sum(r.pages for r in ordered), sum(r.pages_sq for r in ordered), engagements
        ),
        "targets": _per_target(plan, ordered),
    }
    units = [[batch for r in ordered for batch in r.load[m]] for m in range(len(MEASURES))]
    paged = [any(unit[p] for unit in units[0]) for p in range(len(plan.aliases))]
    population = [a or b for a, b in zip(plan.population, paged, strict=True)]
    zones = list(job.zones)
    section["load"] = load_summary(
        plan.aliases,
        zones,
        population,
        units,
        plan.replications,
        job.end - job.start,
        plan.on_call,
        job.seed,
    )
    return section


class TimeToAcknowledge(TypedDict):
    """The time-to-acknowledge figures of a forecast."""

    p50: Estimate
    p90: Estimate
    p99: Estimate
    mean_when_acknowledged: Estimate
    within: dict[str, Estimate]
    no_acknowledgement: Estimate


class StageReach(Estimate):
    """P(reaching stage ``stage``) with its interval."""

    stage: int


def acknowledgement_figures(
    plan: ForecastPlan, results: Sequence[ReplicationResult]
) -> tuple[TimeToAcknowledge, list[StageReach]]:
    """Time to acknowledge and stage reach over every incident of ``results``."""
    tta = sorted(t for r in results for t in r.tta)
    reached = [reached for r in results for reached in r.reached if reached >= 0]
    return _tta_section(tta), _stage_reach(reached, max(plan.target_stages, default=0))


def _tta_section(tta: list[float]) -> TimeToAcknowledge:
    n = len(tta)
    acknowledged = [t for t in tta if t < math.inf]
    return {
        "p50": quantile_interval(tta, 0.5),
        "p90": quantile_interval(tta, 0.9),
        "p99": quantile_interval(tta, 0.99),
        "mean_when_acknowledged": _mean(acknowledged),
        "within": {
            label: wilson(sum(1 for t in acknowledged if t <= limit), n) for label, limit in WITHIN
        },
        "no_acknowledgement": wilson(n - len(acknowledged), n),
    }


def _mean(values: list[float]) -> Estimate:
    return mean_interval(sum(values), sum(v * v for v in values), len(values), digits=3)


def _stage_reach(reached: list[int], stages: int) -> list[StageReach]:
    """P(reaching stage k) for every stage of the plans, those never reached included (0%)."""
    if not reached:
        return []
    top = max(max(reached), stages - 1)
    at_least = [0] * (top + 2)
    for r in reached:
        at_least[r] += 1
    for k in range(top - 1, -1, -1):  # how many reached stage k or beyond
        at_least[k] += at_least[k + 1]
    return [{"stage": k, **wilson(at_least[k], len(reached))} for k in range(top + 1)]


def _per_target(
    plan: ForecastPlan, results: Sequence[ReplicationResult]
) -> list[dict[str, object]]:
    times: list[list[float]] = [[] for _ in plan.target_names]
    stages: list[list[int]] = [[] for _ in plan.target_names]
    for r in results:
        for value, reached, target in zip(r.tta, r.reached, r.targets, strict=True):
            times[target].append(value)
            if reached >= 0:
                stages[target].append(reached)
    rows: list[dict[str, object]] = []
    for t, name in enumerate(plan.target_names):
        tta = sorted(times[t])
        acknowledged = [v for v in tta if v < math.inf]
        rows.append(
            {
                "contact": name,
                "type": plan.target_kinds[t],
                "incidents": len(tta),
                "p50": quantile_interval(tta, 0.5),
                "mean_when_acknowledged": _mean(acknowledged),
                "no_acknowledgement": wilson(len(tta) - len(acknowledged), len(tta)),
                "stage_reach": _stage_reach(stages[t], plan.target_stages[t]),
            }
        )
    return rows
