"""The review's on-call hours follow the engine's reading of a schedule's rotations as layers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.review.load import on_call_seconds
from engine.scenario.loader import load_file
from engine.scenario.runner import build_simulator

FILE = (
    Path(__file__).resolve().parents[2]
    / "scenarios/oncall/layered-schedules-page-the-last-rotation-with-anyone-on-call.scenario.yaml"
)
WEEK = (dt.datetime(2026, 1, 5, tzinfo=dt.UTC), dt.datetime(2026, 1, 12, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("layered", "hours"),
    [
        # alice and bob hand off daily at 09:00 from Monday 09:00; carol works 09-17 weekdays.
        (False, {"alice": 87.0, "bob": 72.0, "carol": 40.0}),
        # As layers carol's 40 hours come off whoever the base rotation had then: alice on
        # Monday, Wednesday and Friday, bob on Tuesday and Thursday.
        (True, {"alice": 63.0, "bob": 56.0, "carol": 40.0}),
    ],
)
def test_on_call_hours_of_a_layered_schedule(layered: bool, hours: dict[str, float]) -> None:
    scenario = load_file(FILE)[0]
    sim, _ = build_simulator(scenario)
    aliases = {arn: alias for alias, arn in scenario.organisation.aliases.items()}
    seconds = on_call_seconds(sim.state(), *WEEK, layered=layered)
    assert {aliases[arn]: s / 3600 for arn, s in seconds.items()} == hours
