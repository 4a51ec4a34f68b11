"""Reads an Article (and optionally its full spaCy parse) and produces Attributions from the trained tagger.

The tagger (``readouts.extract.encoder``: a fine-tuned MiniLM encoder, built by
``train/train.py``) marks CONTENT, SOURCE and CUE spans on the raw article text,
before any sentence splitting, so a content span may run across what a parser would call a sentence
start. Linking is rule based: each content goes to the nearest cue in its own or
an adjacent sentence, fragments of one quote split by the cue are joined, and the
source is the tagged SOURCE next to the cue or, failing that, the cue verb's
subject in the parse. With the parse, a tagged cue left without content gets the
clause it governs, and the speech act comes from the shared cue lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from readouts.doc_index import doc_text
from readouts.span_index import SpanIndex
from readouts.extract.encoder import TaggedText, load_tagger, model_path
from readouts.model import Article, Attribution, Kind, Span

if TYPE_CHECKING:  # spaCy is imported only when the tagger is loaded
    from spacy.tokens import Doc

RULE = "learned"
# A cue further than this from its content (in characters of gap) is not its cue.
MAX_CUE_GAP = 250
# A tagged source further than this from its cue belongs to another statement.
MAX_SOURCE_GAP = 150
# Two content fragments around one cue are one statement when the gap is short.
MAX_FRAGMENT_GAP = 150
# Only quoted fragments are joined (measured on polnear dev: joining prose fragments lost more than it won).
JOIN_ONLY_QUOTES = True
OPEN_QUOTES, CLOSE_QUOTES, TOGGLE_QUOTES = "\u201c\u00ab\u201e", "\u201d\u00bb", '"'
SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependencies through which a cue verb borrows the subject of its head, and how far up.
CLIMB_DEPS = ("xcomp", "conj", "advcl", "aux", "pcomp", "prep")
SUBJECT_CLIMB = 4
# Measured on polnear dev: the tagged SOURCE beats the parse subject when both exist.
PREFER_PARSE_SOURCE = False
# The shared cue lexicon gives each cue's speech act.
CUE_LEXICON = "cues.tsv"
# What an untagged cue may govern, tried in this order (clauses before objects).
GOVERNED_DEPS = (("ccomp",), ("xcomp",), ("dobj",))
# A content without a tagged cue takes the verb it hangs from through these dependencies.
GOVERNING_DEPS = ("dobj", "ccomp", "xcomp")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n\s*")
WORD = re.compile(r"\w")
ARTICLES = ("the", "a", "an")
LEADING_CONJUNCTION = re.compile(r"(?:But|And|Yet|So|Or)\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]*\s+(?=[\"\u201c\u2018(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class _Tagged:
    start: int
    end: int
    text: str


def tag_texts(texts: Iterable[str], batch_size: int = 16) -> Iterator[TaggedText]:
    """Tagged texts for many texts at once."""
    return load_tagger().pipe(texts, batch_size=batch_size)


def learned_attributions(
    article: Article, doc: Doc | None = None, *, tagged: TaggedText | None = None
) -> list[Attribution]:
    """Attributions the tagger finds in ``article.text``.

    ``doc`` is the full English parse of the same text (gives sentences and cue
    subjects); ``tagged`` is the tagger's output when the caller ran it in batch.
    """
    text = article.text
    if tagged is None:
        tagged = load_tagger()(text)
    by_label: dict[str, list[_Tagged]] = {"CONTENT": [], "CUE": [], "SOURCE": []}
    for ent in tagged.ents:
        pieces = _paragraph_pieces(text, ent.start_char, ent.end_char)
        if ent.label_ == "CONTENT":  # a cue may be a bare colon or dash, a content needs words
            pieces = [p for p in pieces if WORD.search(p.text)]
        if ent.label_ == "SOURCE":  # `But Republican Sen. Lindsey Graham`: the conjunction joins, it does not name
            pieces = [_without_leading_conjunction(p) for p in pieces]
        by_label.setdefault(ent.label_, []).extend(pieces)
    sentence_of = _sentence_index(text, doc)
    groups = _group_contents(text, by_label["CONTENT"], by_label["CUE"], sentence_of)
    if doc is not None:
        groups += _contents_from_parse(groups, by_label["CUE"], doc)
        groups.sort(key=lambda g: g[1][0].start)
    out = []
    sources = SpanIndex(by_label["SOURCE"])
    for cue, fragments in groups:
        spans = tuple((f.start, f.end) for f in fragments)
        if article.in_boilerplate(spans[0][0], spans[-1][1]):
            continue
        if cue is None and doc is not None:
            cue = _governing_cue(fragments[0], doc)
        source = _source_for(cue, spans, sources, doc, sentence_of) if cue else None
        if source is not None and source.text.strip().lower() in ARTICLES:
            continue  # `the [previously discussed] [ceasefire agreement]`: a noun phrase read as a statement
        out.append(
            Attribution(
                article=article.id,
                speaker_text=source.text if source else None,
                speaker_span=(source.start, source.end) if source else None,
                cue=cue.text if cue else "",
                cue_span=(cue.start, cue.end) if cue else None,
                content_spans=spans,
                kind=quote_kind(text, spans),
                act=_act(cue, doc),
                rule=RULE,
                confidence=_confidence(cue, source),
            )
        )
    return out


def _governing_cue(content: _Tagged, doc) -> _Tagged | None:
    """For a content left without a tagged cue, the verb it is the object or clause of (`had declared
    [bankruptcy]`, `brag about [his lead]`), when that verb comes before it."""
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        preposition, verb = root.head, root.head.head
        if verb.pos_ == "VERB" and verb.i < preposition.i < span.start + 1:
            return _tokens_span(doc, doc[verb.i : preposition.i + 1])
    if root.dep_ in GOVERNING_DEPS and root.head.pos_ == "VERB" and root.head.i < span.start:
        return _tokens_span(doc, [root.head])
    return None


def _without_leading_conjunction(piece: _Tagged) -> _Tagged:
    match = LEADING_CONJUNCTION.match(piece.text)
    if match is None or match.end() == len(piece.text):
        return piece
    return _Tagged(piece.start + match.end(), piece.end, piece.text[match.end():])


def _paragraph_pieces(text: str, start: int, end: int) -> list[_Tagged]:
    """A tagged span cut at blank lines: no gold span crosses a paragraph, the tagger sometimes does."""
    pieces, cursor = [], start
    for match in PARAGRAPH_BREAK.finditer(text, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    return [_Tagged(a, b, text[a:b]) for a, b in pieces if text[a:b].strip()]


def _confidence(cue: _Tagged | None, source: _Tagged | None) -> float:
    """The greedy tagger gives no span scores; a content with its cue and source is likelier right."""
    return 0.8 if cue and source else 0.6 if cue else 0.4


def _sentence_index(text: str, doc: Doc | None) -> Callable[[int], int]:
    """A function from a character offset to a sentence number (parse sentences when given)."""
    import bisect

    if doc is not None and doc.has_annotation("SENT_START"):
        starts = [s.start_char for s in doc.sents]
    else:
        starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
    return lambda offset: bisect.bisect_right(starts, offset) - 1


def _gap(a: _Tagged | Span, b: _Tagged | Span) -> int:
    a_start, a_end = (a.start, a.end) if isinstance(a, _Tagged) else a
    b_start, b_end = (b.start, b.end) if isinstance(b, _Tagged) else b
    return max(0, max(a_start, b_start) - min(a_end, b_end))


def _nearest_cue(content: _Tagged, cues: SpanIndex[_Tagged], sentence_of) -> _Tagged | None:
    """Nearest cue in the content's first/last sentence or the ones next to them."""
    first, last = sentence_of(content.start), sentence_of(max(content.start, content.end - 1))
    near = [
        c
        for c in cues.near(content.start, content.end, MAX_CUE_GAP)
        if first - 1 <= sentence_of(c.start) <= last + 1 and _gap(c, content) <= MAX_CUE_GAP
    ]
    return min(near, key=lambda c: (_gap(c, content), c.start < content.start), default=None)


