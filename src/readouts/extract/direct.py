"""Reads quotes and parse-based candidates and produces direct-quote candidates.

A quote already inside a candidate's content makes that candidate direct or mixed (and
stretches it to the whole quote when the sentence splitter cut the quote short). A quote
left over takes the nearest cue word just after or before it (``“...,” Putin added.``,
``he said, “...”``); two quotes around one cue are one split quote; a quote with no cue
that follows an attributed quote continues it (same speaker).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from readouts.doc_index import doc_text, first_token_from, last_token_before
from readouts.extract.lexicon import cue_for
from readouts.extract.quotes import Quote
from readouts.extract.reported import Candidate, _cue_span, _speaker_span, _subject
from readouts.span_index import SpanIndex

Span = tuple[int, int]

CUE_WINDOW = 10  # tokens between a quote and its cue word (`,” the US leader added`)
MIN_CUE_PRECISION_NEAR_QUOTE = 0.12
GAP_MARKS = " \t\n.,;:\u201d\u2019\""
QUOTE_CHARS = "\u201c\u201d\"\u00ab\u00bb\u2018\u2019"
CONTINUATION_GAP = 3  # characters besides whitespace allowed between a quote and the one it continues
CONTINUATION_REACH = 3000  # characters back from a quote to the end of the attributed quote it may continue


def attach_quotes(doc: Doc, quotes: list[Quote], cands: list[Candidate]) -> list[Candidate]:
    """``cands`` stretched over their quotes, plus candidates for the quotes they did not cover."""
    out = list(cands)
    by_anchor = {c.anchor: c for c in out}
    # Quotes come in order and what the loop adds to a content ends inside the quote at hand, so
    # the contents as given are all a later quote can start in: indexed once, not scanned per quote.
    owners = SpanIndex([_Piece(s, e, i) for i, c in enumerate(out) for s, e in c.content])
    recent = _Recent(out)
    for quote in quotes:
        owner = _owner(quote, out, owners)
        if owner is not None:
            _stretch(owner, quote)
            recent.touched(owner)
            continue
        before = _cue_near(doc, quote, after=False)
        if before is not None and before.i in by_anchor:  # `"...," he said, "..."`: one split quote
            by_anchor[before.i].content.extend(quote.inner)
            recent.touched(by_anchor[before.i])
            continue
        cue = _cue_near(doc, quote)
        if cue is not None and cue.i in by_anchor:
            by_anchor[cue.i].content.extend(quote.inner)
            recent.touched(by_anchor[cue.i])
            continue
        if cue is not None:
            cand = _quote_candidate(cue, quote)
            by_anchor[cue.i] = cand
            out.append(cand)
            recent.touched(cand)
            continue
        previous = _continued(doc, quote, recent.before(quote.start))
        if previous is not None:  # the same speaker goes on: one statement with one more span
            previous.content.extend(quote.inner)
            recent.touched(previous)
            if not previous.rule.endswith("+continued"):
                previous.rule += "+continued"
    return out


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    order: int  # the candidate's place in the list


def _owner(quote: Quote, cands: list[Candidate], owners: SpanIndex[_Piece]) -> Candidate | None:
    """The candidate whose content holds the quote's first words (the first such in ``cands``)."""
    first = quote.inner[0][0]
    holding = [p.order for p in owners.near(first, first + 1, 0) if p.start <= first < p.end]
    return cands[min(holding)] if holding else None


class _Recent:
    """The candidates a quote may continue: those whose content ends within ``CONTINUATION_REACH``
    characters before it, in list order. Contents only grow at the quote being read, so candidates
    are kept in order of where their content ends and those left behind are dropped."""

    def __init__(self, cands: list[Candidate]) -> None:
        self._order = {id(c): i for i, c in enumerate(cands)}
        self._cands = list(cands)
        ends = sorted((max(e for _, e in c.content), i) for i, c in enumerate(cands) if c.content)
        self._ends = [e for e, _ in ends]
        self._by_end = [i for _, i in ends]
        self._grown: list[Candidate] = []

    def touched(self, cand: Candidate) -> None:
        if id(cand) not in self._order:
            self._order[id(cand)] = len(self._cands)
            self._cands.append(cand)
        self._grown.append(cand)

    def before(self, start: int) -> list[Candidate]:
        lo = bisect.bisect_left(self._ends, start - CONTINUATION_REACH)
        hi = bisect.bisect_right(self._ends, start)
        self._grown = [c for c in self._grown if max(e for _, e in c.content) >= start - CONTINUATION_REACH]
        chosen = {self._by_end[k] for k in range(lo, hi)} | {self._order[id(c)] for c in self._grown}
        return [self._cands[i] for i in sorted(chosen)]


def _stretch(cand: Candidate, quote: Quote) -> None:
    """Grow the content to the quote's end when the parse stopped inside it."""
    last = max(cand.content, key=lambda s: s[1])
    end = quote.inner[-1][1]
    if last[1] < end and last[1] >= quote.inner[0][0]:
        cand.content.remove(last)
        cand.content.append((last[0], quote.inner[0][1]))
        cand.content.extend(quote.inner[1:])


def _cue_near(doc: Doc, quote: Quote, after: bool = True) -> Token | None:
    """A cue word with a speaker just after the quote or just before it (only before it
    when ``after`` is false)."""
    first_after = first_token_from(doc, quote.end)
    last_before = last_token_before(doc, quote.start)
    windows = [range(first_after, min(len(doc), first_after + CUE_WINDOW))] if after else []
    windows.append(range(last_before, max(-1, last_before - CUE_WINDOW), -1))
    for window in windows:
        for i in window:
            tok = doc[i]
            if tok.is_quote or tok.text in (".", "!", "?", "\n") or tok.is_space and "\n" in tok.text:
                break
            cue = cue_for(tok.lemma_, "VERB") if tok.pos_ == "VERB" else None
            if cue and cue.precision >= MIN_CUE_PRECISION_NEAR_QUOTE and _subject(tok) is not None:
                return tok
    return None


def _quote_candidate(cue: Token, quote: Quote) -> Candidate:
    subject = _subject(cue)
    info = cue_for(cue.lemma_, "VERB")
    return Candidate(cue_span=_cue_span(cue), content=list(quote.inner), speaker=_speaker_span(subject),
                     rule="quote_cue", act=info.act, confidence=0.85, anchor=cue.i)


def _continued(doc: Doc, quote: Quote, cands: list[Candidate]) -> Candidate | None:
    """The attributed quote this one follows with nothing but the rest of its cue's sentence
    (`“...,” said X, head of Y.`), punctuation or a paragraph break in between."""
    best = None
    for cand in cands:
        if cand.speaker is None or not cand.content:
            continue
        last = max(e for _, e in cand.content)
        if last > quote.start or (best is not None and last <= best[0]):
            continue
        text = doc_text(doc)
        gap = text[max(last, min(_sentence_end(doc, cand, last), quote.start)):quote.start]
        if len(gap.strip(GAP_MARKS)) <= CONTINUATION_GAP and _quoted_content(text, cand):
            best = (last, cand)
    return best[1] if best is not None else None


def _sentence_end(doc: Doc, cand: Candidate, fallback: int) -> int:
    anchor = cand.cue_span[0] if cand.cue_span else fallback - 1
    span = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
    return span.sent.end_char if span is not None and len(span) else fallback


def _quoted_content(text: str, cand: Candidate) -> bool:
    """Only a statement that quotes someone is continued by a following quote."""
    s, e = max(cand.content, key=lambda span: span[1])
    return any(mark in QUOTE_CHARS for mark in text[max(0, s - 2):e + 2])
