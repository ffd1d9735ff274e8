"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

Every executor runs :func:`engine.review.forecast.run_chunk` on contiguous chunks of replication
indices and hands back the results in index order, so the forecast is the same whichever one ran
it: a replication is a pure function of the job and its index. Local worker processes are
started with ``spawn`` (a clean interpreter, safe next to the progress bar's thread) and receive
the job once, when they start; this process works beside them meanwhile. A Dask cluster
receives the job once per worker (``scatter`` with ``broadcast``); ``--dask local`` starts a
LocalCluster on the loopback interface for the run.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from engine.review.forecast import ReplicationJob, ReplicationResult, run_chunk

Progress = Callable[[int], None]
"""Called with how many replications have finished so far."""

DASK_MISSING = "--dask needs the dask extra: pip install 'escsim[dask]' (dask[distributed])"


class ExecutorError(Exception):
    """An executor that cannot be used (a missing extra, an unreachable scheduler)."""


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


def _ordered(results: list[ReplicationResult]) -> list[ReplicationResult]:
    return sorted(results, key=lambda result: result.index)


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


_WORKER_JOB: list[ReplicationJob] = []


def _remember(job: ReplicationJob) -> None:
    """Worker initialiser: keep the job for the chunks this process will run."""
    _WORKER_JOB[:] = [job]


def _run_remembered(indices: list[int]) -> list[ReplicationResult]:
    return run_chunk(_WORKER_JOB[0], indices)


def _ready() -> None:
    """A worker's first task: its completion says the worker has started and holds the job."""


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
        import multiprocessing
        import queue
        import threading
        from collections import deque
        from concurrent.futures import Future, ProcessPoolExecutor

        parts = deque(chunks(indices, self.workers))
        lock = threading.Lock()
        finished: queue.SimpleQueue[Future[list[ReplicationResult]]] = queue.SimpleQueue()

        def take(front: bool) -> list[int] | None:
            with lock:
                return (parts.popleft() if front else parts.pop()) if parts else None

        def feed() -> None:
            # On the pool's thread, when a worker is free: hand it the next chunk.
            part = take(front=True)
            if part is not None:
                pool.submit(_run_remembered, part).add_done_callback(done)

        def done(future: Future[list[ReplicationResult]]) -> None:
            finished.put(future)  # a failed chunk raises when collected
            feed()

        def started(probe: Future[None]) -> None:
            if probe.exception() is None:  # else this process runs everything
                feed()

        results: list[ReplicationResult] = []

        def collect(block: bool) -> None:
            while block or not finished.empty():
                results.extend(finished.get().result())
                progress(len(results))
                block = block and len(results) < len(indices)

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=self.workers - 1,
            mp_context=context,
            initializer=_remember,
            initargs=(job,),
        ) as pool:

            def start() -> None:
                # Starting a worker blocks until it has read the job: done on another thread.
                for _ in range(self.workers - 1):
                    pool.submit(_ready).add_done_callback(started)

            starter = threading.Thread(target=start, daemon=True)
            starter.start()
            while (part := take(front=False)) is not None:
                results.extend(run_chunk(job, part))
                progress(len(results))
                collect(block=False)
            starter.join()  # the pool shuts down only after its workers have started
            if len(results) < len(indices):
                collect(block=True)
        return _ordered(results)


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
        distributed = _dask_distributed()
        cluster: Any = None
        try:
            if self.address == "local":
                # Worker processes talk over TCP on loopback only; threads use in-process comms.
                where = {"host": "127.0.0.1"} if self.processes else {}
                cluster = distributed.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=self.processes,
                    dashboard_address="127.0.0.1:0",  # loopback, any free port
                    **where,
                )
                client = distributed.Client(cluster)
            else:
                client = distributed.Client(self.address, timeout="10s")
        except OSError as exc:
            if cluster is not None:
                cluster.close()
            raise ExecutorError(f"cannot reach the Dask scheduler {self.address}: {exc}") from None
        results: list[ReplicationResult] = []
        try:
            workers = len(client.scheduler_info().get("workers", {})) or self.workers
            shared = client.scatter(job, broadcast=True)
            futures = [
                client.submit(run_chunk, shared, chunk, pure=False)
                for chunk in chunks(indices, workers)
            ]
            for future in distributed.as_completed(futures):
                results.extend(future.result())
                progress(len(results))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return _ordered(results)


def _dask_distributed() -> Any:
    """``dask.distributed`` (untyped, hence Any), or ExecutorError saying what to install."""
    import importlib

    try:
        return importlib.import_module("dask.distributed")
    except ImportError:
        raise ExecutorError(DASK_MISSING) from None


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
