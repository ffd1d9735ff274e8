"""Bad PagerDuty exports: every problem is a ScenarioError naming the place in the document,
its line and the value found; all problems come together; nothing else is ever raised."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from engine.scenario.errors import ScenarioError
from engine.scenario.paths import format_path
from engine.scenario.yamlsource import parse_source
from engine.vendors import pagerduty
from tests.vendors.pagerduty.conftest import acme_document, read_document

Change = Callable[[dict[str, Any]], None]


def _set(*path: str | int, value: object) -> Change:
    def change(document: dict[str, Any]) -> None:
        holder: Any = document
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = value

    return change


def _drop(*path: str | int) -> Change:
    def change(document: dict[str, Any]) -> None:
        holder: Any = document
        for part in path[:-1]:
            holder = holder[part]
        del holder[path[-1]]

    return change


RULE = ("escalation_policies", 0, "escalation_rules")
HALVES = ("schedules", 1, "schedule_layers", 0)
WEEKEND = ("schedules", 0, "schedule_layers", 0)

CASES: list[tuple[str, Change, str, str, object]] = [
    (
        "a rule naming a contact method the user lacks",
        _set("users", 0, "notification_rules", 1, "contact_method", "id", value="PNOPE00"),
        "users[0].notification_rules[1].contact_method.id",
        "names no contact method of this user",
        "PNOPE00",
    ),
    (
        "a target naming an unknown schedule",
        _set(*RULE, 2, "targets", 0, "id", value="PSCHXXX"),
        "escalation_policies[0].escalation_rules[2].targets[0].id",
        "names no schedule of the document",
        "PSCHXXX",
    ),
    (
        "a target naming an unknown user",
        _set(*RULE, 1, "targets", 1, "id", value="PGHOST1"),
        "escalation_policies[0].escalation_rules[1].targets[1].id",
        "names no user of the document",
        "PGHOST1",
    ),
    (
        "an escalation delay of zero",
        _set(*RULE, 1, "escalation_delay_in_minutes", value=0),
        "escalation_policies[0].escalation_rules[1].escalation_delay_in_minutes",
        "must be an integer at least 1",
        0,
    ),
    (
        "an escalation delay in words",
        _set(*RULE, 1, "escalation_delay_in_minutes", value="ten"),
        "escalation_policies[0].escalation_rules[1].escalation_delay_in_minutes",
        "must be an integer",
        "ten",
    ),
    (
        "negative loops",
        _set("escalation_policies", 1, "num_loops", value=-1),
        "escalation_policies[1].num_loops",
        "must be an integer at least 0",
        -1,
    ),
    (
        "an unknown assignment strategy",
        _set(*RULE, 0, "escalation_rule_assignment_strategy", value={"type": "random"}),
        "escalation_policies[0].escalation_rules[0].escalation_rule_assignment_strategy",
        "must name a type of assign_to_everyone or round_robin",
        None,
    ),
    (
        "a flexible (v3) schedule target",
        _set(*RULE, 0, "targets", 0, "type", value="schedule_v3_reference"),
        "escalation_policies[0].escalation_rules[0].targets[0].type",
        "flexible (v3) schedule",
        "schedule_v3_reference",
    ),
    (
        "a schedule in an unknown time zone",
        _set("schedules", 0, "time_zone", value="Mars/Olympus_Mons"),
        "schedules[0].time_zone",
        "not an IANA time zone",
        "Mars/Olympus_Mons",
    ),
    (
        "a user in a zone written as an abbreviation",
        _set("users", 1, "time_zone", value="EST5EDT-ish"),
        "users[1].time_zone",
        "not an IANA time zone",
        "EST5EDT-ish",
    ),
    (
        "an unparseable layer start",
        _set(*WEEKEND, "start", value="last Friday"),
        "schedules[0].schedule_layers[0].start",
        "ISO 8601",
        "last Friday",
    ),
    (
        "a layer start without an offset",
        _set(*WEEKEND, "start", value="2026-03-06T18:00:00"),
        "schedules[0].schedule_layers[0].start",
        "UTC offset",
        "2026-03-06T18:00:00",
    ),
    (
        "an unparseable restriction time",
        _set(*HALVES, "restrictions", 0, "start_time_of_day", value="7am"),
        "schedules[1].schedule_layers[0].restrictions[0].start_time_of_day",
        "HH:mm:ss",
        "7am",
    ),
    (
        "a turn that is not whole minutes",
        _set(*HALVES, "rotation_turn_length_seconds", value=3601),
        "schedules[1].schedule_layers[0].rotation_turn_length_seconds",
        "whole number of minutes",
        3601,
    ),
    (
        "a turn the engine cannot count",
        _set(*HALVES, "rotation_turn_length_seconds", value=101 * 86400),
        "schedules[1].schedule_layers[0].rotation_turn_length_seconds",
        "turns of 101 days",
        101 * 86400,
    ),
    (
        "a weekly restriction without its day",
        _drop(*WEEKEND, "restrictions", 0, "start_day_of_week"),
        "schedules[0].schedule_layers[0].restrictions[0].start_day_of_week",
        "is missing",
        None,
    ),
    (
        "a restriction day out of range",
        _set(*WEEKEND, "restrictions", 0, "start_day_of_week", value=8),
        "schedules[0].schedule_layers[0].restrictions[0].start_day_of_week",
        "from 1 to 7",
        8,
    ),
    (
        "a layer user who is not a user",
        _set(*WEEKEND, "users", 1, "user", "id", value="PGHOST2"),
        "schedules[0].schedule_layers[0].users[1].user.id",
        "names no user",
        "PGHOST2",
    ),
    (
        "a layer ending before it starts",
        _set(*WEEKEND, "end", value="2026-01-01T00:00:00Z"),
        "schedules[0].schedule_layers[0].end",
        "must not be before the layer's start",
        "2026-01-01T00:00:00Z",
    ),
    (
        "an unknown contact method type",
        _set("users", 1, "contact_methods", 1, "type", value="pigeon_contact_method"),
        "users[1].contact_methods[1].type",
        "must be one of email_contact_method",
        "pigeon_contact_method",
    ),
    (
        "a rule exported without include[]=notification_rules",
        _drop("users", 2, "notification_rules", 0, "start_delay_in_minutes"),
        "users[2].notification_rules[0].start_delay_in_minutes",
        "include[]=notification_rules",
        None,
    ),
    (
        "rules exported without include[]=contact_methods",
        _drop("users", 3, "contact_methods"),
        "users[3].notification_rules[0].contact_method.id",
        "include[]=contact_methods",
        "PCMD002",
    ),
    (
        "a schedule exported without its layers",
        _drop("schedules", 1, "schedule_layers"),
        "schedules[1].schedule_layers",
        "include[]=schedule_layers",
        None,
    ),
    (
        "an override for an unknown user",
        _set("overrides", "PSCHPAY", 0, "user", "id", value="PGHOST3"),
        "overrides.PSCHPAY[0].user.id",
        "names no user",
        "PGHOST3",
    ),
    (
        "overrides of an unknown schedule",
        _set("overrides", "PNOSUCH", value=[]),
        "overrides.PNOSUCH",
        "names no schedule",
        None,
    ),
    (
        "an override ending before it starts",
        _set("overrides", "PSCHPAY", 0, "end", value="2026-03-10T00:00:00Z"),
        "overrides.PSCHPAY[0].end",
        "must be after the override's start",
        "2026-03-10T00:00:00Z",
    ),
    (
        "a repeated user id",
        _set("users", 5, "id", value="PEVE005"),
        "users[5].id",
        "repeats the id",
        "PEVE005",
    ),
    (
        "a key that is not part of an export",
        _set("services", value=[]),
        "services",
        "is not a key of a PagerDuty export",
        None,
    ),
    (
        "a policy that is a string",
        _set("escalation_policies", 1, value="PPLATF2"),
        "escalation_policies[1]",
        "must be an escalation policy",
        "PPLATF2",
    ),
]


@pytest.mark.parametrize(
    ("change", "where", "message", "value"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_names_the_place_and_value(
    change: Change, where: str, message: str, value: object
) -> None:
    document = acme_document()
    change(document)
    with pytest.raises(ScenarioError) as caught:
        read_document(document)
    matching = [p for p in caught.value.problems if format_path(p.path) == where]
    assert matching, caught.value.lines()
    problem = matching[0]
    assert message in problem.message
    assert problem.line is not None
    if value is not None:
        assert problem.value == value
    assert where in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    document = acme_document()
    document["schedules"][0]["time_zone"] = "Nowhere/Land"
    document["escalation_policies"][1]["num_loops"] = "twice"
    document["users"][3]["notification_rules"][0]["urgency"] = "urgent"
    with pytest.raises(ScenarioError) as caught:
        read_document(document)
    paths = {format_path(p.path) for p in caught.value.problems}
    assert {
        "schedules[0].time_zone",
        "escalation_policies[1].num_loops",
        "users[3].notification_rules[0].urgency",
    } <= paths


def test_a_document_that_is_not_a_mapping() -> None:
    with pytest.raises(ScenarioError) as caught:
        pagerduty.read(parse_source(json.dumps([1, 2]), "list.json"), {})
    assert "must be a PagerDuty export" in str(caught.value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"urgencies": "high"}, "unknown PagerDuty setting 'urgencies'; the settings are urgency"),
        ({"urgency": "medium"}, "urgency must be one of high, low (got 'medium')"),
        ({"turn_clock": "utc"}, "turn_clock must be one of wall, elapsed"),
        ({"layer_order": "bottom"}, "layer_order must be one of api, created"),
    ],
)
def test_bad_settings_name_the_setting_and_the_allowed_values(
    settings: dict[str, str], message: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        read_document(acme_document(), settings)
    assert caught.value.settings is True
    assert message in str(caught.value)


def test_yaml_with_odd_scalars_gives_problems_not_tracebacks() -> None:
    text = """\
users:
  - id: PX
    name: X
    email: x@example.com
    contact_methods: {not: a list}
    notification_rules:
      - start_delay_in_minutes: 1.5
        urgency: high
        contact_method: PCM
schedules:
  - id: PS
    time_zone: 5
    schedule_layers:
      - start: 2026-03-01
        rotation_virtual_start: 2026-03-01T00:00:00Z
        rotation_turn_length_seconds: true
        users: [PX]
"""
    with pytest.raises(ScenarioError) as caught:
        pagerduty.read(parse_source(text, "export.yaml"), {})
    paths = {format_path(p.path) for p in caught.value.problems}
    assert {
        "users[0].contact_methods",
        "users[0].notification_rules[0].start_delay_in_minutes",
        "users[0].notification_rules[0].contact_method",
        "schedules[0].time_zone",
        "schedules[0].schedule_layers[0].start",
        "schedules[0].schedule_layers[0].rotation_turn_length_seconds",
        "schedules[0].schedule_layers[0].users[0]",
    } <= paths
