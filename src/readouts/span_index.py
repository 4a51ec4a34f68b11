"""Reads spans (anything with ``start`` and ``end``) and produces those that may lie near a stretch of text, without a scan of them all.

A rule that looks for the nearest cue or source of each statement would otherwise compare every
statement with every span of the article: fine for one article, quadratic for a long one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class _HasSpan(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=_HasSpan)


class SpanIndex(Generic[S]):
    """Spans sorted by start (ties in their given order), with the longest length known."""

    def __init__(self, spans: Sequence[S]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in self.spans]
        self._longest = max((s.end - s.start for s in self.spans), default=0)

    def near(self, start: int, end: int, gap: int) -> list[S]:
        """Every span that could be within ``gap`` characters of ``start..end`` (some a little
        farther: callers keep their own exact test), in order of start."""
        lo = bisect.bisect_left(self._starts, start - gap - self._longest)
        hi = bisect.bisect_right(self._starts, end + gap)
        return self.spans[lo:hi]
