"""Running scenarios: the import, responders, steps and their outcomes, ARN rewriting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.loader import load_file, load_text
from engine.scenario.runner import RunOutcome, run_scenario

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
START = 1767258000.0  # 2026-01-01T09:00:00Z

BASE = """\
version: 1
name: run
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15550100"}
      voice: {type: VOICE, address: "+15550101"}
    plan:
      - {duration: 5, targets: [{channel: sms, retry: 1}]}
      - {duration: 5, targets: [{channel: voice}]}
"""

ENGAGE = """\
  - at: 0m
    id: start1
    StartEngagement: {ContactId: akuam, Sender: cli, Subject: s, Content: c}
"""


def run(text: str, **options: Any) -> RunOutcome:
    [scenario] = load_text(text, "run.scenario.yaml")
    return run_scenario(scenario, **options)


def events(outcome: RunOutcome, kind: str) -> list[dict[str, Any]]:
    return [event for event in outcome.simulator.events if event["Type"] == kind]


def test_seed_escalation_is_acknowledged_by_akuam_and_stops_before_anasi() -> None:
    [scenario] = load_file(SCENARIOS / "seed-escalation-engagement.scenario.yaml")
    outcome = run_scenario(scenario)
    [read] = [e for e in events(outcome, "RECEIPT") if e["ReceiptType"] == "READ"]
    assert read["Time"] == START + 7 * 60
    assert read["PageArn"].split(":")[-1].startswith("page/akuam/")
    assert len(events(outcome, "ESCALATION_STOPPED")) == 1
    paged = [e["ContactArn"].rsplit("/", 1)[-1] for e in events(outcome, "PAGE_CREATED")]
    assert paged == ["akuam", "alejr"]
    assert outcome.failures == []


def test_seed_personal_engagement_pages_all_three_channels_five_minutes_apart() -> None:
    [scenario] = load_file(SCENARIOS / "seed-personal-engagement.scenario.yaml")
    outcome = run_scenario(scenario)
    messages = [(m["Time"] - START, m["ChannelType"]) for m in outcome.simulator.outbox]
    assert messages == [(0.0, "SMS"), (300.0, "VOICE"), (600.0, "EMAIL")]
    [step] = outcome.steps
    assert step.response is not None
    assert step.response["EngagementArn"].startswith(
        "arn:aws:ssm-contacts:us-east-2:111122223333:engagement/akuam/"
    )


def test_acknowledge_accepts_the_latest_page_with_its_code() -> None:
    outcome = run(
        BASE
        + "script:\n"
        + ENGAGE
        + "  - {at: 2m, acknowledge: {contact: akuam, engagement: start1}}\n"
    )
    ack = outcome.steps[1]
    assert ack.ok and ack.request is not None
    code = outcome.simulator.outbox[0]["Code"]
    assert ack.request == {
        "PageId": outcome.simulator.outbox[0]["PageArn"],
        "AcceptType": "READ",
        "AcceptCode": code,
    }
    [read] = [e for e in events(outcome, "RECEIPT") if e["ReceiptType"] == "READ"]
    assert (read["Time"], read["ReceiptInfo"]) == (START + 120, code)


def test_acknowledge_without_a_page_is_a_resource_not_found() -> None:
    text = BASE + "  bob:\n    channels: {sms: {type: SMS, address: '+15550109'}}\n    plan: []\n"
    outcome = run(
        text
        + "script:\n"
        + ENGAGE
        + "  - {at: 1m, acknowledge: {contact: bob, engagement: start1}}\n"
    )
    step = outcome.steps[1]
    assert step.error is not None and step.error["Code"] == "ResourceNotFoundException"
    assert "bob has no page" in step.error["Message"]
    assert not step.ok


def test_expect_error_turns_an_error_into_success() -> None:
    outcome = run(
        BASE
        + "script:\n  - {at: 0m, GetContact: {ContactId: ghost},"
        + " expect_error: ResourceNotFoundException}\n"
    )
    [step] = outcome.steps
    assert step.ok and step.failure() is None
    assert step.error is not None and step.error["Code"] == "ResourceNotFoundException"


def test_an_unexpected_error_is_recorded_in_the_aws_cli_s_words() -> None:
    outcome = run(BASE + "script:\n  - {at: 0m, GetContact: {ContactId: ghost}}\n")
    [step] = outcome.steps
    assert not step.ok
    assert str(step.failure()).startswith(
        "An error occurred (ResourceNotFoundException) when calling the GetContact operation: "
    )


def test_a_call_that_succeeds_against_expect_error_fails() -> None:
    outcome = run(
        BASE
        + "script:\n  - {at: 0m, GetContact: {ContactId: akuam},"
        + " expect_error: ValidationException}\n"
    )
    [step] = outcome.steps
    assert step.failure() == "expected ValidationException, but the GetContact call succeeded"


def test_a_step_whose_reference_cannot_resolve_is_skipped() -> None:
    outcome = run(
        BASE
        + "script:\n  - {at: 0m, id: g, GetContact: {ContactId: ghost}}\n"
        + "  - {at: 1m, GetContact: {ContactId: '${g.ContactArn}'}}\n"
    )
    step = outcome.steps[1]
    assert step.request is None and step.response is None
    assert step.skipped is not None and "step 'g' has no response" in step.skipped
    assert not step.ok


def test_state_before_a_failed_step_is_kept() -> None:
    text = (
        BASE + "script:\n" + ENGAGE + "  - {at: 1m, StopEngagement: {EngagementId: not-an-arn}}\n"
    )
    outcome = run(text)
    assert not outcome.steps[1].ok
    assert len(outcome.simulator.result()["engagements"]) == 1
    assert events(outcome, "ENGAGEMENT_STOPPED") == []


def test_steps_run_at_their_virtual_times_after_work_due_then() -> None:
    outcome = run(
        BASE
        + "script:\n"
        + ENGAGE
        + "  - {at: 5m, id: pages, ListPagesByContact: {ContactId: akuam}}\n"
    )
    step = outcome.steps[1]
    assert step.time == START + 300
    voice = [m for m in outcome.simulator.outbox if m["ChannelType"] == "VOICE"]
    assert voice and voice[0]["Time"] == START + 300
    assert step.events_before > outcome.simulator.events.index(
        next(e for e in events(outcome, "MESSAGE") if e["ChannelType"] == "VOICE")
    )


def test_arns_of_the_file_are_rewritten_to_the_run_region() -> None:
    text = (SCENARIOS / "seed-personal-engagement.scenario.yaml").read_text()
    text = text.replace("region: us-east-2", "region: eu-west-1")
    outcome = run(text)
    [step] = outcome.steps
    assert step.request is not None
    assert step.request["ContactId"] == "arn:aws:ssm-contacts:eu-west-1:111122223333:contact/akuam"
    assert step.ok and step.response is not None
    assert ":eu-west-1:" in step.response["EngagementArn"]
    assert outcome.simulator.outbox[0]["ContactChannelArn"].endswith(
        "contact-channel/akuam/beb25840-5ac8-4644-95cc-7a8de390fa65"
    )


def test_import_errors_point_at_the_short_form_field() -> None:
    text = BASE.replace('address: "+15550100"', 'address: "not a number"')
    with pytest.raises(ScenarioError) as caught:
        run(text)
    [line] = caught.value.lines()
    assert line.startswith("run.scenario.yaml:8: contacts.akuam.channels.sms.address")


def test_import_errors_point_at_the_aws_form_field() -> None:
    text = (SCENARIOS / "seed-personal-engagement.scenario.yaml").read_text()
    text = text.replace("SimpleAddress: akuam@example.com", "SimpleAddress: not-an-email")
    with pytest.raises(ScenarioError) as caught:
        run(text)
    [line] = caught.value.lines()
    assert line.startswith(
        "run.scenario.yaml:55: contacts[0].channels[2].DeliveryAddress.SimpleAddress: Value "
        "'not-an-email' at 'contacts[0].channels[2].DeliveryAddress.SimpleAddress' must be"
    )


def test_scripted_and_probabilistic_responders_acknowledge() -> None:
    text = (
        BASE
        + "  bob:\n    channels: {sms: {type: SMS, address: '+15550109'}}\n"
        + "    plan: [{duration: 5, targets: [{channel: sms}]}]\n"
    )
    text += "responders:\n  akuam: {acknowledges_after: 90s}\n"
    text += "  bob: {probability: 1, delay: {fixed: 3m}}\n"
    text += (
        "script:\n"
        + ENGAGE
        + "  - {at: 0m, StartEngagement: {ContactId: bob, Sender: cli, Subject: s, Content: c}}\n"
    )
    outcome = run(text)
    reads = sorted(
        e["Time"] - START for e in events(outcome, "RECEIPT") if e["ReceiptType"] == "READ"
    )
    assert reads == [90.0, 180.0]


def test_settings_and_seed_can_be_overridden() -> None:
    settings = "settings: {latency: {SMS: 3}, delivery_receipts: carrier}\n"
    outcome = run(BASE + settings + "script:\n" + ENGAGE)
    [delivered] = [e for e in events(outcome, "RECEIPT") if e["ReceiptType"] == "DELIVERED"][:1]
    assert delivered["Time"] == START + 3
    changed = run(BASE + settings + "script:\n" + ENGAGE, settings={"latency.SMS": 10}, seed=4)
    first = next(e for e in events(changed, "RECEIPT") if e["ReceiptType"] == "DELIVERED")
    assert first["Time"] == START + 10
    assert changed.simulator.seed == 4
    assert changed.simulator.knobs.delivery_receipts == "carrier"


def test_same_file_and_seed_give_identical_results() -> None:
    text = BASE + "settings: {fail_probability: 0.5}\nscript:\n" + ENGAGE
    assert run(text).result() == run(text).result()
    assert run(text).result() != run(text, seed=1).result()


def test_result_holds_the_scenario_and_every_step() -> None:
    result = run(BASE + "script:\n" + ENGAGE).result()
    assert list(result)[:2] == ["escsim", "scenario"]
    assert result["scenario"] == {"name": "run", "description": ""}
    [step] = result["steps"]
    assert step["Operation"] == "StartEngagement" and step["Ok"] is True
    assert step["Path"] == "script[0]" and step["Id"] == "start1"
    assert set(result) >= {"engagements", "outbox", "events", "settings", "seed", "start"}
