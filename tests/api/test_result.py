"""``Simulator.result()``: everything a run produced, JSON-ready, times as epoch seconds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from engine import Simulator, __version__
from engine.sim.responders import ScriptedResponder
from tests.builders import REGION, START, START_EPOCH, Org


def epochs(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v.timestamp() if isinstance(v, dt.datetime) else v for k, v in item.items()}


def seeded_run(**knobs: Any) -> Org:
    sim = Simulator(seed=11, start=START, region=REGION, **knobs)
    org = Org(sim, sim.client())
    org.seed()
    sim.set_responder("alejr", ScriptedResponder(delay=90))
    org.engage("example_escalation", IncidentId="inc-5")
    org.engage("akuam")
    sim.advance(400)
    return org


def test_result_is_json_serialisable_and_survives_a_round_trip() -> None:
    result = seeded_run(fail_probability={"SMS": 0.5}).sim.result()
    assert json.loads(json.dumps(result)) == result


def test_result_header_names_version_seed_times_namespace_and_settings() -> None:
    org = seeded_run(max_retries=2)
    result = org.sim.result()
    assert list(result) == [
        "escsim",
        "seed",
        "start",
        "end",
        "account",
        "region",
        "settings",
        "engagements",
        "outbox",
        "events",
    ]
    assert (result["escsim"], result["seed"], result["account"], result["region"]) == (
        __version__,
        11,
        "111122223333",
        REGION,
    )
    assert (result["start"], result["end"]) == (START_EPOCH, START_EPOCH + 400)
    assert result["settings"] == org.sim.knobs.as_dict()
    assert result["settings"]["max_retries"] == 2


def test_result_engagements_are_described_engagements_in_epoch_seconds() -> None:
    org = seeded_run()
    engagements = org.client.list_engagements()["Engagements"]
    result = org.sim.result()
    assert len(result["engagements"]) == len(engagements) == 2
    # The result keeps creation order; ListEngagements answers newest first (L1).
    for item, listed in zip(result["engagements"], reversed(engagements), strict=True):
        described = org.client.describe_engagement(EngagementId=listed["EngagementArn"])
        assert {k: v for k, v in item.items() if k != "Pages"} == epochs(described)
        assert list(item)[-1] == "Pages"


def test_result_pages_carry_their_receipts_and_resolutions() -> None:
    org = seeded_run()
    result = org.sim.result()
    for engagement in result["engagements"]:
        listed = org.client.list_pages_by_engagement(EngagementId=engagement["EngagementArn"])
        assert len(engagement["Pages"]) == len(listed["Pages"])
        for item, page in zip(engagement["Pages"], reversed(listed["Pages"]), strict=True):
            assert {k: v for k, v in item.items() if k not in ("Receipts", "Resolutions")} == (
                epochs(page)
            )
            receipts = org.client.list_page_receipts(PageId=page["PageArn"])["Receipts"]
            assert item["Receipts"] == [epochs(r) for r in receipts]
            resolutions = org.client.list_page_resolutions(PageId=page["PageArn"])
            assert item["Resolutions"] == resolutions["PageResolutions"]


def test_result_holds_a_read_page_of_the_escalation() -> None:
    result = seeded_run().sim.result()
    escalation = result["engagements"][0]
    alejr = next(p for p in escalation["Pages"] if p["ContactArn"].endswith("contact/alejr"))
    assert alejr["ReadTime"] == START_EPOCH + 300 + 90
    assert [r["ReceiptType"] for r in alejr["Receipts"]][-1] == "READ"
    assert alejr["Resolutions"][0]["StageIndex"] == 1


def test_result_outbox_and_events_are_the_simulator_records() -> None:
    org = seeded_run()
    result = org.sim.result()
    assert result["outbox"] == org.sim.outbox
    assert result["events"] == org.sim.events
    assert {m["Kind"] for m in result["outbox"]} == {"ACTIVATION", "PAGE"}


def test_result_of_the_same_run_is_byte_identical() -> None:
    first = json.dumps(seeded_run(fail_probability=0.3).sim.result())
    second = json.dumps(seeded_run(fail_probability=0.3).sim.result())
    assert first == second


def test_result_of_an_empty_run_has_no_engagements() -> None:
    sim = Simulator(seed=0, start=START)
    result = sim.result()
    assert (result["engagements"], result["outbox"], result["events"]) == ([], [], [])
    assert result["start"] == result["end"] == START_EPOCH
