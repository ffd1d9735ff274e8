"""Running org-year in shards whose receipts join into the single run's bytes.

Engagements are independent given keyed draws (each one's ids and draws are keyed by its index),
and a simpy run of a subset of them orders their events exactly as the whole run does. A shard
owns the contiguous engagements ``first``..``stop - 1``: it writes every record from just before
engagement ``first`` starts until engagement ``stop`` arrives, and then halts (the last shard
runs to the end). To write the whole run's records in that window it must also run, unwritten,
the earlier engagements still open when ``first`` starts: it begins at ``warm``, a few hours of
arrivals earlier. Whether that was enough is checked, not hoped: the shard before it notes the
engagements open just before ``warm`` starts, and if one of them is still open at its halt, the
later shard runs again from the earlier shard's own start. Concatenated in order, the shards'
records are byte for byte those of one process.

One process is the special case of one shard. Records of a sharded run go to a part file per
shard (in a folder beside ``--out``), joined in order at the end.
"""

from __future__ import annotations

import dataclasses
import math
import os
import resource
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from itertools import islice
from typing import IO, Any, cast

from engine.bench import orgyear
from engine.bench.orgyear import (
    ACCOUNT,
    MESSAGE,
    REGION,
    RESPONDER,
    SETTINGS,
    START,
    Arrivals,
    OrgYear,
)
from engine.knobs import Knobs
from engine.sim.recorder import Recorder, StreamRecorder
from engine.simulator import Simulator, Snapshot

WARM_UP = 6 * 3600.0
"""Seconds of earlier arrivals a shard replays: acknowledgements (lognormal, median 4 minutes)
keep a page open for hours only a few times in ten million engagements; the check catches those."""


@dataclasses.dataclass(frozen=True)
class Shard:
    """Engagements ``first``..``stop - 1``, replayed from ``warm``; records go to ``path``
    (None: nowhere). ``start`` is the traffic's position before engagement ``warm``."""

    index: int
    warm: int
    first: int
    stop: int
    next_warm: int
    start: tuple[int, Any, float]
    path: str | None


@dataclasses.dataclass(frozen=True)
class ShardResult:
    """What a shard wrote, and whether every engagement before ``next_warm`` was over at its
    halt (so the next shard's records are the whole run's)."""

    index: int
    pages: int
    receipts: int
    closed_before_next: bool
    process: str = ""
    """Which process ran it (host and pid)."""
    peak_rss_mib: float = 0.0
    """That process's peak resident memory when the shard was over."""


Job = tuple[OrgYear, Snapshot]
"""What every shard shares: the workload, and the simulator with its organisation loaded (an
organisation of 10,000 contacts takes longer to import than to unpickle)."""

ShardFn = Callable[[Job, Shard], ShardResult]
Runner = Callable[[ShardFn, Job, Sequence[Shard]], list[ShardResult]]
"""Runs ``fn(job, shard)`` for each shard (here, in processes, on Dask), results in order."""


def in_this_process(fn: ShardFn, job: Job, shards: Sequence[Shard]) -> list[ShardResult]:
    """One shard after another, here."""
    return [fn(job, shard) for shard in shards]


def run_org_year(workload: OrgYear, sink: IO[str], seed: int) -> dict[str, object]:
    """Run the workload in this process, writing every RECEIPT to ``sink``; the summary counts."""
    started = time.perf_counter()
    whole = Shard(0, 0, 0, workload.engagements, workload.engagements, _origin(workload), None)
    gate = _Gate(sink)
    result = _run(workload, _simulator(workload, seed, _receipts(gate)), whole, gate)
    return _summary(workload, [result], started)


def run_sharded(
    workload: OrgYear, seed: int, out: str, count: int, runner: Runner
) -> dict[str, object]:
    """Run the workload in ``count`` shards through ``runner``; the receipts go to ``out``
    (a file, or os.devnull) in the single run's order and bytes."""
    started = time.perf_counter()
    count = max(1, min(count, workload.engagements))
    folder = None if out == os.devnull else tempfile.mkdtemp(".parts", ".escsim-", _folder(out))
    try:
        shards = plan(workload, count, folder)
        # Shards draw the traffic; the organisation travels loaded, in the snapshot.
        lean = dataclasses.replace(workload, contacts=[], channels=[])
        job = (lean, _simulator(workload, seed).snapshot())
        results = runner(run_shard, job, shards)
        reruns = 0
        for k in range(1, count):
            if not results[k - 1].closed_before_next:
                reruns += 1
                # An engagement from before shard k's replay was still open: replay from the
                # shard before (whose own records were checked the same way) and run it here.
                earlier = shards[k - 1]
                shards[k] = dataclasses.replace(shards[k], warm=earlier.warm, start=earlier.start)
                results[k] = run_shard(job, shards[k])
        if folder is not None:
            with open(out, "wb") as joined:
                for shard in shards:
                    assert shard.path is not None
                    with open(shard.path, "rb") as part:
                        shutil.copyfileobj(part, joined, 1 << 20)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    # Each process's high-water mark, from the last shard it ran (marks only grow).
    peaks: dict[str, float] = {}
    for result in results:
        peaks[result.process] = max(peaks.get(result.process, 0.0), result.peak_rss_mib)
    return {
        **_summary(workload, results, started),
        "shards": count,
        "reruns": reruns,
        "peak_rss_mib": {"this_process": peak_rss_mib(), "per_process": list(peaks.values())},
    }


