"""Reads a pronoun and the article before it; produces the Cast key of the one it stands for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readouts.doc_index import doc_text
from readouts.resolve.nearby import in_quoted
from readouts.resolve.cast import Cast, Entry
from readouts.resolve.lexicon import pronouns

if TYPE_CHECKING:
    from readouts.resolve.speakers import ArticleContext

PRONOUN_REACH = 2000  # characters a pronoun may look back for its speaker


def resolve_pronoun(cast: Cast, ctx: ArticleContext, pronoun: str, offset: int) -> str | None:
    """The one a pronoun stands for: in the nearest sentence naming someone who agrees with it,
    the subject of its main verb, else the subject of another clause, else the nearest mention.

    A subject outranks a nearer mention (``James Carafano, who worked on Mr. Trump's transition,
    was among the critics. "...," he said.`` is Carafano), but never reaches past a sentence
    that names someone closer.
    """
    gender, number = pronouns()[pronoun]
    reach = [(pos, key) for pos, key in ctx.speakers + cast.mentions.get(ctx.article.id, [])
             if offset - PRONOUN_REACH <= pos < offset]
    speakers = set(ctx.speakers)
    # only the mentions within reach are checked against the quotes: a bounded cost per pronoun
    reach = [item for item in reach if item in speakers] + _outside_quotes(ctx, [i for i in reach if i not in speakers])
    candidates = sorted({(pos, key) for pos, key in reach if agrees(cast.entries[key], gender, number)})
    if not candidates:
        return None
    sentence = _sentence_start(ctx.doc, candidates[-1][0])
    if sentence is None:
        return candidates[-1][1]
    same = [(pos, key) for pos, key in candidates if _sentence_start(ctx.doc, pos) == sentence]
    ranked = sorted(same, key=lambda item: (_subject_rank(ctx.doc, item[0]), -item[0]))
    return ranked[0][1]


def _token_at(doc, pos: int):
    if not hasattr(doc, "char_span"):
        return None
    found = doc.char_span(pos, pos + 1, alignment_mode="expand")
    return found[0] if found is not None and len(found) else None


def _sentence_start(doc, pos: int) -> int | None:
    """Where the sentence holding ``pos`` starts; a line break ends a sentence the parser ran on past it."""
    token = _token_at(doc, pos)
    if token is None or not doc.has_annotation("SENT_START"):
        return None
    return max(token.sent.start_char, doc_text(doc).rfind("\n", 0, pos) + 1)


def _subject_rank(doc, pos: int) -> int:
    """0: the name at ``pos`` is the subject of its sentence's main verb (``Senator Rosa Delgado said``);
    1: the subject of another clause (``the day that Mr. Stone stood``); 2: no subject."""
    token = _token_at(doc, pos)
    while token is not None and token.dep_ in ("compound", "flat", "appos") and token.head.i != token.i:
        token = token.head
    if token is None or token.dep_ not in ("nsubj", "nsubjpass"):
        return 2
    verb = token.head
    main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
    return 0 if main else 1


def _outside_quotes(ctx: ArticleContext, mentions: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Names inside quoted content are talked about, not talking: they cannot be 'he said'."""
    return [
        (pos, key) for pos, key in mentions
        if not in_quoted(ctx, pos) and not _within_quote_marks(ctx.article.text, pos)
    ]


_OPENING, _CLOSING = "\u201c\u00ab", "\u201d\u00bb"


def _within_quote_marks(text: str, pos: int) -> bool:
    """``pos`` sits between quotation marks of its paragraph, or in a paragraph that goes on a quote
    opened in an earlier one (it has a closing mark with no opening one before it).

    Catches the quoted words no statement's content covers, such as the last paragraph of a
    quote that runs over several.
    """
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    before, after = text[start:pos], text[pos : end if end >= 0 else len(text)]
    depth = sum(before.count(c) for c in _OPENING) - sum(before.count(c) for c in _CLOSING)
    if depth > 0 or before.count('"') % 2 == 1:
        return True
    marks = [c for c in after if c in _OPENING or c in _CLOSING]
    return bool(marks) and marks[0] in _CLOSING and not any(c in _OPENING for c in before)


def agrees(entry: Entry, gender: str, number: str) -> bool:
    if number == "pl":
        return entry.kind in ("organization", "group") or (entry.kind == "anonymous" and entry.plural)
    if gender == "n":  # "it": a body or a document, never a person
        return entry.kind in ("organization", "document")
    if entry.kind == "anonymous":
        return not entry.plural
    if entry.kind != "person":
        return False
    known_gender = entry.effective_gender
    return known_gender in (None, "", gender)
