"""Diff of two versions of an organisation: what changes, for whom and when.

Both versions go through the same window, the same incidents and the same random numbers: one
incident model (``--incidents``, else the old version's, else the new one's), one list of
targets by alias (the model's, else the old version's defaults), one seed. Incidents are keyed
by (replication, index) and every engine draw by its entities, so where the versions agree they
behave identically and every difference in the output is caused by the change itself.

Reported: first what changed in the organisation itself (contacts, channels, plans and their
stages, rotations and their members; see ``engine.review.orgdiff``), then its effects: findings
gained and lost; coverage gaps gained and lost per escalation plan and
schedule (exact intervals); load per person (pages per week with paired intervals, the change
being estimated from the same units in both runs); time-to-acknowledge figures that moved; and
the incidents whose time to acknowledge changed, with when they happened. A diff of a version
with itself is empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

from engine import __version__
from engine.coverage.intervals import complement, intersect
from engine.review.document import run_forecast
from engine.review.executors import Executor
from engine.review.forecast import (
    ForecastPlan,
    ReplicationResult,
    default_targets,
    summarise,
)
from engine.review.gaps import SubjectCoverage, subject_coverage
from engine.review.incidents import IncidentModel
from engine.review.inputs import ReviewInput
from engine.review.lint import lint
from engine.review.load import MEASURES
from engine.review.orgdiff import organisation_changes
from engine.review.stats import total_interval
from engine.timeutil import isoformat

__all__ = ["DiffRun", "diff"]

_EXAMPLES = 20
_WEEK = 7 * 86400.0


@dataclasses.dataclass
class DiffRun:
    """The diff document, and both forecasts for anyone who wants more."""

    document: dict[str, Any]
    old: tuple[ForecastPlan, list[ReplicationResult]]
    new: tuple[ForecastPlan, list[ReplicationResult]]

    @property
    def identical(self) -> bool:
        return bool(self.document["identical"])


def shared_model(old: ReviewInput, new: ReviewInput, given: IncidentModel | None) -> IncidentModel:
    """The one incident model both versions see."""
    if given is not None:
        return given
    if old.incidents.source != "default":
        return old.incidents
    return new.incidents


def diff(
    old: ReviewInput,
    new: ReviewInput,
    start: dt.datetime,
    end: dt.datetime,
    replications: int,
    seed: int,
    executor: Executor,
    *,
    incidents: IncidentModel | None = None,
    progress: Callable[[int], None] | None = None,
) -> DiffRun:
    """Compare ``old`` and ``new`` over [start, end) through the same incidents and draws."""
    model = shared_model(old, new, incidents)
    old = dataclasses.replace(old, incidents=model)
    new = dataclasses.replace(new, incidents=model)
    if model.targets:
        names = [name for name, _ in model.targets]
        weights = [weight for _, weight in model.targets]
    else:
        names = default_targets(old)
        weights = [1.0] * len(names)
    done = [0, 0]

    def half(which: int) -> Callable[[int], None]:
        def report(count: int) -> None:
            done[which] = count
            if progress is not None:
                progress(done[0] + done[1])

        return report

    old_run = run_forecast(
        old,
        start,
        end,
        replications,
        seed,
        executor,
        half(0),
        target_names=names,
        target_weights=weights,
    )
    new_run = run_forecast(
        new,
        start,
        end,
        replications,
        seed,
        executor,
        half(1),
        target_names=names,
        target_weights=weights,
    )
    old_cov = subject_coverage(old, start, end)
    new_cov = subject_coverage(new, start, end)
    window = (start, end)
    changes: dict[str, Any] = {
        "organisation": organisation_changes(old, new),
        "lint": _lint_changes(old, new, old_cov, new_cov),
        "coverage": _coverage_changes(old_cov, new_cov, window),
        "load": _load_changes(old_run, new_run),
        "time_to_acknowledge": _figure_changes(summarise(*old_run), summarise(*new_run)),
        "incidents": _incident_changes(old_run, new_run),
    }
    identical = not (
        changes["organisation"]
        or changes["lint"]["gained"]
        or changes["lint"]["lost"]
        or changes["coverage"]
        or changes["load"]
        or changes["time_to_acknowledge"]
        or changes["incidents"]["changed"]
    )
    document = {
        "escsim": __version__,
        "old": {"source": old.label, "name": old.name},
        "new": {"source": new.label, "name": new.name},
        "window": {"from": isoformat(start.timestamp()), "to": isoformat(end.timestamp())},
        "replications": replications,
        "seed": seed,
        "incident_model": model.describe(),
        "identical": identical,
        "changes": changes,
    }
    return DiffRun(document, old_run, new_run)


def _lint_changes(
    old: ReviewInput,
    new: ReviewInput,
    old_cov: Sequence[SubjectCoverage],
    new_cov: Sequence[SubjectCoverage],
) -> dict[str, list[dict[str, str]]]:
    def keyed(review: ReviewInput, cov: Sequence[SubjectCoverage]) -> dict[tuple[str, ...], Any]:
        return {(f.kind, f.path, f.message): f for f in lint(review, cov)}

    before, after = keyed(old, old_cov), keyed(new, new_cov)
    return {
        "gained": [after[k].as_dict() for k in sorted(after) if k not in before],
        "lost": [before[k].as_dict() for k in sorted(before) if k not in after],
    }


def _difference(
    first: list[tuple[dt.datetime, dt.datetime]],
    second: list[tuple[dt.datetime, dt.datetime]],
    window: tuple[dt.datetime, dt.datetime],
) -> list[dict[str, Any]]:
    found = intersect(first, complement(second, window))
    return [
        {
            "start": isoformat(low.timestamp()),
            "end": isoformat(high.timestamp()),
            "seconds": round((high - low).total_seconds(), 3),
        }
        for low, high in found
    ]


def _coverage_changes(
    old: Sequence[SubjectCoverage],
    new: Sequence[SubjectCoverage],
    window: tuple[dt.datetime, dt.datetime],
) -> list[dict[str, Any]]:
    from engine.coverage.intervals import normalise

    before = {s.alias: s for s in old}
    after = {s.alias: s for s in new}
    rows: list[dict[str, Any]] = []
    for alias in sorted(set(before) | set(after)):
        for kind in ("first_stage", "nobody"):
            was = before.get(alias)
            now = after.get(alias)
            old_set = normalise((g.start, g.end) for g in getattr(was, kind, ()) or ())
            new_set = normalise((g.start, g.end) for g in getattr(now, kind, ()) or ())
            gained = _difference(new_set, old_set, window)
            lost = _difference(old_set, new_set, window)
            if gained or lost:
                rows.append(
                    {
                        "contact": alias,
                        "kind": kind,
                        "present": "both" if was and now else ("new" if now else "old"),
                        "gained": gained,
                        "lost": lost,
                    }
                )
    return rows


def _person_units(
    run: tuple[ForecastPlan, list[ReplicationResult]],
) -> dict[str, list[list[int]]]:
    """Per alias, per measure, the count in each unit (replication and batch) in order."""
    plan, results = run
    ordered = sorted(results, key=lambda r: r.index)
    units: dict[str, list[list[int]]] = {}
    for p, alias in enumerate(plan.aliases):
        units[alias] = [
            [batch[p] for r in ordered for batch in r.load[m]] for m in range(len(MEASURES))
        ]
    return units


def _load_changes(
    old: tuple[ForecastPlan, list[ReplicationResult]],
    new: tuple[ForecastPlan, list[ReplicationResult]],
) -> list[dict[str, Any]]:
    plan = old[0]
    weeks = (plan.job.end - plan.job.start) / _WEEK
    scale = 1.0 / (plan.replications * weeks)
    before, after = _person_units(old), _person_units(new)
    unit_count = len(next(iter(before.values()))[0]) if before else 0
    zero = [[0] * unit_count for _ in MEASURES]
    rows: list[dict[str, Any]] = []
    for alias in sorted(set(before) | set(after)):
        was = before.get(alias, zero)
        now = after.get(alias, zero)
        if was == now:
            continue
        row: dict[str, Any] = {"contact": alias}
        for m, name in enumerate(("pages", "night_pages", "weekend_pages", "acknowledgements")):
            change = [b - a for a, b in zip(was[m], now[m], strict=True)]
            if name == "pages":
                row["old"] = total_interval(was[m], scale)
                row["new"] = total_interval(now[m], scale)
                row["change"] = total_interval(change, scale)
            else:
                row[f"{name}_change"] = total_interval(change, scale)
        rows.append(row)
    rows.sort(key=lambda r: (-abs(r["change"]["value"] or 0.0), r["contact"]))
    return rows


def _figure_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    figures: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    before, after = old["time_to_acknowledge"], new["time_to_acknowledge"]
    for name in ("p50", "p90", "p99", "mean_when_acknowledged"):
        figures.append((name, before[name], after[name]))
    for label in before["within"]:
        figures.append((f"within_{label}", before["within"][label], after["within"][label]))
    figures.append(
        ("no_acknowledgement", before["no_acknowledgement"], after["no_acknowledgement"])
    )
    reach_before = {row["stage"]: row for row in old["stage_reach"]}
    reach_after = {row["stage"]: row for row in new["stage_reach"]}
    empty = {"value": 0.0, "ci": [None, None]}
    for stage in sorted(set(reach_before) | set(reach_after)):
        was = reach_before.get(stage, empty)
        now = reach_after.get(stage, empty)
        figures.append((f"reach_stage_{stage}", _bare(was), _bare(now)))
    return [
        {"figure": name, "old": was, "new": now}
        for name, was, now in figures
        if was["value"] != now["value"]
    ]


def _bare(row: dict[str, Any]) -> dict[str, Any]:
    return {"value": row["value"], "ci": row["ci"]}


def _incident_changes(
    old: tuple[ForecastPlan, list[ReplicationResult]],
    new: tuple[ForecastPlan, list[ReplicationResult]],
) -> dict[str, Any]:
    plan = old[0]
    changed = better = worse = 0
    examples: list[dict[str, Any]] = []
    by_index = {r.index: r for r in new[1]}
    for before in sorted(old[1], key=lambda r: r.index):
        after = by_index[before.index]
        for i, (was, now) in enumerate(zip(before.tta, after.tta, strict=True)):
            if was == now:
                continue
            changed += 1
            if now < was:
                better += 1
            else:
                worse += 1
            if len(examples) < _EXAMPLES:
                examples.append(
                    {
                        "replication": before.index,
                        "incident": i,
                        "at": isoformat(before.times[i]),
                        "target": plan.target_names[before.targets[i]],
                        "old": None if math.isinf(was) else was,
                        "new": None if math.isinf(now) else now,
                    }
                )
    return {"changed": changed, "better": better, "worse": worse, "examples": examples}
