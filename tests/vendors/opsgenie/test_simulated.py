"""The Acme Opsgenie export simulated by the engine: pages and on-call computed by hand.

Policy payments-critical: rule delays 0, 10 and 60 minutes from the alert's creation (steps of
10, 50 and 0 minutes), repeated twice after a 15-minute wait, so passes start at +0, +75 and
+150. An incident at Tuesday 2026-03-31 10:00 UTC (11:00 in London, 06:00 in New York):
- london-primary: the weekly rotation hands off on Mondays 09:00 London time from 2 March
  (alejr, bea, farah, alejr), bea from 30 March; the nights rotation covers 19:00-07:00 only.
  bea: e-mail at once, SMS after 2, voice after 10 minutes;
- at +10 bea again and alejr (an ``if-not-closed`` rule; his push contact is not paged): SMS
  after 1, voice after 5 minutes;
- at +60 (07:00 New York) the 12-hour rotation (08:00 and 20:00, from 2 March 08:00) is in its
  57th turn since the first hand-off: dara (SMS and e-mail at once); and alejr;
- at +135 and +210 (08:15 and 09:30 New York), after the 08:00 hand-off of 31 March, turn 58:
  chen (voice at once, e-mail after 3 minutes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.sources import detect
from tests.vendors.paging import coverage, on_call_people, pages

FIXTURE = str(Path(__file__).parent / "fixtures" / "acme.json")
AT = dt.datetime(2026, 3, 31, 10, tzinfo=dt.UTC)
BEA = [("bea-kowalski", "EMAIL", 0), ("bea-kowalski", "SMS", 2), ("bea-kowalski", "VOICE", 10)]
ALEJR = [("alejr", "SMS", 1), ("alejr", "VOICE", 5)]


def _at(start: float, rows: list[tuple[str, str, int]]) -> list[tuple[str, str, float]]:
    return [(who, kind, start + minutes) for who, kind, minutes in rows]


def _pass(start: float, new_york: list[tuple[str, str, int]]) -> list[tuple[str, str, float]]:
    return _at(start, BEA) + _at(start + 10, BEA + ALEJR) + _at(start + 60, new_york + ALEJR)


def test_the_export_is_told_from_its_content() -> None:
    assert detect(FIXTURE) == "opsgenie"


def test_an_incident_pages_rules_from_creation_repeats_and_waits_computed_by_hand() -> None:
    dara = [("dara", "EMAIL", 0), ("dara", "SMS", 0)]
    chen = [("chen-li", "VOICE", 0), ("chen-li", "EMAIL", 3)]
    expected = _pass(0, dara) + _pass(75, chen) + _pass(150, chen)
    got = pages(f"opsgenie:{FIXTURE}", AT, "payments-critical")
    assert got == sorted(expected, key=lambda row: (row[2], row[0], row[1]))


def test_overrides_of_the_schedule_and_of_a_rotation_change_who_is_on_call() -> None:
    # The schedule override of 28-29 March (12:00 to 12:00 UTC) puts dara on instead of all.
    saturday = dt.datetime(2026, 3, 28, 15, tzinfo=dt.UTC)
    assert on_call_people(FIXTURE, saturday, "london-primary") == ["dara"]
    # Without it, the weekly rotation's alejr (23-30 March).
    assert on_call_people(FIXTURE, saturday + dt.timedelta(days=1), "london-primary") == ["alejr"]
    # The 12-hour rotation's override of 10 March, 12:00-18:00 UTC: dara instead of chen, whose
    # turn (the 16th since the first hand-off) it is at 10:00 New York time.
    tenth = dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC)
    assert on_call_people(FIXTURE, tenth, "nyc-follow-the-sun") == ["dara"]
    assert on_call_people(FIXTURE, tenth + dt.timedelta(hours=5), "nyc-follow-the-sun") == [
        "chen-li"
    ]


def test_coverage_of_the_schedules_computed_by_hand() -> None:
    covered = coverage(FIXTURE, "2026-03-23T00:00:00Z", "2026-04-06T00:00:00Z")
    # The weekly London rotation and the 12-hour New York one have someone at every instant,
    # and the schedule override of 28-29 March puts dara on: no gap in either schedule.
    assert covered["london-primary"] == 100.0
    assert covered["nyc-follow-the-sun"] == 100.0
    # The nights rotation (19:00-07:00 London time): 7 + 5 x 12 + 11 (the night of the clock
    # change) + 7 x 12 + 6 hours of the window, less the night of 31 March, which an override
    # gives to bea (not a member: the schedule has her on, the rotation nobody), and less the 11
    # hours the schedule override of 28-29 March replaces: 145 of 336 hours.
    assert covered["Nights"] == round(100 * 145 / 336, 4)
