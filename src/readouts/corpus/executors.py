"""Runs the per-article analysis in order on one process, a local pool or a Dask cluster; reads chunks of items, produces results.

Every executor keeps a bounded number of chunks in flight and yields results in
input order, so memory stays flat on any corpus size and story grouping sees
articles in the order they were given. Only the caller (the one writer) touches
the store.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from readouts.corpus.analysis import Item, StoreResult, analyze_for_store, warm_up
from readouts.corpus.errors import ExecutorError
from readouts.cores import available_cores
from readouts.errors import WorkerDiedError
from readouts.model import Failure

CHUNKS_AHEAD_PER_WORKER = 3  # enough to keep workers busy while the writer commits
ABORT_GRACE_SECONDS = 2.0  # a worker told to stop that is still alive after this is killed


def default_workers() -> int:
    """Every core this process may use."""
    return available_cores()


class SerialExecutor:
    """Analysis in this process: no start-up cost, one core."""

    workers = 1

    def map_chunks(self, chunks: Iterable[Sequence[Item]]) -> Iterator[list[StoreResult]]:
        for chunk in chunks:
            yield analyze_for_store(chunk)

    def close(self) -> None:
        pass

    def abort(self) -> None:
        pass


class ProcessExecutor:
    """Analysis in ``workers`` local processes, each loading spaCy once.

    A worker that dies (killed, out of memory) breaks the whole pool and every chunk in flight
    with it: the pool is started again, the chunk at the head is redone one document at a time
    (a document that kills a worker again becomes its own failure, R301) and the chunks behind
    it are sent again."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_start_local_worker,
                                   initargs=(os.getpid(),))

    def map_chunks(self, chunks: Iterable[Sequence[Item]]) -> Iterator[list[StoreResult]]:
        pending: deque = deque()
        ahead = self.workers * CHUNKS_AHEAD_PER_WORKER
        for chunk in chunks:
            chunk = list(chunk)
            pending.append((chunk, self._pool.submit(analyze_for_store, chunk)))
            if len(pending) >= ahead:
                yield self._next_result(pending)
        while pending:
            yield self._next_result(pending)

    def _next_result(self, pending: deque) -> list[StoreResult]:
        chunk, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            behind = [c for c, _ in pending]
            pending.clear()
            self._restart()
            results = self._one_by_one(chunk)
            pending.extend((c, self._pool.submit(analyze_for_store, c)) for c in behind)
            return results

    def _one_by_one(self, chunk: list[Item]) -> list[StoreResult]:
        results: list[StoreResult] = []
        for item in chunk:
            try:
                results.extend(self._pool.submit(analyze_for_store, [item]).result())
            except BrokenProcessPool:
                self._restart()
                results.append(_worker_died(item))
        return results

    def _restart(self) -> None:
        self.abort()
        self._pool = self._new_pool()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """Stop at once (Ctrl-C, SIGTERM): chunks in flight are dropped, not waited for; nothing
        of theirs was committed, so the next run analyses them again."""
        # The pool has no public way to stop a running task; its processes are ended directly.
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(ABORT_GRACE_SECONDS)
            if process.is_alive():
                process.kill()


class DaskExecutor:
    """Analysis on an existing Dask cluster (``tcp://host:port``) or a ``distributed.Client`` given directly."""

    def __init__(self, scheduler: Any, timeout: float = 20.0) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ExecutorError("dask", "the Dask executor needs the distributed package",
                                'pip install "readouts[dask]"') from exc
        self._owned = not isinstance(scheduler, Client)
        try:
            self._client = Client(scheduler, timeout=f"{timeout}s") if self._owned else scheduler
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(str(scheduler), f"cannot reach the Dask scheduler ({exc})",
                                "start `dask scheduler` and workers, and check the address") from exc
        self.workers = max(1, sum(self._client.nthreads().values()))
        self._client.run(warm_up)  # every worker loads spaCy before the first chunk arrives

    def map_chunks(self, chunks: Iterable[Sequence[Item]]) -> Iterator[list[StoreResult]]:
        # pure=False: two chunks with equal content are still two tasks (ids differ by position anyway).
        yield from _ordered(lambda chunk: self._client.submit(analyze_for_store, list(chunk), pure=False),
                            chunks, self.workers * CHUNKS_AHEAD_PER_WORKER)

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def abort(self) -> None:
        self.close()  # the cluster's workers are not ours to stop; our tasks go with the client


def _worker_died(item: Item) -> StoreResult:
    if isinstance(item, Failure):
        return item
    error = WorkerDiedError(item.source, "the worker process analysing it died (out of memory or killed)",
                            "run the ingest again to retry it; if it fails again, check the document's size")
    return Failure(item.source, error.code, str(error))


def _start_local_worker(parent_pid: int) -> None:
    from readouts.worker_process import start_worker

    start_worker(parent_pid)
    warm_up()


def make_executor(executor: str = "local", workers: int | None = None, scheduler: Any = None,
                  connect_timeout: float = 20.0):
    """``local`` with ``workers`` processes (1: in this process), or ``dask`` on ``scheduler``."""
    if executor == "dask":
        if scheduler is None:
            raise ExecutorError("dask", "the Dask executor needs a scheduler address", "give --scheduler tcp://HOST:PORT")
        return DaskExecutor(scheduler, connect_timeout)
    if executor != "local":
        raise ExecutorError(executor, "unknown executor", "choose local or dask")
    count = default_workers() if workers is None else workers
    return SerialExecutor() if count <= 1 else ProcessExecutor(count)


def _ordered(submit, chunks: Iterable[Sequence[Item]], ahead: int) -> Iterator[list[StoreResult]]:
    """Results of ``submit(chunk)`` futures in input order, with at most ``ahead`` futures pending."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