def _group_contents(text, contents, cues, sentence_of) -> list[tuple[_Tagged | None, list[_Tagged]]]:
    """(cue, fragments) per statement: two quoted fragments on both sides of their cue are joined
    (`"We will not pay," the governor said, "and ..."`); unquoted ones are two statements as often as one."""
    groups: list[tuple[_Tagged | None, list[_Tagged]]] = []
    # A headline's cue speaks only for the headline (`Putin Reveals What ...` does not take the lead's question).
    headline_end = text.find("\n")
    body_cues = SpanIndex([c for c in cues if c.start >= headline_end] if headline_end >= 0 else cues)
    all_cues = SpanIndex(cues)
    for content in contents:
        cue = _nearest_cue(content, body_cues if content.start >= headline_end >= 0 else all_cues, sentence_of)
        if groups and cue is not None and groups[-1][0] == cue:
            previous = groups[-1][1][-1]
            straddles = previous.end <= cue.start and cue.end <= content.start
            quoted = JOIN_ONLY_QUOTES is False or all(
                quote_kind(text, ((f.start, f.end),)) == "direct" for f in (previous, content))
            if straddles and quoted and content.start - previous.end <= MAX_FRAGMENT_GAP:
                groups[-1][1].append(content)
                continue
        groups.append((cue, [content]))
    return groups


def _contents_from_parse(groups, cues, doc) -> list[tuple[_Tagged, list[_Tagged]]]:
    """For tagged cues the tagger gave no content, the clause or object the cue governs."""
    linked = {cue for cue, _ in groups if cue is not None}
    taken = [(f.start, f.end) for _, fragments in groups for f in fragments]
    out = []
    for cue in cues:
        if cue in linked:
            continue
        clause = _governed_clause(cue, doc)
        if clause and all(_gap(clause, span) > 0 for span in taken):
            out.append((cue, [clause]))
            taken.append((clause.start, clause.end))
    return out


