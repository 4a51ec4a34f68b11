"""Turns short texts into words, content terms and cue counts; reads strings, produces token lists.

Cheap on purpose (regular expressions and a light suffix stemmer, no spaCy
pass): the claims stage runs after extraction and must not double the cost of
an analysis. Cue lexicons and word equivalences are data files.
"""

from __future__ import annotations

import re
from functools import lru_cache

from readouts.resources import load_list, load_table

WORD = re.compile(r"[#@]?\w+(?:[.\-'’]\w+)*", re.UNICODE)
POSSESSIVE = re.compile(r"['’]s$")
CUE_FILES = {
    "deny": "stance_denial.txt",
    "refute": "stance_refutation.txt",
    "negate": "stance_negation.txt",
    "hedge": "stance_hedging.txt",
    "support": "stance_support.txt",
    "uncertain": "stance_uncertainty.txt",
    "conflict": "stance_conflict.txt",
}


def words(text: str) -> list[str]:
    """Lowercased surface words; contractions keep their apostrophe (``isn't``)."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A light English suffix stemmer: enough to meet ``accepts``/``accepted``/``accepting``."""
    word = POSSESSIVE.sub("", word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        return _undouble(word[:-3])
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return _undouble(word[:-2])
    return word


def _undouble(word: str) -> str:
    """``spott`` -> ``spot``, ``planned`` -> ``plan``; ``-ll``, ``-ss`` and ``-zz`` stay."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz" and word[-1].isalpha():
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | frozenset(load_list("stance_stopwords.txt"))


@lru_cache(maxsize=1)
def _equivalents() -> dict[str, str]:
    return {row["word"]: row["concept"] for row in load_table("stance_equivalents.tsv")}


def terms(text: str) -> list[str]:
    """Content terms of ``text``: stop words dropped, words stemmed and mapped to shared concepts."""
    stop, same = _stopwords(), _equivalents()
    out = []
    for raw, word in zip(WORD.findall(text), words(text)):
        word = POSSESSIVE.sub("", word).strip("#@")
        if word == "us" and raw != "US":  # the pronoun, not the country
            continue
        if word in same:
            out.append(same[word])
            continue
        # "50-foot", "Abdel-Majed": the parts meet the spaced spelling.
        for part in word.split("-") if "-" in word else (word,):
            if part in stop or len(part) < 2:
                continue
            stemmed = stem(part)
            out.append(same.get(part, same.get(stemmed, stemmed)))
    return out


@lru_cache(maxsize=None)
def cue_phrases(kind: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The cues of one lexicon (``deny``, ``refute``, ``negate``, ``hedge``, ``support``) by first word."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for line in load_list(CUE_FILES[kind]):
        phrase = tuple(words(line))
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(phrases) for first, phrases in by_first.items()}


def cue_positions(tokens: list[str], kind: str) -> list[int]:
    """Indexes in ``tokens`` (lowercased words) where a cue of lexicon ``kind`` starts."""
    phrases = cue_phrases(kind)
    found = []
    for i, token in enumerate(tokens):
        if kind == "negate" and token.endswith("n't"):
            found.append(i)
            continue
        for phrase in phrases.get(token, ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                found.append(i)
                break
    return found


def count_cues(tokens: list[str], kind: str) -> int:
    """How many times a cue of lexicon ``kind`` occurs in ``tokens``."""
    return len(cue_positions(tokens, kind))


def is_shouting(text: str) -> bool:
    """True for wire-flash capitals (most letters upper case)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.8
