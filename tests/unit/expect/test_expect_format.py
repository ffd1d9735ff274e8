"""The shape of ``expect:`` and of detailed ``expect_error``: what loads, and the errors (each
naming file, line and field path) for what does not."""

from __future__ import annotations

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.expect.checks import (
    Check,
    CountCheck,
    EngagementCheck,
    MomentCheck,
    PagedCheck,
    ResponseCheck,
    SequenceCheck,
)
from engine.scenario.expect.compile import compile_checks
from engine.scenario.loader import load_text
from engine.scenario.schema import scenario_schema

FILE = "x.scenario.yaml"

BASE = """\
version: 1
name: x
start: 2026-01-01T09:00:00Z
region: us-east-2
contacts:
  akuam:
    channels:
      sms: {type: SMS, address: "+15550100"}
    plan:
      - {duration: 5, targets: [{channel: sms}]}
script:
  - at: 0m
    id: page
    StartEngagement: {ContactId: akuam, Sender: ops, Subject: s, Content: c}
  - at: 1m
    id: look
    GetContact: {ContactId: akuam}
"""
# The line of the first key under expect: when BASE is followed by "expect:\n".
EXPECT_LINE = 19


def checks_of(text: str) -> list[tuple[Check, ...]]:
    """Load ``text`` and compile its expectations, as every front end does."""
    return compile_checks(load_text(text, FILE))


def load(expect: str) -> tuple[Check, ...]:
    [checks] = checks_of(BASE + "expect:\n" + expect)
    return checks


