"""``escsim run`` for people: a timeline readable at any width and any length.

The "what happened" and "text" columns survive every console width (other columns go first),
times carry the date once a run crosses midnight, an essential acknowledgement says what it
stops, and drawing the timeline reads each record a fixed number of times (no quadratic walk).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from engine.cli.main import main
from engine.cli.render import render_run
from engine.cli.timeline import TimelineRow, short_arn, timeline_rows
from engine.scenario.loader import load_file, load_text
from engine.scenario.runner import RunOutcome, run_scenario
from tests.cli.conftest import ESCALATION, SMALL

Write = Callable[..., str]


def _rendered(outcome: RunOutcome, width: int) -> str:
    buffer = io.StringIO()
    render_run(Console(file=buffer, width=width, highlight=False), outcome)
    return buffer.getvalue()


def _column(lines: list[str], start: int, end: int | None) -> str:
    """The characters of one column over the timeline's lines, whitespace removed."""
    return "".join("".join(line[start:end].split()) for line in lines)


def _timeline_lines(text: str) -> tuple[str, list[str]]:
    lines = text.splitlines()
    first = lines.index("Timeline") + 1
    last = lines.index("Engagements")
    return lines[first], lines[first + 1 : last]


def _squeezed(rows: list[TimelineRow], field: str) -> str:
    return "".join("".join(getattr(row, field).split()) for row in rows)


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_what_happened_and_text_survive_every_width(width: int) -> None:
    [scenario] = load_file(str(ESCALATION))
    outcome = run_scenario(scenario)
    rows = timeline_rows(outcome)
    header, lines = _timeline_lines(_rendered(outcome, width))
    what, text = header.index("what happened"), header.index("text")
    # Every character of every row's "what happened" and "text", in order, under its header.
    assert _column(lines, what, text) == _squeezed(rows, "what")
    assert _column(lines, text, None) == _squeezed(rows, "text")
    assert max(cell_len(line) for line in lines) <= width


def test_narrow_consoles_drop_secondary_columns_first() -> None:
    [scenario] = load_file(str(ESCALATION))
    outcome = run_scenario(scenario)
    wide, _ = _timeline_lines(_rendered(outcome, 160))
    narrow, _ = _timeline_lines(_rendered(outcome, 80))
    assert " ".join(wide.split()) == "offset time (UTC) stage contact channel what happened text"
    assert "stage" not in narrow and "channel" not in narrow
    assert narrow.split()[-3:] == ["what", "happened", "text"]


def test_arns_are_shortened_to_alias_and_the_last_group_of_the_id() -> None:
    arn = (
        "arn:aws:ssm-contacts:us-east-2:111122223333:"
        "engagement/akuam/e797f476-c59a-4157-a28d-a5bbd1020f43"
    )
    assert short_arn(arn) == "akuam/…a5bbd1020f43"
    [scenario] = load_file(str(ESCALATION))
    text = _rendered(run_scenario(scenario), 160)
    assert "example_escalation/…a5bbd1020f43" in text
    assert "arn:aws:ssm-contacts" not in text


def test_times_carry_the_date_when_the_run_crosses_midnight(write: Write) -> None:
    path = write(
        SMALL.replace("2026-01-01T09:00:00Z", "2026-01-01T00:00:00Z")
        + "  - at: 48h30m\n"
        + "    StartEngagement: {ContactId: akuam, Sender: cli, Subject: s, Content: c}\n"
    )
    [scenario] = load_file(path)
    text = _rendered(run_scenario(scenario), 200)
    assert "2026-01-03 00:30:00" in text
    assert "48h30m" in text


def test_times_stay_short_within_one_day() -> None:
    [scenario] = load_file(str(ESCALATION))
    text = _rendered(run_scenario(scenario), 160)
    assert " 09:07:00 " in text and "2026-01-01 09:07:00" not in text


def test_essential_acknowledgement_says_open_pages_continue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", str(ESCALATION)]) == 0
    out = capsys.readouterr().out
    assert "escalation stopped (open pages continue)" in out
    assert "escalation stopped at 7m (open pages continue)" in out


def test_under_stop_all_it_says_open_pages_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(ESCALATION), "--set", "essential_ack=stop_all"]) == 0
    out = capsys.readouterr().out
    assert "escalation and open pages stopped" in out
    assert "open pages continue" not in out
    assert "page stopped (STOP)" in out


class _CountingRecord(dict[str, Any]):
    """An event record that counts how often it is read."""

    reads = 0

    def __getitem__(self, key: str) -> Any:
        _CountingRecord.reads += 1
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        _CountingRecord.reads += 1
        return super().get(key, default)


def _reads_per_event(steps: int) -> float:
    script = "".join(
        f"  - at: {second}s\n"
        "    StartEngagement: {ContactId: akuam, Sender: cli, Subject: s, Content: c}\n"
        for second in range(steps)
    )
    [scenario] = load_text(SMALL.split("script:")[0] + "script:\n" + script, "long.scenario.yaml")
    outcome = run_scenario(scenario)
    events = outcome.simulator.events
    events[:] = [_CountingRecord(event) for event in events]
    _CountingRecord.reads = 0
    _rendered(outcome, 160)
    return _CountingRecord.reads / len(events)


def test_drawing_the_timeline_reads_each_record_a_fixed_number_of_times() -> None:
    # A walk over the whole log per engagement made reads per event grow with the script.
    few, many = _reads_per_event(10), _reads_per_event(80)
    assert many <= few * 1.05
