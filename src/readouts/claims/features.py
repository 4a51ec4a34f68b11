"""Describes a (claim, text) pair as numbers for the stance model; reads two strings, produces vectors.

Two parts: a few dense features (term overlap between claim and text, cue
counts from the stance lexicons, in the whole text, its lead and the sentences
that speak to the claim; attribution marks such as "Report:" or ", sources
say"; negations next to the claim's own words) and hashed word unigrams and
bigrams of the text in which the claim's words are replaced by one mark, so
"<claim> not" means the same for every claim. Hashing uses CRC32 so the same
text always lands on the same columns, in training and at run time, without
storing a vocabulary.
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache

import numpy as np

from readouts.claims.text import WORD, count_cues, cue_positions, terms, words
from readouts.resources import load_list

HASH_BITS = 16
N_HASHED = 1 << HASH_BITS
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
LEAD_SENTENCES = 3
CUE_KINDS = ("deny", "refute", "negate", "hedge", "support")  # the columns the shipped models know
CLAIM_MARK = "<claim>"  # stands for any word of the claim in the hashed n-grams
NEGATION_REACH = 3  # words either side of a negation that it is taken to touch
HEAD_LABEL = re.compile(r"^\s*([A-Za-z][\w ]{0,25}?)\s*:")  # "Report:", "Rumor Check:", "WATCH:"
CREDIT_TAIL = re.compile(r"[:\-–—|]\s*[A-Z][\w.&' ]{0,30}\W*$")  # "... - Somali government", "...: CNN"


@lru_cache(maxsize=1)
def _attribution_words() -> frozenset[str]:
    return frozenset(load_list("stance_attribution.txt"))


@lru_cache(maxsize=1)
def _said_tail() -> re.Pattern[str]:
    """``..., government says``: an attribution word among the last few words."""
    alternatives = "|".join(sorted(map(re.escape, _attribution_words()), key=len, reverse=True))
    return re.compile(rf",?\s*\b(?:{alternatives})\b[\w ]{{0,15}}\W*$", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)
def _word_terms(raw: str) -> frozenset[str]:
    return frozenset(terms(raw))


def dense_names() -> list[str]:
    names = ["overlap_claim", "jaccard", "best_sentence_overlap", "lead_overlap", "log_words", "question"]
    for part in ("all", "lead", "near", "claim"):
        names += [f"{kind}_{part}" for kind in CUE_KINDS]
    return names + ["credit_tail", "head_label", "attribution_words", "ends_with_question",
                    "negation_near_claim", "novel_share"]


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def _overlap(claim_terms: set[str], text_terms: set[str]) -> float:
    return len(claim_terms & text_terms) / len(claim_terms) if claim_terms else 0.0


def _cue_counts(text: str) -> list[float]:
    tokens = words(text)
    return [math.log1p(count_cues(tokens, kind)) for kind in CUE_KINDS]


def dense_features(claim: str, text: str) -> np.ndarray:
    """Overlap and cue features of one pair, in the order of :func:`dense_names`."""
    claim_terms = set(terms(claim))
    text_terms = set(terms(text))
    parts = sentences(text) or [text]
    overlaps = [_overlap(claim_terms, set(terms(s))) for s in parts]
    best = max(overlaps)
    # Sentences that speak to the claim carry the stance in a long body.
    near = " ".join(s for s, o in zip(parts, overlaps) if o >= max(0.2, best * 0.6))
    lead = " ".join(parts[:LEAD_SENTENCES])
    union = claim_terms | text_terms
    values = [
        _overlap(claim_terms, text_terms),
        len(claim_terms & text_terms) / len(union) if union else 0.0,
        best,
        _overlap(claim_terms, set(terms(lead))),
        math.log1p(len(words(text))),
        1.0 if "?" in text else 0.0,
    ]
    for part in (text, lead, near, claim):
        values += _cue_counts(part)
    values += _attribution_features(text)
    values += _claim_word_features(claim_terms, text)
    return np.asarray(values, dtype=np.float32)


def credits_someone(text: str) -> bool:
    """The text ends by naming who says so ("...: CNN", "..., sources say")."""
    return bool(CREDIT_TAIL.search(text) or _said_tail().search(text))


def _attribution_features(text: str) -> list[float]:
    tokens = words(text)
    return [
        1.0 if credits_someone(text) else 0.0,
        1.0 if HEAD_LABEL.search(text) else 0.0,
        float(sum(token in _attribution_words() for token in tokens)),
        1.0 if text.rstrip().endswith("?") else 0.0,
    ]


def _claim_word_features(claim_terms: set[str], text: str) -> list[float]:
    """Negations touching the claim's words ("Batmobile NOT stolen"), and the share of new terms."""
    raw_words = WORD.findall(text)
    touches_claim = [bool(_word_terms(w) & claim_terms) for w in raw_words]
    negations = cue_positions(words(text), "negate")
    near = sum(
        1 for i in negations
        if any(touches_claim[j] for j in range(max(0, i - NEGATION_REACH), min(len(raw_words), i + NEGATION_REACH + 1)))
    )
    text_terms = terms(text)
    novel = sum(t not in claim_terms for t in text_terms)
    return [math.log1p(near), novel / len(text_terms) if text_terms else 0.0]


def masked_words(claim: str, text: str) -> list[str]:
    """Lowercased words of ``text``, each word made only of claim terms replaced by :data:`CLAIM_MARK`."""
    claim_terms = frozenset(terms(claim))
    out = []
    for raw in WORD.findall(text):
        own = _word_terms(raw)
        out.append(CLAIM_MARK if own and own <= claim_terms else raw.lower().replace("’", "'"))
    return out


def hashed_features(text: str, claim: str = "") -> dict[int, float]:
    """Word unigrams and bigrams of ``text`` (claim words masked) hashed to column -> log count, L2-normalised.

    Two marker grams join them: the label before a leading colon (``Report:``)
    and whether the text ends by crediting someone."""
    tokens = masked_words(claim, text)
    grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    head = HEAD_LABEL.search(text)
    if head:
        grams.append("HEAD=" + head.group(1).lower())
    if credits_someone(text):
        grams.append("CREDIT_TAIL")
    counts: dict[int, float] = {}
    for gram in grams:
        column = zlib.crc32(gram.encode("utf-8")) & (N_HASHED - 1)
        counts[column] = counts.get(column, 0.0) + 1.0
    values = {k: math.log1p(v) for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {k: v / norm for k, v in values.items()}
