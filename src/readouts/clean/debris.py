"""Finds scraping debris in article text; reads text, produces (start, end) spans and the site signature.

Debris is never cut out (offsets must hold against the original file): it is
listed as spans. Each pattern in ``data/debris.txt`` must match a whole line,
so a real sentence is never marked because it contains a debris phrase. A
short signature line ("ZeroHedge") in the trailing debris block is debris
too; when it names a known channel, that channel is the article's outlet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from readouts.model import Span
from readouts.resources import load_list, load_table

MAX_SIGNATURE_WORDS = 4
MAX_SIGNATURE_CHARS = 40
_SENTENCE_PUNCTUATION = tuple('.!?:;,"”’)')


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # stripped of surrounding whitespace; start/end point at exactly this text


@dataclass(frozen=True)
class Debris:
    spans: tuple[Span, ...]
    signature_channel: str | None = None


@lru_cache(maxsize=1)
def debris_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in load_list("debris.txt"))


@lru_cache(maxsize=1)
def channel_names() -> dict[str, str]:
    """Every channel name and alias, mapped to the canonical name."""
    names: dict[str, str] = {}
    for row in load_table("channels.tsv"):
        for name in [row["name"], *row["aliases"].split("|")]:
            if name.strip():
                names.setdefault(name.strip(), row["name"])
    return names


def find_debris(text: str) -> Debris:
    """The debris spans of ``text`` in order, and the channel a signature line names, if any."""
    lines = [line for line in split_lines(text) if line.text]
    flagged = [is_debris_line(line.text) for line in lines]
    signature = _signature_index(lines, flagged)
    channel = None
    if signature is not None:
        flagged[signature] = True
        channel = channel_names().get(lines[signature].text)
    spans = tuple((line.start, line.end) for line, debris in zip(lines, flagged) if debris)
    return Debris(spans=spans, signature_channel=channel)


def is_debris_line(stripped: str) -> bool:
    return any(pattern.fullmatch(stripped) for pattern in debris_patterns())


def split_lines(text: str) -> Iterator[Line]:
    """Every line of ``text`` with offsets of its stripped content (any line ending: \\n, \\r\\n, \\r)."""
    offset = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        lead = len(content) - len(content.lstrip())
        stripped = content.strip()
        yield Line(offset + lead, offset + lead + len(stripped), stripped)
        offset += len(raw)


def _signature_index(lines: list[Line], flagged: list[bool]) -> int | None:
    """The last real line when it is a signature standing just above the trailing debris block."""
    index = len(lines) - 1
    while index >= 0 and flagged[index]:
        index -= 1
    if index < 0:
        return None
    candidate = lines[index].text
    has_debris_below = index < len(lines) - 1
    if candidate in channel_names() and (has_debris_below or _looks_like_signature(candidate)):
        return index
    if has_debris_below and _looks_like_signature(candidate):
        return index
    return None


def _looks_like_signature(line: str) -> bool:
    """A short name-like line: few words, each capitalised, no sentence punctuation."""
    words = line.split()
    return (
        0 < len(words) <= MAX_SIGNATURE_WORDS
        and len(line) <= MAX_SIGNATURE_CHARS
        and not line.endswith(_SENTENCE_PUNCTUATION)
        and all(word[0].isupper() or word.lower() in ("the", "of", "and") for word in words)
    )
