"""Analytic checks: forecasts and coverage proofs whose answers are known in closed form."""

from __future__ import annotations

from collections.abc import Callable

from engine.review.diff import diff
from engine.review.document import ReviewRun, window
from engine.review.executors import InProcess
from engine.review.inputs import scenario_input
from tests.review.conftest import people, scenario


def test_a_contact_who_always_acknowledges_after_d_minutes_has_mtta_d_and_no_spread(
    reviewed: Callable[..., ReviewRun],
) -> None:
    text = scenario(
        "contacts:\n"
        + people("solo")
        + """
responders:
  solo: {acknowledges_after: 4m}
incidents: {count: 40}
"""
    )
    tta = reviewed(text, replications=3).document["forecast"]["time_to_acknowledge"]
    assert tta["mean_when_acknowledged"] == {"value": 240.0, "ci": [240.0, 240.0]}
    for quantile in ("p50", "p90", "p99"):
        assert tta[quantile] == {"value": 240.0, "ci": [240.0, 240.0]}
    assert tta["no_acknowledgement"]["value"] == 0.0
    assert tta["within"]["5m"]["value"] == 1.0


def test_p_reaching_stage_two_is_one_minus_p_within_its_interval(
    reviewed: Callable[..., ReviewRun],
) -> None:
    text = scenario(
        "contacts:\n"
        + people("first", "second")
        + """
  team:
    plan:
      - {duration: 5, targets: [{contact: first, essential: true}]}
      - {duration: 5, targets: [{contact: second, essential: true}]}
responders:
  first: {probability: 0.3, delay: {fixed: 1m}}
incidents: {count: 300}
"""
    )
    forecast = reviewed(text, replications=5).document["forecast"]
    reach = {row["stage"]: row for row in forecast["stage_reach"]}
    low, high = reach[1]["ci"]
    assert low <= 0.7 <= high
    assert high - low < 0.06  # 1500 engagements: a tight interval, not a vacuous one
    assert reach[0]["value"] == 1.0


GAPPED_ROTATION = """
rotations:
  weekly:
    members: [a, b]
    start: 2026-03-02T00:00:00Z
    zone: Europe/London
    weekly: [{day: MON, at: "10:00"}]
    coverage:
      MON: [["00:00", "09:00"], ["10:00", "00:00"]]
      TUE: [["00:00", "00:00"]]
      WED: [["00:00", "00:00"]]
      THU: [["00:00", "00:00"]]
      FRI: [["00:00", "00:00"]]
      SAT: [["00:00", "00:00"]]
      SUN: [["00:00", "00:00"]]
"""


def test_a_planted_one_hour_gap_per_week_gives_one_gap_per_week_across_dst(
    reviewed: Callable[..., ReviewRun],
) -> None:
    # Eight weeks from Monday 2 March 2026 cross the UK's change to summer time on 29 March.
    text = scenario(
        "contacts:\n"
        + people("a", "b")
        + """
  oncall:
    rotations: [weekly]
  team:
    plan:
      - {duration: 5, targets: [{contact: oncall, essential: true}]}
incidents: {count: 5}
"""
        + GAPPED_ROTATION,
        start="2026-03-02T00:00:00Z",
    )
    run = reviewed(text, replications=1, end="56d")
    subjects = {s["contact"]: s for s in run.document["coverage"]["subjects"]}
    gaps = subjects["oncall"]["nobody"]["intervals"]
    assert len(gaps) == 8
    assert subjects["oncall"]["dst_changes"] == ["2026-03-29T01:00:00+00:00"]
    # 09:00-10:00 London time: 09:00 UTC in winter, 08:00 UTC in summer, an hour long either way.
    assert [g["start"][11:16] for g in gaps] == ["09:00"] * 4 + ["08:00"] * 4
    assert subjects["oncall"]["nobody"]["seconds"] == 8 * 3600.0
    assert subjects["team"]["first_stage"]["gaps"] == 8


def test_the_diff_of_a_plan_with_itself_is_empty(write: Callable[..., str]) -> None:
    text = scenario(
        "contacts:\n"
        + people("a", "b")
        + """
  team:
    plan:
      - {duration: 5, targets: [{contact: a, essential: true}]}
      - {duration: 5, targets: [{contact: b, essential: true}]}
responders:
  a: {probability: 0.5, delay: {exponential: {mean: 3m}}}
incidents: {count: 30}
"""
    )
    old = scenario_input(write(text, "old.scenario.yaml"))
    new = scenario_input(write(text, "new.scenario.yaml"))
    start, end = window(old, None, "30d")
    run = diff(old, new, start, end, 2, 5, InProcess())
    changes = run.document["changes"]
    assert run.identical
    assert changes["lint"] == {"gained": [], "lost": []}
    assert changes["coverage"] == changes["load"] == changes["time_to_acknowledge"] == []
    assert changes["incidents"]["changed"] == 0
