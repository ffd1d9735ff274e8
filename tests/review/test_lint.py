"""Lint: each review finding (G8xx) on an organisation that has exactly that problem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.findings import CATALOGUE
from engine.review.document import ReviewRun
from tests.review.conftest import people, scenario

TEAM = """
  team:
    plan:
      - {duration: 5, targets: [{contact: a, essential: true}]}
      - {duration: 5, targets: [{contact: b, essential: true}]}
"""


def _findings(run: ReviewRun, kind: str) -> list[dict[str, Any]]:
    return [f for f in run.document["lint"]["findings"] if f["Id"] == kind]


def test_every_finding_carries_id_path_and_why_from_the_catalogue(
    reviewed: Callable[..., ReviewRun],
) -> None:
    run = reviewed(scenario("contacts:\n" + people("a", "b") + TEAM), end="1d")
    findings = run.document["lint"]["findings"]
    assert findings
    for finding in findings:
        assert finding["Why"] == CATALOGUE[finding["Id"]].why
        assert finding["Path"].startswith("contact/")
        assert "Line" in finding and "Location" in finding


def test_g801_retries_that_until_ack_never_lets_fire(reviewed: Callable[..., ReviewRun]) -> None:
    text = scenario(
        """
settings: {retry_mode: until_ack}
contacts:
  a:
    channels: {sms: {type: SMS, address: "+15550100"}, voice: {type: VOICE, address: "+15550100"}}
    plan:
      - {duration: 5, targets: [{channel: sms, retry: 5}]}
      - {duration: 10, targets: [{channel: voice, retry: 2}]}
"""
    )
    found = _findings(reviewed(text, end="1d"), "G801")
    assert [f["Path"] for f in found] == [
        "contact/a.Plan.Stages[0].Targets[0].ChannelTargetInfo.RetryIntervalInMinutes"
    ]
    assert "not shorter than the stage's 5 min" in found[0]["Message"]


def test_g801_retries_with_max_retries_zero(reviewed: Callable[..., ReviewRun]) -> None:
    text = scenario("settings: {max_retries: 0}\ncontacts:\n" + people("a"))
    found = _findings(reviewed(text, end="1d"), "G801")
    assert len(found) == 2
    assert all("max_retries is 0" in f["Message"] for f in found)


def test_g802_stage_after_a_certain_acknowledgement(reviewed: Callable[..., ReviewRun]) -> None:
    text = scenario("contacts:\n" + people("a") + "responders:\n  a: {acknowledges_after: 5m}\n")
    found = _findings(reviewed(text, end="1d"), "G802")
    # The acknowledgement at 5 min comes before the VOICE stage due at the same instant.
    assert [f["Path"] for f in found] == ["contact/a.Plan.Stages[1]"]


def test_g802_is_silent_for_a_responder_that_may_not_answer(
    reviewed: Callable[..., ReviewRun],
) -> None:
    text = scenario(
        "contacts:\n" + people("a") + "responders:\n  a: {probability: 0.9, delay: {fixed: 1m}}\n"
    )
    assert _findings(reviewed(text, end="1d"), "G802") == []


def test_g803_personal_stage_after_the_next_tier(reviewed: Callable[..., ReviewRun]) -> None:
    run = reviewed(scenario("contacts:\n" + people("a", "b") + TEAM), end="1d")
    found = _findings(run, "G803")
    # Only stage 0 has a stage after it; a's VOICE (at 5 min) comes as b is engaged.
    assert [f["Path"] for f in found] == ["contact/team.Plan.Stages[0].Targets[0]"]
    assert "stage 1 (VOICE at 5 min)" in found[0]["Message"]


def test_g804_and_g805_for_a_contact_paged_by_sms_only(
    reviewed: Callable[..., ReviewRun],
) -> None:
    text = scenario(
        """
contacts:
  texts:
    channels: {sms: {type: SMS, address: "+15550100"}, voice: {type: VOICE, address: "+15550100"}}
    plan:
      - {duration: 5, targets: [{channel: sms, retry: 1}]}
  calls:
    channels: {voice: {type: VOICE, address: "+15550101"}}
    plan:
      - {duration: 5, targets: [{channel: voice, retry: 1}]}
"""
    )
    run = reviewed(text, end="1d")
    assert [f["Path"] for f in _findings(run, "G804")] == [
        "contact/calls.Plan",
        "contact/texts.Plan",
    ]
    assert [f["Path"] for f in _findings(run, "G805")] == ["contact/texts.Plan"]


ROTATION = """
rotations:
  business:
    members: [a]
    zone: UTC
    daily: ["09:00"]
    coverage:
      MON: [["09:00", "17:00"]]
      TUE: [["09:00", "17:00"]]
      WED: [["09:00", "17:00"]]
      THU: [["09:00", "17:00"]]
      FRI: [["09:00", "17:00"]]
"""


def test_g806_and_g807_when_the_first_stage_schedule_has_gaps(
    reviewed: Callable[..., ReviewRun],
) -> None:
    text = scenario(
        "contacts:\n"
        + people("a", "b")
        + """
  oncall:
    rotations: [business]
  team:
    plan:
      - {duration: 5, targets: [{contact: oncall, essential: true}]}
      - {duration: 5, targets: [{contact: b, essential: true}]}
"""
        + ROTATION
    )
    run = reviewed(text, end="7d")
    assert [f["Path"] for f in _findings(run, "G806")] == ["contact/team.Plan.Stages[0]"]
    assert [f["Path"] for f in _findings(run, "G807")] == ["contact/oncall.Plan.RotationIds"]
    assert _findings(run, "G808") == []  # b covers every gap in stage 1
    assert run.document["lint"]["errors"] == 0


def test_g808_when_no_stage_reaches_anyone(reviewed: Callable[..., ReviewRun]) -> None:
    text = scenario(
        "contacts:\n"
        + people("a")
        + """
  oncall:
    rotations: [business]
  team:
    plan:
      - {duration: 5, targets: [{contact: oncall, essential: true}]}
"""
        + ROTATION
    )
    run = reviewed(text, end="7d")
    found = _findings(run, "G808")
    assert [f["Path"] for f in found] == ["contact/team.Plan"]
    assert found[0]["Severity"] == "error"
    # 7 days from Monday 00:00: 5 nights, 2 weekend days and the evenings, 128 hours in all.
    assert "totalling 128h" in found[0]["Message"]
    assert run.document["lint"]["errors"] == 1


def test_graph_findings_are_part_of_the_lint(reviewed: Callable[..., ReviewRun]) -> None:
    text = scenario(
        "contacts:\n"
        + people("a")
        + """
  team:
    plan:
      - {duration: 5, targets: [{contact: a, essential: false}]}
"""
    )
    assert [f["Path"] for f in _findings(reviewed(text, end="1d"), "G504")] == ["contact/team.Plan"]
