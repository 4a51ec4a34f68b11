"""The web server's database connections stay bounded as its worker threads come and go."""

from __future__ import annotations

import gc
import os
import threading
import uuid
from pathlib import Path

import pytest

from readouts.web.app import Stores

THREADS_PER_BURST = 20


@pytest.fixture
def db_url(db_url):
    # a name of this test's own, so the server counts this test's sessions and no other's
    if db_url.startswith("postgresql"):
        return f"{db_url}&application_name=readouts-{uuid.uuid4().hex[:8]}"
    return db_url


def _burst(stores: Stores) -> None:
    """Threads that each read the store once and end, as the server's pool replaces idle threads."""
    done = threading.Barrier(THREADS_PER_BURST)

    def read() -> None:
        stores.db().value("SELECT COUNT(*) AS n FROM articles")
        done.wait(timeout=30)  # all threads hold a connection at once, as in a burst of requests

    threads = [threading.Thread(target=read) for _ in range(THREADS_PER_BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gc.collect()


def _server_side_count(stores: Stores, db_url: str) -> int:
    """Connections the database itself sees: open file handles on the SQLite file, or PostgreSQL's sessions."""
    if stores.db().dialect == "sqlite":
        target = Path(db_url).resolve()
        fds = Path("/proc/self/fd")
        return sum(1 for fd in fds.iterdir() if _points_at(fd, target))
    return stores.db().value(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = current_setting('application_name') AND pid <> pg_backend_pid()"
    )


def _points_at(fd: Path, target: Path) -> bool:
    try:
        return Path(os.readlink(fd)) == target
    except OSError:
        return False


def test_connections_of_ended_threads_are_closed(db_url):
    stores = Stores(db_url)
    stores.store()
    counts, seen = [], []
    for _ in range(3):
        _burst(stores)
        counts.append(stores.open_count())
        seen.append(_server_side_count(stores, db_url))
    assert counts == [1, 1, 1]  # only this thread's connection is left after each burst
    # SQLite keeps the file handles of closed connections for reuse while another connection to the
    # file is open (POSIX locks are per process), so handles are bounded by the largest burst;
    # PostgreSQL sees the closed sessions go.
    bound = THREADS_PER_BURST + 1 if stores.db().dialect == "sqlite" else 0  # PostgreSQL: none but this thread's
    assert max(seen) <= bound and seen[-1] <= seen[0]
    stores.close()
    assert stores.open_count() == 0


def test_a_thread_keeps_one_connection_however_often_it_asks(db_url):
    stores = Stores(db_url)
    assert stores.store() is stores.store()
    assert stores.open_count() == 1
    stores.close()


def test_a_store_closed_by_a_shutdown_is_opened_again_when_the_app_serves_again(db_url):
    stores = Stores(db_url)
    stores.db().value("SELECT COUNT(*) AS n FROM articles")
    stores.close()
    assert stores.db().value("SELECT COUNT(*) AS n FROM articles") == 0
    assert stores.open_count() == 1
    stores.close()
