"""Runs the analyze page's analyses in worker processes; reads pasted text or a URL, produces an ``Analysis`` or a refusal.

An analysis is seconds of CPU that a thread cannot be made to stop, so it runs in a process of
its own: the server's event loop only waits on a pipe. At most ``workers`` analyses run at once
(a request that finds every worker busy waits, within its time limit); a worker whose analysis
passes the time limit, or whose client has gone, is killed and replaced, so abandoned work
stops at once. Workers end with the server (see ``readouts.worker_process``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection

from readouts.web.analyzer import Analysis

ANALYZE_MAX_CHARS = 20_000  # a long news article; one this long takes a few seconds to analyze
ANALYZE_SECONDS = 30.0  # the most one analysis may take, waiting for a free worker included
ANALYZE_WORKERS = 1  # analyses at once: the rest of the machine keeps serving pages
POLL_SECONDS = 0.05


class AnalysisRefused(Exception):
    """Why an analysis was not done, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class ClientGone(Exception):
    """The visitor closed the connection; nobody is waiting for the result."""


class AnalysisPool:
    """``workers`` long-lived analysis processes, started on first use."""

    def __init__(self, workers: int = ANALYZE_WORKERS, seconds: float = ANALYZE_SECONDS,
                 max_chars: int = ANALYZE_MAX_CHARS) -> None:
        self.workers, self.seconds, self.max_chars = workers, seconds, max_chars
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._closed = False

    async def run(self, text: str, url: str, allow_private_urls: bool,
                  is_disconnected: Callable[[], Awaitable[bool]]) -> Analysis:
        """The analysis of ``text`` (or of the page at ``url``) within the time limit."""
        deadline = time.monotonic() + self.seconds
        worker = await self._take(deadline, is_disconnected)
        try:
            worker.conn.send((text, url, allow_private_urls, self.max_chars))
            while not worker.conn.poll():
                if time.monotonic() > deadline:
                    raise AnalysisRefused(503, f"The analysis took longer than {self.seconds:g} seconds and was "
                                               "stopped. Try a shorter article.")
                if await is_disconnected():
                    raise ClientGone()
                await asyncio.sleep(POLL_SECONDS)
            result = worker.conn.recv()
        except (EOFError, OSError) as exc:  # the worker died on its own (out of memory, killed)
            self._replace(worker)
            raise AnalysisRefused(500, "The analysis stopped unexpectedly. Try a shorter article.") from exc
        except BaseException:  # timed out, client gone, server stopping: the work in flight is ended
            self._replace(worker)
            raise
        self._give_back(worker)
        return result

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all, self._idle = self._all, [], []
        for worker in workers:
            worker.stop()

    async def _take(self, deadline: float, is_disconnected: Callable[[], Awaitable[bool]]) -> _Worker:
        while True:
            with self._lock:
                if self._closed:
                    raise AnalysisRefused(503, "The server is stopping.")
                if not self._all:
                    self._all = [_Worker() for _ in range(self.workers)]
                    self._idle = list(self._all)
                if self._idle:
                    return self._idle.pop()
            if time.monotonic() > deadline:
                raise AnalysisRefused(503, "Every analysis slot is busy. Try again in a minute.")
            if await is_disconnected():
                raise ClientGone()
            await asyncio.sleep(POLL_SECONDS)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            if not self._closed:
                fresh = _Worker()  # loads the models now, before the next visitor asks
                self._all.append(fresh)
                self._idle.append(fresh)


class _Worker:
    """One analysis process and the pipe to it."""

    def __init__(self) -> None:
        # spawn, not fork: the server has threads, and a forked copy of their locks can deadlock
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=serve_analyses, args=(child, os.getpid()), daemon=True,
                                       name="readouts-analyze")
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def serve_analyses(conn: Connection, parent_pid: int) -> None:
    """A worker's life: load the models, then answer one analysis at a time until the pipe closes."""
    from readouts.corpus.analysis import warm_up
    from readouts.web.analyzer import analyze_input
    from readouts.worker_process import start_worker

    start_worker(parent_pid)
    warm_up()
    while True:
        try:
            text, url, allow_private_urls, max_chars = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = analyze_input(text, url, allow_private_urls=allow_private_urls, max_chars=max_chars)
        except Exception as exc:  # noqa: BLE001 - the visitor gets a sentence, the worker goes on
            result = Analysis(None, f"The analysis failed ({type(exc).__name__}).")
        conn.send(result)
