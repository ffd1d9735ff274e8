"""Another product's neutral setup, written as AWS records, pages as the product would.

Each test builds a small setup by hand and runs it on the engine: the pages (who, on which
channel type, how many minutes after the incident) are computed by hand from the product's
rules, so a wrong translation of delays, repeats, layers or overrides fails here."""

from __future__ import annotations

import datetime as dt

from engine import Simulator
from engine.knobs import Knobs
from engine.policy.aws import write_organisation
from engine.policy.model import (
    HandOff,
    Method,
    NotifyRule,
    OnCallSetup,
    Override,
    Person,
    Policy,
    Rotation,
    Schedule,
    Step,
    Target,
    Window,
)

ACCOUNT, REGION = "111122223333", "us-east-1"
START = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # a Monday
LONDON = "Europe/London"


def _person(handle: str, *rules: tuple[str, int], urgency: str = "any") -> Person:
    methods = (
        Method(f"{handle}-sms", "SMS", "+15005550100", "sms"),
        Method(f"{handle}-voice", "VOICE", "+15005550100", "voice"),
        Method(f"{handle}-email", "EMAIL", f"{handle}@example.com", "email"),
        Method(f"{handle}-push", "PUSH", "phone", "push"),
    )
    notify = tuple(NotifyRule(f"{handle}-{kind}", delay, urgency) for kind, delay in rules)
    return Person(f"P{handle.upper()}", handle, handle.title(), methods, notify)


def _pages(setup: OnCallSetup, at: dt.datetime, handle: str) -> list[tuple[str, str, float]]:
    """(person, channel type, minutes after ``at``) of every message an incident on ``handle``
    started at ``at`` sends when nobody acknowledges."""
    written = write_organisation(setup, ACCOUNT, REGION)
    sim = Simulator(seed=1, start=START, settings=Knobs.from_mapping(written.settings))
    org = written.organisation
    sim.import_resources(org.contacts, org.channels, org.rotations, org.overrides)
    sim.advance_to(at)
    request = {"ContactId": org.aliases[handle], "Sender": "s", "Subject": "s", "Content": "c"}
    sim.call("StartEngagement", request)
    sim.run()
    aliases = {arn: alias for alias, arn in org.aliases.items()}
    out = []
    for message in sim.outbox:
        if message["Kind"] != "PAGE":
            continue
        minutes = (message["Time"] - at.timestamp()) / 60
        out.append((aliases[message["ContactArn"]], message["ChannelType"], minutes))
    return sorted(out, key=lambda row: (row[2], row[0], row[1]))


def test_delays_past_thirty_minutes_and_repeats_keep_their_times() -> None:
    setup = OnCallSetup(
        "pagerduty",
        people=(_person("ana", ("sms", 0), ("voice", 40)), _person("ben", ("email", 0))),
        policies=(
            Policy(
                "PPOL",
                "payments",
                steps=(Step(45, (Target("person", "PANA"),)), Step(5, (Target("person", "PBEN"),))),
                repeat=1,
                repeat_wait=10,
            ),
        ),
    )
    at = START + dt.timedelta(hours=1)
    # ana at 0 and (her own rule) 40; ben at 45; second pass 45+5+10 = 60 later.
    assert _pages(setup, at, "payments") == [
        ("ana", "SMS", 0.0),
        ("ana", "VOICE", 40.0),
        ("ben", "EMAIL", 45.0),
        ("ana", "SMS", 60.0),
        ("ana", "VOICE", 100.0),
        ("ben", "EMAIL", 105.0),
    ]


def test_methods_the_engine_does_not_page_and_round_robin_are_noted() -> None:
    setup = OnCallSetup(
        "pagerduty",
        people=(_person("ana", ("sms", 0)),),
        policies=(Policy("PPOL", "payments", steps=(Step(5, (Target("person", "PANA"),), True),)),),
    )
    notes = write_organisation(setup, ACCOUNT, REGION).notes
    assert any("push method push is kept but not paged" in note for note in notes)
    assert any("policy payments: round robin" in note for note in notes)


def test_the_urgency_setting_chooses_the_rules() -> None:
    ana = Person(
        "PANA",
        "ana",
        methods=(Method("s", "SMS", "+15005550100"), Method("e", "EMAIL", "a@example.com")),
        rules=(NotifyRule("s", 0, "high"), NotifyRule("e", 3, "low")),
    )
    policy = Policy("PPOL", "payments", steps=(Step(5, (Target("person", "PANA"),)),))
    at = START + dt.timedelta(hours=1)
    high = OnCallSetup("pagerduty", (ana,), (policy,), settings={"urgency": "high"})
    low = OnCallSetup("pagerduty", (ana,), (policy,), settings={"urgency": "low"})
    assert _pages(high, at, "payments") == [("ana", "SMS", 0.0)]
    assert _pages(low, at, "payments") == [("ana", "EMAIL", 3.0)]


