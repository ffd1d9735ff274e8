"""Requirements a review must meet (``escsim review --require EXPR``): grammar and evaluation.

A requirement is ``METRIC OP VALUE``: a metric named after the review document's fields (see
:data:`METRICS`), an operator (``<=``, ``<``, ``>=``, ``>``, ``==``) and a value in the metric's
unit: a duration with its unit (``90s``, ``15m``, ``1h30m``, ``1d``) for times to acknowledge, a
percentage (``99.9%``) or a fraction from 0 to 1 for shares, and a plain number for counts,
rates and fairness scores.

Monte Carlo figures carry a 95% interval. A requirement holds only when it holds over the whole
interval: the end of the interval on the failing side is compared (the upper end for ``<=`` and
``<``, the lower end for ``>=`` and ``>``, both ends and the estimate for ``==``). A gate then
passes only on figures the forecast is sure of, and a forecast of too few replications to tell
fails rather than passes by luck. Exact figures (coverage, on-call hours, finding counts) and
estimates whose interval cannot be worked out (a single unit) compare their value. A time to
acknowledge of ``never`` (more incidents unacknowledged than the quantile allows) is later than
any limit.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Literal, cast

from engine.timeutil import MissingUnitError, format_duration, parse_duration

__all__ = [
    "GRAMMAR",
    "METRICS",
    "Measured",
    "Metric",
    "Outcome",
    "Requirement",
    "RequirementError",
    "evaluate",
    "figure_text",
    "metrics_listing",
    "parse_requirement",
]

Kind = Literal["duration", "share", "number"]
Operator = Literal["<=", "<", ">=", ">", "=="]

GRAMMAR = "METRIC OP VALUE, OP one of <=, <, >=, >, == (for example 'tta.p90 <= 15m')"
_EXPRESSION = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(<=|>=|==|<|>)\s*(\S+)\s*$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

Document = Mapping[str, object]


class RequirementError(ValueError):
    """A requirement that cannot be read; the message names the expression and what is wrong."""


@dataclasses.dataclass(frozen=True)
class Measured:
    """A figure as the review measured it: its value, its 95% interval (``None`` ends when it
    has none or it cannot be worked out), whose it is (a person, a plan) and whether it is exact.
    For a quantile, ``None`` value or ends mean never."""

    value: float | None
    low: float | None = None
    high: float | None = None
    exact: bool = False
    owner: str = ""


Reading = Measured | str
"""What a metric reads from a document: the figure, or why it cannot be measured."""


@dataclasses.dataclass(frozen=True)
class Metric:
    """One figure a requirement can name: its kind (the unit its values take), what it is, where
    the review document holds it, and whether ``None`` in it means never (a quantile)."""

    name: str
    kind: Kind
    description: str
    read: Callable[[Document], Reading]
    quantile: bool = False


@dataclasses.dataclass(frozen=True)
class Requirement:
    """A parsed requirement: ``text`` as given, the metric, operator and limit (seconds for a
    duration, a fraction for a share)."""

    text: str
    metric: Metric
    operator: Operator
    limit: float


@dataclasses.dataclass(frozen=True)
class Outcome:
    """A requirement judged against a review: whether it holds, the measured figure (or why
    there is none), and which figure was compared."""

    requirement: Requirement
    passed: bool
    measured: Measured | None
    compared: str
    reason: str = ""

    def describe(self) -> str:
        """One line: the requirement, pass or fail, the measured value and interval, and what
        was compared."""
        verdict = "passes" if self.passed else "fails"
        head = f"{self.requirement.text}: {verdict}"
        if self.measured is None:
            return f"{head}: cannot be measured: {self.reason}"
        return f"{head}: measured {self.measured_text()}; compared {self.compared}"

    def measured_text(self) -> str:
        """The measured value, its owner and its interval, in the metric's unit."""
        return figure_text(self.requirement.metric, self.measured or self.reason)


