"""Counts the CPU cores this process may run on; reads the OS's affinity mask, produces a worker count."""

from __future__ import annotations

import os


def available_cores() -> int:
    """Every core this process may use: its affinity mask (a container or ``taskset`` may narrow
    it), not the machine's total, which ``os.cpu_count`` gives."""
    process_cpu_count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if process_cpu_count is not None:
        return max(1, process_cpu_count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without affinity (macOS, Windows)
        return max(1, os.cpu_count() or 1)
