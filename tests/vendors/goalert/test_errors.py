"""Bad GoAlert documents give one ScenarioError naming each place and value, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.yamlsource import parse_source
from engine.vendors import goalert

from .conftest import read_document

Doc = dict[str, Any]


def _lines(document: object, settings: dict[str, str] | None = None) -> str:
    with pytest.raises(ScenarioError) as caught:
        read_document(document, settings)
    return "\n".join(caught.value.lines())


def _set(path: tuple[str | int, ...], value: object) -> Callable[[Doc], None]:
    def change(document: Doc) -> None:
        holder: Any = document
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = value

    return change


CASES = [
    (
        "users[0].contactMethods[0].type",
        _set(("users", 0, "contactMethods", 0, "type"), "PAGER"),
        "'PAGER'",
    ),
    (
        "users[1].notificationRules[0].contactMethodID",
        _set(("users", 1, "notificationRules", 0, "contactMethodID"), "c-missing"),
        "names no contact method of this user (got 'c-missing')",
    ),
    (
        "users[0].notificationRules[1].delayMinutes",
        _set(("users", 0, "notificationRules", 1, "delayMinutes"), -1),
        "(got -1)",
    ),
    ("rotations[0].type", _set(("rotations", 0, "type"), "yearly"), "(got 'yearly')"),
    (
        "rotations[0].shiftLength",
        _set(("rotations", 0, "shiftLength"), 0),
        "from 1 to 9000 (got 0)",
    ),
    ("rotations[1].start", _set(("rotations", 1, "start"), "next monday"), "(got 'next monday')"),
    (
        "rotations[1].start",
        _set(("rotations", 1, "start"), "2026-03-02T14:00:00"),
        "with a UTC offset",
    ),
    ("rotations[1].timeZone", _set(("rotations", 1, "timeZone"), "EST5"), "(got 'EST5')"),
    (
        "rotations[2].userIDs[1]",
        _set(("rotations", 2, "userIDs", 1), "ghost"),
        "names no user of the document (got 'ghost')",
    ),
    (
        "rotations[0].activeUserIndex",
        _set(("rotations", 0, "activeUserIndex"), 3),
        "from 0 to 2 (got 3)",
    ),
    (
        "rotations[0].nextHandoffTimes[0]",
        _set(("rotations", 0, "nextHandoffTimes"), ["soon"]),
        "ISO 8601",
    ),
    ("rotations[2].shiftLength", _set(("rotations", 2, "shiftLength"), 101), "makes 101 hand-offs"),
    (
        "schedules[0].timeZone",
        _set(("schedules", 0, "timeZone"), "Mars/Olympus"),
        "(got 'Mars/Olympus')",
    ),
    (
        "schedules[0].targets[1].rules[0].start",
        _set(("schedules", 0, "targets", 1, "rules", 0, "start"), "25:00"),
        "ClockTime HH:MM from 00:00 to 23:59 (got '25:00')",
    ),
    (
        "schedules[1].targets[0].rules[0].weekdayFilter",
        _set(("schedules", 1, "targets", 0, "rules", 0, "weekdayFilter"), [True, False]),
        "7 true/false values, Sunday first",
    ),
    (
        "schedules[1].targets[0].target.id",
        _set(("schedules", 1, "targets", 0, "target", "id"), "rot-missing"),
        "names no rotation of the document",
    ),
    (
        "schedules[1].targets[0].target.type",
        _set(("schedules", 1, "targets", 0, "target", "type"), "service"),
        "rotation or user",
    ),
    (
        "userOverrides[0].addUserID",
        _set(("userOverrides", 0, "addUserID"), "nobody"),
        "(got 'nobody')",
    ),
    (
        "userOverrides[1].end",
        _set(("userOverrides", 1, "end"), "2026-03-29T08:00:00+01:00"),
        "must be after start",
    ),
    (
        "userOverrides[2].target.id",
        _set(("userOverrides", 2, "target", "id"), "sched-missing"),
        "names no schedule",
    ),
    (
        "userOverrides[0]",
        _set(("userOverrides", 0, "addUserID"), ""),
        "gives neither addUserID nor removeUserID",
    ),
    (
        "escalationPolicies[0].repeat",
        _set(("escalationPolicies", 0, "repeat"), 6),
        "from 0 to 5 (got 6)",
    ),
    (
        "escalationPolicies[1].steps[1].delayMinutes",
        _set(("escalationPolicies", 1, "steps", 1, "delayMinutes"), 0),
        "from 1 to 9000 (got 0)",
    ),
    (
        "escalationPolicies[0].steps[2].stepNumber",
        _set(("escalationPolicies", 0, "steps", 2, "stepNumber"), 1),
        "repeats an earlier step's number",
    ),
    (
        "escalationPolicies[0].steps[0].targets[0].id",
        _set(("escalationPolicies", 0, "steps", 0, "targets", 0, "id"), "sched-gone"),
        "names no schedule of the document (got 'sched-gone')",
    ),
    (
        "escalationPolicies[1].steps[0].targets[0].type",
        _set(("escalationPolicies", 1, "steps", 0, "targets", 0, "type"), "team"),
        "(got 'team')",
    ),
    ("users", _set(("users",), {"nodes": []}), "must be a list"),
    (
        "users[4].id",
        _set(("users", 4, "id"), "a1000000-0000-4000-8000-000000000002"),
        "repeats the id",
    ),
    (
        "escalationPolicies[1].id",
        _set(("escalationPolicies", 1, "id"), "90000000-0000-4000-8000-000000000001"),
        "repeats the id",
    ),
    (
        "rotations[2].id",
        _set(("rotations", 2, "id"), "b2000000-0000-4000-8000-000000000001"),
        "repeats the id",
    ),
    ("users[3]", _set(("users", 3), "dana"), "must be an object (got 'dana')"),
]


@pytest.mark.parametrize(("place", "change", "said"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_value_is_named_with_its_place(
    document: Doc, place: str, change: Callable[[Doc], None], said: str
) -> None:
    change(document)
    text = _lines(document)
    line = next((line for line in text.splitlines() if f": {place}: " in line), None)
    assert line is not None, text
    assert said in line


def test_every_problem_is_reported_at_once(document: Doc) -> None:
    document["escalationPolicies"][0]["repeat"] = 9
    document["rotations"][1]["timeZone"] = "Nowhere"
    with pytest.raises(ScenarioError) as caught:
        read_document(document)
    places = [problem.path for problem in caught.value.problems]
    assert ("rotations", 1, "timeZone") in places
    assert ("escalationPolicies", 0, "repeat") in places


def test_problems_carry_the_line_of_the_file() -> None:
    text = (
        '{\n"users": [\n{"id": "u1", "name": "Ann",\n'
        ' "contactMethods": [{"id": "c", "type": "FAX", "value": "1"}]}\n]\n}\n'
    )
    with pytest.raises(ScenarioError) as caught:
        goalert.read(parse_source(text, "org.json"), {})
    (problem,) = caught.value.problems
    assert problem.line == 4
    assert caught.value.lines()[0].startswith(
        "org.json:4: users[0].contactMethods[0].type: must be one of SMS"
    )


def test_a_document_that_is_not_an_object() -> None:
    assert "must be an object" in _lines(["users"])


def test_unknown_setting_and_bad_setting_value(document: Doc) -> None:
    with pytest.raises(ScenarioError) as caught:
        read_document(document, {"rotation-state": "latest", "Slack.Enable": "true"})
    assert caught.value.settings
    text = "\n".join(caught.value.lines())
    assert "settings.rotation-state: must be one of active-user, start (got 'latest')" in text
    assert (
        "no GoAlert setting 'Slack.Enable'; known: rotation-state, Twilio.Enable, SMTP.Enable"
        in text
    )
