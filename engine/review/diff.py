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

from engine import __version__
from engine.coverage.intervals import complement, intersect, normalise
from engine.review.document import run_forecast
from engine.review.executors import Executor
from engine.review.forecast import (
    ForecastPlan,
    ReplicationResult,
    StageReach,
    TimeToAcknowledge,
    acknowledgement_figures,
    default_targets,
)
from engine.review.gaps import SubjectCoverage, subject_coverage
from engine.review.incidents import IncidentModel
from engine.review.inputs import ReviewInput
from engine.review.lint import lint, lint_document
from engine.review.load import MEASURES
from engine.review.orgdiff import organisation_changes
from engine.review.stats import Estimate, total_interval
from engine.timeutil import isoformat

_EXAMPLES = 20
_WEEK = 7 * 86400.0
_LOAD_CHANGES = ("night_pages", "weekend_pages", "acknowledgements")  # after pages, as MEASURES


@dataclasses.dataclass
class DiffRun:
    """The diff document, and both forecasts for anyone who wants more."""

    document: dict[str, object]
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

    def run(which: int, version: ReviewInput) -> tuple[ForecastPlan, list[ReplicationResult]]:
        def report(count: int) -> None:
            done[which] = count
            if progress is not None:
                progress(done[0] + done[1])

        return run_forecast(
            version,
            start,
            end,
            replications,
            seed,
            executor,
            report,
            target_names=names,
            target_weights=weights,
        )

    old_run, new_run = run(0, old), run(1, new)
    old_cov = subject_coverage(old, start, end)
    new_cov = subject_coverage(new, start, end)
    window = (start, end)
    lint_changes = _lint_changes(old, new, old_cov, new_cov)
    outcomes = _incident_changes(old_run, new_run)
    changes: dict[str, object] = {
        "organisation": organisation_changes(old, new),
        "lint": lint_changes,
        "coverage": _coverage_changes(old_cov, new_cov, window),
        "load": _load_changes(old_run, new_run),
        "time_to_acknowledge": _figure_changes(
            acknowledgement_figures(*old_run), acknowledgement_figures(*new_run)
        ),
        "incidents": outcomes,
    }
    identical = not (
        any(changes[key] for key in ("organisation", "coverage", "load", "time_to_acknowledge"))
        or lint_changes["gained"]
        or lint_changes["lost"]
        or outcomes["changed"]
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
) -> dict[str, list[dict[str, object]]]:
    def keyed(
        review: ReviewInput, cov: Sequence[SubjectCoverage]
    ) -> dict[tuple[str, ...], dict[str, object]]:
        # As the review writes them: gained findings located in NEW's file, lost ones in OLD's.
        findings = lint(review, cov)
        records = lint_document(review, findings)["findings"]
        assert isinstance(records, list)
        return {(f.kind, f.path, f.message): r for f, r in zip(findings, records, strict=True)}

    before, after = keyed(old, old_cov), keyed(new, new_cov)
    return {
        "gained": [after[k] for k in sorted(after) if k not in before],
        "lost": [before[k] for k in sorted(before) if k not in after],
    }


def _difference(
    first: list[tuple[dt.datetime, dt.datetime]],
    second: list[tuple[dt.datetime, dt.datetime]],
    window: tuple[dt.datetime, dt.datetime],
) -> list[dict[str, object]]:
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
) -> list[dict[str, object]]:
    before = {s.alias: s for s in old}
    after = {s.alias: s for s in new}
    rows: list[dict[str, object]] = []
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


def _person_units(run: tuple[ForecastPlan, list[ReplicationResult]]) -> dict[str, list[list[int]]]:
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
) -> list[dict[str, object]]:
    plan = old[0]
    weeks = (plan.job.end - plan.job.start) / _WEEK
    scale = 1.0 / (plan.replications * weeks)
    before, after = _person_units(old), _person_units(new)
    unit_count = len(next(iter(before.values()))[0]) if before else 0
    zero = [[0] * unit_count for _ in MEASURES]
    rows: list[tuple[tuple[float, str], dict[str, object]]] = []
    for alias in sorted(set(before) | set(after)):
        was = before.get(alias, zero)
        now = after.get(alias, zero)
        if was == now:
            continue
        changes = [
            [b - a for a, b in zip(*pair, strict=True)] for pair in zip(was, now, strict=True)
        ]
        pages = total_interval(changes[0], scale)
        row: dict[str, object] = {
            "contact": alias,
            "old": total_interval(was[0], scale),
            "new": total_interval(now[0], scale),
            "change": pages,
        }
        for name, change in zip(_LOAD_CHANGES, changes[1:], strict=True):
            row[f"{name}_change"] = total_interval(change, scale)
        rows.append(((-abs(pages["value"] or 0.0), alias), row))
    return [row for _key, row in sorted(rows, key=lambda item: item[0])]


def _figure_changes(
    old: tuple[TimeToAcknowledge, list[StageReach]],
    new: tuple[TimeToAcknowledge, list[StageReach]],
) -> list[dict[str, object]]:
    (before, reach_before), (after, reach_after) = old, new
    figures = [
        ("p50", before["p50"], after["p50"]),
        ("p90", before["p90"], after["p90"]),
        ("p99", before["p99"], after["p99"]),
        (
            "mean_when_acknowledged",
            before["mean_when_acknowledged"],
            after["mean_when_acknowledged"],
        ),
    ]
    for label, within in before["within"].items():
        figures.append((f"within_{label}", within, after["within"][label]))
    figures.append(
        ("no_acknowledgement", before["no_acknowledgement"], after["no_acknowledgement"])
    )
    empty: Estimate = {"value": 0.0, "ci": [None, None]}
    was_at = {row["stage"]: _bare(row) for row in reach_before}
    now_at = {row["stage"]: _bare(row) for row in reach_after}
    for stage in sorted(set(was_at) | set(now_at)):
        figures.append((f"reach_stage_{stage}", was_at.get(stage, empty), now_at.get(stage, empty)))
    return [
        {"figure": name, "old": was, "new": now}
        for name, was, now in figures
        if was["value"] != now["value"]
    ]


def _bare(row: StageReach) -> Estimate:
    return {"value": row["value"], "ci": row["ci"]}


def _incident_changes(
    old: tuple[ForecastPlan, list[ReplicationResult]],
    new: tuple[ForecastPlan, list[ReplicationResult]],
) -> dict[str, object]:
    plan = old[0]
    changed = better = worse = 0
    examples: list[dict[str, object]] = []
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
