"""Sets up a local worker process of ``ingest`` or ``extract``; reads the parent's pid, produces a process that ends with its parent.

A worker started by a process pool outlives a parent killed with SIGKILL (nothing tells it)
and, on Ctrl-C, gets the terminal's SIGINT too and would print its own traceback. So each
worker ignores SIGINT and takes SIGTERM's default (the parent stops it), and a daemon thread
checks every half second that the parent is still the one that started it: when the parent
is gone, the worker is re-parented and exits at once, whatever it was doing (its chunk was
not committed, so the next run does it again).
"""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_CHECK_SECONDS = 0.5


def start_worker(parent_pid: int | None = None) -> None:
    """Run first in every worker process (a pool's initializer)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = parent_pid if parent_pid is not None else os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)  # no cleanup: the parent that would read this worker's results is gone
