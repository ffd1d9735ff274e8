"""Intervals and fairness figures against hand-computed and brute-force values."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import pytest

from engine.review.load import gini, grafana_balance, overloaded
from engine.review.stats import bootstrap, mean_interval, quantile_interval, total_interval, wilson


def test_wilson_matches_the_formula_worked_by_hand() -> None:
    # centre (0.3 + z^2/200) / (1 + z^2/100) = 0.307399; half-width
    # z * sqrt(0.0021 + z^2/40000) / (1 + z^2/100) = 0.088450, with z = 1.959964.
    est = wilson(30, 100)
    assert est["value"] == 0.3
    assert est["ci"] == pytest.approx([0.218949, 0.395849], abs=2e-6)


def test_wilson_at_zero_successes_is_not_degenerate() -> None:
    low, high = wilson(0, 50)["ci"]
    assert low == 0.0 and 0.05 < high < 0.08


def test_mean_interval_of_identical_values_has_no_width() -> None:
    assert mean_interval(5 * 240.0, 5 * 240.0**2, 5, digits=3) == {
        "value": 240.0,
        "ci": [240.0, 240.0],
    }


def test_quantile_interval_brackets_the_quantile_with_order_statistics() -> None:
    values = sorted(float(v) for v in range(1, 101))
    est = quantile_interval(values, 0.5)
    assert est["value"] == 50.0
    assert est["ci"] == [40.0, 60.0]  # ranks 50 -+ 1.96 * 5, rounded outwards


def test_quantile_among_never_acknowledged_is_none() -> None:
    values = [60.0] * 5 + [float("inf")] * 5
    assert quantile_interval(values, 0.9)["value"] is None
    assert quantile_interval(values, 0.5)["value"] == 60.0


def test_total_interval_scales_the_sum_and_its_spread() -> None:
    # sum 20, unit variance 20/3: half-width 0.5 * z * sqrt(4 * 20/3) = 5.060605.
    est = total_interval([2, 4, 6, 8], 0.5)
    assert est["value"] == 10.0
    assert est["ci"] == pytest.approx([10.0 - 5.060605, 10.0 + 5.060605], abs=2e-6)


def test_bootstrap_is_reproducible_for_a_seed() -> None:
    units = [[1.0, 2.0], [2.0, 1.0], [3.0, 0.0], [0.0, 4.0]]

    def share(chosen: Sequence[list[float]]) -> float:
        return sum(u[0] for u in chosen) / max(1.0, sum(sum(u) for u in chosen))

    assert bootstrap(units, share, 7) == bootstrap(units, share, 7)


def _brute_balance(values: list[float]) -> float:
    pairs = list(itertools.combinations(values, 2))
    if not pairs:
        return 1.0
    return sum(1.0 if max(a, b) == 0 else min(a, b) / max(a, b) for a, b in pairs) / len(pairs)


def test_grafana_balance_equals_the_pairwise_formula() -> None:
    rng = random.Random(3)
    for size in (0, 1, 2, 5, 30):
        values = [float(rng.choice([0, 0, 1, 2, 5, 9])) for _ in range(size)]
        assert grafana_balance(values) == pytest.approx(_brute_balance(values))


def test_gini_of_equal_and_of_concentrated_loads() -> None:
    assert gini([4.0, 4.0, 4.0]) == 0.0
    assert gini([0.0, 0.0, 0.0, 12.0]) == pytest.approx(0.75)
    assert gini([]) == 0.0


def test_overloaded_lists_people_above_average_when_unbalanced() -> None:
    assert overloaded({"a": 10.0, "b": 10.0}) == []
    assert overloaded({"a": 30.0, "b": 10.0, "c": 20.0}) == [
        {"contact": "a", "percent_above_average": 50}
    ]
