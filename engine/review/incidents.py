"""The incident model of a review: when incidents arrive, whom each engages, how people answer.

Written as the ``incidents:`` section of a scenario file, or as a small YAML or JSON file given
with ``--incidents FILE`` (the same keys at its top level)::

    rate: 3/day                   # mean rate (N/hour, N/day, N/week, N/year); or count: 1000
    profile:                      # relative weights of the local hours of the week
      zone: Europe/London
      weekday: [24 numbers]       # Monday to Friday, 00:00 first
      weekend: [24 numbers]       # Saturday and Sunday
      # or hours: [168 numbers]   # Monday 00:00 first
    targets: {escalation-a: 2, escalation-b: 1}   # or a list of aliases; default below
    zone: UTC                     # night and weekend for people in no rotation
    night: {start: "22:00", end: "07:00"}
    responders: {alias: MODEL}    # review responder models (engine.review.responders)
    default_responder: MODEL      # for every contact with no other model

Arrivals are a Poisson process whose rate is piecewise constant over the profile's local hours
(weights are scaled so their mean is 1: ``rate`` is the average over a week; a DST change moves
the local hours, not the weights). With ``count`` a replication has exactly that many incidents,
placed by the same profile. Every draw is keyed by (replication, incident index), so two versions
of an organisation reviewed with one seed see the same incidents at the same instants. Default
targets: every escalation plan, else every on-call schedule, else every personal contact, in
alias order, equally weighted.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import math
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.oncall.zones import RotationError, load_zone
from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.model import DelaySpec
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.sim.responders import Delay
from engine.sim.rng import KeyedRandom
from engine.vocabulary import ChannelType
from engine.workspace.responders import delay_from_spec

_RATE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*/\s*(hour|day|week|year)\s*$")
_UNIT_SECONDS = {"hour": 3600.0, "day": 86400.0, "week": 604800.0, "year": 365 * 86400.0}
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_STEP = 900.0  # every zone's offset is a whole number of quarter hours
MAX_INCIDENTS = 1_000_000  # per replication: a guard against a rate written per second


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _clock_minutes(value: str) -> int:
    match = _CLOCK.match(value)
    if match is None:
        raise ValueError(f"write a time of day as HH:MM, e.g. 22:00 (got {value!r})")
    return int(match[1]) * 60 + int(match[2])


def _checked_clock(value: str) -> str:
    _clock_minutes(value)
    return value


def _checked_rate(value: str) -> str:
    match = _RATE.match(value)
    if match is None or float(match[1]) <= 0:
        raise ValueError(
            f"rate is a positive number per hour, day, week or year, e.g. 3/day (got {value!r})"
        )
    return value


Clock = Annotated[str, AfterValidator(_checked_clock)]
Rate = Annotated[str, AfterValidator(_checked_rate)]


class ProfileSpec(_Strict):
    """Relative arrival weights by local hour of the week."""

    zone: str = "UTC"
    weekday: list[Annotated[float, Field(ge=0)]] | None = Field(default=None, min_length=24)
    weekend: list[Annotated[float, Field(ge=0)]] | None = Field(default=None, min_length=24)
    hours: list[Annotated[float, Field(ge=0)]] | None = Field(default=None, min_length=168)

    @model_validator(mode="after")
    def _shape(self) -> ProfileSpec:
        for name, size in (("weekday", 24), ("weekend", 24), ("hours", 168)):
            value = getattr(self, name)
            if value is not None and len(value) != size:
                raise ValueError(f"{name} lists {size} weights (got {len(value)})")
        if self.hours is not None and (self.weekday is not None or self.weekend is not None):
            raise ValueError("write either hours (168 weights) or weekday/weekend (24 each)")
        return self


class NightSpec(_Strict):
    """The local hours counted as night."""

    start: Clock = "22:00"
    end: Clock = "07:00"


class SleepSpec(_Strict):
    """Local hours in which a person acknowledges with a different (lower) probability."""

    start: Clock
    end: Clock
    probability: float = Field(ge=0, le=1)
    zone: str | None = None


class ResponderSpec(_Strict):
    """How a person answers a page: availability, reaction delay per channel type, sleep."""

    probability: float = Field(default=1.0, ge=0, le=1)
    delay: DelaySpec
    channels: dict[ChannelType, DelaySpec] | None = None
    sleep: SleepSpec | None = None


class IncidentSpec(_Strict):
    """The ``incidents:`` section (or an ``--incidents`` file)."""

    rate: Rate | None = None
    count: int | None = Field(default=None, ge=1, le=MAX_INCIDENTS)
    profile: ProfileSpec | None = None
    targets: list[str] | dict[str, Annotated[float, Field(gt=0)]] | None = None
    zone: str = "UTC"
    night: NightSpec | None = None
    responders: dict[str, ResponderSpec] | None = None
    default_responder: ResponderSpec | None = None

    @model_validator(mode="after")
    def _one_volume(self) -> IncidentSpec:
        if (self.rate is None) == (self.count is None):
            raise ValueError("give exactly one of rate (e.g. 3/day) and count (e.g. 1000)")
        if isinstance(self.targets, list) and not self.targets:
            raise ValueError("targets lists at least one contact (or leave it out)")
        return self


@dataclasses.dataclass(frozen=True, slots=True)
class SleepHours:
    """Local [start, end) minutes of the day (wrapping past midnight) and the probability then.

    ``zone`` None means the person's own zone (their rotation's, else the model's).
    """

    start: int
    end: int
    probability: float
    zone: str | None

    def contains(self, minute_of_day: int) -> bool:
        """Whether the local minute of the day lies in the window."""
        return in_hours(minute_of_day, self.start, self.end)


def in_hours(minute_of_day: int, start: int, end: int) -> bool:
    """Whether a local minute of the day lies in [start, end), which may wrap past midnight."""
    if start <= end:
        return start <= minute_of_day < end
    return minute_of_day >= start or minute_of_day < end


@dataclasses.dataclass(frozen=True, slots=True)
class ResponderModel:
    """A review responder model, compiled: see :mod:`engine.review.responders`."""

    probability: float
    delay: Delay
    channels: tuple[tuple[str, Delay], ...] = ()
    sleep: SleepHours | None = None

    def delay_for(self, channel_type: str) -> Delay:
        """The reaction delay to a message of ``channel_type``."""
        return dict(self.channels).get(channel_type, self.delay)


@dataclasses.dataclass(frozen=True, slots=True)
class IncidentModel:
    """A compiled incident model. ``rate`` is per second on average; ``weights`` are the 168
    hour-of-week weights (Monday 00:00 first, mean 1) on ``profile_zone``'s wall clock."""

    rate: float | None = 1 / 86400.0
    count: int | None = None
    profile_zone: str = "UTC"
    weights: tuple[float, ...] = (1.0,) * 168
    targets: tuple[tuple[str, float], ...] = ()
    zone: str = "UTC"
    night: tuple[int, int] = (22 * 60, 7 * 60)
    responders: tuple[tuple[str, ResponderModel], ...] = ()
    default_responder: ResponderModel | None = None
    source: str = "default"

    def describe(self) -> dict[str, object]:
        """The model as the review's JSON reports it."""
        flat = all(w == self.weights[0] for w in self.weights)
        return {
            "source": self.source,
            "rate_per_day": None if self.rate is None else round(self.rate * 86400.0, 6),
            "count": self.count,
            "profile": "flat" if flat else f"hour of week ({self.profile_zone})",
            "targets": [{"contact": name, "weight": weight} for name, weight in self.targets]
            or "default",
            "zone": self.zone,
            "night": [_format_minutes(self.night[0]), _format_minutes(self.night[1])],
            "responders": [name for name, _ in self.responders],
            "default_responder": self.default_responder is not None,
        }


