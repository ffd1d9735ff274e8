"""``Simulator.next_due``: the instant of the next scheduled work, cancelled work aside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.scenario.loader import load_file
from engine.scenario.runner import build_simulator

SEED = (
    Path(__file__).resolve().parents[2] / "scenarios" / "seed-escalation-engagement.scenario.yaml"
)
ESCALATION = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/example_escalation"
START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)


def test_next_due_follows_the_stages_and_forgets_stopped_work() -> None:
    sim, _ = build_simulator(load_file(SEED)[0])
    assert sim.next_due() is None
    arn = sim.client().start_engagement(ContactId=ESCALATION, Sender="t", Subject="s", Content="c")[
        "EngagementArn"
    ]
    assert sim.next_due() == START + dt.timedelta(minutes=5)  # the next stages start
    sim.advance_to(sim.next_due().isoformat())  # type: ignore[union-attr]
    assert sim.next_due() == START + dt.timedelta(minutes=7)  # akuam's responder acknowledges
    sim.client().stop_engagement(EngagementId=arn)
    assert sim.next_due() is None