def plan(workload: OrgYear, count: int, folder: str | None) -> list[Shard]:
    """``count`` shards of contiguous engagements, each replaying WARM_UP of arrivals before."""
    n = workload.engagements
    firsts = [k * n // count for k in range(count)]
    replay = math.ceil(WARM_UP * n / orgyear.YEAR_SECONDS)  # the arrivals expected in WARM_UP
    warms = [max(0, first - replay) for first in firsts]
    arrivals = workload.arrivals()
    starts = []
    for warm in warms:
        for _ in islice(arrivals, warm - arrivals.index):
            pass
        starts.append(arrivals.position())
    return [
        Shard(
            k,
            warms[k],
            firsts[k],
            firsts[k + 1] if k + 1 < count else n,
            warms[k + 1] if k + 1 < count else n,
            starts[k],
            None if folder is None else os.path.join(folder, f"{k:05d}.jsonl"),
        )
        for k in range(count)
    ]


def run_shard(job: Job, shard: Shard) -> ShardResult:
    """Run one shard, writing its records to its part file (or nowhere)."""
    workload, snapshot = job
    with open(shard.path or os.devnull, "w", encoding="utf-8") as sink:
        gate = _Gate(sink)
        # The service keys engagement ``n``'s ids by its count: a shard's count starts at warm.
        counted = tuple(
            dataclasses.replace(ns, counters={**ns.counters, "engagement": shard.warm})
            for ns in snapshot.namespaces
        )
        sim = Simulator.restore(
            dataclasses.replace(snapshot, namespaces=counted),
            recorder=_receipts(gate),
            retain_finished=False,
        )
        return _run(workload, sim, shard, gate)


def _run(workload: OrgYear, sim: Simulator, shard: Shard, gate: _Gate) -> ShardResult:
    client = sim.client()
    start_epoch = sim.start.timestamp()
    arrivals = Arrivals(workload, *shard.start)
    pages_before = 0
    open_before_next: set[str] = set()
    for at, plan_arn in islice(arrivals, shard.stop - shard.warm):
        sim.advance_to(start_epoch + at)
        index = arrivals.index - 1
        if index == shard.first:
            sim.recorder.flush()  # lines held back from before the shard's range are dropped
            gate.open = True
            pages_before = sim.pages_created
        if index == shard.next_warm:
            open_before_next = _open(sim)
        client.call("StartEngagement", {"ContactId": plan_arn, **MESSAGE})
    if shard.stop == workload.engagements:
        sim.run()
        closed = True
    else:
        at, _ = next(arrivals)
        sim.advance_to(start_epoch + at)  # everything before engagement ``stop`` starts
        if shard.next_warm == shard.stop:
            open_before_next = _open(sim)
        closed = not open_before_next & _open(sim)
    sim.recorder.flush()
    return ShardResult(
        shard.index,
        sim.pages_created - pages_before,
        gate.lines,
        closed,
        f"{socket.gethostname()}:{os.getpid()}",
        peak_rss_mib(),
    )


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux counts kibibytes, macOS bytes.
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def _simulator(workload: OrgYear, seed: int, recorder: Recorder | None = None) -> Simulator:
    """The organisation loaded and its responders set."""
    sim = Simulator(
        seed=seed,
        start=START,
        account=ACCOUNT,
        region=REGION,
        recorder=recorder,
        retain_finished=False,
        settings=Knobs.from_mapping(SETTINGS),
    )
    sim.import_resources(workload.contacts, workload.channels)
    for contact in sim.state().organisation.contacts.values():
        if contact.type == "PERSONAL":
            sim.set_responder(contact.arn, RESPONDER)
    return sim


def _receipts(gate: _Gate) -> StreamRecorder:
    return StreamRecorder(cast("IO[str]", gate), frozenset({"RECEIPT"}))


def _open(sim: Simulator) -> set[str]:
    """The ARNs of the engagements not over yet (a batch run forgets the others)."""
    return {engagement.arn for engagement in sim.state().engagements()}


def _origin(workload: OrgYear) -> tuple[int, Any, float]:
    return workload.arrivals().position()


def _folder(out: str) -> str:
    return os.path.dirname(os.path.abspath(out))


def _summary(
    workload: OrgYear, results: Sequence[ShardResult], started: float
) -> dict[str, object]:
    return {
        "engagements": workload.engagements,
        "pages": sum(r.pages for r in results),
        "receipts": sum(r.receipts for r in results),
        "wall_s": round(time.perf_counter() - started, 3),
    }


class _Gate:
    """A text sink that drops what it is given until opened, then passes it on, counting lines
    (one a receipt)."""

    def __init__(self, sink: IO[str]) -> None:
        self.sink = sink
        self.open = False
        self.lines = 0

    def write(self, text: str) -> int:
        if self.open:
            self.lines += text.count("\n")
            self.sink.write(text)
        return len(text)