def problems(expect: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(expect)
    return caught.value.lines()


def test_a_list_of_rows_is_an_exact_check_at_its_line() -> None:
    checks = load("  messages:\n    - {at: 0m, contact: akuam, channel: SMS}\n")
    [check] = checks
    assert isinstance(check, SequenceCheck)
    assert check.line == EXPECT_LINE
    assert check.exactly is not None and check.include is None
    [row] = check.exactly
    assert row.line == EXPECT_LINE + 1
    assert dict(row.fields) == {"at": 0.0, "contact": "akuam", "channel": "SMS"}


def test_a_check_block_keeps_where_include_and_exclude_with_their_lines() -> None:
    checks = load(
        "  receipts:\n"
        "    where: {contact: akuam}\n"
        "    include:\n"
        "      - {type: SENT}\n"
        "    exclude:\n"
        "      - {type: READ, after: 7m}\n"
    )
    [check] = checks
    assert isinstance(check, SequenceCheck)
    assert check.where is not None and dict(check.where.fields) == {"contact": "akuam"}
    assert check.include_at == (("expect", "receipts", "include"), EXPECT_LINE + 2)
    assert check.exclude_at == (("expect", "receipts", "exclude"), EXPECT_LINE + 4)
    assert check.exclude is not None
    assert dict(check.exclude[0].fields) == {"after": 420.0, "type": "READ"}


def test_an_explicit_null_is_kept_and_an_absent_key_is_not() -> None:
    checks = load("  messages:\n    - {channel: SMS, subject: null}\n")
    [check] = checks
    assert isinstance(check, SequenceCheck) and check.exactly is not None
    assert dict(check.exactly[0].fields) == {"channel": "SMS", "subject": None}


def test_every_kind_of_check_compiles() -> None:
    checks = load(
        "  counts:\n"
        "    - {messages: 1, channel: SMS}\n"
        "    - {events: 0, type: NO_ONCALL}\n"
        "  engagements:\n"
        "    page:\n"
        "      acknowledged: []\n"
        "      paged: [akuam]\n"
        "      stopped: false\n"
        "      ended: 5s\n"
        "  responses:\n"
        "    look: {Alias: akuam}\n"
    )
    kinds = [type(check) for check in checks]
    assert kinds == [
        CountCheck,
        CountCheck,
        EngagementCheck,
        PagedCheck,
        MomentCheck,
        MomentCheck,
        ResponseCheck,
    ]
    counts = [check for check in checks if isinstance(check, CountCheck)]
    assert [(c.kind, c.expected) for c in counts] == [("message", 1), ("event", 0)]


def test_times_may_be_offsets_or_instants() -> None:
    checks = load("  messages:\n    - {at: 2026-01-01T09:05:00Z}\n    - {at: 5m30s}\n")
    [check] = checks
    assert isinstance(check, SequenceCheck) and check.exactly is not None
    first, second = (row.fields["at"] for row in check.exactly)
    assert first.isoformat() == "2026-01-01T09:05:00+00:00"
    assert second == 330.0


def test_a_bare_number_is_not_a_time() -> None:
    [line] = problems("  messages:\n    - {at: 7}\n")
    assert line.startswith(f"{FILE}:{EXPECT_LINE + 1}: expect.messages[0].at: write a duration")


def test_an_unknown_row_key_suggests_the_close_one() -> None:
    [line] = problems("  messages:\n    - {chanel: SMS}\n")
    assert line == (
        f"{FILE}:{EXPECT_LINE + 1}: expect.messages[0].chanel: unknown key 'chanel' "
        "(did you mean 'channel'?)"
    )


def test_records_are_a_list_or_a_check_block() -> None:
    [line] = problems("  messages: 3\n")
    assert line.startswith(f"{FILE}:{EXPECT_LINE}: expect.messages: write a list of rows")


def test_a_check_block_needs_a_list_and_not_both_exactly_and_include() -> None:
    [empty] = problems("  messages: {where: {channel: SMS}}\n")
    assert "give at least one of 'exactly', 'include' or 'exclude'" in empty
    [both] = problems("  messages: {exactly: [], include: []}\n")
    assert "give 'exactly' or 'include', not both" in both


def test_a_count_names_what_it_counts() -> None:
    [line] = problems("  counts:\n    - {contact: akuam}\n")
    assert line.startswith(f"{FILE}:{EXPECT_LINE + 1}: expect.counts[0]: a count names one of")


def test_a_text_pattern_has_one_way_of_matching() -> None:
    [line] = problems("  messages:\n    - {content: {contains: a, equals: b}}\n")
    assert "expect.messages[0].content: write one of" in line
    [regex] = problems("  messages:\n    - {content: {matches: '('}}\n")
    assert "not a regular expression" in regex


def test_codes_written_as_numbers_are_text() -> None:
    checks = load("  messages:\n    - {code: 123456}\n")
    [check] = checks
    assert isinstance(check, SequenceCheck) and check.exactly is not None
    assert check.exactly[0].fields["code"] == "123456"


def test_names_must_be_of_this_scenario() -> None:
    lines = problems(
        "  messages:\n"
        "    - {contact: nobody}\n"
        "    - {channel: pager}\n"
        "    - {engagement: nope}\n"
        "    - {engagement: look}\n"
    )
    assert lines == [
        f"{FILE}:20: expect.messages[0].contact: no contact named 'nobody' in this scenario "
        "(known: akuam)",
        f"{FILE}:21: expect.messages[1].channel: no channel named 'pager': write a type (SMS, "
        "VOICE, EMAIL), a channel name (known: sms) or an ARN",
        f"{FILE}:22: expect.messages[2].engagement: no step has id 'nope' (known: page, look)",
        f"{FILE}:23: expect.messages[3].engagement: step 'look' calls GetContact; an engagement "
        "is named by the id of its StartEngagement step",
    ]


def test_names_created_by_the_script_are_known() -> None:
    text = BASE + (
        "  - at: 2m\n"
        "    CreateContact: {Alias: alejr, Type: PERSONAL, Plan: {Stages: []}}\n"
        "  - at: 2m\n"
        "    CreateContactChannel: {ContactId: alejr, Name: pager, Type: SMS,"
        " DeliveryAddress: {SimpleAddress: '+15550101'}}\n"
        "expect:\n"
        "  messages:\n"
        "    - {contact: alejr, channel: pager}\n"
    )
    [checks] = checks_of(text)
    assert len(checks) == 1


def test_a_near_miss_of_an_event_type_is_a_typo_and_a_new_type_is_allowed() -> None:
    [line] = problems("  events:\n    - {type: PAGE_CREATD}\n")
    assert "unknown event type 'PAGE_CREATD' (did you mean 'PAGE_CREATED'?)" in line
    checks = load("  events:\n    - {type: SHIFT_HANDED_OVER}\n")
    assert len(checks) == 1


def test_before_must_come_after_after() -> None:
    [line] = problems("  messages:\n    - {after: 7m, before: 5m}\n")
    assert line.startswith(
        f"{FILE}:{EXPECT_LINE + 1}: expect.messages[0].before: 'before' must come later"
    )


def test_responses_name_steps_that_answer() -> None:
    text = BASE.replace(
        "    GetContact: {ContactId: akuam}\n",
        "    GetContact: {ContactId: nobody}\n    expect_error: ResourceNotFoundException\n",
    )
    with pytest.raises(ScenarioError) as caught:
        checks_of(text + "expect:\n  responses:\n    look: {}\n    gone: {}\n")
    assert [line.split(": ", 2)[2] for line in caught.value.lines()] == [
        "step 'look' expects an error, so it has no response",
        "no step has id 'gone' (known: page, look)",
    ]


def test_engagement_outcomes_name_a_start_engagement_step() -> None:
    [line] = problems("  engagements:\n    look: {ended: true}\n")
    assert "expect.engagements.look: step 'look' calls GetContact" in line


def test_expect_error_takes_code_message_and_members() -> None:
    text = BASE.replace(
        "    GetContact: {ContactId: akuam}\n",
        "    GetContact: {ContactId: nobody}\n"
        "    expect_error:\n"
        "      code: ResourceNotFoundException\n"
        "      message: {contains: nobody}\n"
        "      members: {ResourceType: CONTACT}\n",
    )
    [scenario] = load_text(text, FILE)
    step = scenario.steps[1]
    assert step.expect_error == "ResourceNotFoundException"
    assert step.expect_error_detail is not None
    assert step.expect_error_detail.members == {"ResourceType": "CONTACT"}


def test_expect_error_detail_rejects_unknown_keys() -> None:
    text = BASE.replace(
        "    GetContact: {ContactId: akuam}\n",
        "    GetContact: {ContactId: akuam}\n    expect_error: {code: X, mesage: y}\n",
    )
    with pytest.raises(ScenarioError) as caught:
        load_text(text, FILE)
    assert caught.value.lines() == [
        f"{FILE}:18: script[1].expect_error.mesage: unknown key 'mesage' (did you mean 'message'?)"
    ]


def test_expect_in_a_multi_scenario_file_belongs_to_each_scenario() -> None:
    text = BASE + (
        "expect:\n"
        "  messages: [{channel: SMS}]\n"
        "scenarios:\n"
        "  - name: shared\n"
        "  - name: own\n"
        "    expect:\n"
        "      counts: [{messages: 1}]\n"
    )
    shared, own = checks_of(text.replace("name: x\n", ""))
    assert [type(c) for c in shared] == [SequenceCheck]
    assert [type(c) for c in own] == [CountCheck]
    assert own[0].path == ("scenarios", 1, "expect", "counts", 0)


def test_the_schema_offers_expect_and_its_parts() -> None:
    schema = scenario_schema()
    assert "expect" in schema["properties"]
    expectations = schema["$defs"]["Expectations"]["properties"]
    assert set(expectations) == {
        "messages",
        "receipts",
        "events",
        "pages",
        "counts",
        "engagements",
        "responses",
    }
    assert set(schema["$defs"]["MessageRow"]["properties"]) >= {"at", "contact", "channel"}
