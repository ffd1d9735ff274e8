"""A whole review: lint, coverage and forecast of one input over one window, as one document.

The document is JSON-ready and deterministic: the same input, window, replications and seed give
byte-identical JSON whichever executor ran the replications (it records nothing about where or
how long they ran). :class:`ReviewRun` keeps, beside the document, what the HTML report draws.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from engine import __version__
from engine.findings import Finding
from engine.review.executors import Executor
from engine.review.forecast import ForecastPlan, ReplicationResult, plan_forecast, summarise
from engine.review.gaps import SubjectCoverage, coverage_section, subject_coverage
from engine.review.inputs import InputError, ReviewInput
from engine.review.lint import lint, lint_document
from engine.timeutil import DEFAULT_WINDOW, isoformat, parse_window


@dataclasses.dataclass
class ReviewRun:
    """The document and the raw material of a review."""

    document: dict[str, Any]
    review: ReviewInput
    findings: list[Finding]
    coverage: list[SubjectCoverage]
    plan: ForecastPlan
    results: list[ReplicationResult]


def window(
    review: ReviewInput, start: str | None, end: str | None
) -> tuple[dt.datetime, dt.datetime]:
    """[from, to) of a review: ``--from`` (default: the input's start) and ``--to`` (an instant,
    or a duration after ``from``; default one year), read as ``escsim coverage`` reads them.
    Raises InputError for an unusable one."""
    try:
        return parse_window(start, end, review.start, length=DEFAULT_WINDOW, name="review window")
    except ValueError as exc:
        raise InputError(str(exc)) from None


def run_forecast(
    review: ReviewInput,
    start: dt.datetime,
    end: dt.datetime,
    replications: int,
    seed: int,
    executor: Executor,
    progress: Callable[[int], None],
    **targets: Any,
) -> tuple[ForecastPlan, list[ReplicationResult]]:
    """Plan and run the replications; results in index order."""
    plan = plan_forecast(review, start, end, replications, seed, **targets)
    results = executor.run(plan.job, list(range(replications)), progress)
    return plan, results


def review(
    review_input: ReviewInput,
    start: dt.datetime,
    end: dt.datetime,
    replications: int,
    seed: int,
    executor: Executor,
    progress: Callable[[int], None] | None = None,
) -> ReviewRun:
    """Lint, prove coverage and forecast ``review_input`` over [start, end)."""
    subjects = subject_coverage(review_input, start, end)
    findings = lint(review_input, subjects)
    plan, results = run_forecast(
        review_input, start, end, replications, seed, executor, progress or (lambda _n: None)
    )
    sim = review_input.simulator
    document = {
        "escsim": __version__,
        "input": {
            "source": review_input.label,
            "name": review_input.name,
            "account": sim.account,
            "region": sim.region,
            "settings": sim.knobs.as_dict(),
        },
        "window": {
            "from": isoformat(start.timestamp()),
            "to": isoformat(end.timestamp()),
            "seconds": round((end - start).total_seconds(), 3),
        },
        "incident_model": review_input.incidents.describe(),
        "lint": lint_document(review_input, findings),
        "coverage": coverage_section(subjects, start, end),
        "forecast": summarise(plan, results),
    }
    return ReviewRun(document, review_input, findings, subjects, plan, results)