DEFAULT_MODEL = IncidentModel()
"""One incident a day, flat over the week, to the default targets; nobody modelled answers."""


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --- parsing ------------------------------------------------------------------------------------


def parse_incident_model(
    data: object, source: Source, at: FieldPath, *, label: str
) -> IncidentModel:
    """Compile an incident model written at ``at`` of ``source``; ``label`` names it in the
    result (the file). Raises ScenarioError naming file, line, path and value of each problem.
    """
    try:
        spec = IncidentSpec.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source.file, _problems(exc, source, at)) from None
    problems: list[Problem] = []
    if spec.profile is not None:
        _check_zone(spec.profile.zone, (*at, "profile", "zone"), source, problems)
    _check_zone(spec.zone, (*at, "zone"), source, problems)
    for name, responder in (spec.responders or {}).items():
        if responder.sleep is not None and responder.sleep.zone is not None:
            where = (*at, "responders", name, "sleep", "zone")
            _check_zone(responder.sleep.zone, where, source, problems)
    default = spec.default_responder
    if default is not None and default.sleep is not None and default.sleep.zone is not None:
        where = (*at, "default_responder", "sleep", "zone")
        _check_zone(default.sleep.zone, where, source, problems)
    weights = _weights(spec.profile)
    if not any(weights):
        problems.append(source.problem((*at, "profile"), "every profile weight is 0"))
    if problems:
        raise ScenarioError(source.file, problems)
    mean = sum(weights) / len(weights)
    targets: tuple[tuple[str, float], ...] = ()
    if isinstance(spec.targets, list):
        targets = tuple((name, 1.0) for name in dict.fromkeys(spec.targets))
    elif isinstance(spec.targets, dict):
        targets = tuple((name, float(weight)) for name, weight in spec.targets.items())
    night = spec.night or NightSpec()
    return IncidentModel(
        rate=_rate(spec.rate) if spec.rate is not None else None,
        count=spec.count,
        profile_zone=spec.profile.zone if spec.profile is not None else "UTC",
        weights=tuple(w / mean for w in weights),
        targets=targets,
        zone=spec.zone,
        night=(_clock_minutes(night.start), _clock_minutes(night.end)),
        responders=tuple(
            (name, _responder(model)) for name, model in (spec.responders or {}).items()
        ),
        default_responder=_responder(default) if default is not None else None,
        source=label,
    )


