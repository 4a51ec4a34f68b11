"""Reads resolved attributions; produces Statements with ids, content, via chains and same-statement links.

Two statements are one statement reported twice (prose and flash, a flash
repeated) when they have the same speaker and their word sets mostly overlap.
"""

from __future__ import annotations

import re
from dataclasses import replace

from readouts.model import Article, Attribution, Statement

SPLIT_QUOTE_JOINER = " \u2026 "
OVERLAP_SHARE = 0.8  # share of the shorter statement's words found in the longer one
MIN_SHARED_WORDS = 2
MIN_SIZE_RATIO = 0.2  # a two-word quote is not "the same" as a forty-word paragraph


def content_of(att: Attribution, article: Article | None) -> str:
    if att.display:
        return att.display
    if article is None:
        return ""
    return SPLIT_QUOTE_JOINER.join(article.text[s:e].strip() for s, e in att.content_spans)


def build_statement(
    number: int, att: Attribution, article: Article | None, speaker: str | None, via: tuple[str, ...]
) -> Statement:
    return Statement(
        id=f"s{number}",
        article=att.article,
        speaker=speaker,
        speaker_text=att.speaker_text,
        speaker_span=att.speaker_span,
        cue=att.cue,
        cue_span=att.cue_span,
        content=content_of(att, article),
        content_spans=att.content_spans,
        kind=att.kind,
        act=att.act,
        via=via,
        confidence=att.confidence,
        rule=att.rule,
    )


def link_repeats(statements: list[Statement]) -> list[Statement]:
    """Set ``same_as`` to the first earlier statement by the same speaker saying mostly the same words."""
    linked: list[Statement] = []
    words = [content_words(s.content) for s in statements]
    for i, statement in enumerate(statements):
        original = None
        if statement.speaker is not None:
            original = next(
                (
                    linked[j]
                    for j in range(i)
                    if linked[j].speaker == statement.speaker and mostly_same(words[j], words[i])
                ),
                None,
            )
        if original is not None:
            statement = replace(statement, same_as=original.same_as or original.id)
        linked.append(statement)
    return linked


def content_words(text: str) -> frozenset[str]:
    text = text.lower().replace("\u2019", "'")
    return frozenset(re.findall(r"[a-z0-9]+", text))


def mostly_same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    small, large = sorted((len(a), len(b)))
    return (
        shared >= MIN_SHARED_WORDS
        and shared >= OVERLAP_SHARE * small
        and small >= MIN_SIZE_RATIO * large
    )
