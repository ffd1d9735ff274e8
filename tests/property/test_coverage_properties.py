"""Coverage properties over generated rotations: exact, and in agreement with the engine itself.

* A schedule's gaps are the intersection over time of its rotations' uncovered intervals (when
  every member can be paged), as engine.oncall.uncovered computes them from the shifts.
* For any escalation plan, the engine pages someone for an engagement started at an instant
  exactly when that instant lies outside the plan's gaps; instants at gap edges included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Simulator
from engine.coverage import gaps
from engine.coverage.intervals import Interval, intersect, union
from engine.oncall import uncovered
from tests.builders import REGION, START, Org, contact_arn

UTC = dt.UTC
DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ZONES = ("UTC", "America/New_York", "Europe/London", "Australia/Sydney")
# Weeks with a DST change in at least one of the zones.
WINDOW_STARTS = (
    dt.datetime(2026, 3, 6, tzinfo=UTC),
    dt.datetime(2026, 3, 27, tzinfo=UTC),
    dt.datetime(2026, 4, 3, tzinfo=UTC),
    dt.datetime(2026, 10, 2, tzinfo=UTC),
)
WINDOW = dt.timedelta(days=3)
PEOPLE = ("akuam", "alejr", "mute")


def hand_off(hour: int, minute: int) -> dict[str, int]:
    return {"HourOfDay": hour, "MinuteOfHour": minute}


times = st.tuples(st.integers(0, 23), st.sampled_from((0, 30)))

coverages = st.dictionaries(
    st.sampled_from(DAYS),
    st.lists(st.tuples(times, times), min_size=1, max_size=2),
    max_size=7,
)


@st.composite
def rotations(draw: Any, members: tuple[str, ...]) -> dict[str, Any]:
    """A rotation request (aliases as members) with a start offset and overrides."""
    chosen = draw(st.lists(st.sampled_from(members), min_size=1, max_size=3, unique=True))
    recurrence: dict[str, Any] = {
        "NumberOfOnCalls": draw(st.integers(1, 2)),
        "RecurrenceMultiplier": draw(st.integers(1, 3)),
    }
    if draw(st.booleans()):
        picked = draw(st.lists(times, min_size=1, max_size=2, unique=True))
        recurrence["DailySettings"] = [hand_off(h, m) for h, m in picked]
    else:
        picked_days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        hour, minute = draw(times)
        recurrence["WeeklySettings"] = [
            {"DayOfWeek": day, "HandOffTime": hand_off(hour, minute)} for day in picked_days
        ]
    if draw(st.booleans()):
        recurrence["ShiftCoverages"] = {
            day: [{"Start": hand_off(*low), "End": hand_off(*high)} for low, high in windows]
            for day, windows in draw(coverages).items()
        }
    overrides = draw(
        st.lists(
            st.tuples(
                st.integers(-24 * 60, 3 * 24 * 60),
                st.integers(30, 12 * 60),
                st.lists(st.sampled_from(chosen), max_size=2, unique=True),
            ),
            max_size=2,
        )
    )
    return {
        "members": chosen,
        "zone": draw(st.sampled_from(ZONES)),
        "start_minutes": draw(st.integers(-3 * 24 * 60, 24 * 60)),
        "recurrence": recurrence,
        "overrides": overrides,
    }


def build(org: Org, name: str, spec: dict[str, Any], window_start: dt.datetime) -> str:
    start = window_start + dt.timedelta(minutes=spec["start_minutes"])
    arn = str(
        org.client.create_rotation(
            Name=name,
            ContactIds=[contact_arn(m) for m in spec["members"]],
            StartTime=start,
            TimeZoneId=spec["zone"],
            Recurrence=spec["recurrence"],
        )["RotationArn"]
    )
    for offset, length, members in spec["overrides"]:
        begin = window_start + dt.timedelta(minutes=offset)
        org.client.create_rotation_override(
            RotationId=arn,
            NewContactIds=[contact_arn(m) for m in members],
            StartTime=begin,
            EndTime=begin + dt.timedelta(minutes=length),
        )
    return arn


def new_org(**knobs: Any) -> Org:
    sim = Simulator(seed=3, start=START, region=REGION, **knobs)
    org = Org(sim, sim.client())
    for alias in PEOPLE:
        org.person(alias, activate=() if alias == "mute" else ("SMS", "VOICE", "EMAIL"))
    return org


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(rotations(("akuam", "alejr")), min_size=1, max_size=3),
    st.sampled_from(WINDOW_STARTS),
)
def test_schedule_gaps_are_the_intersection_of_its_rotations_uncovered_time(
    specs: list[dict[str, Any]], window_start: dt.datetime
) -> None:
    org = new_org()
    arns = [build(org, f"r{i}", spec, window_start) for i, spec in enumerate(specs)]
    schedule = org.schedule("oncall", arns)
    window_end = window_start + WINDOW
    schedules = org.sim.state().schedules
    expected: list[Interval] | None = None
    for arn in arns:
        own = uncovered(schedules[arn], window_start, window_end)
        expected = own if expected is None else intersect(expected, own)
    found = gaps(org.sim, schedule, window_start, window_end)
    assert union([(g.start, g.end) for g in found]) == expected


@st.composite
def plans(draw: Any) -> list[tuple[int, list[str]]]:
    """1 to 3 stages of (minutes, target aliases) over two schedules and two people."""
    stages = []
    for _ in range(draw(st.integers(1, 3))):
        targets = draw(
            st.lists(
                st.sampled_from(("first_oncall", "second_oncall", "akuam", "mute")),
                max_size=2,
                unique=True,
            )
        )
        low = 0 if targets else 1
        stages.append((draw(st.integers(low, 30)), targets))
    return stages


def instants(found: list[Any], window_start: dt.datetime, phase: int) -> list[dt.datetime]:
    """Instants to engage at: each gap edge and the second before it, and one every two hours
    from ``phase`` minutes into the window."""
    second = dt.timedelta(seconds=1)
    chosen = {
        window_start + dt.timedelta(minutes=phase + 120 * n)
        for n in range(int(WINDOW.total_seconds() // 7200))
    }
    for gap in found:
        chosen.update((gap.start, gap.start - second, gap.end, gap.end - second))
    end = window_start + WINDOW
    return sorted(t for t in chosen if window_start <= t < end)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rotations(PEOPLE),
    rotations(PEOPLE),
    plans(),
    st.sampled_from(WINDOW_STARTS),
    st.sampled_from((0, 1)),
    st.sampled_from(("continue", "skip_wait")),
    st.integers(0, 119),
)
def test_the_engine_pages_someone_exactly_outside_the_gaps(
    first: dict[str, Any],
    second: dict[str, Any],
    stages: list[tuple[int, list[str]]],
    window_start: dt.datetime,
    repeat: int,
    empty_schedule: str,
    phase: int,
) -> None:
    org = new_org(repeat=repeat, empty_schedule=empty_schedule)
    org.schedule("first_oncall", [build(org, "first", first, window_start)])
    org.schedule("second_oncall", [build(org, "second", second, window_start)])
    plan = org.escalation("plan", [(m, [(t, True) for t in targets]) for m, targets in stages])
    found = gaps(org.sim, plan, window_start, window_start + WINDOW)
    engaged: list[tuple[dt.datetime, str]] = []
    for instant in instants(found, window_start, phase):
        org.sim.advance_to(instant)
        engaged.append((instant, org.engage("plan")))
    org.sim.run()
    paged = {e["EngagementArn"] for e in org.sim.events if e["Type"] == "MESSAGE"}
    for instant, engagement in engaged:
        in_gap = any(g.start <= instant < g.end for g in found)
        assert (engagement in paged) == (not in_gap), (instant, found)