def _rate(text: str) -> float:
    match = _RATE.match(text)
    assert match is not None  # checked by IncidentSpec
    return float(match[1]) / _UNIT_SECONDS[match[2]]


def _weights(profile: ProfileSpec | None) -> list[float]:
    if profile is None:
        return [1.0] * 168
    if profile.hours is not None:
        return [float(w) for w in profile.hours]
    weekday = [float(w) for w in profile.weekday] if profile.weekday else [1.0] * 24
    weekend = [float(w) for w in profile.weekend] if profile.weekend else weekday
    return weekday * 5 + weekend * 2


def _check_zone(zone: str, path: FieldPath, source: Source, problems: list[Problem]) -> None:
    try:
        load_zone(zone)
    except RotationError as exc:
        problems.append(Problem(path, exc.problem, source.line_of(path), zone))


def _responder(spec: ResponderSpec) -> ResponderModel:
    sleep = None
    if spec.sleep is not None:
        sleep = SleepHours(
            _clock_minutes(spec.sleep.start),
            _clock_minutes(spec.sleep.end),
            spec.sleep.probability,
            spec.sleep.zone,
        )
    channels = tuple((kind, _delay(delay)) for kind, delay in sorted((spec.channels or {}).items()))
    return ResponderModel(spec.probability, _delay(spec.delay), channels, sleep)


def _delay(spec: DelaySpec) -> Delay:
    return delay_from_spec(spec.model_dump(mode="json"))


_UNION_TAGS = ("<fixed>", "<exponential>", "<lognormal>", "<uniform>")


