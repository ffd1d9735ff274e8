"""Diff: a hand-checkable change shows up for whom and when, through the same incidents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.review.diff import DiffRun, diff
from engine.review.document import window
from engine.review.executors import InProcess
from engine.review.inputs import scenario_input
from tests.review.conftest import people, scenario

ORDER = """
  team:
    plan:
      - {{duration: 5, targets: [{{contact: {first}, essential: true}}]}}
      - {{duration: 5, targets: [{{contact: {second}, essential: true}}]}}
responders:
  a: {{acknowledges_after: 2m}}
  b: {{acknowledges_after: 3m}}
incidents: {{count: 20}}
"""


def _diff(write: Callable[..., str], old: str, new: str, **options: Any) -> DiffRun:
    before = scenario_input(write(old, "old.scenario.yaml"))
    after = scenario_input(write(new, "new.scenario.yaml"))
    start, end = window(before, None, options.pop("end", "14d"))
    return diff(before, after, start, end, 2, 9, InProcess(), **options)


def _version(first: str, second: str, extra: str = "") -> str:
    return scenario(
        "contacts:\n" + people("a", "b") + ORDER.format(first=first, second=second) + extra
    )


@pytest.fixture
def swapped(write: Callable[..., str]) -> DiffRun:
    # Old: a first (answers in 2 min, so b is never paged). New: b first (answers in 3 min).
    return _diff(write, _version("a", "b"), _version("b", "a"))


def test_swapping_the_tiers_moves_every_page_from_a_to_b(swapped: DiffRun) -> None:
    load = {row["contact"]: row for row in swapped.document["changes"]["load"]}
    assert set(load) == {"a", "b"}
    assert load["a"]["new"]["value"] == 0.0 and load["b"]["old"]["value"] == 0.0
    assert load["a"]["old"]["value"] == load["b"]["new"]["value"] > 0
    assert load["a"]["change"]["value"] == -load["a"]["old"]["value"]
    assert not swapped.identical


def test_swapping_the_tiers_adds_a_minute_to_every_acknowledgement(swapped: DiffRun) -> None:
    figures = {row["figure"]: row for row in swapped.document["changes"]["time_to_acknowledge"]}
    assert figures["p50"]["old"]["value"] == 120.0
    assert figures["p50"]["new"]["value"] == 180.0
    incidents = swapped.document["changes"]["incidents"]
    assert incidents["changed"] == incidents["worse"] == 40  # 2 replications of 20
    assert incidents["better"] == 0
    first = incidents["examples"][0]
    assert (first["old"], first["new"], first["target"]) == (120.0, 180.0, "team")


def test_both_versions_see_the_same_incidents(swapped: DiffRun) -> None:
    (_, old_results), (_, new_results) = swapped.old, swapped.new
    assert [r.times for r in old_results] == [r.times for r in new_results]


def test_a_coverage_change_reports_the_gaps_gained_with_their_times(
    write: Callable[..., str],
) -> None:
    rotation = """
rotations:
  days:
    members: [a]
    zone: UTC
    daily: ["09:00"]
{coverage}
"""
    always = (
        "    coverage: {MON: [['00:00', '00:00']], TUE: [['00:00', '00:00']], "
        "WED: [['00:00', '00:00']], THU: [['00:00', '00:00']], FRI: [['00:00', '00:00']], "
        "SAT: [['00:00', '00:00']], SUN: [['00:00', '00:00']]}"
    )
    no_sunday = always.replace(", SUN: [['00:00', '00:00']]", "")
    schedule = "  oncall:\n    rotations: [days]\n"
    old = scenario("contacts:\n" + people("a") + schedule + rotation.format(coverage=always))
    new = scenario("contacts:\n" + people("a") + schedule + rotation.format(coverage=no_sunday))
    run = _diff(write, old, new, end="14d")
    rows = run.document["changes"]["coverage"]
    assert [(r["contact"], r["kind"]) for r in rows] == [
        ("oncall", "first_stage"),
        ("oncall", "nobody"),
    ]
    assert [(i["start"], i["end"]) for i in rows[1]["gained"]] == [
        ("2026-01-11T00:00:00+00:00", "2026-01-12T00:00:00+00:00"),
        ("2026-01-18T00:00:00+00:00", "2026-01-19T00:00:00+00:00"),
    ]
    assert rows[1]["lost"] == []
    gained = [f["Id"] for f in run.document["changes"]["lint"]["gained"]]
    assert gained == ["G807"]
