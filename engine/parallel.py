"""Running one function over a list of work items in local processes or on a Dask cluster.

``fn(shared, item)`` runs once per item and the results come back in item order, whichever
worker finished first: the callers (review replications, org-year shards) make each item a pure
function of ``shared`` and the item, so the output does not depend on where it ran. ``shared`` is
sent once per worker: as the initialiser's argument of a ``spawn`` process pool (a clean
interpreter, safe next to a progress bar's thread), or scattered with ``broadcast`` to a Dask
cluster. ``local`` starts a LocalCluster on the loopback interface for the run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

DASK_MISSING = "--dask needs the dask extra: pip install 'escsim[dask]' (dask[distributed])"


class ExecutorError(Exception):
    """Work that cannot be sent where asked (a missing extra, an unreachable scheduler)."""


_WORKER: list[Any] = []


def _remember(fn: Callable[[Any, Any], Any], shared: Any) -> None:
    """Worker initialiser: keep the function and what every item shares."""
    _WORKER[:] = [fn, shared]


def _call_remembered(item: Any) -> Any:
    return _WORKER[0](_WORKER[1], item)


def in_processes(
    fn: Callable[[Any, Item], Result],
    shared: Any,
    items: Sequence[Item],
    workers: int,
    done: Callable[[Result], None],
) -> list[Result]:
    """``fn(shared, item)`` for each item, in this process and ``workers - 1`` local worker
    processes; ``done`` is called with each result as it arrives; results in item order.

    This process takes items from the back while each worker, once started (a ``spawn``ed
    interpreter that has read ``shared``), takes them from the front one at a time: work begins
    at once, no item waits for a worker still starting, and a worker that starts late on a busy
    machine only takes less. A worker that fails to start leaves its share to this process."""
    import multiprocessing
    import queue
    import threading
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    pending = deque(range(len(items)))
    lock = threading.Lock()
    finished: queue.SimpleQueue[tuple[int, Future[Result]]] = queue.SimpleQueue()
    results: dict[int, Result] = {}

    def take(front: bool) -> int | None:
        with lock:
            return (pending.popleft() if front else pending.pop()) if pending else None

    def feed(pool: ProcessPoolExecutor) -> None:
        # On the pool's thread, when a worker is free: hand it the next item.
        index = take(front=True)
        if index is not None:

            def arrived(future: Future[Result]) -> None:
                finished.put((index, future))
                feed(pool)

            pool.submit(_call_remembered, items[index]).add_done_callback(arrived)

    def keep(index: int, result: Result) -> None:
        results[index] = result
        done(result)

    def collect(block: bool) -> None:
        while len(results) < len(items) if block else not finished.empty():
            index, future = finished.get()
            keep(index, future.result())  # a failed item raises here

    if workers > 1:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers - 1,
            mp_context=context,
            initializer=_remember,
            initargs=(fn, shared),
        ) as pool:

            def start() -> None:
                # Starting a worker blocks until it has read ``shared``: done on this thread.
                for _ in range(workers - 1):
                    pool.submit(_ready).add_done_callback(started)

            def started(probe: Future[None]) -> None:
                if probe.exception() is None:  # else this process keeps that worker's share
                    feed(pool)

            starter = threading.Thread(target=start, daemon=True)
            starter.start()
            while (index := take(front=False)) is not None:
                keep(index, fn(shared, items[index]))
                collect(block=False)
            starter.join()  # the pool shuts down only after its workers have started
            collect(block=True)
    else:
        for index, item in enumerate(items):
            keep(index, fn(shared, item))
    return [results[i] for i in range(len(items))]


def _ready() -> None:
    """A worker's first task: its completion says the worker has started and holds ``shared``."""


@contextlib.contextmanager
def dask_client(address: str, workers: int, *, processes: bool = True) -> Iterator[Any]:
    """A client of the scheduler at ``address``, or of a LocalCluster of ``workers`` single-
    threaded workers when ``address`` is ``local`` (``processes=False`` keeps them as threads of
    this process, which tests use). Closed (and the cluster stopped) on exit."""
    distributed = _dask_distributed()
    cluster: Any = None
    try:
        if address == "local":
            # Worker processes talk over TCP on loopback only; threads use in-process comms.
            # The scheduler always serves HTTP: a free loopback port, not 8787, so two runs at
            # once do not collide.
            where = {"host": "127.0.0.1"} if processes else {}
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address="127.0.0.1:0",
                **where,
            )
            client = distributed.Client(cluster)
        else:
            client = distributed.Client(address, timeout="10s")
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"cannot reach the Dask scheduler {address}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask_workers(client: Any, default: int) -> int:
    """How many workers the client's cluster has now (``default`` when it reports none)."""
    return len(client.scheduler_info().get("workers", {})) or default


def on_dask(
    client: Any,
    fn: Callable[[Any, Item], Result],
    shared: Any,
    items: Sequence[Item],
    done: Callable[[Result], None],
) -> list[Result]:
    """``fn(shared, item)`` for each item on the client's cluster, like :func:`in_processes`."""
    distributed = _dask_distributed()
    scattered = client.scatter(shared, broadcast=True)
    futures = [client.submit(fn, scattered, item, pure=False) for item in items]
    position = {future.key: i for i, future in enumerate(futures)}
    results: dict[int, Result] = {}
    for future in distributed.as_completed(futures):
        results[position[future.key]] = result = future.result()
        done(result)
    return [results[i] for i in range(len(items))]


def _dask_distributed() -> Any:
    """``dask.distributed`` (untyped, hence Any), or ExecutorError saying what to install."""
    import importlib

    try:
        return importlib.import_module("dask.distributed")
    except ImportError:
        raise ExecutorError(DASK_MISSING) from None
