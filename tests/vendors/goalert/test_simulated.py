"""The GoAlert export simulated by the engine: pages and on-call computed by hand.

Policy payments-api (steps of 5, 10 and 15 minutes, repeat 2: passes at +0, +30 and +60) for
an incident at Sunday 2026-03-29 06:00 UTC, 07:00 in London just after the change to summer
time:
- primary-london is the 12-hour London rotation (08:00 and 20:00 from 20 March 08:00: bob,
  chen, alejr in turn), alejr-2's weekend nights (22:00-06:00) and an override adding dana
  until 10:00 UTC. At 07:00 it is turn 17 (alejr) and dana; at 08:00 (+60) turn 18, bob.
  alejr: SMS and e-mail at once, voice after 5; dana: e-mail (her SMS is disabled); bob: SMS
  (his Slack method is not paged), e-mail after 10;
- step 2 (+5) reaches secondary-new-york, whose rules cover weekdays 09:00-17:00 only: nobody
  on a Sunday; and alejr;
- step 3 (+15) the hourly night rotation (eve, alejr, from 1 March 00:00): by the engine's rule
  the spring-forward gap makes two hand-offs at 01:00 UTC (a difference from GoAlert the source
  notes), so 07:00-08:00 is turn 679 (alejr) and 08:00-09:00 turn 680 (eve: SMS, voice after 3).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from engine.sources import detect
from tests.vendors.paging import coverage, on_call_people, pages

FIXTURE = str(Path(__file__).parent / "fixtures" / "org.json")
AT = dt.datetime(2026, 3, 29, 6, tzinfo=dt.UTC)
ALEJR = [("alejr", "SMS", 0), ("alejr", "EMAIL", 0), ("alejr", "VOICE", 5)]


def _at(start: float, rows: list[tuple[str, str, int]]) -> list[tuple[str, str, float]]:
    return [(who, kind, start + minutes) for who, kind, minutes in rows]


def test_the_export_is_told_from_its_content() -> None:
    assert detect(FIXTURE) == "goalert"


def test_an_incident_pages_steps_repeats_and_the_added_person_computed_by_hand() -> None:
    first_two = [
        *_at(0, [*ALEJR, ("dana", "EMAIL", 0)]),
        *_at(5, ALEJR),
        *_at(15, ALEJR),
    ]
    third = [
        *_at(60, [("bob-okafor", "SMS", 0), ("bob-okafor", "EMAIL", 10), ("dana", "EMAIL", 0)]),
        *_at(65, ALEJR),
        *_at(75, [("eve", "SMS", 0), ("eve", "VOICE", 3)]),
    ]
    expected = first_two + _at(30, first_two) + third
    got = pages(f"goalert:{FIXTURE}", AT, "payments-api")
    assert got == sorted(expected, key=lambda row: (row[2], row[0], row[1]))


def test_a_remove_override_takes_its_person_off_call_for_its_window_only() -> None:
    # 30 March 20:00 to 31 March 08:00 London time is bob's turn (21); the override of
    # 30 March 07:00 to 31 March 07:00 UTC removes him, and alejr-2 covers weekends only.
    assert (
        on_call_people(FIXTURE, dt.datetime(2026, 3, 30, 21, tzinfo=dt.UTC), "primary-london") == []
    )
    # His next turn (24), 1 April 08:00-20:00, is after the override.
    assert on_call_people(
        FIXTURE, dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC), "primary-london"
    ) == ["bob-okafor"]


def test_coverage_of_the_schedules_computed_by_hand() -> None:
    covered = coverage(FIXTURE, "2026-03-23T00:00:00Z", "2026-04-06T00:00:00Z")
    # secondary-new-york: weekdays 09:00-17:00 New York time, ten weekdays: 80 of 336 hours.
    assert covered["secondary-new-york"] == round(100 * 80 / 336, 4)
    # primary-london: the 12-hour rotation covers everything but bob's turn of 30-31 March
    # (19:00 to 07:00 UTC), which the remove override leaves to nobody: 324 of 336 hours.
    assert covered["primary-london"] == round(100 * 324 / 336, 4)
