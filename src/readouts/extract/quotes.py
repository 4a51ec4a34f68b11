"""Reads an article's text and produces its quotations as character spans, in every quote style.

Pairs come from ``data/quote_marks.tsv``. A quote that reaches the end of its paragraph
without closing continues when the next paragraph opens with a quote mark (the newswire
convention for multi-paragraph quotes); otherwise it is closed at the paragraph end and
marked ``closed=False``, so one stray mark never spoils the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from readouts.resources import load_table

Span = tuple[int, int]

MIN_PASSAGE_WORDS = 8  # an unclosed quote shorter than this is a phrase, not a running passage


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # just after the closing mark, or the paragraph end when unclosed
    inner: tuple[Span, ...]  # the quoted words, one span per paragraph
    closed: bool = True


@dataclass(frozen=True)
class _Marks:
    pattern: re.Pattern
    closers: dict[str, tuple[str, ...]]  # opening mark -> its closing marks
    single: frozenset[str]  # opening marks whose closers double as apostrophes


@lru_cache(maxsize=None)
def _marks() -> _Marks:
    closers: dict[str, list[str]] = {}
    single = set()
    for row in load_table("quote_marks.tsv"):
        closers.setdefault(row["open"], []).append(row["close"])
        if row["single"] == "yes":
            single.add(row["open"])
    every = {m for o, cs in closers.items() for m in (o, *cs)}
    alternatives = sorted(every, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(m) for m in alternatives) + r"|\n")
    return _Marks(pattern, {o: tuple(cs) for o, cs in closers.items()}, frozenset(single))


def _can_open(text: str, pos: int, mark: str, marks: _Marks) -> bool:
    after = text[pos + len(mark): pos + len(mark) + 1]
    if not after or after.isspace():
        return False
    if mark in marks.single:  # ‘ after a letter is an apostrophe, not a quote
        return pos == 0 or not text[pos - 1].isalnum()
    return True


def _can_close(text: str, pos: int, mark: str, opener: str, marks: _Marks) -> bool:
    if opener in marks.single:  # Putin’s: a closer followed by a letter is an apostrophe
        nxt = text[pos + len(mark): pos + len(mark) + 1]
        return not nxt.isalpha()
    return True


def _next_line_opens(text: str, pos: int, opener: str) -> int | None:
    """Where the next non-blank line starts when it starts with ``opener``, else None."""
    m = re.compile(r"\s*").match(text, pos)
    start = m.end()
    return start if text.startswith(opener, start) else None


def _opens_a_passage(text: str, start: int, spans: list[Span]) -> bool:
    """A quote may run on into the next paragraph only when it is more than a phrase:
    it opens its line, follows a colon, or already holds a sentence's worth of words."""
    before = text[text.rfind("\n", 0, start) + 1:start].rstrip()
    words = sum(len(text[s:e].split()) for s, e in spans)
    return not before or before.endswith(":") or words >= MIN_PASSAGE_WORDS


def _trim(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """Every quotation in ``text`` in reading order; nested quotes stay inside their outer one."""
    marks = _marks()
    hits = [(m.start(), m.group()) for m in marks.pattern.finditer(text)]
    quotes: list[Quote] = []
    i = 0
    while i < len(hits):
        pos, mark = hits[i]
        if mark in marks.closers and _can_open(text, pos, mark, marks):
            quote, i = _close(text, hits, i, marks)
            quotes.append(quote)
        else:
            i += 1
    return quotes


def _close(text: str, hits: list[tuple[int, str]], i: int, marks: _Marks) -> tuple[Quote, int]:
    """The quote opened by hits[i] and the index of the first hit after it."""
    start, opener = hits[i]
    inner_start = start + len(opener)
    spans: list[Span] = []
    j = i + 1
    while j < len(hits):
        pos, mark = hits[j]
        if mark == "\n":
            spans.append(_trim(text, inner_start, pos))
            resumed = _next_line_opens(text, pos, opener) if _opens_a_passage(text, start, spans) else None
            if resumed is None:
                return Quote(start, spans[-1][1], tuple(spans), closed=False), j + 1
            inner_start = resumed + len(opener)
            while j < len(hits) and hits[j][0] < inner_start:
                j += 1
            continue
        if mark in marks.closers[opener] and _can_close(text, pos, mark, opener, marks):
            spans.append(_trim(text, inner_start, pos))
            return Quote(start, pos + len(mark), tuple(spans), closed=True), j + 1
        j += 1
    spans.append(_trim(text, inner_start, len(text)))
    return Quote(start, spans[-1][1], tuple(spans), closed=False), j
