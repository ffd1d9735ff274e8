"""Checking runs against expectations: what passes, and how each kind of mismatch is reported.

The organisation: team (akuam essential at 0m, alejr at 5m); akuam answers by SMS at 7m.
Messages: 0s akuam SMS, 5m akuam VOICE, 5m alejr SMS. The engagement ends at 7m.
"""

from __future__ import annotations

from engine.scenario.expect.report import ScenarioMismatch, ScenarioReport, check_scenario
from engine.scenario.loader import load_text

FILE = "team.scenario.yaml"

BASE = """\
version: 1
name: team
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15550100"}
      voice: {type: VOICE, address: "+15550100"}
    plan:
      - {duration: 5, targets: [{channel: sms}]}
      - {duration: 5, targets: [{channel: voice}]}
  alejr:
    channels:
      sms: {type: SMS, address: "+15550101"}
    plan:
      - {duration: 5, targets: [{channel: sms}]}
  team:
    plan:
      - {duration: 5, targets: [{contact: akuam, essential: true}]}
      - {duration: 0, targets: [{contact: alejr}]}
responders:
  akuam: {acknowledges_after: 7m, via: SMS}
script:
  - at: 0m
    id: page
    StartEngagement: {ContactId: team, Sender: ops, Subject: s, Content: c}
"""
EXPECT_LINE = 29  # line of the first key under "expect:"


def check(expect: str, script: str = "") -> ScenarioReport:
    [scenario] = load_text(BASE + script + "expect:\n" + expect, FILE)
    return check_scenario(scenario)


def headings(report: ScenarioReport) -> list[str]:
    return [mismatch.heading(FILE) for mismatch in report.mismatches]


def test_a_run_as_written_passes() -> None:
    report = check(
        "  messages:\n"
        "    - {at: 0m, contact: akuam, channel: SMS}\n"
        "    - {at: 5m, contact: akuam, channel: voice}\n"
        "    - {at: 5m, contact: alejr, channel: SMS, outcome: SENT, attempt: 1}\n"
    )
    assert report.passed, report.text()
    assert report.text() == f"scenario 'team' ({FILE}:2): as expected"


def test_exact_rows_report_a_wrong_time_with_the_row_found_instead() -> None:
    report = check(
        "  messages:\n"
        "    - {at: 0m, contact: akuam, channel: SMS}\n"
        "    - {at: 5m30s, contact: akuam, channel: VOICE}\n"
        "    - {at: 5m, contact: alejr, channel: SMS}\n"
    )
    [mismatch] = report.mismatches
    assert mismatch.heading(FILE) == (
        f"{FILE}:{EXPECT_LINE}: expect.messages: expected exactly 3 messages, found 3 that differ"
    )
    body = "\n".join(mismatch.body)
    assert "  = 0s     akuam    SMS sms      SENT" in body
    assert f"  - 5m30s  akuam    VOICE        ·        line {EXPECT_LINE + 2}: expected" in body
    assert "  + 5m     akuam    VOICE voice  SENT     found instead" in body
    assert "        at: expected 5m30s, got 5m" in body


def test_exact_rows_report_missing_and_unexpected_records() -> None:
    report = check("  messages:\n    - {contact: akuam, channel: EMAIL}\n")
    [mismatch] = report.mismatches
    assert "expected exactly 1 messages, found 3" in mismatch.title
    body = "\n".join(mismatch.body)
    assert "  - ·   akuam    EMAIL" in body
    assert sum(line.endswith("SENT     not expected") for line in mismatch.body) == 2
    assert "found instead" in body  # paired with the akuam SMS, which shares the contact


def test_where_restricts_an_exact_check() -> None:
    report = check(
        "  messages:\n    where: {contact: alejr}\n    exactly:\n      - {at: 5m, channel: SMS}\n"
    )
    assert report.passed, report.text()


def test_include_finds_rows_in_order_among_others() -> None:
    assert check(
        "  receipts:\n"
        "    include:\n"
        "      - {at: 0m, type: SENT}\n"
        "      - {at: 7m, type: READ, contact: akuam, channel: SMS}\n"
    ).passed


