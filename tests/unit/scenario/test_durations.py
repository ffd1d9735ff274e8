"""One grammar for durations (scenario files, the command line, the API) and for the windows of
review, coverage and shifts (engine/timeutil.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from engine.scenario.fields import parse_offset
from engine.timeutil import (
    DEFAULT_WINDOW,
    MAX_DURATION_SECONDS,
    MissingUnitError,
    parse_duration,
    parse_window,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90.0),
        ("15m", 900.0),
        ("5m30s", 330.0),
        ("2h", 7200.0),
        ("1d", 86400.0),
        ("1w", 604800.0),
        ("2W", 1209600.0),
        ("1w2d3h4m5s", 604800.0 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5),
        ("1.5h", 5400.0),
        (dt.timedelta(minutes=2), 120.0),
    ],
)
def test_durations_with_units(text: str | dt.timedelta, seconds: float) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(text, unit_required=True) == seconds


def test_a_bare_number_counts_seconds_unless_a_unit_is_required() -> None:
    assert parse_duration("15") == 15.0
    assert parse_duration(15) == 15.0
    for bare in ("15", 15, 15.0):
        with pytest.raises(MissingUnitError, match="write 15m or 15s"):
            parse_duration(bare, unit_required=True)
    assert parse_duration("0", unit_required=True) == 0.0
    assert parse_duration(0, unit_required=True) == 0.0


@pytest.mark.parametrize("text", ["soon", "15min", "1y", "-5m", "inf", "nan", float("inf"), ""])
def test_what_is_not_a_duration_is_refused_naming_it(text: str | float) -> None:
    with pytest.raises(ValueError, match="not a duration") as raised:
        parse_duration(text, unit_required=True)
    assert not isinstance(raised.value, MissingUnitError)


def test_a_duration_longer_than_the_calendar_is_refused_not_overflowed() -> None:
    with pytest.raises(ValueError, match="'99999999999999999999d' \\(too long"):
        parse_duration("99999999999999999999d")
    assert parse_duration(MAX_DURATION_SECONDS) == MAX_DURATION_SECONDS


def test_scenario_offsets_share_the_grammar_weeks_included() -> None:
    assert parse_offset("1w") == 604800.0
    assert parse_offset(0) == 0.0
    with pytest.raises(ValueError, match=r"\(a bare number has no unit: write 7m or 7s\)"):
        parse_offset(7)


START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
FEB = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


def test_a_window_defaults_to_a_year_from_the_default_start() -> None:
    assert parse_window(None, None, START) == (START, START + dt.timedelta(days=365))
    assert dt.timedelta(days=365) == DEFAULT_WINDOW


@pytest.mark.parametrize(
    ("start", "end", "window"),
    [
        (None, "90d", (START, START + dt.timedelta(days=90))),
        ("2026-02-01", "1w", (FEB, FEB + dt.timedelta(weeks=1))),
        ("2026-02-01", "2026-03-01T00:00:00Z", (FEB, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))),
        (str(FEB.timestamp()), "1d", (FEB, FEB + dt.timedelta(days=1))),
    ],
)
def test_a_window_takes_instants_and_durations(
    start: str | None, end: str, window: tuple[dt.datetime, dt.datetime]
) -> None:
    assert parse_window(start, end, START) == window


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("soon", None, "--from: not an instant: 'soon'"),
        (None, "later", "--to: not an instant or a duration: 'later'"),
        (None, "2025-01-01", "the review window is empty: --to 2025-01-01T00:00:00+00:00"),
        (None, "0m", "the review window is empty"),
    ],
)
def test_a_bad_window_names_the_option_and_the_value(
    start: str | None, end: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_window(start, end, START, name="review window")


def test_a_window_without_a_start_needs_from() -> None:
    with pytest.raises(ValueError, match="needs --from"):
        parse_window(None, "1d", None)
    assert parse_window("2026-02-01", None, None, length=dt.timedelta(days=7))[1] == FEB + (
        dt.timedelta(days=7)
    )
