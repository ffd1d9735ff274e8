"""org-year in shards (here, in local processes, on a Dask LocalCluster on loopback) writes the
single process's receipts byte for byte."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from engine.bench import orgyear, shards
from engine.bench.orgyear import OrgYear
from engine.bench.shards import in_this_process, run_org_year, run_sharded
from engine.cli.main import main

HAS_DASK = importlib.util.find_spec("distributed") is not None
SIZE = ["--contacts", "40", "--engagements", "300", "--seed", "5"]


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("one") / "receipts.jsonl"
    with out.open("w", encoding="utf-8") as sink:
        run_org_year(OrgYear.generate(40, 300, 5), sink, 5)
    return out.read_bytes()


@pytest.mark.parametrize("count", [2, 3, 16])
def test_shards_run_one_after_another_write_the_single_runs_bytes(
    tmp_path: Path, one_process: bytes, count: int
) -> None:
    out = tmp_path / "receipts.jsonl"
    summary = run_sharded(OrgYear.generate(40, 300, 5), 5, str(out), count, in_this_process)
    assert out.read_bytes() == one_process
    assert summary["receipts"] == one_process.count(b"\n")
    assert summary["shards"] == count
    assert not list(tmp_path.glob(".escsim-*"))  # the part files are gone


def test_a_shard_whose_replay_missed_an_open_engagement_runs_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A day instead of a year: engagements overlap, and with no replay most shards begin while
    # an earlier engagement is open; the check must catch every one and the bytes still agree.
    monkeypatch.setattr(orgyear, "YEAR_SECONDS", 86400.0)
    monkeypatch.setattr(shards, "WARM_UP", 0.0)
    workload = OrgYear.generate(40, 300, 5)
    single = tmp_path / "one.jsonl"
    with single.open("w", encoding="utf-8") as sink:
        run_org_year(workload, sink, 5)
    out = tmp_path / "sharded.jsonl"
    summary = run_sharded(workload, 5, str(out), 12, in_this_process)
    assert isinstance(summary["reruns"], int) and summary["reruns"] > 0
    assert out.read_bytes() == single.read_bytes()


def test_workers_write_the_single_runs_bytes(
    tmp_path: Path, one_process: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "receipts.jsonl"
    assert main(["bench", "org-year", *SIZE, "--workers", "2", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out.read_bytes() == one_process
    assert (summary["workers"], summary["shards"]) == (2, 8)
    # Each process that ran shards reports its peak memory: this one and at most one worker.
    per_process = summary["peak_rss_mib"]["per_process"]
    assert 1 <= len(per_process) <= 2 and all(peak > 0 for peak in per_process)


@pytest.mark.skipif(not HAS_DASK, reason="dask[distributed] is not installed (the dask extra)")
def test_a_dask_local_cluster_of_two_workers_writes_the_single_runs_bytes(
    tmp_path: Path, one_process: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "receipts.jsonl"
    args = ["bench", "org-year", *SIZE, "--dask", "local", "--workers", "2", "--out", str(out)]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out.read_bytes() == one_process
    assert summary["workers"] == 2
    assert summary["receipts"] == one_process.count(b"\n")
    assert 1 <= len(summary["peak_rss_mib"]["per_process"]) <= 2


def test_an_unreachable_scheduler_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    if not HAS_DASK:
        pytest.skip("dask[distributed] is not installed (the dask extra)")
    # Port 9 on loopback (discard) has no scheduler: the client gives up, nothing is written.
    code = main(["bench", "org-year", *SIZE, "--dask", "tcp://127.0.0.1:9"])
    assert code == 252
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in capsys.readouterr().err