def _problems(error: ValidationError, source: Source, at: FieldPath) -> list[Problem]:
    problems = []
    for detail in error.errors():
        loc = tuple(
            part
            for part in detail["loc"]
            if not (isinstance(part, str) and (part in _UNION_TAGS or part.startswith(("list[",))))
        )
        path: FieldPath = (*at, *loc)
        message = str(detail["msg"]).removeprefix("Value error, ")
        message = message.replace("Input should be", "must be")
        if detail["type"] == "extra_forbidden":
            problems.append(source.problem(path, f"unknown key {loc[-1]!r}"))
        elif detail["type"] == "missing":
            problems.append(source.problem(path[:-1], f"missing required key {loc[-1]!r}"))
        else:
            value = detail.get("input")
            if isinstance(value, dict | list) or value is None:
                problems.append(source.problem(path, message))
            else:
                problems.append(Problem(path, message, source.line_of(path), value))
    return problems


# --- arrivals -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Arrival:
    """One incident: its index in the replication, instant (epoch seconds) and target index."""

    index: int
    time: float
    target: int


class IntensityCurve:
    """The profile's weights laid over [start, end) (epoch seconds) as constant segments.

    ``total`` is the integral of the weight over the window in weighted seconds; at a flat
    profile it equals the window's length.
    """

    def __init__(self, weights: tuple[float, ...], zone_id: str, start: float, end: float):
        zone = load_zone(zone_id)
        bounds = [start]
        levels: list[float] = []
        moment = start
        step_end = (math.floor(start / _STEP) + 1) * _STEP
        while moment < end:
            local = dt.datetime.fromtimestamp(moment, zone)
            level = weights[local.weekday() * 24 + local.hour]
            piece_end = min(step_end, end)
            if levels and levels[-1] == level:
                bounds[-1] = piece_end
            else:
                levels.append(level)
                bounds.append(piece_end)
            moment = piece_end
            step_end += _STEP
        cumulative = [0.0]
        for i, level in enumerate(levels):
            cumulative.append(cumulative[-1] + level * (bounds[i + 1] - bounds[i]))
        self._bounds = bounds
        self._levels = levels
        self._cumulative = cumulative
        self.total = cumulative[-1]

    def instant(self, weighted: float) -> float:
        """The instant by which ``weighted`` weighted seconds of the window have passed."""
        cumulative = self._cumulative
        i = bisect.bisect_right(cumulative, weighted) - 1
        i = min(max(i, 0), len(self._levels) - 1)
        while self._levels[i] == 0 and i + 1 < len(self._levels):
            i += 1
        if self._levels[i] == 0:
            return self._bounds[-1]
        return self._bounds[i] + (weighted - cumulative[i]) / self._levels[i]


def replication_seed(seed: int, replication: int) -> int:
    """The simulator seed of one replication: a 48-bit number keyed by (seed, replication)."""
    digest = KeyedRandom(seed).digest("replication", str(replication))
    return int.from_bytes(digest[:6], "big")


def arrivals(
    model: IncidentModel,
    curve: IntensityCurve,
    target_weights: tuple[float, ...],
    rng: KeyedRandom,
    replication: int,
) -> list[Arrival]:
    """The incidents of one replication over the curve's window, in time order.

    Raises ValueError when the model asks for more than a million incidents in one replication.
    """
    rep = str(replication)
    times: list[float] = []
    if model.count is not None:
        times = sorted(
            curve.instant(rng.uniform("incident-time", rep, str(i)) * curve.total)
            for i in range(model.count)
        )
    elif model.rate is not None and curve.total > 0:
        expected = model.rate * curve.total
        if expected > MAX_INCIDENTS:
            raise ValueError(
                f"the incident model expects {expected:.0f} incidents per replication; "
                f"at most {MAX_INCIDENTS} are allowed"
            )
        reached = 0.0
        while True:
            reached += rng.exponential(1.0, "incident-gap", rep, str(len(times)))
            weighted = reached / model.rate
            if weighted >= curve.total:
                break
            times.append(curve.instant(weighted))
    cumulative = []
    running = 0.0
    for weight in target_weights:
        running += weight
        cumulative.append(running)
    chosen = []
    for i, moment in enumerate(times):
        pick = rng.uniform("incident-target", rep, str(i)) * running
        target = min(bisect.bisect_right(cumulative, pick), len(cumulative) - 1)
        chosen.append(Arrival(i, round(moment, 3), target))
    return chosen
