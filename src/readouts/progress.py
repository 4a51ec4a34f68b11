"""Shows how long work is going; reads counts of items done, produces a rich progress bar with rate and ETA.

The bar goes to standard error and only when it is a terminal, so logs and pipes
stay clean; with ``show_after`` it stays away for short runs.
"""

from __future__ import annotations

import sys
import time
from typing import Any


class RateProgress:
    """Called with how many items finished; draws a rich bar with rate and time left."""

    def __init__(self, label: str, total: int | None = None, stream: Any = None, show_after: int = 0) -> None:
        self.label, self.total, self.done, self.show_after = label, total, 0, show_after
        self._stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        self._task: Any = None
        self._started = time.perf_counter()
        self._enabled = False

    def __enter__(self) -> "RateProgress":
        self._started = time.perf_counter()
        self._enabled = _is_terminal(self._stream)
        if self._enabled and not self.show_after:
            self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, finished: int = 1) -> None:
        self.done += finished
        if self._bar is None and self._enabled and self.done >= self.show_after:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=f"{self.rate():.1f}/s")

    def rate(self) -> float:
        """Items per second so far."""
        elapsed = time.perf_counter() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            TextColumn("[progress.data.speed]{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(file=self._stream), transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.total, rate="")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
