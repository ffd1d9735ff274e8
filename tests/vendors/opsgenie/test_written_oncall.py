"""Rotations Opsgenie cannot hold in one rotation are written so that the same people are on
call: checked half-hour by half-hour over six weeks across a DST change, with the engine's own
shift rules on the original rotation and on the rotations read back from the written export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from engine.oncall.shifts import on_call
from engine.policy.model import HandOff, OnCallSetup, Person, Rotation, Schedule, Window
from engine.scenario.yamlsource import parse_source
from engine.vendors import opsgenie
from tests.vendors.opsgenie.test_oncall import _engine

UTC = dt.UTC
PEOPLE = tuple(Person(f"p{n}", f"p{n}") for n in range(1, 6))
MEMBERS = tuple(p.id for p in PEOPLE)


def _rotation(**changes: object) -> Rotation:
    base = Rotation(
        "rot",
        "r",
        MEMBERS[:3],
        dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
        "Europe/London",
        "week",
        (HandOff(dt.time(9), 0), HandOff(dt.time(9), 3)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


CASES = {
    # Monday and Thursday 09:00 hand-offs (an AWS weekly rotation with two days).
    "mon-thu": _rotation(),
    # Daily 09:00 and 17:00, two on call out of five, starting between hand-offs.
    "day-evening": _rotation(
        members=MEMBERS,
        period="day",
        hand_offs=(HandOff(dt.time(9)), HandOff(dt.time(17))),
        on_call=2,
        start=dt.datetime(2026, 3, 3, 12, 30, tzinfo=UTC),
    ),
    # Three weekly hand-offs, on call only on weekdays 08:00-20:00 and Saturday mornings.
    "windows": _rotation(
        members=MEMBERS[:4],
        hand_offs=(HandOff(dt.time(8), 0), HandOff(dt.time(20), 2), HandOff(dt.time(8), 4)),
        windows=(Window(dt.time(8), 720), Window(dt.time(6), 360, 5)),
    ),
    # Six-hour turns (an even grid: one hourly rotation), New York across its DST change.
    "grid": _rotation(
        time_zone="America/New_York",
        period="day",
        hand_offs=tuple(HandOff(dt.time(h)) for h in (2, 8, 14, 20)),
        start=dt.datetime(2026, 3, 1, 7, tzinfo=UTC),
    ),
}


def _who(rotations: list[Rotation], instant: dt.datetime) -> set[str]:
    found: set[str] = set()
    for rotation in rotations:
        found.update(on_call(_engine(rotation), instant))
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_written_rotations_have_the_same_people_on_call(name: str) -> None:
    rotation = CASES[name]
    schedule = Schedule("sch", "sch", "Sch", (rotation.id,), time_zone=rotation.time_zone)
    setup = OnCallSetup("aws", PEOPLE, (), (rotation,), (schedule,))
    document, _ = opsgenie.write(setup)
    again = opsgenie.read(parse_source(json.dumps(document)), {})
    written = list(again.rotations)
    assert len(written) >= 1
    instant = rotation.start
    checked = 0
    while instant < rotation.start + dt.timedelta(weeks=6):
        assert _who(written, instant) == _who([rotation], instant), instant
        instant += dt.timedelta(minutes=30)
        checked += 1
    assert checked == 6 * 7 * 48


def test_the_two_day_rotation_is_written_as_two_restricted_rotations() -> None:
    rotation = CASES["mon-thu"]
    schedule = Schedule("sch", "sch", "Sch", (rotation.id,), time_zone=rotation.time_zone)
    document, lost = opsgenie.write(OnCallSetup("aws", PEOPLE, (), (rotation,), (schedule,)))
    schedules = document["schedules"]
    assert isinstance(schedules, list)
    monday, thursday = schedules[0]["rotations"]
    assert (monday["type"], monday["length"], monday["startDate"]) == (
        "weekly",
        1,
        "2026-03-02T09:00:00Z",
    )
    assert [p["id"] for p in monday["participants"]] == ["p1", "p3", "p2"]  # shifts 0, 2, 4
    assert monday["timeRestriction"] == {
        "type": "weekday-and-time-of-day",
        "restrictions": [
            {
                "startDay": "monday",
                "startHour": 9,
                "startMin": 0,
                "endDay": "thursday",
                "endHour": 9,
                "endMin": 0,
            }
        ],
    }
    assert thursday["startDate"] == "2026-03-05T09:00:00Z"
    assert [p["id"] for p in thursday["participants"]] == ["p2", "p1", "p3"]  # shifts 1, 3, 5
    assert lost == [
        "schedule sch: rotation rot (r): 2 hand-offs a week; written as 2 rotations, one per "
        "stretch between hand-offs and person on call"
    ]
