"""Shows how long work is going; reads counts of items done, produces a rich progress bar with rate and ETA.

The bar goes to standard error and only when it is a terminal and ``-q`` was not given,
so logs and pipes stay clean; with ``show_after`` it stays away for short runs.

Time left is the rate since the first items finished (so start-up, such as worker
processes loading the models, does not count as slowness; until more items follow, the
mean since the start) applied to what remains, counted down between updates. Items that
finish within BURST_SECONDS of the first one count as that first burst. rich's own
estimate averages the last updates' speed, which is wrong when work finishes in bursts
(``extract`` gets eight documents at once from each chunk a worker finishes): right after
a burst it shows almost nothing left, and while the next chunks are pending it shows no
estimate at all.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

BURST_SECONDS = 0.5


class RateProgress:
    """Called with how many items finished; draws a rich bar with rate and time left."""

    def __init__(
        self, label: str, total: int | None = None, stream: Any = None, show_after: int = 0,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.label, self.total, self.done, self.show_after = label, total, 0, show_after
        self._stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        self._task: Any = None
        self._clock = clock
        self._started = clock()
        self._finish: float | None = None  # when the work should end, as projected at the last update
        self._first_at: float | None = None  # when the first item finished
        self._base: tuple[float, int] = (0.0, 0)  # (when the first item finished, items of that burst)
        self._enabled = False

    def __enter__(self) -> "RateProgress":
        self._started = self._clock()
        # -q puts the root logger at ERROR: the bar stays away then too
        self._enabled = _is_terminal(self._stream) and logging.getLogger().isEnabledFor(logging.WARNING)
        if self._enabled and not self.show_after:
            self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, finished: int = 1) -> None:
        self.done += finished
        self._project_finish()
        if self._bar is None and self._enabled and self.done >= self.show_after:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=f"{self.rate():.1f}/s")

    def rate(self) -> float:
        """Items per second so far."""
        elapsed = self._clock() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        """Seconds until the projected end, or None while nothing has finished or the total is unknown."""
        if self.total is not None and self.done >= self.total:
            return 0.0
        if self._finish is None:
            return None
        return max(0.0, self._finish - self._clock())

    def _project_finish(self) -> None:
        now = self._clock()
        if self._first_at is None:
            self._first_at = now
        if now - self._first_at < BURST_SECONDS:
            self._base = (self._first_at, self.done)
        base_time, base_done = self._base
        if now - base_time >= BURST_SECONDS and self.done > base_done:
            rate = (self.done - base_done) / (now - base_time)
        else:
            rate = self.done / (now - self._started) if now > self._started else 0.0
        if self.total is None or rate <= 0:
            self._finish = None
            return
        self._finish = now + max(0, self.total - self.done) / rate

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            TextColumn("[progress.data.speed]{task.fields[rate]}"),
            TimeElapsedColumn(), TextColumn("ETA"), _time_left_column(self),
            console=Console(file=self._stream), transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.total, rate="")


def format_time_left(seconds: float | None) -> str:
    return "-:--:--" if seconds is None else str(timedelta(seconds=int(round(seconds))))


def _time_left_column(progress: RateProgress) -> Any:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class TimeLeftColumn(ProgressColumn):
        """Redrawn on every refresh, so the time left runs down while chunks are pending."""

        def render(self, task: Any) -> Text:
            return Text(format_time_left(progress.seconds_left()), style="progress.remaining")

    return TimeLeftColumn()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
