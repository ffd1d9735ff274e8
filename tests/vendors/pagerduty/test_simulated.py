"""The Acme PagerDuty export simulated by the engine: pages and coverage computed by hand.

The export (fixtures/acme.json) has a weekly primary layer under a weekend layer, and a
New York backstop (two-day turns) under a 07:00-21:00 layer of 12-hour turns; policy
payments-primary loops twice (num_loops 2). Hand computation for an incident at Tuesday
2026-03-31 10:00 UTC (11:00 in London after the change to summer time, 06:00 in New York):
- the primary's weekly turns hand off on Mondays at 09:00 London time from 2 March: alice,
  bob, carla, alice, then bob from 30 March, so bob (SMS at once, e-mail after 2 minutes);
- rule 2 at +15 reaches bob and carla (round robin is simulated as both: noted); carla's
  e-mail rule (10 minutes) is as late as the rule's timeout, so escalating at +25 unassigns her
  first and it never goes (setting earlier_pages=cancel, as PagerDuty documents);
- rule 3 at +25 reaches the secondary schedule at 06:25 New York, before the day layer's
  07:00, so the backstop: two-day turns from 5 March at midnight, turn 13 (31 March) is dan
  (SMS; his voice method is disabled in the export, so it is not paged); and alice directly
  (SMS, voice after 5 minutes);
- the loops start at +55 and +110; at +80 (07:20 New York) and +135 (08:15) the day layer is
  on: its 12-hour turns from 4 March 20:30 UTC number 53 (eve) and 54 (bob).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.sources import detect
from tests.vendors.paging import coverage, on_call_people, pages

FIXTURE = str(Path(__file__).parent / "fixtures" / "acme.json")
AT = dt.datetime(2026, 3, 31, 10, tzinfo=dt.UTC)


def _pass(start: float, secondary: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    primary = [
        ("bob", "SMS", 0),
        ("bob", "EMAIL", 2),
        ("bob", "SMS", 15),
        ("carla-ruiz-oncall", "VOICE", 15),
        ("bob", "EMAIL", 17),
        ("alice-okafor", "SMS", 25),
        ("alice-okafor", "VOICE", 30),
    ]
    return [(who, kind, start + minutes) for who, kind, minutes in primary + secondary]


def test_the_export_is_told_from_its_content() -> None:
    assert detect(FIXTURE) == "pagerduty"


def test_an_incident_pages_the_layers_rules_and_loops_computed_by_hand() -> None:
    expected = (
        _pass(0, [("dan-o-neil", "SMS", 25)])
        + _pass(55, [("eve", "VOICE", 25), ("eve", "EMAIL", 26)])
        + _pass(110, [("bob", "SMS", 25), ("bob", "EMAIL", 27)])
    )
    got = pages(f"pagerduty:{FIXTURE}", AT, "payments-primary-2")
    assert got == sorted(expected, key=lambda row: (row[2], row[0], row[1]))


def test_the_weekend_layer_wins_over_the_weekly_one_and_overrides_win_over_both() -> None:
    saturday = dt.datetime(2026, 3, 28, 12, tzinfo=dt.UTC)
    # Weekend cover: daily 18:00 London turns of dan and eve from Friday 6 March 18:00.
    # Saturday 28 March 12:00 is in turn 21 (from Friday 27 March 18:00): eve.
    assert on_call_people(FIXTURE, saturday, "payments-primary") == ["eve"]
    # The override of 11-12 March (09:00-09:00 UTC) puts eve-2 on call instead of the weekly
    # layer's bob.
    assert on_call_people(
        FIXTURE, dt.datetime(2026, 3, 11, 12, tzinfo=dt.UTC), "payments-primary"
    ) == ["eve-2"]
    assert on_call_people(
        FIXTURE, dt.datetime(2026, 3, 12, 12, tzinfo=dt.UTC), "payments-primary"
    ) == ["bob"]


def test_coverage_of_the_weekend_layer_across_the_clock_change() -> None:
    # 23 March to 6 April: two weekends (Saturday 00:00 for 48 hours, London time); the first
    # Sunday, 29 March, has 23 hours: 47 + 48 of 336 hours.
    covered = coverage(FIXTURE, "2026-03-23T00:00:00Z", "2026-04-06T00:00:00Z")
    assert covered["Weekend cover"] == round(100 * 95 / 336, 4)
    assert covered["Weekly primary"] == 100.0
    assert covered["payments-primary"] == 100.0