def figure_text(metric: Metric, found: Reading) -> str:
    """A metric's reading for people: value, whose it is, and its interval (or that it is
    exact), in the metric's unit; or why it could not be measured."""
    if isinstance(found, str):
        return f"not measured ({found})"
    text = _show(metric, found.value)
    if found.owner:
        text += f" ({found.owner})"
    if found.exact:
        return text + ", exact"
    if found.low is None and found.high is None and not metric.quantile:
        return text + ", no interval"
    return f"{text}, 95% interval {_show(metric, found.low)} to {_show(metric, found.high)}"


# --- reading the document ------------------------------------------------------------------------


def _at(document: Document, *keys: str) -> object:
    found: object = document
    for key in keys:
        if not isinstance(found, Mapping):
            return None
        found = found.get(key)
    return found


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _estimate(value: object, *, exact: bool = False, owner: str = "") -> Measured:
    if not isinstance(value, Mapping):
        return Measured(_number(value), exact=True, owner=owner)
    ci = value.get("ci")
    low, high = (ci[0], ci[1]) if isinstance(ci, list) and len(ci) == 2 else (None, None)
    return Measured(_number(value.get("value")), _number(low), _number(high), exact, owner)


def _forecast(*keys: str, quantile: bool = False) -> Callable[[Document], Reading]:
    def read(document: Document) -> Reading:
        if not _number(_at(document, "forecast", "incidents")):
            return "the forecast had no incidents"
        found = _estimate(_at(document, "forecast", *keys))
        if found.value is None and not quantile:
            return "the forecast has no figure for it"
        return found

    return read


def _coverage(kind: str) -> Callable[[Document], Reading]:
    """The lowest covered share of the window among the escalation plans and schedules."""

    def read(document: Document) -> Reading:
        subjects = _at(document, "coverage", "subjects")
        rows = [s for s in subjects if isinstance(s, Mapping)] if isinstance(subjects, list) else []
        window = _number(_at(document, "window", "seconds")) or 0.0

        def uncovered(row: Mapping[str, object]) -> float:
            # From the gaps' seconds, exact to the millisecond; the JSON's share is rounded.
            seconds = _number(_at(row, kind, "seconds"))
            if seconds is not None and window > 0:
                return seconds / window
            return _number(_at(row, kind, "share")) or 0.0

        shares = [(1.0 - uncovered(row), str(row.get("contact", ""))) for row in rows]
        if not shares:
            return "the organisation has no escalation plan or on-call schedule"
        value, owner = min(shares, key=lambda pair: (pair[0], pair[1]))
        return Measured(value, exact=True, owner=owner)

    return read


def _most_loaded(field: str, *, exact: bool = False) -> Callable[[Document], Reading]:
    """The highest figure among the people: the estimate of the most loaded person, with the
    highest ends of everyone's intervals (the interval of the maximum)."""

    def read(document: Document) -> Reading:
        people = _at(document, "forecast", "load", "people")
        rows = [p for p in people if isinstance(p, Mapping)] if isinstance(people, list) else []
        found = [(_estimate(row.get(field), exact=exact), str(row.get("contact"))) for row in rows]
        found = [(m, who) for m, who in found if m.value is not None]
        if not found:
            return "nobody is in a rotation" if exact else "nobody's load was measured"
        top, owner = max(found, key=lambda pair: (pair[0].value or 0.0, pair[1]))
        if exact:
            return dataclasses.replace(top, owner=owner)
        lows = [m.low for m, _ in found]
        highs = [m.high for m, _ in found]
        low = None if None in lows else max(cast("list[float]", lows))
        high = None if None in highs else max(cast("list[float]", highs))
        return Measured(top.value, low, high, owner=owner)

    return read


def _fairness(what: str, score: str) -> Callable[[Document], Reading]:
    def read(document: Document) -> Reading:
        found = _estimate(_at(document, "forecast", "load", "fairness", what, score))
        if found.value is None:
            return "the forecast has no figure for it"
        if what == "on_call_hours":  # worked out from the shifts: exact
            return dataclasses.replace(found, exact=True)
        return found

    return read


