"""The exact part of ``escsim equivalence``: intervals, page differences and their causes.

Every expected interval here is worked out by hand from the rotations written in the test: a
two-person daily rotation in Europe/London, and a plan whose two 5-minute stages each engage the
on-call schedule, so the schedule is consulted at +0 and at +5m.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable

import pytest

from engine.review.equivalence import Equivalence, compare, pairs
from engine.review.equivalence_report import local_time, sentence
from engine.review.inputs import InputError, ReviewInput, scenario_input

UTC = dt.UTC

PEOPLE = """\
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}, voice: {type: VOICE, address: "+15550101"}}
    plan: [{duration: 5, targets: [{channel: sms}]}, {duration: 5, targets: [{channel: voice}]}]
  alejr:
    channels: {sms: {type: SMS, address: "+15550102"}, voice: {type: VOICE, address: "+15550103"}}
    plan: [{duration: 5, targets: [{channel: sms}]}, {duration: 5, targets: [{channel: voice}]}]
"""

SCHEDULED = """\
  oncall:
    rotations: [primary]
  team:
    plan:
      - {duration: 5, targets: [{contact: oncall}]}
      - {duration: 5, targets: [{contact: oncall}]}
rotations:
  primary:
    members: [akuam, alejr]
    start: 2026-03-28T00:00:00Z
    zone: Europe/London
    daily: ["HANDOFF"]
"""


def organisation(body: str, *, settings: str = "", name: str = "org") -> str:
    """A scenario file's text: header, optional settings, then ``body``."""
    header = f"version: 1\nname: {name}\nstart: 2026-03-28T00:00:00Z\nseed: 3\n"
    if settings:
        header += f"settings: {settings}\n"
    return header + textwrap.dedent(body)


def scheduled(hand_off: str = "09:00", overrides: str = "") -> str:
    text = PEOPLE + SCHEDULED.replace("HANDOFF", hand_off)
    return organisation(text + overrides)


@pytest.fixture
def load(write: Callable[..., str]) -> Callable[[str, str], ReviewInput]:
    def go(text: str, name: str) -> ReviewInput:
        return scenario_input(write(text, f"{name}.scenario.yaml"))

    return go


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(result: Equivalence) -> list[tuple[str, str]]:
    return [
        (d.start.strftime("%m-%d %H:%M"), d.end.strftime("%m-%d %H:%M"))
        for p in result.policies
        for d in p.differences
    ]


