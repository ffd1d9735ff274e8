"""Writing GoAlert documents: a GoAlert setup comes back unchanged, other constructs are listed."""

from __future__ import annotations

import datetime as dt
import json

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
from engine.vendors import goalert

from .conftest import read_document

UTC = dt.UTC


def test_read_of_write_gives_the_fixture_setup_back(org: OnCallSetup) -> None:
    document, lines = goalert.write(org)
    assert lines == []
    again = read_document(document)
    assert again.people == org.people
    assert again.policies == org.policies
    assert again.rotations == org.rotations
    assert again.schedules == org.schedules
    assert again.settings == org.settings
    # Slack channels and webhooks on steps are not in the neutral model, so their notes go;
    # every other note comes back.
    lost = [note for note in org.notes if note not in again.notes]
    assert all("slackChannel target" in n or "chanWebhook target" in n for n in lost)
    assert len(lost) == 2


def test_write_is_deterministic_and_plain_json(org: OnCallSetup) -> None:
    first = json.dumps(goalert.write(org)[0], sort_keys=True)
    assert first == json.dumps(goalert.write(org)[0], sort_keys=True)
    assert goalert.looks_like(json.loads(first))


def test_written_shapes_are_goalerts(org: OnCallSetup) -> None:
    document, _ = goalert.write(org)
    rotations = {r["id"]: r for r in document["rotations"]}  # type: ignore[attr-defined]
    london = rotations["b2000000-0000-4000-8000-000000000001"]
    assert (london["type"], london["shiftLength"], london["start"]) == (
        "hourly",
        12,
        "2026-03-20T08:00:00Z",
    )
    # The turn order was placed by activeUserIndex; written from the start instead.
    assert london["activeUserIndex"] == 0
    schedules = document["schedules"]
    assert [s["name"] for s in schedules] == ["Primary (London)", "Secondary (New York)"]  # type: ignore[index]
    primary_targets = schedules[0]["targets"]  # type: ignore[index]
    assert primary_targets[1] == {
        "target": {"id": "a1000000-0000-4000-8000-000000000006", "type": "user"},
        "rules": [
            {
                "start": "22:00",
                "end": "06:00",
                "weekdayFilter": [True, False, False, False, False, False, True],
            }
        ],
    }
    step = document["escalationPolicies"][0]["steps"][2]  # type: ignore[index]
    assert step["targets"] == [
        {"id": "b2000000-0000-4000-8000-000000000003", "type": "rotation", "name": "Night hourly"}
    ]


def _foreign() -> OnCallSetup:
    """A setup with what GoAlert lacks, as another product's reader could give it."""
    ann = Person(
        id="ann",
        handle="ann",
        name="Ann",
        methods=(Method("ann-sms", "SMS", "+15550001"), Method("ann-push", "PUSH", "device-1")),
        rules=(
            NotifyRule("ann-sms", 0, "high", 2),
            NotifyRule("ann-sms", 5, "low"),
            NotifyRule("ann-push", 0),
        ),
        span=10,
    )
    ben = Person(
        id="ben",
        handle="ben",
        name="Ben",
        methods=(Method("ben-mail", "EMAIL", "ben@corp.example"),),
        rules=(NotifyRule("ben-mail", 0),),
    )
    cat = Person(id="cat", handle="cat", name="Cat")
    pair = Rotation(
        id="pair",
        name="Pair",
        members=("ann", "ben", "cat"),
        start=dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
        time_zone="Europe/London",
        period="day",
        hand_offs=(HandOff(dt.time(9)), HandOff(dt.time(17))),
        on_call=2,
        windows=(Window(dt.time(8), 600, 0),),
        end=dt.datetime(2026, 12, 31, tzinfo=UTC),
        overrides=(
            Override(
                dt.datetime(2026, 3, 3, tzinfo=UTC), dt.datetime(2026, 3, 4, tzinfo=UTC), ("cat",)
            ),
        ),
    )
    weekly = Rotation(
        id="weekly",
        name="Weekly",
        members=("ben", "cat"),
        start=dt.datetime(2026, 3, 4, 12, tzinfo=UTC),  # a Wednesday; hand-off Mondays 10:00
        time_zone="UTC",
        period="week",
        hand_offs=(HandOff(dt.time(10), 0),),
        every=2,
    )
    layered = Schedule(
        id="layers",
        handle="layers",
        name="Layers",
        rotations=("pair", "weekly"),
        layered=True,
        overrides=(
            Override(
                dt.datetime(2026, 3, 5, tzinfo=UTC), dt.datetime(2026, 3, 6, tzinfo=UTC), ("ann",)
            ),
        ),
    )
    policy = Policy(
        id="pol",
        handle="pol",
        name="Pol",
        steps=(
            Step(0, (Target("person", "ann", stops_on_ack=False),), round_robin=True),
            Step(10, (Target("schedule", "layers"), Target("policy", "other"))),
        ),
        repeat=7,
        repeat_wait=5,
    )
    return OnCallSetup(
        product="pagerduty",
        people=(ann, ben, cat),
        policies=(policy,),
        rotations=(pair, weekly),
        schedules=(layered,),
    )