@lru_cache(maxsize=1)
def _lexicon() -> dict[tuple[str, str], str]:
    """(lemma, coarse tag) -> speech act, from the shared cue lexicon."""
    from readouts.resources import load_table

    try:
        rows = load_table(CUE_LEXICON)
    except FileNotFoundError:  # the lexicon ships with the rule extractor; without it every act is "assert"
        return {}
    return {(r["cue"], r["pos"]): r["act"] or "assert" for r in rows}


def _act(cue: _Tagged | None, doc: Doc | None) -> str:
    """The speech act of the cue's head word in the lexicon; `assert` when unknown."""
    if cue is None or doc is None:
        return "assert"
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return "assert"
    return _lexicon().get((span.root.lemma_.lower(), span.root.pos_), "assert")


def _governed_clause(cue: _Tagged, doc) -> _Tagged | None:
    """What the cue word governs after it: a clause (ccomp, xcomp), else its object."""
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return None
    according = next((t for t in span if t.lower_ == "according"), None)
    if according is not None:
        return _clause_around(according, doc)
    for deps in GOVERNED_DEPS:
        for token in span:
            child = next((c for c in token.children if c.dep_ in deps and c.i >= span.end), None)
            if child is not None:
                return _tokens_span(doc, [t for t in child.subtree if not t.is_punct or t.i < child.right_edge.i])
    return None


def _clause_around(according, doc) -> _Tagged | None:
    """The clause an `according to X` phrase is attached to, without the phrase itself."""
    phrase = {t.i for t in according.subtree}
    rest = [t for t in according.head.subtree if t.i not in phrase and not t.is_punct]
    before = [t for t in rest if t.i < min(phrase)]
    after = [t for t in rest if t.i > max(phrase)]
    side = before if len(before) >= len(after) else after
    return _tokens_span(doc, side) if side else None


def _tokens_span(doc, tokens) -> _Tagged | None:
    if not tokens:
        return None
    first, last = tokens[0], tokens[-1]
    end = last.idx + len(last)
    return _Tagged(first.idx, end, doc_text(doc)[first.idx : end])


def _source_for(cue: _Tagged, spans, sources, doc, sentence_of) -> _Tagged | None:
    """The tagged SOURCE next to the cue and outside the content, else the parse subject."""
    outside = [
        s
        for s in sources.near(cue.start, cue.end, MAX_SOURCE_GAP)
        if all(s.end <= sp[0] or s.start >= sp[1] for sp in spans)
        and sentence_of(s.start) == sentence_of(cue.start)
        and _gap(s, cue) <= MAX_SOURCE_GAP
    ]
    tagged = min(outside, key=lambda s: _gap(s, cue), default=None)
    if tagged is not None and not PREFER_PARSE_SOURCE:
        return tagged
    parsed = _parse_subject(cue, doc) if doc is not None else None
    return parsed or tagged


def _parse_subject(cue: _Tagged, doc) -> _Tagged | None:
    """The subject of the cue verb (or the object of `according to`) in the parse.

    Participles and infinitives (`..., saying`, `wants to announce`) borrow the
    subject of the verb they hang from, so we climb a few heads to find one.
    """
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return None
    according = next((t for t in span if t.lower_ == "according"), None)
    if according is not None:
        to = next((c for c in according.children if c.lower_ == "to"), None)
        target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        return _tokens_span(doc, list(target.subtree)) if target is not None else None
    for token in span:
        for _ in range(SUBJECT_CLIMB):
            target = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
            if target is not None:
                return _tokens_span(doc, list(target.subtree))
            if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
                # `a statement announcing ...`: the noun itself speaks
                return _tokens_span(doc, doc[token.head.left_edge.i : token.head.i + 1])
            if token.dep_ not in CLIMB_DEPS or token.head is token:
                break
            token = token.head
    return None


def quote_kind(text: str, spans: tuple[Span, ...]) -> Kind:
    """direct when every word of the content is inside quotation marks, mixed when some are."""
    inside_flags = []
    for start, end in spans:
        inside = _inside_quotes_at(text, start)
        for i in range(start, end):
            ch = text[i]
            if ch == "\n" or ch in CLOSE_QUOTES:
                inside = False
            elif ch in OPEN_QUOTES:
                inside = True
            elif ch in TOGGLE_QUOTES:
                inside = not inside
            elif ch.isalnum():
                inside_flags.append(inside)
    if inside_flags and all(inside_flags):
        return "direct"
    return "mixed" if any(inside_flags) else "indirect"


def _inside_quotes_at(text: str, offset: int) -> bool:
    """Whether ``offset`` sits inside a quotation opened earlier on the same line."""
    line_start = text.rfind("\n", 0, offset) + 1
    inside = False
    for ch in text[line_start:offset]:
        if ch in CLOSE_QUOTES:
            inside = False
        elif ch in OPEN_QUOTES:
            inside = True
        elif ch in TOGGLE_QUOTES:
            inside = not inside
    return inside
