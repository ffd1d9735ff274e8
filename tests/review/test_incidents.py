"""The incident model: parsing with located errors, arrivals from keyed draws, the profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.review.incidents import IncidentModel, IntensityCurve, arrivals, replication_seed
from engine.review.inputs import load_incident_file
from engine.scenario.errors import ScenarioError
from engine.sim.rng import KeyedRandom

START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC).timestamp()  # a Monday
WEEK = 7 * 86400.0


def _model(path: Path, text: str) -> IncidentModel:
    path.write_text(text, encoding="utf-8")
    return load_incident_file(str(path))


def test_count_gives_exactly_that_many_incidents_in_time_order() -> None:
    model = IncidentModel(rate=None, count=50)
    curve = IntensityCurve(model.weights, "UTC", START, START + WEEK)
    found = arrivals(model, curve, (1.0, 1.0), KeyedRandom(4), 0)
    times = [a.time for a in found]
    assert len(found) == 50
    assert times == sorted(times)
    assert all(START <= t < START + WEEK for t in times)
    assert {a.target for a in found} == {0, 1}


def test_poisson_rate_gives_about_the_expected_number() -> None:
    model = IncidentModel(rate=10 / 86400.0)
    curve = IntensityCurve(model.weights, "UTC", START, START + 10 * WEEK)
    counts = [len(arrivals(model, curve, (1.0,), KeyedRandom(9), r)) for r in range(20)]
    mean = sum(counts) / len(counts)
    assert 680 < mean < 720  # 700 expected; the mean of 20 has a standard error near 6


def test_arrivals_depend_only_on_seed_and_replication() -> None:
    model = IncidentModel(rate=5 / 86400.0)
    curve = IntensityCurve(model.weights, "UTC", START, START + WEEK)
    first = arrivals(model, curve, (1.0, 2.0), KeyedRandom(1), 3)
    assert first == arrivals(model, curve, (1.0, 2.0), KeyedRandom(1), 3)
    assert first != arrivals(model, curve, (1.0, 2.0), KeyedRandom(1), 4)
    assert replication_seed(1, 3) == replication_seed(1, 3) != replication_seed(1, 4)


def test_a_profile_puts_incidents_only_in_weighted_local_hours(tmp_path: Path) -> None:
    weekday = [0] * 9 + [1] * 8 + [0] * 7  # 09:00 to 17:00 on weekdays
    model = _model(
        tmp_path / "model.yaml",
        f"count: 400\nprofile:\n  zone: America/New_York\n  weekday: {weekday}\n"
        f"  weekend: {[0] * 24}\n",
    )
    curve = IntensityCurve(model.weights, model.profile_zone, START, START + 4 * WEEK)
    zone = __import__("zoneinfo").ZoneInfo("America/New_York")
    for arrival in arrivals(model, curve, (1.0,), KeyedRandom(2), 0):
        local = dt.datetime.fromtimestamp(arrival.time, zone)
        assert local.weekday() < 5
        assert 9 <= local.hour < 17


def test_profile_hours_follow_dst_in_the_profile_zone(tmp_path: Path) -> None:
    hours = [0.0] * 168
    hours[9] = 1.0  # Monday 09:00-10:00 local
    model = _model(
        tmp_path / "m.yaml", f"count: 200\nprofile: {{zone: Europe/London, hours: {hours}}}\n"
    )
    start = dt.datetime(2026, 3, 23, tzinfo=dt.UTC).timestamp()  # two Mondays either side of DST
    curve = IntensityCurve(model.weights, model.profile_zone, start, start + 2 * WEEK)
    utc_hours = {
        dt.datetime.fromtimestamp(a.time, dt.UTC).hour
        for a in arrivals(model, curve, (1.0,), KeyedRandom(5), 0)
    }
    assert utc_hours == {8, 9}  # 09:00 London is 09:00 UTC in March, 08:00 UTC in April


def test_targets_are_drawn_by_weight(tmp_path: Path) -> None:
    model = IncidentModel(rate=None, count=2000)
    curve = IntensityCurve(model.weights, "UTC", START, START + WEEK)
    found = arrivals(model, curve, (3.0, 1.0), KeyedRandom(7), 0)
    share = sum(1 for a in found if a.target == 0) / len(found)
    assert 0.72 < share < 0.78


def test_a_model_file_with_mistakes_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "rate: 3 per day\nprofile:\n  zone: Mars/Olympus\nnight: {start: '25:00'}\n"
        "responders:\n  akuam: {probability: 2, delay: {fixed: 1m}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_incident_file(str(path))
    text = "\n".join(caught.value.lines())
    assert "rate is a positive number per hour, day, week or year" in text
    assert f"{path}:6: responders.akuam.probability" in text
    assert "night.start" in text or "25:00" in text


def test_a_zone_that_does_not_exist_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "zone.yaml"
    path.write_text("count: 5\nzone: Mars/Olympus\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_incident_file(str(path))
    assert caught.value.lines() == [
        f"{path}:2: zone: not an IANA time zone known to tzdata; use a name such as "
        "America/New_York, Europe/London or UTC (got 'Mars/Olympus')"
    ]


def test_rate_and_count_are_exclusive(tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text("rate: 1/day\ncount: 5\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="exactly one of rate"):
        load_incident_file(str(path))