def test_write_lists_every_construct_goalert_lacks() -> None:
    document, lines = goalert.write(_foreign())
    text = "\n".join(lines)
    expected = [
        "person ann: PUSH method ann-push has no GoAlert contact method type",
        "person ann: low-urgency rule on ann-sms +5m left out",
        "person ann: rule on ann-sms retries every 2m",
        "person ann: its rules run 10m past the last one",
        "rotation Pair: hand-offs at 2 uneven times of each day",
        "rotation Pair: GoAlert rotations do not end",
        "rotation Pair: 1 rotation override(s) left out",
        "rotation Pair: 2 people on call at once; a GoAlert rotation has one: written as 2 "
        "rotations",
        "rotation Weekly: GoAlert counts turns from a hand-off: its start 2026-03-04 12:00 is "
        "written as the hand-off before it, 2026-03-02 10:00",
        "schedule layers: layered",
        "schedule layers: override from 2026-03-05 00:00 puts ann on call instead of everyone",
        "policy pol: 7 repeats; GoAlert allows 5: written as 5",
        "policy pol: 5m between passes; GoAlert has no wait: added to the last step's delay",
        "policy pol: step 0 delay 0m written as 1m",
        "policy pol: step 0 is round robin",
        "policy pol: step 0 target ann: in GoAlert any acknowledgement stops the policy",
        "policy pol: step 1 targets another policy",
    ]
    for fragment in expected:
        assert fragment in text, fragment
    assert len(lines) == len(expected)
    rotations = {r["id"]: r for r in document["rotations"]}  # type: ignore[attr-defined]
    # Two on call: members[(i*2 + j) mod 3] -> place 0: ann, cat, ben; place 1: ben, ann, cat.
    assert rotations["pair#1"]["userIDs"] == ["ann", "cat", "ben"]
    assert rotations["pair#2"]["userIDs"] == ["ben", "ann", "cat"]
    assert rotations["weekly"]["type"] == "weekly" and rotations["weekly"]["shiftLength"] == 2
    (policy,) = document["escalationPolicies"]  # type: ignore[misc]
    assert (policy["repeat"], [s["delayMinutes"] for s in policy["steps"]]) == (5, [1, 15])
    ann = document["users"][0]  # type: ignore[index]
    assert [r["delayMinutes"] for r in ann["notificationRules"]] == [0]


def test_foreign_setup_reads_back_as_close_as_goalert_allows() -> None:
    document, _ = goalert.write(_foreign())
    again = read_document(document)
    assert [p.handle for p in again.people] == ["ann", "ben", "cat"]
    (schedule,) = again.schedules
    assert schedule.overrides[0].mode == "add" and schedule.overrides[0].people == ("ann",)
    weekly = next(r for r in again.rotations if r.id == "weekly")
    # The start moved back to the Monday hand-off; the turns from there are the same.
    assert weekly.start == dt.datetime(2026, 3, 2, 10, tzinfo=UTC)
    assert (weekly.period, weekly.hand_offs, weekly.every) == (
        "week",
        (HandOff(dt.time(10), 0),),
        2,
    )
    windowed = [r for r in again.rotations if r.windows is not None]
    assert {r.id for r in windowed} == {"pair#1@layers", "pair#2@layers"}
    assert all(r.windows == (Window(dt.time(8), 600, 0),) for r in windowed)


def test_evenly_spaced_daily_hand_offs_are_an_hourly_rotation() -> None:
    eight_hours = Rotation(
        id="r",
        name="Follow the sun",
        members=("ann",),
        start=dt.datetime(2026, 6, 1, 6, tzinfo=UTC),
        time_zone="UTC",
        period="day",
        hand_offs=(HandOff(dt.time(6)), HandOff(dt.time(14)), HandOff(dt.time(22))),
        every=2,
    )
    setup = OnCallSetup(product="aws", people=(Person("ann", "ann"),), rotations=(eight_hours,))
    document, lines = goalert.write(setup)
    assert lines == []
    (written,) = document["rotations"]  # type: ignore[misc]
    assert (written["type"], written["shiftLength"]) == ("hourly", 16)
    (again,) = read_document(document).rotations
    assert again == eight_hours


def test_replace_of_one_person_by_two_is_a_swap_and_an_add() -> None:
    people = tuple(Person(h, h) for h in ("ann", "ben", "cat"))
    rotation = Rotation(
        "r",
        "R",
        ("ann",),
        dt.datetime(2026, 1, 5, tzinfo=UTC),
        "UTC",
        "day",
        (HandOff(dt.time(0)),),
    )
    swap = Override(
        dt.datetime(2026, 2, 1, tzinfo=UTC),
        dt.datetime(2026, 2, 2, tzinfo=UTC),
        ("ben", "cat"),
        "replace",
        "ann",
        "o1",
    )
    schedule = Schedule("s", "s", "S", ("r",), overrides=(swap,), time_zone="UTC")
    document, lines = goalert.write(
        OnCallSetup("aws", people, rotations=(rotation,), schedules=(schedule,))
    )
    assert lines == []
    written = [(o["id"], o["addUserID"], o["removeUserID"]) for o in document["userOverrides"]]  # type: ignore[attr-defined]
    assert written == [("o1-1", "ben", "ann"), ("o1-2", "cat", "")]


def test_rotation_without_members_or_hand_offs_is_written_without_failing() -> None:
    bare = Rotation("r", "Bare", (), dt.datetime(2026, 1, 5, 9, 15, tzinfo=UTC), "UTC", "day", ())
    document, lines = goalert.write(OnCallSetup("aws", rotations=(bare,)))
    (written,) = document["rotations"]  # type: ignore[misc]
    assert (written["type"], written["start"], written["userIDs"]) == (
        "daily",
        "2026-01-05T09:15:00Z",
        [],
    )
    assert lines == [
        "rotation Bare: no hand-offs (one endless shift): written as daily at its start"
    ]
    assert any("has no users" in note for note in read_document(document).notes)
