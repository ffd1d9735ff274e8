"""The benchmark scripts still run: each at a tiny size, checking the shape of what it prints.

Figures are never asserted (benchmarks are measured by command, not in tests); this only keeps
the scripts from rotting when the engine's functions move.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_review_throughput_runs_the_review_loop_and_bench_on_the_review_organisation(
    tmp_path: Path,
) -> None:
    organisation = tmp_path / "org.scenario.yaml"
    _run("review_org_year.py", str(organisation))
    assert json.loads(organisation.read_text(encoding="utf-8"))["incidents"] == {"count": 1000}
    figures = json.loads(
        _run(
            "review_throughput.py",
            str(organisation),
            "--replications",
            "1",
            "--engagements",
            "50",
            "--repeat",
            "1",
        )
    )
    # Every incident of the replication became an engagement the tally counted.
    assert figures["review"]["engagements"] == 1000
    assert figures["bench"]["engagements"] == 50


def test_review_org_year_refuses_a_missing_file_argument() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "review_org_year.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "FILE" in done.stderr


def test_console_latency_times_a_few_samples_in_chromium() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium: apt-get install chromium")
    figures = json.loads(_run("console_latency.py", "--samples", "2"))
    assert figures["samples"] == 2
    assert set(figures["from_request_sent_ms"]) == {"median", "p90", "min", "max"}
    assert figures["page_bytes"]["total"] == sum(
        figures["page_bytes"][part] for part in ("html", "css", "js")
    )
    assert figures["page_bytes"]["html"] > figures["empty_page_bytes"]["html"]


def test_equivalence_year_proves_the_review_organisation_equal_to_itself(tmp_path: Path) -> None:
    organisation = tmp_path / "org.scenario.yaml"
    _run("review_org_year.py", str(organisation))
    figures = json.loads(_run("equivalence_year.py", str(organisation), "--window", "1d"))
    assert figures["equivalent"] is True
    assert figures["policies"] == 100
    # At least one interval per plan, and never more engine runs than intervals on both sides.
    assert figures["intervals"] >= 100 and figures["engine_runs"] <= 2 * figures["intervals"]
    assert set(figures) == {
        "window", "load_seconds", "seconds", "policies", "intervals", "engine_runs", "equivalent",
    }  # fmt: skip