def _daily(rid: str, members: tuple[str, ...], **fields: object) -> Rotation:
    return Rotation(
        rid,
        rid,
        members,
        START,
        LONDON,
        "day",
        (HandOff(dt.time(9, 0)),),
        **fields,  # type: ignore[arg-type]
    )


def test_layers_let_the_last_rotation_with_anyone_on_call_page() -> None:
    base = _daily("base", ("PANA",))
    office = _daily("office", ("PBEN",), windows=(Window(dt.time(9, 0), 8 * 60, 1),))
    setup = OnCallSetup(
        "pagerduty",
        people=(_person("ana", ("sms", 0)), _person("ben", ("sms", 0))),
        rotations=(base, office),
        schedules=(Schedule("PSCH", "support", rotations=("base", "office"), layered=True),),
    )
    tuesday_noon = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
    assert _pages(setup, tuesday_noon, "support") == [("ben", "SMS", 0.0)]
    assert _pages(setup, tuesday_noon + dt.timedelta(hours=6), "support") == [("ana", "SMS", 0.0)]


def test_a_rotation_that_ends_has_nobody_on_call_after() -> None:
    rotation = _daily("base", ("PANA",), end=START + dt.timedelta(days=2))
    setup = OnCallSetup(
        "opsgenie",
        people=(_person("ana", ("sms", 0)),),
        rotations=(rotation,),
        schedules=(Schedule("S", "support", rotations=("base",)),),
    )
    assert _pages(setup, START + dt.timedelta(days=1), "support") == [("ana", "SMS", 0.0)]
    assert _pages(setup, START + dt.timedelta(days=3), "support") == []


def _schedule_with(*overrides: Override) -> OnCallSetup:
    # ana and ben both on call all day, from one rotation; cy is not in it.
    rotation = _daily("base", ("PANA", "PBEN"), on_call=2)
    people = (_person("ana", ("sms", 0)), _person("ben", ("sms", 0)), _person("cy", ("sms", 0)))
    schedule = Schedule("S", "support", rotations=("base",), overrides=overrides)
    return OnCallSetup("goalert", people=people, rotations=(rotation,), schedules=(schedule,))


def test_schedule_overrides_replace_add_and_remove_people() -> None:
    day = dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC)
    window = (day - dt.timedelta(hours=1), day + dt.timedelta(hours=1))
    everyone = _schedule_with(Override(*window, ("PCY",)))
    add = _schedule_with(Override(*window, ("PCY",), "add"))
    remove = _schedule_with(Override(*window, ("PANA",), "remove"))
    swap = _schedule_with(Override(*window, ("PCY",), "replace", "PBEN"))
    who = {
        name: [row[0] for row in _pages(setup, day, "support")]
        for name, setup in (
            ("everyone", everyone),
            ("add", add),
            ("remove", remove),
            ("swap", swap),
        )
    }
    assert who == {
        "everyone": ["cy"],
        "add": ["ana", "ben", "cy"],
        "remove": ["ben"],
        "swap": ["ana", "cy"],
    }
    # Outside the override's window nothing changed.
    later = day + dt.timedelta(hours=3)
    for setup in (everyone, add, remove, swap):
        assert [row[0] for row in _pages(setup, later, "support")] == ["ana", "ben"]


def test_names_aws_refuses_are_cleaned_so_the_organisation_imports() -> None:
    dan = Person(
        "PDAN",
        "dan-o-neil",
        "Dan O'Neil",
        (Method("s", "SMS", "+15005550100", "SMS (work)"),),
        (NotifyRule("s", 0),),
    )
    rotation = _daily("Primary — London (weekdays)", ("PDAN",))
    schedule = Schedule("S", "primary", "Payments — Primary", rotations=(rotation.id,))
    setup = OnCallSetup("pagerduty", people=(dan,), rotations=(rotation,), schedules=(schedule,))
    org = write_organisation(setup, ACCOUNT, REGION).organisation
    assert [c.get("DisplayName") for c in org.contacts] == ["Dan O Neil", "Payments Primary"]
    assert [c["Name"] for c in org.channels] == ["SMS work"]
    assert [r["Name"] for r in org.rotations] == ["Primary London weekdays"]
    assert _pages(setup, START + dt.timedelta(hours=12), "primary") == [("dan-o-neil", "SMS", 0.0)]
