"""Reads the extract data files (cues.tsv, channels.tsv, flash_marks.tsv) and produces lookup tables.

Everything here is cached per process: the tables are small and read once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from readouts.resources import load_list, load_table

# A learned cue is used only when it headed a gold cue often enough and often enough
# relative to all its uses on polnear train (tuned on dev; see scripts/bench_extract.py).
MIN_CUE_COUNT = 3
MIN_CUE_PRECISION = 0.12


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str
    act: str
    count: int
    precision: float


@lru_cache(maxsize=None)
def cues() -> dict[tuple[str, str], Cue]:
    """Cue lexicon keyed by (lemma, coarse part of speech), above the usage thresholds."""
    table = {}
    for row in load_table("cues.tsv"):
        cue = Cue(row["cue"], row["pos"], row["act"] or "assert", int(row["count"]), float(row["precision"]))
        if cue.count >= MIN_CUE_COUNT and cue.precision >= MIN_CUE_PRECISION:
            table[(cue.lemma, cue.pos)] = cue
    return table


def cue_for(lemma: str, pos: str) -> Cue | None:
    return cues().get((lemma.lower(), pos))


def act_of(lemma: str) -> str:
    """The speech act of a cue word whatever its part of speech (for flashes: SAYS, DENIES)."""
    for pos in ("VERB", "NOUN", "ADJ"):
        cue = cues().get((lemma.lower(), pos))
        if cue:
            return cue.act
    return "assert"


@dataclass(frozen=True)
class ChannelTable:
    names: frozenset[str]  # canonical names and aliases, case-sensitive
    codes: frozenset[str]  # wire codes that end a flash line
    handles: frozenset[str]  # social handles without @, lowercased
    name_pattern: re.Pattern


@lru_cache(maxsize=None)
def channels() -> ChannelTable:
    names, codes, handles = set(), set(), set()
    for row in load_table("channels.tsv"):
        names.add(row["name"])
        names.update(a for a in row["aliases"].split("|") if a)
        codes.update(c for c in row["codes"].split("|") if c)
        handles.update(h.lower() for h in row["handles"].split("|") if h)
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(n) for n in alternatives))
    return ChannelTable(frozenset(names), frozenset(codes), frozenset(handles), pattern)


def channel_in(text: str) -> re.Match | None:
    """The first channel name found in ``text`` (e.g. ``Interfax`` in ``Interfax news agency``)."""
    return channels().name_pattern.search(text)


@lru_cache(maxsize=None)
def flash_marks() -> dict[str, tuple[str, ...]]:
    """Bullets, dashes and say-words of wire flashes, by kind."""
    marks: dict[str, list[str]] = {}
    for row in load_table("flash_marks.tsv"):
        marks.setdefault(row["kind"], []).append(row["mark"])
    return {k: tuple(v) for k, v in marks.items()}


@lru_cache(maxsize=None)
def non_speakers() -> frozenset[str]:
    """Words that can be a cue's grammatical subject without being anyone who speaks."""
    return frozenset(load_list("non_speakers.txt"))
