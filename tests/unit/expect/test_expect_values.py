"""Matching expected values: text patterns, partial responses, times, aliases, AWS errors."""

from __future__ import annotations

import datetime as dt

from engine.scenario.expect.model import ExpectedError, TextPattern
from engine.scenario.expect.values import compare, describe_text, error_problems, text_matches

START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
AKUAM = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/akuam"


def test_plain_text_is_the_whole_text() -> None:
    assert text_matches("disk full", "disk full")
    assert not text_matches("disk", "disk full")
    assert not text_matches("disk full", None)


def test_text_patterns_contain_exclude_and_match() -> None:
    assert text_matches(TextPattern(contains="full"), "disk full")
    assert not text_matches(TextPattern(contains="empty"), "disk full")
    assert text_matches(TextPattern(not_contains="secret"), "disk full")
    assert not text_matches(TextPattern(not_contains="full"), "disk full")
    assert text_matches(TextPattern(matches=r"\d{6}"), "123456")
    assert not text_matches(TextPattern(matches=r"\d{6}"), "1234567")
    assert text_matches(TextPattern(equals="x"), "x")


def test_absent_text_satisfies_only_not_contains() -> None:
    assert text_matches(TextPattern(not_contains="secret"), None)
    assert not text_matches(TextPattern(contains=""), None)


def test_text_patterns_describe_themselves() -> None:
    assert describe_text("a") == '"a"'
    assert describe_text(TextPattern(contains="b")) == 'contains "b"'
    assert describe_text(TextPattern(not_contains="c")) == 'not contains "c"'
    assert describe_text(TextPattern(matches="d+")) == "matches /d+/"


def test_a_mapping_needs_only_the_keys_it_names() -> None:
    actual = {"Alias": "akuam", "DisplayName": "Akua", "Type": "PERSONAL"}
    assert compare({"Alias": "akuam"}, actual, "", START) == []
    assert compare({"Alias": "alejr"}, actual, "", START) == [
        'Alias: expected "alejr", got "akuam"'
    ]


def test_null_means_absent_and_a_missing_key_is_named() -> None:
    assert compare({"StopTime": None}, {"StartTime": START}, "", START) == []
    assert compare({"StopTime": None}, {"StopTime": START}, "", START) == [
        "StopTime: expected absent, got 0s (2026-01-01T09:00:00+00:00)"
    ]
    assert compare({"NextToken": "x"}, {}, "", START) == ['NextToken: missing (expected "x")']


def test_lists_match_item_by_item_and_name_their_length() -> None:
    actual = {"Contacts": [{"Alias": "a"}, {"Alias": "b"}]}
    assert compare({"Contacts": [{"Alias": "a"}, {"Alias": "b"}]}, actual, "", START) == []
    assert compare({"Contacts": [{"Alias": "b"}]}, actual, "", START) == [
        'Contacts: expected 1 item(s), got 2: [{"Alias": "a"}, {"Alias": "b"}]',
        'Contacts[0].Alias: expected "b", got "a"',
    ]


def test_times_are_offsets_or_instants() -> None:
    seven = START + dt.timedelta(minutes=7)
    assert compare("7m", seven, "ReadTime", START) == []
    assert compare("2026-01-01T09:07:00Z", seven, "ReadTime", START) == []
    assert compare("8m", seven, "ReadTime", START) == [
        'ReadTime: expected "8m", got 7m (2026-01-01T09:07:00+00:00)'
    ]


def test_an_alias_stands_for_a_contact_arn_only() -> None:
    assert compare("akuam", AKUAM, "ContactArn", START) == []
    page = "arn:aws:ssm-contacts:us-east-2:111122223333:page/akuam/0000"
    assert compare("akuam", page, "PageArn", START) != []


def test_text_patterns_apply_to_text_values() -> None:
    assert compare({"matches": ".+"}, "token", "NextToken", START) == []
    assert compare({"contains": "x"}, None, "NextToken", START) == [
        'NextToken: expected contains "x", got none'
    ]


def test_numbers_booleans_and_digit_strings() -> None:
    assert compare(1, 1.0, "n", START) == []
    assert compare(True, 1, "b", START) == ["b: expected true, got 1"]
    assert compare(123456, "123456", "code", START) == []


def test_long_values_are_shown_in_full_where_they_differ() -> None:
    expected = "arn:aws:ssm-contacts:us-east-2:111122223333:engagement/akuam/" + "0" * 36
    actual = expected[:-1] + "1"
    [line] = compare(expected, actual, "EngagementArn", START)
    assert line.endswith('0", got "' + actual + '"')


def test_error_problems_check_code_message_and_members() -> None:
    error = {
        "Code": "ResourceNotFoundException",
        "Message": "Contact not found: nobody",
        "ResourceType": "CONTACT",
    }
    ok = ExpectedError(
        code="ResourceNotFoundException",
        message=TextPattern(contains="nobody"),
        members={"ResourceType": "CONTACT"},
    )
    assert error_problems(ok, error, START) == []
    wrong = ExpectedError(
        code="ValidationException",
        message=TextPattern(contains="somebody"),
        members={"ResourceType": "PAGE"},
    )
    assert error_problems(wrong, error, START) == [
        "code: expected ValidationException, got ResourceNotFoundException",
        'message: expected contains "somebody", got "Contact not found: nobody"',
        'members.ResourceType: expected "PAGE", got "CONTACT"',
    ]
