"""Bad Opsgenie input is one ScenarioError naming each place and value, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from engine.scenario.errors import Problem, ScenarioError
from engine.scenario.yamlsource import parse_source
from engine.vendors import opsgenie

Edit = Callable[[dict[str, Any]], None]


def _problems(doc: object, settings: dict[str, str] | None = None) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        opsgenie.read(parse_source(json.dumps(doc, indent=1), "export.json"), settings or {})
    return caught.value.problems


def _set(path: tuple[Any, ...], value: object) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        holder: Any = doc
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = value

    return edit


RULE = ("escalations", 0, "rules")
ROTATION = ("schedules", 0, "rotations", 0)


@pytest.mark.parametrize(
    ("edit", "path", "message", "value"),
    [
        (
            _set(("users", 0, "contacts", 1, "method"), "pager"),
            ("users", 0, "contacts", 1, "method"),
            "must be one of email, sms, voice, mobile",
            "pager",
        ),
        (
            _set(("users", 1, "notificationRules", 0, "steps", 1, "contact", "to"), "44-7"),
            ("users", 1, "notificationRules", 0, "steps", 1, "contact", "to"),
            "names a sms contact '44-7' the user does not have",
            "44-7",
        ),
        (  # alejr's P1 rule is passed over under the default settings, yet checked
            _set(("users", 0, "notificationRules", 0, "steps", 0, "contact", "to"), "44-0"),
            ("users", 0, "notificationRules", 0, "steps", 0, "contact", "to"),
            "names a voice contact '44-0' the user does not have",
            "44-0",
        ),
        (
            _set(("users", 1, "notificationRules", 0, "steps", 0, "sendAfter", "timeAmount"), "2"),
            ("users", 1, "notificationRules", 0, "steps", 0, "sendAfter", "timeAmount"),
            "must be a whole number",
            "2",
        ),
        (
            _set(("users", 2, "timeZone"), "Eastern"),
            ("users", 2, "timeZone"),
            "not an IANA time zone",
            "Eastern",
        ),
        (
            _set((*RULE, 1, "recipient", "username"), "nobody@acme.example"),
            (*RULE, 1, "recipient", "username"),
            "names a user the document does not list",
            "nobody@acme.example",
        ),
        (
            _set((*RULE, 0, "recipient", "id"), "no-such-schedule"),
            (*RULE, 0, "recipient", "id"),
            "names a schedule the document does not list",
            "no-such-schedule",
        ),
        (
            _set((*RULE, 0, "recipient", "type"), "team"),
            (*RULE, 0, "recipient", "id"),
            "names a team the document does not list",
            "a1b2c3d4-0001-4000-8000-000000000001",
        ),
        (
            _set(("escalations", 1, "rules", 2, "notifyType"), "default"),
            ("escalations", 1, "rules", 2, "notifyType"),
            "a team recipient with notifyType default follows the team's routing rules",
            "default",
        ),
        (
            _set(("teams", 0, "members", 1, "user", "id"), "u-gone"),
            ("teams", 0, "members", 1, "user", "id"),
            "a member names a user the document does not list",
            "u-gone",
        ),
        (
            _set((*RULE, 0, "condition"), "if-not-seen"),
            (*RULE, 0, "condition"),
            "must be one of if-not-acked, if-not-closed",
            "if-not-seen",
        ),
        (
            _set((*RULE, 0, "delay", "timeUnit"), "weeks"),
            (*RULE, 0, "delay", "timeUnit"),
            "must be one of minutes, hours, days",
            "weeks",
        ),
        (
            _set(("escalations", 0, "repeat", "count"), 21),
            ("escalations", 0, "repeat", "count"),
            "must be a whole number from 0 to 20",
            21,
        ),
        (
            _set(("schedules", 0, "timezone"), "Mars/Olympus_Mons"),
            ("schedules", 0, "timezone"),
            "not an IANA time zone",
            "Mars/Olympus_Mons",
        ),
        (
            _set((*ROTATION, "startDate"), "next Tuesday"),
            (*ROTATION, "startDate"),
            "must be a date and time with its UTC offset",
            "next Tuesday",
        ),
        (
            _set((*ROTATION, "startDate"), "2026-03-02T09:00:00"),
            (*ROTATION, "startDate"),
            "must be a date and time with its UTC offset",
            "2026-03-02T09:00:00",
        ),
        (
            _set((*ROTATION, "endDate"), "2026-03-01T09:00:00Z"),
            (*ROTATION, "endDate"),
            "must be after startDate",
            "2026-03-01T09:00:00Z",
        ),
        (
            _set((*ROTATION, "type"), "monthly"),
            (*ROTATION, "type"),
            "must be one of daily, weekly, hourly",
            "monthly",
        ),
        (
            _set(("schedules", 1, "rotations", 0, "length"), 101),
            ("schedules", 1, "rotations", 0, "length"),
            "a turn of 101 hours is 101 hand-offs long; the neutral model allows at most 100",
            101,
        ),
        (
            _set((*ROTATION, "participants", 1), {"type": "none"}),
            (*ROTATION, "participants", 1, "type"),
            "only user participants can be read",
            "none",
        ),
        (
            _set(
                ("schedules", 0, "rotations", 1, "timeRestriction", "restriction", "startHour"), 25
            ),
            ("schedules", 0, "rotations", 1, "timeRestriction", "restriction", "startHour"),
            "must be a whole number from 0 to 23",
            25,
        ),
        (
            _set(
                ("schedules", 1, "rotations", 1, "timeRestriction", "restrictions", 0, "endDay"),
                "sun",
            ),
            ("schedules", 1, "rotations", 1, "timeRestriction", "restrictions", 0, "endDay"),
            "must be one of monday",
            "sun",
        ),
        (
            _set(("schedules", 0, "overrides", 0, "endDate"), "2026-03-28T11:00:00Z"),
            ("schedules", 0, "overrides", 0, "endDate"),
            "must be after startDate",
            "2026-03-28T11:00:00Z",
        ),
        (
            _set(("schedules", 0, "overrides", 1, "rotations", 0, "id"), "r-gone"),
            ("schedules", 0, "overrides", 1, "rotations", 0),
            "names a rotation this schedule does not have",
            None,
        ),
        (
            _set(("users", 4, "username"), "alejr@acme.example"),
            ("users", 4),
            "a second user with id or username 'alejr@acme.example'",
            None,
        ),
        (
            _set(("escalations",), {"id": "e1"}),
            ("escalations",),
            "must be a list",
            None,
        ),
        (
            _set(("services",), []),
            ("services",),
            "is not a key of an Opsgenie export",
            None,
        ),
    ],
)
def test_each_bad_value_is_named_at_its_place(
    acme_doc: dict[str, Any], edit: Edit, path: tuple[Any, ...], message: str, value: object
) -> None:
    edit(acme_doc)
    problems = _problems(acme_doc)
    assert [p.path for p in problems] == [path]
    (problem,) = problems
    assert message in problem.message
    assert problem.line is not None  # the JSON file's line, for the user to go to
    if value is not None:
        assert problem.value == value
        assert repr(value) in problem.describe("export.json")


def test_missing_fields_are_named(acme_doc: dict[str, Any]) -> None:
    del acme_doc["users"][0]["id"]
    del acme_doc["escalations"][1]["rules"][0]["delay"]
    del acme_doc["schedules"][1]["rotations"][0]["startDate"]
    problems = _problems(acme_doc)
    paths = {p.path: p.message for p in problems}
    assert paths[("users", 0, "id")] == "is required"
    assert paths[("escalations", 1, "rules", 0, "delay")].startswith("is required")
    assert paths[("schedules", 1, "rotations", 0, "startDate")].startswith("is required")


def test_an_export_missing_its_sub_lists_says_which_call_gives_them(
    acme_doc: dict[str, Any],
) -> None:
    del acme_doc["users"][2]["contacts"]
    del acme_doc["users"][3]["notificationRules"]
    del acme_doc["schedules"][1]["rotations"]
    acme_doc["schedules"][0]["rotations"][1]["participants"] = []
    paths = {p.path: p.message for p in _problems(acme_doc)}
    assert paths[("users", 2, "contacts")] == (
        "is required: the user's GET /v2/users/{id}/contacts list"
    )
    assert "GET /v2/users/{id}/notification-rules" in paths[("users", 3, "notificationRules")]
    assert "?expand=rotation" in paths[("schedules", 1, "rotations")]
    assert paths[("schedules", 0, "rotations", 1, "participants")] == "must list at least one user"


def test_every_problem_is_reported_in_one_go(acme_doc: dict[str, Any]) -> None:
    acme_doc["users"][0]["contacts"][0]["method"] = "fax"
    acme_doc["schedules"][0]["timezone"] = "Nowhere"
    acme_doc["escalations"][0]["rules"][0]["condition"] = 7
    problems = _problems(acme_doc)
    assert len(problems) >= 3
    fields = {p.path[-1] for p in problems}
    assert {"method", "timezone", "condition"} <= fields


@pytest.mark.parametrize("doc", [[1, 2], "users", None, {"users": [7]}])
def test_wrong_shapes_are_problems_not_tracebacks(doc: object) -> None:
    problems = _problems(doc)
    assert problems and all(p.message for p in problems)


def test_unknown_setting_lists_the_settings(acme_doc: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError) as caught:
        opsgenie.read(parse_source(json.dumps(acme_doc)), {"urgency": "high"})
    assert caught.value.settings
    text = str(caught.value)
    assert "unknown Opsgenie setting 'urgency'" in text
    assert "notification-criteria, notification-time-restriction, absent-enabled" in text


def test_bad_setting_value_lists_the_allowed_values(acme_doc: dict[str, Any]) -> None:
    with pytest.raises(ScenarioError) as caught:
        opsgenie.read(parse_source(json.dumps(acme_doc)), {"notification-criteria": "maybe"})
    assert caught.value.settings
    assert "notification-criteria must be one of skip, match (got 'maybe')" in str(caught.value)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("users", 2, "contacts", 0, "to"), {"a": 1}, "must be a non-empty string"),
        (
            ("schedules", 0, "overrides", 1, "rotations", 0, "id"),
            ["r-ldn-nights"],
            "names a rotation",
        ),
        (
            ("schedules", 1, "rotations", 0, "startDate"),
            "9999-12-31T23:30:00Z",
            "from the year 1900",
        ),
        (("schedules", 0, "overrides", 0, "endDate"), "0001-01-01T00:00:00Z", "from the year 1900"),
    ],
)
def test_values_found_by_fuzzing_are_problems(
    acme_doc: dict[str, Any], path: tuple[Any, ...], value: object, message: str
) -> None:
    _set(path, value)(acme_doc)
    problems = {p.path[: len(path)]: p.message for p in _problems(acme_doc)}
    found = problems.get(path) or problems.get(path[:-1], "")
    assert message in found