def _lint(field: str) -> Callable[[Document], Reading]:
    def read(document: Document) -> Reading:
        return Measured(_number(_at(document, "lint", field)) or 0.0, exact=True)

    return read


def _metrics() -> dict[str, Metric]:
    tta = "forecast.time_to_acknowledge"
    rows: list[Metric] = [
        Metric(
            f"tta.{q}",
            "duration",
            f"{tta}.{q}: the time within which that share of incidents is acknowledged",
            _forecast("time_to_acknowledge", q, quantile=True),
            quantile=True,
        )
        for q in ("p50", "p90", "p99")
    ]
    rows += [
        Metric(
            "tta.mean_when_acknowledged",
            "duration",
            f"{tta}.mean_when_acknowledged",
            _forecast("time_to_acknowledge", "mean_when_acknowledged"),
        ),
    ]  # fmt: skip
    for label in ("5m", "15m", "30m"):
        rows.append(
            Metric(
                f"tta.within_{label}",
                "share",
                f"{tta}.within.{label}: share acknowledged within {label}",
                _forecast("time_to_acknowledge", "within", label),
            )
        )
    rows += [
        Metric(
            "tta.no_acknowledgement",
            "share",
            f"{tta}.no_acknowledgement: share never acknowledged",
            _forecast("time_to_acknowledge", "no_acknowledgement"),
        ),
        Metric(
            "coverage.first_stage",
            "share",
            "share of the window in which the first stage reaches someone, for the least "
            "covered plan or schedule "
            "(1 - coverage.subjects[].first_stage.seconds / window.seconds)",
            _coverage("first_stage"),
        ),
        Metric(
            "coverage.any_stage",
            "share",
            "share of the window in which some stage reaches someone, for the least covered "
            "plan or schedule (1 - coverage.subjects[].nobody.seconds / window.seconds)",
            _coverage("nobody"),
        ),
    ]
    for field in (
        "pages_per_week",
        "night_pages_per_week",
        "weekend_pages_per_week",
        "acknowledgements_per_week",
    ):
        rows.append(
            Metric(
                f"load.max_{field}",
                "number",
                f"the highest forecast.load.people[].{field}",
                _most_loaded(field),
            )
        )
    rows.append(
        Metric(
            "load.max_on_call_hours",
            "number",
            "the highest forecast.load.people[].on_call_hours (exact, from the shifts)",
            _most_loaded("on_call_hours", exact=True),
        )
    )
    for what in ("pages", "on_call_hours"):
        for score in ("grafana_balance", "gini"):
            rows.append(
                Metric(
                    f"fairness.{what}.{score}",
                    "number",
                    f"forecast.load.fairness.{what}.{score}",
                    _fairness(what, score),
                )
            )
    rows += [
        Metric(
            "pages_per_engagement",
            "number",
            "forecast.pages_per_engagement: mean pages per engagement",
            _forecast("pages_per_engagement"),
        ),
        Metric("lint.errors", "number", "lint.errors: findings of severity error", _lint("errors")),
        Metric(
            "lint.warnings", "number", "lint.warnings: findings of severity warning",
            _lint("warnings"),
        ),
    ]  # fmt: skip
    return {metric.name: metric for metric in rows}


METRICS: dict[str, Metric] = _metrics()
"""Every metric a requirement can name, by name."""


def metrics_listing() -> str:
    """Every metric on a line of its own: name, kind, and what it is (``--require '?'``)."""
    width = max(len(name) for name in METRICS)
    return "".join(
        f"{name:<{width}}  {metric.kind:<8}  {metric.description}\n"
        for name, metric in METRICS.items()
    )


# --- parsing -------------------------------------------------------------------------------------


def parse_requirement(text: str) -> Requirement:
    """``METRIC OP VALUE`` read into a :class:`Requirement`; RequirementError naming ``text``
    and what is wrong otherwise."""
    matched = _EXPRESSION.match(text)
    if matched is None:
        raise RequirementError(f"requirement {text!r}: expected {GRAMMAR}")
    name, operator, value = matched.groups()
    metric = METRICS.get(name)
    if metric is None:
        raise RequirementError(
            f"requirement {text!r}: unknown metric {name!r}; known metrics: " + ", ".join(METRICS)
        )
    limit = _limit(text, metric, value)
    return Requirement(text.strip(), metric, cast(Operator, operator), limit)


