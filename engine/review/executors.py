"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

Every executor runs :func:`engine.review.forecast.run_chunk` on contiguous chunks of replication
indices and hands back the results in index order, so the forecast is the same whichever one ran
it: a replication is a pure function of the job and its index. The processes and the cluster
are :mod:`engine.parallel`'s, which ``escsim bench`` shares: local worker processes work
beside this one, and a Dask cluster receives the job once per worker.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import Protocol

from engine.parallel import ExecutorError, dask_client, dask_workers, in_processes, on_dask
from engine.review.forecast import ReplicationJob, ReplicationResult, run_chunk

__all__ = ["DaskExecutor", "Executor", "ExecutorError", "InProcess", "Processes", "choose_executor"]

Progress = Callable[[int], None]
"""Called with how many replications have finished so far."""


class Executor(Protocol):
    """Runs replications of a job."""

    name: str

    def run(
        self, job: ReplicationJob, indices: Sequence[int], progress: Progress
    ) -> list[ReplicationResult]:
        """Results of replications ``indices``, in index order."""


def chunks(indices: Sequence[int], workers: int) -> list[list[int]]:
    """Contiguous chunks, up to sixteen per worker: small enough that no worker idles long at
    the end and progress moves, large enough that sending them costs nothing."""
    size = max(1, math.ceil(len(indices) / (max(1, workers) * 16)))
    return [list(indices[i : i + size]) for i in range(0, len(indices), size)]


class InProcess:
    """Runs every replication here, one after another."""

    name = "in-process"

    def run(
        self, job: ReplicationJob, indices: Sequence[int], progress: Progress
    ) -> list[ReplicationResult]:
        results: list[ReplicationResult] = []
        for index in indices:
            results.extend(run_chunk(job, [index]))
            progress(len(results))
        return results


class _Counter:
    """Tells ``progress`` how many replications are done as each chunk's results arrive."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.count = 0

    def __call__(self, results: list[ReplicationResult]) -> None:
        self.count += len(results)
        self.progress(self.count)


def _flat(chunked: list[list[ReplicationResult]]) -> list[ReplicationResult]:
    return [result for chunk in chunked for result in chunk]


class Processes:
    """Runs chunks of replications in this process and ``workers - 1`` local worker processes.

    This process takes chunks from the back while each worker, once it has started, takes them
    from the front one at a time: work begins at once, no chunk waits for a worker still
    starting, and a worker that starts late (a busy machine) only takes less of it.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(2, workers)
        self.name = f"this process and {self.workers - 1} worker processes"

    def run(
        self, job: ReplicationJob, indices: Sequence[int], progress: Progress
    ) -> list[ReplicationResult]:
        work = chunks(indices, self.workers)
        return _flat(in_processes(run_chunk, job, work, self.workers, _Counter(progress)))


class DaskExecutor:
    """Runs chunks of replications on a Dask distributed cluster.

    ``address`` is a scheduler address (``tcp://HOST:PORT``) or ``local`` for a LocalCluster of
    ``workers`` processes started for this run (``processes=False`` keeps them as threads of
    this process, which tests use).
    """

    def __init__(self, address: str, workers: int, *, processes: bool = True) -> None:
        self.address = address
        self.workers = max(1, workers)
        self.processes = processes
        where = f"a local Dask cluster of {self.workers}" if address == "local" else address
        self.name = f"Dask ({where})"

    def run(
        self, job: ReplicationJob, indices: Sequence[int], progress: Progress
    ) -> list[ReplicationResult]:
        with dask_client(self.address, self.workers, processes=self.processes) as client:
            work = chunks(indices, dask_workers(client, self.workers))
            return _flat(on_dask(client, run_chunk, job, work, _Counter(progress)))


IN_PROCESS_BELOW = 10_000
"""Engagements (replications times incidents per replication) below which a review with no
``--workers`` runs in this process: starting worker processes (a fresh interpreter each, the
organisation unpickled in each) costs more than they save until then. Measured with
benchmarks/review_executors.py; docs/review.md gives the figures."""


def choose_executor(
    replications: int,
    workers: int | None = None,
    dask: str | None = None,
    *,
    engagements: float | None = None,
) -> Executor:
    """The executor for a review of ``replications`` replications running ``engagements``
    engagements in all (None when unknown).

    Dask when ``dask`` names a scheduler (or ``local``). Otherwise ``workers`` local processes
    when given (1 means this process). With neither, this process for a single replication, a
    single CPU, a small review (fewer than IN_PROCESS_BELOW engagements) or a machine with no
    idle CPU (workers would only take turns with this process), else this process and one worker
    per idle CPU."""
    cpus = os.cpu_count() or 1
    if dask is not None:
        return DaskExecutor(dask, workers if workers is not None else cpus)
    count = workers if workers is not None else min(cpus, 1 + _idle_cpus(cpus))
    if replications <= 1 or count <= 1:
        return InProcess()
    if workers is None and engagements is not None and engagements < IN_PROCESS_BELOW:
        return InProcess()
    return Processes(min(count, replications))


def _idle_cpus(cpus: int) -> int:
    """CPUs the last minute's load left idle, this process's own share counted as busy."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # a platform without a load average
        return cpus - 1
    return max(0, round(cpus - max(load, 1.0)))
