"""Worker processes of ``readouts ingest`` end with their parent, however the parent ends; SIGTERM and
Ctrl-C stop a run within seconds, leaving nothing half stored, and the next run finishes the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from readouts.corpus import ingest
from readouts.store import open_store

ARTICLE = ("Sergey Lavrov said talk number {i} in Hamburg went well, according to Interfax news agency. "
           "\u201cWe agreed on the next steps,\u201d he told reporters on Friday. ")
STOPPED_WITHIN = 10.0  # seconds; the run and its workers must be gone by then
# Enough work that the run is still going when both workers are busy (24 took under 6 s on two
# cores), and few enough for one batch of 200, so that a stopped run leaves nothing stored.
DOCUMENTS = 72


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(DOCUMENTS):
        (folder / f"talk-{i:02d}.txt").write_text(ARTICLE.format(i=i) * 12, encoding="utf-8")
    return folder


def _start(sources, db) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "readouts.cli", "ingest", str(sources), "--db", str(db),
                             "--workers", "2", "--batch-size", "200"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _workers_of(run: subprocess.Popen, count: int = 2, timeout: float = 120.0) -> list[psutil.Process]:
    """The run's worker processes once ``count`` of them have loaded their models and taken work."""
    deadline = time.monotonic() + timeout
    parent = psutil.Process(run.pid)
    while time.monotonic() < deadline:
        children = [c for c in parent.children() if _busy_worker(c)]
        if len(children) >= count:
            return children
        assert run.poll() is None, run.stderr.read()
        time.sleep(0.2)
    raise AssertionError("the workers did not start")


def _gone(processes: list[psutil.Process], timeout: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return not alive


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["kill-9", "sigterm", "ctrl-c"])
def test_workers_end_with_the_run_and_the_next_run_finishes(sources, tmp_path, how):
    db = tmp_path / "corpus.db"
    run = _start(sources, db)
    try:
        workers = _workers_of(run)
        stopped_at = time.monotonic()
        run.send_signal(how)
        run.wait(timeout=STOPPED_WITHIN)
        assert _gone(workers, timeout=STOPPED_WITHIN - (time.monotonic() - stopped_at))
    finally:
        if run.poll() is None:
            run.kill()
        for child in psutil.Process().children(recursive=True):
            if child.pid != run.pid and "readouts.cli" in " ".join(child.cmdline()):
                child.kill()
    stderr = run.stderr.read()
    if how == signal.SIGKILL:
        assert run.returncode == -signal.SIGKILL
    else:  # SIGTERM is Ctrl-C: one line, exit 130, no traceback from the parent or a worker
        assert run.returncode == 130, stderr
        assert "Interrupted." in stderr and "Traceback" not in stderr
    with open_store(str(db)) as store:
        stored = store.stats()["tables"]["articles"]
    assert stored == 0  # the one open batch was rolled back
    summary = ingest([str(sources)], db=str(db), workers=2, batch_size=200)
    assert summary.ingested == DOCUMENTS and summary.failed == 0


def test_a_worker_that_dies_mid_run_costs_nothing_but_a_retry(sources, tmp_path):
    """A worker killed while on a chunk (as the kernel does when memory runs out) breaks the pool;
    the run starts it again, redoes that chunk document by document and stores everything."""
    import threading

    before = {c.pid for c in psutil.Process().children(recursive=True)}
    outcome = {}

    def run() -> None:
        outcome["summary"] = ingest([str(sources)], db=str(tmp_path / "corpus.db"), workers=2, batch_size=4)

    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.monotonic() + 120
    victim = None
    while victim is None and time.monotonic() < deadline and runner.is_alive():
        for child in psutil.Process().children():
            if child.pid not in before and _busy_worker(child, cpu_seconds=0.3):
                victim = child
                break
        time.sleep(0.1)
    assert victim is not None, "no worker took work"
    victim.kill()
    runner.join(timeout=300)
    assert not runner.is_alive()
    assert outcome["summary"].ingested == DOCUMENTS and outcome["summary"].failed == 0


def _busy_worker(process: psutil.Process, cpu_seconds: float = 3.0) -> bool:
    """A pool worker that has used ``cpu_seconds`` (loading its models, then analysing; a worker forked
    from a process that had them loaded starts on work at once), not the resource tracker, not a zombie."""
    try:
        return "resource_tracker" not in " ".join(process.cmdline()) and process.cpu_times().user > cpu_seconds
    except psutil.Error:
        return False
