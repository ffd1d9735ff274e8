"""Properties of the shift algorithm over generated rotations: listed shifts and uncovered time
tile any window from StartTime on, ``on_call`` agrees with the listing (and the remembered
lookup with ``on_call``, asked in any order), and a window listed on its own gives the shifts
that listing from StartTime gives."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.oncall import Rotation, Shift, on_call, on_call_remembered, shifts, uncovered

UTC = dt.UTC
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
    "America/Havana",
    "Africa/Casablanca",
]
DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
CONTACTS = ["a", "b", "c", "d"]
# DST changes happen at :00 and :30 in these zones; minutes on those marks hit the edge cases.
MINUTES = st.sampled_from([0, 0, 30, 15, 59])

hand_off_times = st.builds(
    lambda hour, minute: {"HourOfDay": hour, "MinuteOfHour": minute},
    st.integers(0, 23),
    MINUTES,
)
coverage_windows = st.builds(
    lambda start, end: {"Start": start, "End": end}, hand_off_times, hand_off_times
)


@st.composite
def recurrences(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["DailySettings", "WeeklySettings", "MonthlySettings"]))
    count = draw(st.integers(1, 3))
    if kind == "DailySettings":
        settings_list: list[Any] = draw(st.lists(hand_off_times, min_size=count, max_size=count))
    elif kind == "WeeklySettings":
        settings_list = [
            {"DayOfWeek": draw(st.sampled_from(DAYS)), "HandOffTime": draw(hand_off_times)}
            for _ in range(count)
        ]
    else:
        settings_list = [
            {
                "DayOfMonth": draw(st.sampled_from([1, 15, 28, 29, 30, 31])),
                "HandOffTime": draw(hand_off_times),
            }
            for _ in range(count)
        ]
    recurrence: dict[str, Any] = {
        kind: settings_list,
        "NumberOfOnCalls": draw(st.integers(1, 5)),
        "RecurrenceMultiplier": draw(st.integers(1, 4)),
    }
    if draw(st.booleans()):
        recurrence["ShiftCoverages"] = draw(
            st.dictionaries(st.sampled_from(DAYS), st.lists(coverage_windows, max_size=2))
        )
    return recurrence


instants = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
)


@st.composite
def rotations(draw: st.DrawFn) -> Rotation:
    start = draw(instants)
    overrides = []
    for created in range(draw(st.integers(0, 3))):
        begin = start + dt.timedelta(minutes=draw(st.integers(-2000, 60000)))
        length = dt.timedelta(minutes=draw(st.integers(30, 6000)))
        members = draw(st.lists(st.sampled_from(CONTACTS), max_size=2, unique=True))
        overrides.append((begin, begin + length, members, draw(st.integers(0, created))))
    return Rotation(
        CONTACTS[: draw(st.integers(1, 4))],
        start,
        draw(st.sampled_from(ZONES)),
        draw(recurrences()),
        overrides,
    )


@st.composite
def windows(draw: st.DrawFn, rotation: Rotation) -> tuple[dt.datetime, dt.datetime]:
    low = rotation.start + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 800)))
    return low, low + dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 40)))


def _sample_instants(
    low: dt.datetime, high: dt.datetime, listed: list[Shift], extra: list[dt.datetime]
) -> list[dt.datetime]:
    second = dt.timedelta(seconds=1)
    moments = [low, high - second, *extra]
    for shift in listed:
        moments += [shift.start, shift.end - second, shift.start + (shift.end - shift.start) / 2]
    return [m for m in moments if low <= m < high]


PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(data=st.data(), rotation=rotations())
def test_shifts_and_uncovered_time_tile_the_window_and_agree_with_on_call(
    data: st.DataObject, rotation: Rotation
) -> None:
    low, high = data.draw(windows(rotation))
    listed = shifts(rotation, low, high)
    gaps = uncovered(rotation, low, high)

    # Listed shifts: in time order, not overlapping, each of some length and touching the window.
    for shift in listed:
        assert shift.start < shift.end
        assert shift.start < high and shift.end > low
    for earlier, later in itertools.pairwise(listed):
        assert earlier.end <= later.start

    # Shifts with someone on call (clipped) and uncovered time tile [low, high) exactly.
    staffed = [(max(s.start, low), min(s.end, high)) for s in listed if s.contact_ids]
    tiles = sorted(staffed + gaps)
    assert tiles[0][0] == low
    assert tiles[-1][1] == high
    for (_, end), (start, _) in itertools.pairwise(tiles):
        assert end == start
    # A shift naming nobody (an empty override) lies inside uncovered time.
    for shift in listed:
        if not shift.contact_ids:
            clipped = (max(shift.start, low), min(shift.end, high))
            assert any(g0 <= clipped[0] and clipped[1] <= g1 for g0, g1 in gaps)

    # on_call says what the listing says, at shift edges, midpoints and random instants.
    offsets = data.draw(st.lists(st.floats(0, 1), max_size=5))
    extra = [low + (high - low) * f for f in offsets]
    for moment in _sample_instants(low, high, listed, extra):
        holders = [s for s in listed if s.start <= moment < s.end]
        assert len(holders) <= 1
        expected = holders[0].contact_ids if holders else ()
        assert on_call(rotation, moment) == expected, moment


@PROPERTY_SETTINGS
@given(data=st.data(), rotation=rotations())
def test_the_remembered_lookup_says_what_on_call_says_whatever_the_order_of_questions(
    data: st.DataObject, rotation: Rotation
) -> None:
    low, high = data.draw(windows(rotation))
    listed = shifts(rotation, low, high)
    offsets = data.draw(st.lists(st.floats(0, 1), max_size=8))
    # Before the start, exactly at shift edges, a microsecond before them, and anywhere.
    micro = dt.timedelta(microseconds=1)
    moments = _sample_instants(low, high, listed, [low + (high - low) * f for f in offsets])
    moments += [s.end - micro for s in listed] + [rotation.start - micro, rotation.start]
    moments += [low - dt.timedelta(days=d) for d in (3, 9, 40)]
    order = data.draw(st.permutations(moments))
    for moment in order:
        assert on_call_remembered(rotation, moment) == on_call(rotation, moment), moment
    # Asked again, every answer now comes from what was remembered.
    for moment in order:
        assert rotation.stretches.find(moment) == on_call(rotation, moment), moment


@PROPERTY_SETTINGS
@given(data=st.data(), rotation=rotations())
def test_a_window_listed_on_its_own_matches_the_listing_from_the_start(
    data: st.DataObject, rotation: Rotation
) -> None:
    low, high = data.draw(windows(rotation))
    from_start = [s for s in shifts(rotation, rotation.start, high) if s.end > low]
    assert shifts(rotation, low, high) == from_start


def _reference_shifts(rotation: Rotation, count: int) -> list[tuple[Any, ...]]:
    """The first ``count`` shifts by S2/S3 read literally: walk the local days from before the
    start, collect every listed wall-clock time, place it in UTC, and take every
    multiplier-th instant after the start as a boundary."""
    recurrence, zone = rotation.recurrence, rotation.zone
    kind = next(
        k for k in ("DailySettings", "WeeklySettings", "MonthlySettings") if k in recurrence
    )

    def listed_on(day: dt.date) -> list[dt.time]:
        times = set()
        for item in recurrence[kind]:
            if kind == "WeeklySettings" and item["DayOfWeek"] != DAYS[day.weekday()]:
                continue
            if kind == "MonthlySettings" and item["DayOfMonth"] != day.day:
                continue
            hand_off = item if kind == "DailySettings" else item["HandOffTime"]
            times.add(dt.time(hand_off["HourOfDay"], hand_off["MinuteOfHour"]))
        return sorted(times)

    multiplier = recurrence["RecurrenceMultiplier"]
    instants: list[dt.datetime] = []
    day = rotation.start.astimezone(zone).date() - dt.timedelta(days=2)
    while len(instants) < (count + 1) * multiplier:
        for time in listed_on(day):
            moment = dt.datetime.combine(day, time).replace(tzinfo=zone)
            if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(
                tzinfo=None
            ):
                # In a gap: the first instant after it, found minute by minute.
                probe = moment.replace(fold=1).astimezone(UTC)
                while probe.astimezone(zone).replace(tzinfo=None) < moment.replace(tzinfo=None):
                    probe += dt.timedelta(minutes=1)
                instant = probe
            else:
                instant = moment.astimezone(UTC)
            if instant > rotation.start:
                instants.append(instant)
        day += dt.timedelta(days=1)
    boundaries = [rotation.start, *instants[multiplier - 1 :: multiplier]]
    expected = []
    for index, (start, end) in enumerate(itertools.pairwise(boundaries)):
        if start < end:
            expected.append((start, end, rotation.contacts_of(index)))
    return expected[:count]


@PROPERTY_SETTINGS
@given(rotation=rotations())
def test_boundaries_and_contacts_follow_the_rules_read_literally(rotation: Rotation) -> None:
    plain = {k: v for k, v in rotation.recurrence.items() if k != "ShiftCoverages"}
    bare = Rotation(rotation.contact_ids, rotation.start, rotation.time_zone_id, plain)
    expected = _reference_shifts(bare, 8)
    listed = shifts(bare, bare.start, expected[-1][1])
    assert [(s.start, s.end, s.contact_ids) for s in listed] == expected
    assert all(s.type == "REGULAR" for s in listed)
