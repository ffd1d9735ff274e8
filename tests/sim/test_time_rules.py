"""docs/semantics.md T0-T2: the virtual clock, order within an instant, and keyed determinism."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from engine import Simulator
from engine.errors import ValidationException
from tests.builders import START, START_EPOCH, Org, events_of, offset


def test_T0_start_defaults_to_the_wall_clock_second_and_is_recorded() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sim = Simulator(seed=1)
    after = dt.datetime.now(dt.UTC)
    assert before <= sim.start <= after
    assert sim.start.microsecond == 0
    assert sim.result()["start"] == sim.start.timestamp()


def test_T0_the_clock_never_moves_backwards(sim: Simulator) -> None:
    sim.advance(600)
    with pytest.raises(ValidationException, match="cannot move backwards"):
        sim.advance_to("2026-01-01T00:05:00Z")
    assert sim.elapsed == 600


def test_T1_records_carry_absolute_epoch_seconds(org: Org) -> None:
    org.seed()
    org.sim.advance(90)
    org.engage("akuam")
    started = events_of(org.sim, "ENGAGEMENT_STARTED")[0]
    assert started["Time"] == START_EPOCH + 90
    assert org.sim.now == dt.datetime(2026, 1, 1, 0, 1, 30, tzinfo=dt.UTC)


def test_T1b_stage_zero_is_visible_without_advancing(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    pages = org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]
    assert [p["ContactArn"].rsplit("/", 1)[1] for p in pages] == ["akuam"]
    assert pages[0]["SentTime"] == org.sim.now


def test_T1b_advancing_runs_work_due_at_the_new_instant_inclusive(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance(299.999)
    assert len(org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]) == 1
    org.sim.advance(0.001)
    assert len(org.client.list_pages_by_engagement(EngagementId=engagement)["Pages"]) == 2


def test_T1c_internal_work_due_at_an_instant_runs_before_a_request_at_it(org: Org) -> None:
    org.seed()
    engagement = org.engage("example_escalation")
    org.sim.advance_to("2026-01-01T00:05:00Z")
    org.client.stop_engagement(EngagementId=engagement)
    stop = events_of(org.sim, "ENGAGEMENT_STOPPED")[0]
    escalation_stages = [e for e in events_of(org.sim, "STAGE_STARTED") if "PageArn" not in e]
    assert [e["StageIndex"] for e in escalation_stages] == [0, 1]
    assert org.sim.events.index(escalation_stages[1]) < org.sim.events.index(stop)


def _run_seed(seed: int, **knobs: object) -> Simulator:
    sim = Simulator(seed=seed, start=START, region="us-east-2", **knobs)
    org = Org(sim, sim.client())
    org.seed()
    org.engage("example_escalation")
    sim.run()
    return sim


def test_T2_same_inputs_and_seed_give_byte_identical_records() -> None:
    first = _run_seed(3, fail_probability=0.3)
    second = _run_seed(3, fail_probability=0.3)
    assert json.dumps(first.result()) == json.dumps(second.result())


def test_T2_another_seed_gives_other_ids() -> None:
    assert _run_seed(3).events[-1] != _run_seed(4).events[-1]


def test_T2_a_changed_knob_does_not_shift_unrelated_draws() -> None:
    base = _run_seed(5)
    slower = _run_seed(5, latency={"SMS": 50})
    assert [p["PageArn"] for p in base.outbox if p["Kind"] == "PAGE"] == [
        p["PageArn"] for p in slower.outbox if p["Kind"] == "PAGE"
    ]
    assert [m["Code"] for m in base.outbox] == [m["Code"] for m in slower.outbox]


def test_T2_a_rejected_request_does_not_shift_later_ids(org: Org) -> None:
    org.seed()
    other = Simulator(seed=7, start=START, region="us-east-2")
    other_org = Org(other, other.client())
    other_org.seed()
    with pytest.raises(ValidationException):
        other_org.client.start_engagement(
            ContactId="not-an-arn", Sender="x", Subject="s", Content="c"
        )
    assert org.engage("akuam") == other_org.engage("akuam")


def test_T2_reads_draw_nothing(org: Org) -> None:
    org.seed()
    twin_sim = Simulator(seed=7, start=START, region="us-east-2")
    twin = Org(twin_sim, twin_sim.client())
    twin.seed()
    first = org.engage("akuam")
    org.client.describe_engagement(EngagementId=first)
    org.client.list_contacts()
    assert twin.engage("akuam") == first
    assert org.engage("alejr") == twin.engage("alejr")
    assert offset(org.sim.events[-1]) == offset(twin_sim.events[-1])
