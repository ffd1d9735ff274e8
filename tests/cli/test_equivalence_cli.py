"""``escsim equivalence A B`` on the command line: exit codes, JSON, text and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from engine.cli.main import main

ORG = """\
version: 1
name: NAME
start: 2026-01-05T00:00:00Z
seed: 3
contacts:
  akuam:
    channels: {sms: {type: SMS, address: "+15550100"}, voice: {type: VOICE, address: "+15550101"}}
    plan: [{duration: 5, targets: [{channel: sms}]}, {duration: 5, targets: [{channel: voice}]}]
  alejr:
    channels: {sms: {type: SMS, address: "+15550102"}, voice: {type: VOICE, address: "+15550103"}}
    plan: [{duration: 5, targets: [{channel: sms}]}, {duration: 5, targets: [{channel: voice}]}]
  oncall:
    rotations: [primary]
  team:
    plan:
      - {duration: 5, targets: [{contact: oncall}]}
      - {duration: 5, targets: [{contact: oncall}]}
rotations:
  primary:
    members: [akuam, alejr]
    zone: Europe/London
    daily: ["HANDOFF"]
"""

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def escsim(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["equivalence", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def orgs(write: Callable[[str, str], str]) -> tuple[str, str, str]:
    """Two copies of one organisation and a third whose hand-off is an hour later."""
    same = ORG.replace("HANDOFF", "09:00")
    return (
        write(same.replace("NAME", "a"), "a.scenario.yaml"),
        write(same.replace("NAME", "b"), "b.scenario.yaml"),
        write(ORG.replace("HANDOFF", "10:00").replace("NAME", "c"), "c.scenario.yaml"),
    )


def test_equivalent_organisations_exit_0(escsim: Run, orgs: tuple[str, str, str]) -> None:
    a, b, _ = orgs
    code, out, err = escsim(a, b, "--window", "30d", "--replications", "2")
    assert (code, err) == (0, "")
    assert "Equivalent: every incident in the window pages the same" in out
    assert "Statistical part" in out


def test_differing_organisations_exit_1_with_the_counterexample_first(
    escsim: Run, orgs: tuple[str, str, str]
) -> None:
    a, _, c = orgs
    code, out, _ = escsim(a, c, "--window", "3d", "--no-statistics")
    assert code == 1
    verdict = next(line for line in out.splitlines() if line.startswith("Not equivalent"))
    assert verdict == (
        "Not equivalent: an incident at Mon 2026-01-05 08:55 Europe/London pages alejr by SMS at "
        "+5m under A, akuam by SMS under B (policy team)"
    )
    assert out.index("Not equivalent") < out.index("Differing intervals")
    assert "Statistical part" not in out


def test_json_is_stable_and_byte_identical(escsim: Run, orgs: tuple[str, str, str]) -> None:
    a, _, c = orgs
    argv = (a, c, "--window", "2d", "--replications", "2", "--output", "json")
    first, second = escsim(*argv), escsim(*argv)
    assert first[0] == second[0] == 1
    assert first[1] == second[1]
    doc = json.loads(first[1])
    assert list(doc) == [
        "escsim", "a", "b", "window", "equivalent", "counterexample", "checked", "policies",
        "statistics",
    ]  # fmt: skip
    assert doc["window"] == {
        "from": "2026-01-05T00:00:00+00:00",
        "to": "2026-01-07T00:00:00+00:00",
    }
    assert doc["checked"] == {"policies": 1, "intervals": 9, "engine_runs": 8}
    (policy,) = doc["policies"]
    assert policy["differences"][0] == {
        "from": "2026-01-05T08:55:00+00:00",
        "to": "2026-01-05T09:00:00+00:00",
        "seconds": 300,
        "zone": "Europe/London",
        "only_a": [
            {"person": "alejr", "channel": "SMS", "offset": 300},
            {"person": "alejr", "channel": "VOICE", "offset": 600},
        ],
        "only_b": [
            {"person": "akuam", "channel": "SMS", "offset": 300},
            {"person": "akuam", "channel": "VOICE", "offset": 600},
        ],
        "causes": [
            "rotation primary at +5m: alejr on call under A, akuam under B",
            'rotation primary recurrence: {"DailySettings":[{"HourOfDay":9,"MinuteOfHour":0}],'
            '"NumberOfOnCalls":1,"RecurrenceMultiplier":1} under A, {"DailySettings":[{'
            '"HourOfDay":10,"MinuteOfHour":0}],"NumberOfOnCalls":1,"RecurrenceMultiplier":1} '
            "under B",
        ],
    }
    assert doc["statistics"]["replications"] == 2
    assert doc["statistics"]["changes"]["organisation"] != []


def test_bad_input_exits_252_naming_the_value(escsim: Run, orgs: tuple[str, str, str]) -> None:
    a, b, _ = orgs
    code, _, err = escsim(a, b, "--policy", "nosuch", "--no-statistics")
    assert code == 252
    assert "--policy 'nosuch': no contact 'nosuch' in A" in err
    code, _, err = escsim(a, b, "--policy", "team=nosuch", "--no-statistics")
    assert code == 252 and "no contact 'nosuch' in B" in err
    code, _, err = escsim(a, b, "--window", "soon", "--no-statistics")
    assert code == 252
    assert "argument --window: not a duration such as 1y, 90d or 12h (got 'soon')" in err
    code, _, err = escsim(a, b, "--from", "yesterday", "--no-statistics")
    assert code == 252 and "yesterday" in err


def test_an_unreadable_source_exits_253(escsim: Run, orgs: tuple[str, str, str]) -> None:
    a, _, _ = orgs
    code, _, err = escsim(a, a + ".missing", "--no-statistics")
    assert code == 253 and ".missing" in err


def test_the_text_table_shows_the_first_fifty_intervals(
    escsim: Run, orgs: tuple[str, str, str]
) -> None:
    a, _, c = orgs
    code, out, _ = escsim(a, c, "--window", "30d", "--no-statistics")
    # Three differing intervals a day for 30 days; the JSON lists them all.
    assert code == 1
    assert "Differing intervals (UTC): first 50 of 90 (--output json lists them all)" in out


def test_workers_do_not_change_the_document(escsim: Run, orgs: tuple[str, str, str]) -> None:
    a, _, c = orgs
    argv = (a, c, "--window", "2d", "--replications", "2", "--output", "json")
    alone, shared = escsim(*argv), escsim(*argv, "--workers", "2")
    assert alone == shared


def test_json_is_byte_identical_across_processes_and_hash_seeds(
    orgs: tuple[str, str, str],
) -> None:
    import os
    import subprocess
    import sys

    a, _, c = orgs
    argv = [sys.executable, "-m", "engine.cli.main", "equivalence", a, c, "--window", "2d",
            "--replications", "2", "--output", "json"]  # fmt: skip
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(argv, capture_output=True, env=env, timeout=120, check=False)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
