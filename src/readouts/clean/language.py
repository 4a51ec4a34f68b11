"""Identifies the language of an article offline; reads text, produces an ISO 639-1 code and a warning.

Script first (Cyrillic, CJK, Arabic ... decide on their own, with marker
letters to split languages sharing a script), then stopword counts for
Latin-script languages. The table lives in ``data/languages.tsv``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from readouts.resources import load_table

ENGLISH = "en"
UNDETERMINED = "und"
SAMPLE_CHARS = 50_000
# Below this many stopword hits a text is too short to overrule the English default.
MIN_STOPWORD_HITS = 3
# Another language must beat English clearly: English news quotes foreign phrases.
LEAD_OVER_ENGLISH = 1.5
MIN_MARKER_SHARE = 0.01
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    scripts: frozenset[str]
    markers: frozenset[str]
    stopwords: frozenset[str]


@lru_cache(maxsize=1)
def languages() -> tuple[Language, ...]:
    return tuple(
        Language(
            code=row["code"],
            name=row["name"],
            scripts=frozenset(row["scripts"].split()),
            markers=frozenset(row["markers"]),
            stopwords=frozenset(row["stopwords"].split()),
        )
        for row in load_table("languages.tsv")
    )


def identify_language(text: str) -> str:
    """The ISO code of ``text``'s language; English when there is too little text to tell."""
    sample = text[:SAMPLE_CHARS]
    scripts = Counter(_script(ch) for ch in sample if ch.isalpha())
    if not scripts:
        return ENGLISH
    script, letters = scripts.most_common(1)[0]
    candidates = [lang for lang in languages() if script in lang.scripts]
    if not candidates:
        return UNDETERMINED
    if any(lang.stopwords for lang in candidates):
        return _by_stopwords(sample, candidates)
    return _by_markers(sample, letters, candidates)


def language_name(code: str) -> str:
    return next((lang.name for lang in languages() if lang.code == code), "an unidentified language")


def language_warning(code: str) -> str:
    """The warning an article in another language carries instead of statements."""
    return (
        f"The text is in {language_name(code)} ({code}); statements are only extracted "
        "from English text, so none were extracted from this article."
    )


def _script(ch: str) -> str:
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


def _by_stopwords(sample: str, candidates: list[Language]) -> str:
    words = Counter(_WORD.findall(sample.lower()))
    scores = {lang.code: sum(n for w, n in words.items() if w in lang.stopwords) for lang in candidates}
    best = max(scores, key=scores.__getitem__)
    english = scores.get(ENGLISH, 0)
    if best == ENGLISH or scores[best] < MIN_STOPWORD_HITS or scores[best] < english * LEAD_OVER_ENGLISH:
        return ENGLISH if ENGLISH in scores else best
    return best


def _by_markers(sample: str, letters: int, candidates: list[Language]) -> str:
    marked = [(sum(sample.count(m) for m in lang.markers), lang) for lang in candidates if lang.markers]
    marked = [(hits, lang) for hits, lang in marked if hits >= max(2, letters * MIN_MARKER_SHARE)]
    if marked:
        return max(marked, key=lambda pair: pair[0])[1].code
    default = next((lang for lang in candidates if not lang.markers), candidates[0])
    return default.code