def test_identical_organisations_over_a_year_with_dst_are_equivalent(
    load: Callable[[str, str], ReviewInput],
) -> None:
    a, b = load(scheduled(), "a"), load(scheduled(), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2027-03-28T00:00:00"))
    assert result.equivalent
    # A hand-off a day, seen from +0 and from +5m: two cuts a day, one year.
    assert result.intervals == 2 * 365 + 1
    # Four distinct signatures (who is on at +0, at +5m), one engine run each per organisation.
    assert result.engine_runs == 8


def test_a_shifted_hand_off_differs_for_an_hour_and_five_minutes_per_hand_off(
    load: Callable[[str, str], ReviewInput],
) -> None:
    a, b = load(scheduled("09:00"), "a"), load(scheduled("10:00"), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-31T00:00:00"))
    assert not result.equivalent
    # GMT on the 28th (09:00 London is 09:00 UTC), BST from the 29th (09:00 is 08:00 UTC). Under
    # A the hand-off comes an hour earlier: incidents from 5 minutes before it (seen at +5m)
    # until B's hand-off page someone else: before, during and after both stages disagree.
    assert spans(result) == [
        ("03-28 08:55", "03-28 09:00"),
        ("03-28 09:00", "03-28 09:55"),
        ("03-28 09:55", "03-28 10:00"),
        ("03-29 07:55", "03-29 08:00"),
        ("03-29 08:00", "03-29 08:55"),
        ("03-29 08:55", "03-29 09:00"),
        ("03-30 07:55", "03-30 08:00"),
        ("03-30 08:00", "03-30 08:55"),
        ("03-30 08:55", "03-30 09:00"),
    ]
    first = result.policies[0].differences[0]
    # alejr takes over at 09:00 under A, at 10:00 under B: only the +5m stage differs.
    assert first.only_a == {("alejr", "SMS", 300.0), ("alejr", "VOICE", 600.0)}
    assert first.only_b == {("akuam", "SMS", 300.0), ("akuam", "VOICE", 600.0)}
    daily = (
        '{{"DailySettings":[{{"HourOfDay":{},"MinuteOfHour":0}}],"NumberOfOnCalls":1,'
        '"RecurrenceMultiplier":1}}'
    )
    nine, ten = daily.format(9), daily.format(10)
    hand_offs = f"rotation primary recurrence: {nine} under A, {ten} under B"
    assert first.causes == (
        "rotation primary at +5m: alejr on call under A, akuam under B",
        hand_offs,
    )
    assert sentence(result.policies[0], first) == (
        "an incident at Sat 2026-03-28 08:55 Europe/London pages alejr by SMS at +5m under A, "
        "akuam by SMS under B (policy team)"
    )
    # The day the clocks go forward, told in the schedule's zone.
    dst_day = result.policies[0].differences[3]
    assert local_time(dst_day.start, dst_day.zone) == "Sun 2026-03-29 08:55 Europe/London"
    middle = result.policies[0].differences[1]
    assert middle.causes == (
        "rotation primary at +0s: alejr on call under A, akuam under B",
        "rotation primary at +5m: alejr on call under A, akuam under B",
        hand_offs,
    )


def test_an_override_only_in_a_differs_over_its_interval_only(
    load: Callable[[str, str], ReviewInput],
) -> None:
    # 2026-03-29 from 08:00 UTC to 2026-03-30 08:00 is akuam's shift; A puts alejr on instead.
    override = (
        "    overrides:\n"
        "      - {start: 2026-03-29T12:00:00Z, end: 2026-03-29T14:00:00Z, members: [alejr]}\n"
    )
    a, b = load(scheduled(overrides=override), "a"), load(scheduled(), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-04-04T00:00:00"))
    assert spans(result) == [
        ("03-29 11:55", "03-29 12:00"),
        ("03-29 12:00", "03-29 13:55"),
        ("03-29 13:55", "03-29 14:00"),
    ]
    middle = result.policies[0].differences[1]
    assert middle.only_a == {
        ("alejr", "SMS", 0.0), ("alejr", "VOICE", 300.0),
        ("alejr", "SMS", 300.0), ("alejr", "VOICE", 600.0),
    }  # fmt: skip
    assert middle.causes == (
        "rotation primary at +0s: alejr (override) on call under A, akuam under B",
        "rotation primary at +5m: alejr (override) on call under A, akuam under B",
        "rotation primary overrides: 2026-03-29T12:00:00+00:00 to 2026-03-29T14:00:00+00:00: "
        "alejr under A, (none) under B",
    )


DIRECT = """\
  team:
    plan: [{duration: 10, targets: [{contact: akuam}]}]
"""


def test_a_missing_repeat_setting_shows_the_repeated_pages(
    load: Callable[[str, str], ReviewInput],
) -> None:
    a = load(organisation(PEOPLE + DIRECT, settings="{repeat: 1}"), "a")
    b = load(organisation(PEOPLE + DIRECT), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-04-28T00:00:00"))
    (difference,) = result.policies[0].differences
    window = (at("2026-03-28T00:00:00"), at("2026-04-28T00:00:00"))
    assert (difference.start, difference.end) == window
    # The second pass starts after the 10-minute stage: akuam's own plan again from +10m.
    assert difference.only_a == {("akuam", "SMS", 600.0), ("akuam", "VOICE", 900.0)}
    assert difference.only_b == frozenset()
    assert difference.causes == ("setting repeat: 1 under A, 0 under B",)
    assert difference.zone == "UTC"
    assert sentence(result.policies[0], difference) == (
        "an incident at Sat 2026-03-28 00:00 UTC pages akuam by SMS at +10m under A, nobody "
        "under B (policy team)"
    )


def test_a_plan_lacking_the_repeated_stage_shows_the_extra_pages(
    load: Callable[[str, str], ReviewInput],
) -> None:
    stage = "{duration: 10, targets: [{contact: akuam}]}"
    twice = DIRECT.replace(f"[{stage}]", f"[{stage}, {stage}]")
    a, b = load(organisation(PEOPLE + twice), "a"), load(organisation(PEOPLE + DIRECT), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"))
    (difference,) = result.policies[0].differences
    assert difference.only_a == {("akuam", "SMS", 600.0), ("akuam", "VOICE", 900.0)}
    assert difference.causes == (
        "contact team stages: 2 under A, 1 under B",
        "contact team stage 1: 10m: akuam under A, (none) under B",
    )


def test_a_differing_channel_type_is_named_as_the_cause(
    load: Callable[[str, str], ReviewInput],
) -> None:
    sms = "{duration: 5, targets: [{channel: sms}]}"
    voice = "{duration: 5, targets: [{channel: voice}]}"
    swapped = PEOPLE.replace(f"plan: [{sms}, {voice}]", f"plan: [{voice}, {sms}]", 1)
    a, b = load(organisation(PEOPLE + DIRECT), "a"), load(organisation(swapped + DIRECT), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"))
    (difference,) = result.policies[0].differences
    assert difference.only_a == {("akuam", "SMS", 0.0), ("akuam", "VOICE", 300.0)}
    assert difference.only_b == {("akuam", "VOICE", 0.0), ("akuam", "SMS", 300.0)}
    assert difference.causes == (
        "akuam at +0s: channel SMS under A, VOICE under B",
        "akuam at +5m: channel VOICE under A, SMS under B",
    )


def test_a_policy_in_one_organisation_only_is_a_difference(
    load: Callable[[str, str], ReviewInput],
) -> None:
    extra = DIRECT + "  night:\n    plan: [{duration: 5, targets: [{contact: alejr}]}]\n"
    a, b = load(organisation(PEOPLE + DIRECT), "a"), load(organisation(PEOPLE + extra), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"))
    night, team = result.policies
    assert (night.a, night.b, team.differences) == (None, "night", ())
    (difference,) = night.differences
    assert difference.only_b == {("alejr", "SMS", 0.0), ("alejr", "VOICE", 300.0)}
    assert difference.causes == (
        "escalation plan night exists only in B: A has no contact of that alias",
    )


def test_schedules_are_the_policies_when_there_is_no_escalation_plan(
    load: Callable[[str, str], ReviewInput],
) -> None:
    only_schedule = organisation(
        PEOPLE
        + "  oncall:\n    rotations: [primary]\nrotations:\n  primary:\n"
        + "    members: [akuam, alejr]\n    zone: Europe/London\n    daily: ['09:00']\n"
    )
    a = load(only_schedule, "a")
    b = load(only_schedule.replace("'09:00'", "'09:30'"), "b")
    assert pairs(a, b) == [("oncall", "oncall")]
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"))
    # Consulted at +0 only: 09:00 to 09:30 GMT.
    assert spans(result) == [("03-28 09:00", "03-28 09:30")]


def test_explicit_policy_pairs_and_unknown_aliases(
    load: Callable[[str, str], ReviewInput],
) -> None:
    a = load(organisation(PEOPLE + DIRECT), "a")
    renamed = DIRECT.replace("team:", "squad:")
    b = load(organisation(PEOPLE + renamed), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"), ["team=squad"])
    assert result.equivalent and [(p.a, p.b) for p in result.policies] == [("team", "squad")]
    with pytest.raises(InputError, match=r"--policy 'team': no contact 'team' in B \("):
        pairs(a, b, ["team"])


def test_a_policy_only_one_side_has_that_pages_nobody_is_still_a_counterexample(
    load: Callable[[str, str], ReviewInput],
) -> None:
    empty = DIRECT + "  idle:\n    type: ESCALATION\n    plan: []\n"
    a, b = load(organisation(PEOPLE + empty), "a"), load(organisation(PEOPLE + DIRECT), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"))
    first = result.first()
    assert first is not None and (first[1].only_a, first[1].only_b) == (frozenset(), frozenset())
    assert sentence(*first) == (
        "an incident at Sat 2026-03-28 00:00 UTC on policy idle: escalation plan idle exists only "
        "in A: B has no contact of that alias"
    )


def test_pages_moved_in_time_are_told_by_the_plan_not_as_a_channel_change(
    load: Callable[[str, str], ReviewInput],
) -> None:
    two = DIRECT.replace("[{duration: 10, targets: [{contact: akuam}]}]",
                         "[{duration: 5, targets: [{contact: akuam}]}, "
                         "{duration: 5, targets: [{contact: alejr}]}]")  # fmt: skip
    later = two.replace("{duration: 5, targets: [{contact: akuam}]}",
                        "{duration: 10, targets: [{contact: akuam}]}")  # fmt: skip
    a, b = load(organisation(PEOPLE + two), "a"), load(organisation(PEOPLE + later), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-29T00:00:00"))
    (difference,) = result.policies[0].differences
    # alejr's SMS at +5m under A is at +10m under B, where A sends her VOICE: not a channel
    # change, since her whole plan starts five minutes later.
    assert difference.only_a == {("alejr", "SMS", 300.0), ("alejr", "VOICE", 600.0)}
    assert difference.only_b == {("alejr", "SMS", 600.0), ("alejr", "VOICE", 900.0)}
    assert difference.causes == ("contact team stage 0: 5m: akuam under A, 10m: akuam under B",)


SKIPPING = """\
  oncall:
    rotations: [primary]
  backup:
    rotations: [secondary]
  team:
    plan:
      - {duration: 10, targets: [{contact: oncall}]}
      - {duration: 5, targets: [{contact: backup}]}
      - {duration: 5, targets: [{contact: oncall}]}
      - {duration: 5, targets: [{contact: alejr}]}
rotations:
  primary:
    members: [akuam, alejr]
    start: 2026-03-28T00:00:00Z
    zone: Europe/London
    daily: ["09:00"]
    coverage: {SAT: [["08:00", "08:07"]], SUN: [["08:00", "08:07"]], MON: [["08:00", "08:07"]]}
  secondary:
    members: [alejr, akuam]
    start: 2026-03-28T00:00:00Z
    zone: Europe/London
    daily: ["09:00"]
"""


@pytest.mark.parametrize(
    ("settings", "offsets"),
    [
        ("", {"primary": [0.0, 900.0], "secondary": [600.0]}),
        ("{empty_schedule: skip_wait}", {"primary": [0.0, 300.0, 600.0, 900.0],
                                         "secondary": [0.0, 600.0]}),
    ],
)  # fmt: skip
def test_under_skip_wait_every_possible_stage_start_is_consulted(
    load: Callable[[str, str], ReviewInput], settings: str, offsets: dict[str, list[float]]
) -> None:
    from engine.review.equivalence_intervals import probe

    # Stages of 10 and 5 minutes: without skip_wait they start at +0, +10m, +15m. Under
    # skip_wait a stage that found nobody on call does not wait: the second can start at +0,
    # the third 5 minutes after the second, or with it.
    review = load(organisation(PEOPLE + SKIPPING, settings=settings), "a")
    state = review.state
    team = state.organisation.contact_named("team")
    assert team is not None
    found = probe(state.organisation, state.schedules, team, review.simulator.knobs)
    names = {arn: rotation.name for arn, rotation in state.organisation.rotations.items()}
    seen: dict[str, list[float]] = {}
    for arn, offset in found.consultations:
        seen.setdefault(names[arn], []).append(offset)
    assert seen == offsets


def test_the_page_set_of_a_signature_is_the_engines_at_every_sampled_instant(
    load: Callable[[str, str], ReviewInput],
) -> None:
    """The claim the method rests on: one engine run per signature gives what a run at any
    instant with that signature gives. Checked at the start, middle and last second of every
    piece, around a coverage window that empties the schedule (skip_wait moves the later
    stages earlier) and across the change to summer time."""
    from engine.review.equivalence_eval import Oracle
    from engine.review.equivalence_intervals import elementary, probe, signature

    review = load(organisation(PEOPLE + SKIPPING, settings="{empty_schedule: skip_wait}"), "a")
    state = review.state
    team = state.organisation.contact_named("team")
    assert team is not None
    found = probe(state.organisation, state.schedules, team, review.simulator.knobs)
    cached = Oracle(review)
    pieces = elementary(at("2026-03-28T00:00:00"), at("2026-03-31T00:00:00"), [found])
    shapes = set()
    for low, high in pieces:
        for instant in (low, low + (high - low) / 2, high - dt.timedelta(seconds=1)):
            fresh = Oracle(review).pages(team.arn, (), instant)
            assert cached.pages(team.arn, signature(found, instant), instant) == fresh, instant
            shapes.add(fresh)
    assert len(shapes) >= 4
    assert cached.runs < len(pieces)


def test_a_repeat_through_a_schedule_names_the_setting_beside_the_later_consultation(
    load: Callable[[str, str], ReviewInput],
) -> None:
    a = load(organisation(PEOPLE + SCHEDULED.replace("HANDOFF", "09:00"), settings="{repeat: 1}"),
             "a")  # fmt: skip
    b = load(organisation(PEOPLE + SCHEDULED.replace("HANDOFF", "09:00")), "b")
    result = compare(a, b, at("2026-03-28T00:00:00"), at("2026-03-28T06:00:00"))
    (difference,) = result.policies[0].differences
    # akuam is on call all night: the second pass pages her again from +10m.
    assert difference.only_a == {
        ("akuam", "SMS", 600.0), ("akuam", "VOICE", 900.0),
        ("akuam", "SMS", 900.0), ("akuam", "VOICE", 1200.0),
    }  # fmt: skip
    assert difference.causes == (
        "rotation primary is consulted at +10m only under A",
        "rotation primary is consulted at +15m only under A",
        "setting repeat: 1 under A, 0 under B",
    )
