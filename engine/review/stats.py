"""Estimates with 95% confidence intervals, chosen per kind of figure.

- Proportions (P(ack within 5 min), P(no ack), P(reaching stage k)): the Wilson score interval on
  the pooled engagements, which stays inside [0, 1] and is not degenerate at 0 or 1 counts.
- Means over engagements (MTTA, messages per engagement): the normal interval
  mean +- z * sd / sqrt(n); engagements are independent draws, so n is their number.
- Quantiles (P50, P90, P99 of time to acknowledge): the distribution-free interval between the
  order statistics that a binomial(n, q) count puts around the quantile (normal approximation).
- Totals over replications (pages per week per person): independent units (replications, split
  into batches of incidents when there are fewer than 20), total +- z * sqrt(U * var(unit)).
- Functions of everything at once (Grafana balance, Gini): a percentile bootstrap over the same
  units with a seeded generator, so the interval is reproducible.

Every estimate is a dict ``{"value": v, "ci": [low, high]}``; ``None`` stands for "never" (a
quantile beyond the acknowledged share) or "not estimable".
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any, TypedDict

Z = 1.959963984540054  # two-sided 95%
BOOTSTRAP_SAMPLES = 200


class Estimate(TypedDict):
    """A figure and its 95% interval, as the review's JSON writes it."""

    value: float | None
    ci: list[float | None]


def _round(value: float | None, digits: int) -> float | None:
    if value is None or math.isinf(value) or math.isnan(value):
        return None
    return round(value, digits)


def estimate(
    value: float | None, low: float | None, high: float | None, digits: int = 6
) -> Estimate:
    """``{"value": v, "ci": [low, high]}`` rounded to ``digits``; infinities become None."""
    return {"value": _round(value, digits), "ci": [_round(low, digits), _round(high, digits)]}


def wilson(successes: int, trials: int) -> Estimate:
    """The share ``successes / trials`` with its Wilson score interval (None when no trials)."""
    if trials <= 0:
        return estimate(None, None, None)
    p = successes / trials
    z2 = Z * Z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = Z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return estimate(p, max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(total: float, squares: float, count: int, digits: int = 6) -> Estimate:
    """The mean of ``count`` values given their sum and sum of squares, with a normal interval."""
    if count <= 0:
        return estimate(None, None, None, digits)
    mean = total / count
    if count == 1:
        return estimate(mean, None, None, digits)
    variance = max(0.0, (squares - total * total / count) / (count - 1))
    half = Z * math.sqrt(variance / count)
    return estimate(mean, mean - half, mean + half, digits)


def quantile_interval(ordered: Sequence[float], q: float) -> Estimate:
    """The q-quantile (nearest rank) of sorted values, with its order-statistic interval.

    Infinite values (never acknowledged) sort last; a quantile or bound among them is None.
    """
    n = len(ordered)
    if n == 0:
        return estimate(None, None, None, 3)
    rank = min(n, max(1, math.ceil(q * n)))
    spread = Z * math.sqrt(n * q * (1 - q))
    low_rank = min(n, max(1, math.floor(n * q - spread)))
    high_rank = min(n, max(1, math.ceil(n * q + spread)))
    return estimate(ordered[rank - 1], ordered[low_rank - 1], ordered[high_rank - 1], 3)


def total_interval(units: Sequence[float], scale: float) -> Estimate:
    """``sum(units) * scale`` with a normal interval from the spread between units."""
    count = len(units)
    total = float(sum(units))
    if count < 2:
        return estimate(total * scale, None, None)
    mean = total / count
    variance = sum((u - mean) ** 2 for u in units) / (count - 1)
    half = Z * math.sqrt(count * variance)
    return estimate(total * scale, (total - half) * scale, (total + half) * scale)


def bootstrap(
    units: Sequence[Any], statistic: Callable[[Sequence[Any]], float], seed: int
) -> Estimate:
    """``statistic(units)`` with a 95% percentile bootstrap interval over resampled units."""
    value = statistic(units)
    if len(units) < 2:
        return estimate(value, None, None)
    rng = random.Random(seed)
    count = len(units)
    draws = sorted(
        statistic([units[rng.randrange(count)] for _ in range(count)])
        for _ in range(BOOTSTRAP_SAMPLES)
    )
    low = draws[int(0.025 * BOOTSTRAP_SAMPLES)]
    high = draws[min(BOOTSTRAP_SAMPLES - 1, math.ceil(0.975 * BOOTSTRAP_SAMPLES) - 1)]
    return estimate(value, low, high)
