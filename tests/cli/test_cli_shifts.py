"""``escsim shifts``: a rotation's shift calendar; table, JSON, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from engine.cli.main import main
from engine.scenario.loader import load_file
from engine.scenario.runner import build_simulator

Write = Callable[..., str]

LONDON = """\
version: 1
name: london
start: 2026-03-27T00:00:00Z
region: us-east-2
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  alejr:
    channels: {sms: {type: SMS, address: "+15550101"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  mute:
    channels: {sms: {type: SMS, address: "+15550102", activated: false}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  primary_oncall:
    rotations: [primary]
rotations:
  primary:
    members: [akuam, alejr, mute]
    start: 2026-03-27T09:00:00Z
    zone: Europe/London
    daily: ["09:00"]
    overrides:
      - {start: 2026-03-28T12:00:00Z, end: 2026-03-28T14:00:00Z, members: [akuam]}
"""
WINDOW = ("--from", "2026-03-27T00:00:00Z", "--to", "2026-03-30T12:00:00Z")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_gives_the_shifts_listrotationshifts_gives_and_the_uncovered_time(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(LONDON)
    code, out, err = run(capsys, "shifts", path, "primary", *WINDOW, "--output", "json")
    assert (code, err) == (0, "")
    doc: dict[str, Any] = json.loads(out)
    (scenario,) = load_file(path)
    sim, _ = build_simulator(scenario)
    listed = sim.client().list_rotation_shifts(
        RotationId=doc["Rotation"]["RotationArn"],
        StartTime=dt.datetime(2026, 3, 27, tzinfo=dt.UTC),
        EndTime=dt.datetime(2026, 3, 30, 12, tzinfo=dt.UTC),
    )["RotationShifts"]
    expected = [
        {
            **shift,
            "StartTime": shift["StartTime"].isoformat(),
            "EndTime": shift["EndTime"].isoformat(),
        }
        for shift in listed
    ]
    assert doc["RotationShifts"] == expected
    assert [s["Type"] for s in expected] == [
        "REGULAR",
        "REGULAR",
        "OVERRIDDEN",
        "REGULAR",
        "REGULAR",
        "REGULAR",
    ]
    assert doc["Uncovered"] == [
        {
            "StartTime": "2026-03-27T00:00:00+00:00",
            "EndTime": "2026-03-27T09:00:00+00:00",
            "Reason": "not started",
        }
    ]
    assert doc["Rotation"]["TimeZoneId"] == "Europe/London"


def test_the_table_marks_overrides_hand_offs_in_local_time_and_unpageable_shifts(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "shifts", write(LONDON), "primary", *WINDOW)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "Rotation primary (Europe/London): members akuam, alejr, mute" in lines[0]
    (overridden,) = [line for line in lines if "OVERRIDDEN" in line]
    assert "replaces alejr" in overridden and "Sat 2026-03-28 12:00 GMT" in overridden
    # The clocks go forward on 29 March: the 09:00 hand-off is 08:00 UTC from then on.
    (sunday,) = [line for line in lines if "│ Sun 2026-03-29 09:00 BST │ Mon" in line]
    assert "2026-03-29 08:00Z" in sunday and "mute" in sunday
    assert "nobody here can be paged" in sunday
    assert "UNCOVERED" in out and "not started" in out
    assert lines[-1] == "6 shift(s), 1 overridden; nobody on call for 9h of the window"


def test_an_override_naming_nobody_counts_as_uncovered_time(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = LONDON.replace("members: [akuam]}", "members: []}")
    code, out, _ = run(capsys, "shifts", write(text), "primary", *WINDOW)
    assert code == 0
    assert out.splitlines()[-1] == "6 shift(s), 1 overridden; nobody on call for 11h of the window"


@pytest.mark.parametrize(
    ("rotation", "message"),
    [
        ("secondary", "'secondary' names no rotation, on-call schedule"),
        ("primary_oncall", "'primary_oncall' is a schedule contact, not a rotation"),
    ],
)
def test_a_name_that_is_not_a_rotation_exits_252(
    write: Write, capsys: pytest.CaptureFixture[str], rotation: str, message: str
) -> None:
    code, out, err = run(capsys, "shifts", write(LONDON), rotation)
    assert (code, out) == (252, "")
    assert message in err


def test_a_file_of_several_scenarios_needs_one_chosen(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = LONDON.replace("name: london\n", "") + "scenarios:\n  - name: a\n  - name: b\n"
    path = write(text)
    code, _, err = run(capsys, "shifts", path, "primary")
    assert code == 252
    assert "holds several scenarios; pick one with --scenario (it has: a, b)" in err
    assert run(capsys, "shifts", path, "primary", "--scenario", "b")[0] == 0


def test_a_malformed_file_exits_253(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(LONDON.replace('daily: ["09:00"]', 'daily: ["9 am"]'))
    code, out, err = run(capsys, "shifts", path, "primary")
    assert (code, out) == (253, "")
    assert err.startswith(f"{path}:22: rotations.primary.daily[0]: write a time of day")


def test_the_default_window_is_a_week_from_the_start(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "shifts", write(LONDON), "primary", "--output", "json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["from"], doc["to"]) == ("2026-03-27T00:00:00+00:00", "2026-04-03T00:00:00+00:00")
    # Seven days of shifts from Friday 09:00, the Saturday one in three pieces by the override.
    assert len(doc["RotationShifts"]) == 9
