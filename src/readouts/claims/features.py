"""Describes a (claim, text) pair as numbers for the stance model; reads two strings, produces vectors.

Two parts: a few dense features (term overlap between claim and text, cue
counts from the stance lexicons, in the whole text, its lead and the sentences
that speak to the claim) and hashed word unigrams/bigrams of the text. Hashing
uses CRC32 so the same text always lands on the same columns, in training and
at run time, without storing a vocabulary.
"""

from __future__ import annotations

import math
import re
import zlib

import numpy as np

from readouts.claims.text import CUE_FILES, count_cues, terms, words

HASH_BITS = 16
N_HASHED = 1 << HASH_BITS
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
LEAD_SENTENCES = 3
CUE_KINDS = ("deny", "refute", "negate", "hedge", "support")  # the columns the shipped models know


def dense_names() -> list[str]:
    names = ["overlap_claim", "jaccard", "best_sentence_overlap", "lead_overlap", "log_words", "question"]
    for part in ("all", "lead", "near", "claim"):
        names += [f"{kind}_{part}" for kind in CUE_KINDS]
    return names


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
    return np.asarray(values, dtype=np.float32)


def hashed_features(text: str) -> dict[int, float]:
    """Word unigrams and bigrams of ``text`` hashed to column -> log count, L2-normalised."""
    tokens = words(text)
    grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
    counts: dict[int, float] = {}
    for gram in grams:
        column = zlib.crc32(gram.encode("utf-8")) & (N_HASHED - 1)
        counts[column] = counts.get(column, 0.0) + 1.0
    values = {k: math.log1p(v) for k, v in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {k: v / norm for k, v in values.items()}