def test_include_reports_a_missing_row_with_the_nearest_record() -> None:
    report = check("  receipts:\n    include:\n      - {at: 8m, type: READ, contact: akuam}\n")
    [mismatch] = report.mismatches
    assert mismatch.heading(FILE) == (
        f"{FILE}:{EXPECT_LINE + 1}: expect.receipts.include: 1 of 1 expected receipts not found "
        "(in order, among 4)"
    )
    rows = [" ".join(line.split()) for line in mismatch.body]
    missing = rows.index(f"- 8m akuam · READ line {EXPECT_LINE + 2}: expected, not found")
    assert rows[missing - 1] == "7m akuam SMS sms READ"
    assert rows[missing + 1] == "nearest record: 7m akuam SMS sms READ"
    assert rows[missing + 2] == "at: expected 8m, got 7m"


def test_include_says_when_rows_are_out_of_order() -> None:
    report = check(
        "  receipts:\n    include:\n      - {type: READ}\n      - {type: SENT, contact: alejr}\n"
    )
    [mismatch] = report.mismatches
    assert "comes before the row above it: the rows are out of order" in "\n".join(mismatch.body)


def test_exclude_names_each_record_and_the_row_it_matches() -> None:
    report = check("  messages:\n    exclude:\n      - {contact: akuam, after: 1m}\n")
    [mismatch] = report.mismatches
    assert mismatch.title == "1 messages match a row that nothing may match"
    assert (
        f"  + 5m  akuam    VOICE voice  SENT     matches exclude[0] (line {EXPECT_LINE + 2}): "
        "{after 1m, contact: akuam}" in mismatch.body
    )


def test_nothing_else_to_a_contact_after_a_time() -> None:
    report = check(
        "  messages:\n"
        "    include:\n"
        "      - {at: 0m, contact: akuam}\n"
        "    exclude:\n"
        "      - {contact: alejr, after: 7m}\n"
    )
    assert report.passed, report.text()


def test_counts_report_what_they_found() -> None:
    assert check("  counts:\n    - {messages: 2, contact: akuam}\n").passed
    report = check("  counts:\n    - {messages: 1, channel: SMS}\n")
    [mismatch] = report.mismatches
    assert mismatch.heading(FILE) == (
        f"{FILE}:{EXPECT_LINE + 1}: expect.counts[0]: expected 1 messages matching "
        "{channel: SMS}, found 2"
    )
    assert len(mismatch.body) == 3  # header and the two SMS messages


def test_counts_of_events_pages_and_receipts() -> None:
    assert check(
        "  counts:\n"
        "    - {events: 1, type: ESCALATION_STOPPED}\n"
        "    - {pages: 2}\n"
        "    - {receipts: 1, type: READ, channel: sms}\n"
        "    - {events: 0, type: NO_ONCALL}\n"
    ).passed


def test_engagement_outcomes_pass_as_written() -> None:
    report = check(
        "  engagements:\n"
        "    page:\n"
        "      acknowledged: [{contact: akuam, at: 7m, channel: SMS}]\n"
        "      paged: [akuam, alejr]\n"
        "      escalation_stopped: 7m\n"
        "      stopped: false\n"
        "      ended: true\n"
    )
    assert report.passed, report.text()


def test_engagement_outcomes_report_each_field_at_its_line() -> None:
    report = check(
        "  engagements:\n"
        "    page:\n"
        "      acknowledged: [{contact: alejr}]\n"
        "      paged: [akuam]\n"
        "      escalation_stopped: false\n"
        "      stopped: 9m\n"
        "      ended: 5m\n"
    )
    at = f"{FILE}:{EXPECT_LINE + 1}: expect.engagements.page"
    assert headings(report) == [
        f"{at.replace(str(EXPECT_LINE + 1), str(EXPECT_LINE + 2))}.acknowledged: expected alejr;"
        " found 1 acknowledgement(s)",
        f"{FILE}:{EXPECT_LINE + 3}: expect.engagements.page.paged: expected akuam; "
        "got akuam, alejr",
        f"{FILE}:{EXPECT_LINE + 4}: expect.engagements.page.escalation_stopped: expected never, "
        "got at 7m",
        f"{FILE}:{EXPECT_LINE + 5}: expect.engagements.page.stopped: expected at 9m, got never",
        f"{FILE}:{EXPECT_LINE + 6}: expect.engagements.page.ended: expected at 5m, got at 7m",
    ]


def test_an_engagement_whose_step_failed_is_reported_as_such() -> None:
    script = (
        "  - at: 1m\n"
        "    id: other\n"
        "    StartEngagement: {ContactId: alejr, Sender: ops}\n"
        "    expect_error: ValidationException\n"
    )
    report = check("  engagements:\n    other: {ended: true}\n", script)
    [mismatch] = report.mismatches
    assert "step 'other' started no engagement" in mismatch.title