def _limit(text: str, metric: Metric, value: str) -> float:
    where = f"requirement {text!r}: {metric.name} is a {_UNITS[metric.kind]}"
    if metric.kind == "duration":
        try:
            return parse_duration(value, unit_required=True)
        except MissingUnitError:
            raise RequirementError(
                f"{where}; {value!r} has no unit: write {value}m or {value}s"
            ) from None
        except ValueError:
            raise RequirementError(
                f"{where}; {value!r} is not a duration (units s, m, h, d, for example 15m)"
            ) from None
    if metric.kind == "share":
        if value.endswith("%") and _NUMBER.match(value[:-1]):
            share = float(value[:-1]) / 100.0
        elif _NUMBER.match(value):
            share = float(value)
            if share > 1.0:
                raise RequirementError(
                    f"{where}; {value!r} is more than 1: write {value}% for a percentage"
                )
        else:
            raise RequirementError(
                f"{where}; {value!r} is not a percentage (for example 99.9%) or a fraction"
            )
        if not 0.0 <= share <= 1.0:
            raise RequirementError(f"{where}; {value!r} is not between 0% and 100%")
        return share
    if not _NUMBER.match(value):
        raise RequirementError(f"{where}; {value!r} is not a number (it takes no unit)")
    return float(value)


_UNITS: dict[Kind, str] = {
    "duration": "duration (units s, m, h, d)",
    "share": "share (a percentage such as 99.9% or a fraction from 0 to 1)",
    "number": "plain number",
}


# --- evaluating ----------------------------------------------------------------------------------


def evaluate(requirements: Sequence[Requirement], document: Document) -> list[Outcome]:
    """Each requirement judged against a review document, in the order given."""
    return [_judge(requirement, document) for requirement in requirements]


def _judge(requirement: Requirement, document: Document) -> Outcome:
    metric = requirement.metric
    found = metric.read(document)
    if isinstance(found, str):
        return Outcome(requirement, False, None, "nothing", found)
    op, limit = requirement.operator, requirement.limit

    def figure(value: float | None) -> float | None:
        return math.inf if value is None and metric.quantile else value

    value = figure(found.value)
    if found.exact or (found.low is None and found.high is None and not metric.quantile):
        what = "the exact value" if found.exact else "the estimate (it has no interval)"
        return Outcome(requirement, _holds(value, op, limit), found, what)
    low, high = figure(found.low), figure(found.high)
    if op in ("<=", "<"):
        chosen, what = high, "the upper end of the interval"
    elif op in (">=", ">"):
        chosen, what = low, "the lower end of the interval"
    else:
        passed = all(_holds(v, op, limit) for v in (value, low, high))
        return Outcome(requirement, passed, found, "the estimate and both ends of the interval")
    return Outcome(
        requirement, _holds(chosen, op, limit), found, f"{what}, {_show(metric, chosen)}"
    )


def _holds(value: float | None, op: Operator, limit: float) -> bool:
    if value is None:
        return False
    if op == "<=":
        return value <= limit
    if op == "<":
        return value < limit
    if op == ">=":
        return value >= limit
    if op == ">":
        return value > limit
    return math.isclose(value, limit, rel_tol=1e-9, abs_tol=1e-9)


def _show(metric: Metric, value: float | None) -> str:
    """A value in the metric's unit: ``7m``, ``99.5%``, ``3.2``; never for an unbounded one."""
    if value is None or math.isinf(value):
        return "never" if metric.quantile else "unknown"
    if metric.kind == "duration":
        return format_duration(value)
    if metric.kind == "share":
        return f"{_trim(value * 100.0, 3)}%"
    return _trim(value, 3)


def _trim(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
