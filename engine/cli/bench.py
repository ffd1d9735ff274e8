"""``escsim bench org-year``: run the org-year benchmark workload through the engine.

Every RECEIPT goes to ``--out`` as JSON Lines; the last line on stdout is a JSON summary with the
counts and the wall time of the run (generation and start-up excluded; the process's whole time
is what benchmarks/README.md compares). ``--dask`` and ``--workers`` run the engagements in
shards elsewhere (engine.bench.shards) and write the same bytes as one process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from engine.bench.orgyear import OrgYear
from engine.bench.shards import (
    Job,
    Runner,
    Shard,
    ShardFn,
    ShardResult,
    run_org_year,
    run_sharded,
)
from engine.cli import exits
from engine.parallel import ExecutorError, dask_client, dask_workers, in_processes, on_dask

__all__ = ["add_arguments", "handle"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("workload", choices=["org-year"], help="the workload to run")
    parser.add_argument("--contacts", type=_positive, default=1000, metavar="C")
    parser.add_argument("--engagements", type=_positive, default=100_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument(
        "--out", default="/dev/null", metavar="FILE", help="where RECEIPT records go"
    )
    parser.add_argument(
        "--emit-scenario",
        metavar="FILE",
        help="also write the workload as a scenario file (JSON, a YAML subset)",
    )
    parser.add_argument(
        "--workers",
        type=_at_least_one,
        metavar="N",
        help="run the engagements in shards on N processes, this one and N - 1 workers (with "
        "--dask local: the "
        "cluster's workers, default one per CPU); same bytes as one process",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run the engagements in shards on the Dask scheduler at ADDRESS (tcp://HOST:PORT), "
        "or on a LocalCluster on loopback started for the run with 'local' (the dask extra)",
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 10:
        raise argparse.ArgumentTypeError(f"must be at least 10 (got {text})")
    return value


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {text})")
    return value


def handle(args: argparse.Namespace) -> int:
    workload = OrgYear.generate(args.contacts, args.engagements, args.seed)
    if args.emit_scenario:
        _write(args.emit_scenario, json.dumps(workload.scenario(), indent=1) + "\n")
    try:
        with open(args.out, "w", encoding="utf-8") as sink:
            if args.dask is None and (args.workers or 1) == 1:
                summary = run_org_year(workload, sink, args.seed)
        if args.dask is None and (args.workers or 1) > 1:
            summary = _sharded(args, workload, args.workers, _processes(args.workers))
        elif args.dask is not None:
            workers = args.workers or os.cpu_count() or 1
            with dask_client(args.dask, workers) as client:
                workers = dask_workers(client, workers)
                summary = _sharded(args, workload, workers, _on(client))
    except OSError as exc:
        raise exits.CommandError(
            f"escsim bench: cannot write {args.out}: {exc.strerror or exc}", exits.BAD_FILE
        ) from None
    except ExecutorError as exc:
        raise exits.CommandError(f"escsim bench: {exc}", exits.BAD_ARGUMENTS) from None
    sys.stdout.write(json.dumps(summary) + "\n")
    return exits.OK


SHARDS_PER_WORKER = 4
"""Enough that a worker slowed by its neighbours leaves little to wait for at the end."""


def _sharded(
    args: argparse.Namespace, workload: OrgYear, workers: int, runner: Runner
) -> dict[str, object]:
    summary = run_sharded(workload, args.seed, args.out, workers * SHARDS_PER_WORKER, runner)
    return {**summary, "workers": workers}


def _processes(workers: int) -> Runner:
    def runner(fn: ShardFn, job: Job, shards: Sequence[Shard]) -> list[ShardResult]:
        return in_processes(fn, job, shards, workers, _ignore)

    return runner


def _on(client: Any) -> Runner:
    def runner(fn: ShardFn, job: Job, shards: Sequence[Shard]) -> list[ShardResult]:
        return on_dask(client, fn, job, shards, _ignore)

    return runner


def _ignore(_result: ShardResult) -> None:
    """No progress is shown: the summary line is the output."""


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise exits.CommandError(
            f"escsim bench: cannot write {path}: {exc.strerror or exc}", exits.BAD_FILE
        ) from None