def test_pages_carry_resolution_and_times() -> None:
    assert check(
        "  pages:\n"
        "    - {at: 0m, contact: akuam, resolution: ['team[0]', akuam], read: 7m, sent: 5m}\n"
        "    - {at: 5m, contact: alejr, resolution: ['team[1]', alejr], read: false,"
        " delivered: false}\n"
    ).passed


def test_events_match_types_stages_and_raw_fields() -> None:
    assert check(
        "  events:\n"
        "    where: {type: STAGE_STARTED, contact: team}\n"
        "    exactly:\n"
        "      - {at: 0m, stage: 0}\n"
        "      - {at: 5m, stage: 1, fields: {StageIndex: 1, PageArn: null}}\n"
    ).passed
    report = check(
        "  events:\n    include:\n      - {type: RECEIPT, fields: {ReceiptType: STOP}}\n"
    )
    assert not report.passed
    assert 'fields.ReceiptType: expected "STOP"' in "\n".join(report.mismatches[0].body)


def test_message_texts_equal_contain_or_are_absent() -> None:
    assert check(
        "  messages:\n"
        "    where: {channel: VOICE}\n"
        "    exactly:\n"
        "      - {subject: s, content: {contains: c}, code: {matches: '\\d{6}'}}\n"
    ).passed
    report = check("  messages:\n    include:\n      - {channel: SMS, subject: s}\n")
    assert 'subject: expected "s", got (none)' in "\n".join(report.mismatches[0].body)


def test_responses_are_partial_and_follow_references() -> None:
    script = (
        "  - at: 6m\n"
        "    id: pages\n"
        "    ListPagesByEngagement: {EngagementId: '${page.EngagementArn}'}\n"
    )
    ok = check(
        "  responses:\n"
        "    pages:\n"
        "      Pages:\n"  # newest first
        "        - {ContactArn: alejr, SentTime: 5m}\n"
        "        - {ContactArn: akuam, EngagementArn: '${page.EngagementArn}'}\n",
        script,
    )
    assert ok.passed, ok.text()
    report = check("  responses:\n    pages: {Pages: [{ContactArn: akuam}]}\n", script)
    [mismatch] = report.mismatches
    assert mismatch.title == "the response of step 'pages' differs in 2 place(s)"
    assert mismatch.body[1] == '  Pages[0].ContactArn: expected "akuam", got ' + (
        '"arn:aws:ssm-contacts:us-east-2:111122223333:contact/alejr"'
    )


def test_a_failed_step_is_a_mismatch_at_its_line() -> None:
    script = "  - at: 1m\n    GetContact: {ContactId: nobody}\n"
    report = check("  counts: [{pages: 2}]\n", script)
    [mismatch] = report.mismatches
    assert mismatch.heading(FILE).startswith(
        f"{FILE}:28: script[1]: GetContact: An error occurred (ResourceNotFoundException)"
    )


def test_an_expected_error_with_the_wrong_message_fails() -> None:
    script = (
        "  - at: 1m\n"
        "    GetContact: {ContactId: nobody}\n"
        "    expect_error: {code: ResourceNotFoundException, message: {contains: somebody}}\n"
    )
    report = check("  counts: [{pages: 2}]\n", script)
    [mismatch] = report.mismatches
    assert 'message: expected contains "somebody"' in mismatch.title
    assert "the error was: An error occurred (ResourceNotFoundException)" in mismatch.title


def test_the_report_text_names_the_scenario_and_every_mismatch() -> None:
    report = check("  counts:\n    - {pages: 3}\n  engagements:\n    page: {stopped: true}\n")
    text = report.text()
    assert text.splitlines()[0] == (
        f"scenario 'team' ({FILE}:2) did not go as expected: 2 problem(s)"
    )
    assert f"{FILE}:{EXPECT_LINE + 1}: expect.counts[0]: expected 3 pages, found 2" in text
    assert f"{FILE}:{EXPECT_LINE + 3}: expect.engagements.page.stopped" in text
    error = ScenarioMismatch(report)
    assert isinstance(error, AssertionError) and str(error) == text


def test_a_seed_override_reaches_the_run() -> None:
    [scenario] = load_text(BASE, FILE)
    assert check_scenario(scenario, seed=5).outcome.simulator.seed == 5
    assert check_scenario(scenario).outcome.simulator.seed == 0
