"""``escsim coverage``: gaps per rotation, schedule and escalation plan; table, JSON, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from engine.cli.main import main

Write = Callable[..., str]

ONCALL = """\
version: 1
name: oncall
start: 2026-01-05T00:00:00Z
region: us-east-2
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  alejr:
    channels: {sms: {type: SMS, address: "+15550101"}}
    plan: [{duration: 5, targets: [{channel: sms}]}]
  days_oncall:
    rotations: [days]
  team:
    plan:
      - {duration: 30, targets: [{contact: days_oncall, essential: true}]}
      - {duration: 5, targets: [{contact: alejr}]}
rotations:
  days:
    members: [akuam, alejr]
    start: 2026-01-01T00:00:00Z
    zone: America/New_York
    daily: ["08:00"]
    coverage:
      MON: [["08:00", "12:00"], ["13:00", "20:00"]]
      TUE: [["08:00", "12:00"], ["13:00", "20:00"]]
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def document(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, "coverage", *argv, "--output", "json")
    assert (code, err) == (0, "")
    result: dict[str, Any] = json.loads(out)
    return result


def subject(doc: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [s for s in doc["scenarios"][0]["subjects"] if s["Name"] == name]
    return found


def test_json_lists_every_gap_of_every_subject_in_utc_and_local_time(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = document(capsys, write(ONCALL), "--from", "2026-01-05T13:00:00Z", "--to", "2026-01-06")
    days = subject(doc, "days")
    assert days["Kind"] == "rotation" and days["TimeZoneId"] == "America/New_York"
    assert days["Gaps"] == [
        {
            "Start": "2026-01-05T17:00:00+00:00",
            "End": "2026-01-05T18:00:00+00:00",
            "StartLocal": "2026-01-05T12:00:00-05:00",
            "EndLocal": "2026-01-05T13:00:00-05:00",
            "Seconds": 3600.0,
            "Reason": "nobody-on-call",
        }
    ]
    assert days["UncoveredSeconds"] == 3600.0
    assert days["CoveredPercent"] == round(100 * 10 / 11, 4)
    assert subject(doc, "days_oncall")["Gaps"] == days["Gaps"]
    assert subject(doc, "team")["Gaps"] == []


def test_first_stage_only_shows_what_the_schedule_alone_misses(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(ONCALL)
    window = ("--from", "2026-01-05T13:00:00Z", "--to", "2026-01-06T13:00:00Z")
    everything = document(capsys, path, *window, "--subject", "team")
    assert subject(everything, "team")["Gaps"] == []
    first = document(capsys, path, *window, "--subject", "team", "--first-stage-only")
    assert first["first_stage_only"] is True
    gaps = subject(first, "team")["Gaps"]
    assert [(g["StartLocal"], g["EndLocal"]) for g in gaps] == [
        ("2026-01-05T12:00:00-05:00", "2026-01-05T13:00:00-05:00"),
        ("2026-01-05T20:00:00-05:00", "2026-01-06T08:00:00-05:00"),
    ]


def test_the_window_defaults_to_a_year_from_the_scenario_start_as_review(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = document(capsys, write(ONCALL))
    report = doc["scenarios"][0]
    assert (report["from"], report["to"]) == (
        "2026-01-05T00:00:00+00:00",
        "2027-01-05T00:00:00+00:00",
    )
    assert [s["Name"] for s in report["subjects"]] == ["days", "days_oncall", "team"]


def test_subjects_may_be_named_by_arn(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    arn = "arn:aws:ssm-contacts:us-east-2:111122223333:contact/days_oncall"
    doc = document(capsys, write(ONCALL), "--subject", arn, "--subject", "days", "akuam")
    names = [(s["Name"], s["Kind"]) for s in doc["scenarios"][0]["subjects"]]
    assert names == [("days_oncall", "schedule"), ("days", "rotation"), ("akuam", "personal")]


def test_the_table_shows_local_and_utc_times_and_totals(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "coverage",
        write(ONCALL),
        "--from",
        "2026-01-05T13:00:00Z",
        "--to",
        "2026-01-06",
        "--gaps",
    )
    assert (code, err) == (0, "")
    assert "coverage from 2026-01-05 13:00Z to 2026-01-06 00:00Z (11h)" in out
    assert "Mon 2026-01-05 12:00 EST" in out and "2026-01-05 17:00Z" in out
    assert "nobody-on-call" in out
    assert "2 gap(s) in 2 of 3 subject(s), 2h uncovered in all\n" in out
    # The summary comes first, the gap list after it.
    assert out.index("Coverage") < out.index("2 gap(s)") < out.index("Gaps")


def test_without_gaps_the_table_is_the_summary_alone(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "coverage", write(ONCALL))
    assert code == 0
    assert "subject" in out and "covered" in out and "days_oncall" in out
    assert "gap(s) in 2 of 3 subject(s)" in out and "; --gaps lists them" in out
    assert "nobody-on-call" not in out and "EST" not in out  # no gap rows


@pytest.mark.parametrize(
    ("to", "end"),
    [
        ("90d", "2026-04-05T00:00:00+00:00"),
        ("2w", "2026-01-19T00:00:00+00:00"),
        ("36h", "2026-01-06T12:00:00+00:00"),
        ("2026-02-01", "2026-02-01T00:00:00+00:00"),
    ],
)
def test_to_takes_an_instant_or_a_duration_as_review_does(
    write: Write, capsys: pytest.CaptureFixture[str], to: str, end: str
) -> None:
    report = document(capsys, write(ONCALL), "--to", to)["scenarios"][0]
    assert (report["from"], report["to"]) == ("2026-01-05T00:00:00+00:00", end)


def test_json_keeps_every_gap_whatever_the_table_shows(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(ONCALL)
    plain = document(capsys, path, "--to", "2w")
    with_flag = document(capsys, path, "--to", "2w", "--gaps")
    assert plain == with_flag
    assert len(subject(plain, "days")["Gaps"]) > 2


def test_a_file_without_gaps_says_so(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", write(ONCALL), "--subject", "team")
    assert code == 0
    assert "no gaps" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--subject", "nobody"], "'nobody' names no rotation, on-call schedule"),
        (["--from", "soon"], "--from: not an instant: 'soon'"),
        (["--from", "2026-01-05", "--to", "2026-01-04"], "the coverage window is empty"),
        (["--to", "soon"], "--to: not an instant or a duration: 'soon'"),
        (["--to", "90"], "(90 is epoch seconds; for a duration write 90d, 90h or 90m)"),
        (["--to", "4000000d"], "--to: 4000000d after 2026-01-05T00:00:00+00:00 is past the year"),
        (["--scenario", "other"], "has no scenario named 'other' (it has: oncall)"),
    ],
)
def test_bad_arguments_exit_252(
    write: Write, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, "coverage", write(ONCALL), *argv)
    assert code == 252
    assert out == ""
    assert message in err


def test_a_scenario_without_a_start_needs_from(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ONCALL.replace("start: 2026-01-05T00:00:00Z\n", "")
    code, _, err = run(capsys, "coverage", write(text))
    assert code == 252
    assert "has no start; give --from" in err
    assert run(capsys, "coverage", write(text), "--from", "2026-01-05")[0] == 0


def test_a_malformed_file_exits_253(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(ONCALL.replace("members: [akuam, alejr]", "members: [akuam, bob]"))
    code, out, err = run(capsys, "coverage", path)
    assert (code, out) == (253, "")
    assert err.startswith(f"{path}:20: rotations.days.members[1]: no contact named 'bob'")


def test_a_missing_file_exits_253(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "coverage", str(tmp_path / "none.scenario.yaml"))
    assert code == 253
    assert "no such file" in err


def test_a_file_with_nothing_to_cover_says_so(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "version: 1\nname: empty\nstart: 2026-01-01T00:00:00Z\n"
    code, out, _ = run(capsys, "coverage", write(text))
    assert code == 0
    assert "no rotations, on-call schedules or escalation plans" in out
