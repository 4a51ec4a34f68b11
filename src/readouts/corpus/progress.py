"""Shows how an ingest is going; reads counts of documents done, produces a progress bar with rate and ETA on a terminal.

The bar goes to standard error and only when it is a terminal, so logs and pipes
stay clean. The total is estimated up front where that is cheap (lines of a
corpus file, files in a directory) and left open otherwise (feeds, URLs, stdin).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".csv")


class RateProgress:
    """Called with how many documents finished; draws a rich bar with rate and time left."""

    def __init__(self, label: str, total: int | None = None, stream: Any = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self._stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        self._task: Any = None
        self._started = time.perf_counter()

    def __enter__(self) -> "RateProgress":
        self._started = time.perf_counter()
        if self._stream.isatty():
            self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, finished: int = 1) -> None:
        self.done += finished
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=f"{self.rate():.1f} docs/s")

    def rate(self) -> float:
        """Documents per second so far."""
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


def estimate_total(sources: Sequence[str], feeds: Sequence[str] = ()) -> int | None:
    """Documents the sources hold, when cheap to count; None when any source cannot be counted up front."""
    if feeds:
        return None
    total = 0
    for source in sources:
        path = Path(source)
        if source == "-" or "://" in source or not path.exists():
            total += 1  # one document or one failure
        elif path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file())
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            total += _records(path)
        else:
            total += 1
    return total


def _records(path: Path) -> int:
    with path.open("rb") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines - 1 if path.suffix.lower() == ".csv" else lines
