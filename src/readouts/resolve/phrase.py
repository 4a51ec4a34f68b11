"""Reads a speaker mention, its span and the article's parse; produces the words that name the speaker.

The extract stage hands over whole subject phrases: ``Sen. Ted Cruz (R-Texas)``,
``President Trump on Saturday``, ``Kevin Rennie, a former Republican state
lawmaker,``, ``WASHINGTON -- President Barack Obama``, ``who``. The speaker is
named by the phrase's head and the words before it: appositives, relative
clauses, dates, datelines and party-state tags are cut off (the tag is kept as
a hint of side). A relative pronoun stands for the noun its clause hangs on; a
party-state tag alone stands for the name written just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from readouts.resolve.lexicon import anonymous_markers, fold, speaker_words

_NOUNISH = {"PROPN", "NOUN", "PRON", "NUM"}
_SUBJECTS = {"nsubj", "nsubjpass"}
_CUT = re.compile(r",|\(|\s--|\u2014|\u2013|\s(?:who|whom|whose|which|that)\b")
_SUFFIX = re.compile(r"(?:,?\s+(?:Jr\.?|Sr\.?|II|III|IV))+(?=\W|$)")
_NAME_BEFORE = re.compile(r"([A-Z][\w.'\u2019\-]*(?:\s+(?:[A-Z][\w.'\u2019\-]*|de|van|von|der|la|le))*)\s*[,(]?\s*$")
_KEPT_TAILS = ("of ", "in ", "from ", "at ", "with ", "within ")


@dataclass(frozen=True)
class Core:
    """The naming words of a mention: ``text`` spans ``span`` in the article; ``tail`` follows the head."""

    text: str
    span: tuple[int, int] | None
    head: object | None = None  # the spaCy token heading the phrase, when the parse is at hand
    tail: str = ""  # words after the head kept for their meaning (``familiar with the matter``)
    side_hint: str | None = None  # side a party-state tag next to the name implies
    coordinated: bool = False  # "Democrats and Republicans": several speakers named together

    @property
    def plural(self) -> bool:
        return self.head is not None and self.head.tag_ in ("NNS", "NNPS")

    @property
    def common_noun(self) -> bool:
        return self.head is not None and self.head.pos_ == "NOUN" and self.head.text[:1].islower()

    @property
    def with_tail(self) -> str:
        return f"{self.text} {self.tail}".strip()


def speaker_core(text: str, span: tuple[int, int] | None, doc, article_text: str) -> Core | None:
    """The naming words of ``text`` (written at ``span``), or None when they name no one."""
    side_hint = speaker_words().tags_in(text)
    text, span = _whole_first_word(text, span, article_text)
    text, span = _without_dateline(text, span)
    # the parse of capitals (flash lines) is unreliable: LAVROV may come out a verb
    tokens = [] if text.isupper() else _tokens(doc, span)
    if tokens:
        core = _core_from_parse(tokens, article_text)
    else:
        core = _core_from_text(text, span)
    if core is None or not _names_someone(core):
        return None
    return Core(core.text, core.span, core.head, core.tail, side_hint)


def antecedent_core(span: tuple[int, int] | None, doc, article_text: str) -> Core | None:
    """``who`` / ``which`` / ``that``: the noun phrase the relative clause hangs on."""
    tokens = _tokens(doc, span)
    if not tokens:
        return None
    pronoun = tokens[0]
    clause = pronoun.head
    if pronoun.dep_ not in _SUBJECTS or clause.dep_ not in ("relcl", "acl"):
        return None
    noun = clause.head
    start = noun.left_edge.idx
    return speaker_core(article_text[start : _token_end(noun)], (start, _token_end(noun)), doc, article_text)


def name_before_tag(span: tuple[int, int] | None, article_text: str) -> tuple[str, tuple[int, int]] | None:
    """``Lindsey Graham, R-S.C.,``: the capitalised name written right before a party-state tag."""
    if span is None:
        return None
    line_start = article_text.rfind("\n", 0, span[0]) + 1
    match = _NAME_BEFORE.search(article_text, line_start, span[0])
    if not match:
        return None
    return match.group(1), (match.start(1), match.end(1))


def _whole_first_word(text: str, span: tuple[int, int] | None, article_text: str) -> tuple[str, tuple[int, int] | None]:
    """``Rourke`` cut out of ``O’Rourke``: the mention starts where its word starts."""
    if span is None:
        return text, span
    start = span[0]
    while start > 0 and (article_text[start - 1].isalnum() or (
        article_text[start - 1] in "'’" and start > 1 and article_text[start - 2].isalnum()
    )):
        start -= 1
    return (article_text[start : span[1]], (start, span[1])) if start < span[0] else (text, span)


def _without_dateline(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    for pattern in speaker_words().datelines:
        match = pattern.match(text + " ")
        if match:  # a dateline alone leaves nothing, and names no one
            cut = min(match.end(), len(text))
            return text[cut:], (span[0] + cut, span[1]) if span else None
    return text, span


def _tokens(doc, span: tuple[int, int] | None) -> list:
    if doc is None or span is None or not hasattr(doc, "char_span"):
        return []
    found = doc.char_span(span[0], span[1], alignment_mode="expand")
    return list(found) if found is not None else []


def _core_from_parse(tokens: list, article_text: str) -> Core | None:
    head = _phrase_head(tokens)
    if head is None:
        return None
    start = max(head.left_edge.idx, tokens[0].idx)
    while start < head.idx and not article_text[start].isalnum():
        start += 1  # a stray dash or quote before the phrase
    conjuncts = [c for c in head.children if c.dep_ == "conj" and head.i < c.i <= tokens[-1].i]
    last = conjuncts[-1] if conjuncts else head
    if not conjuncts and head.ent_type_ == "ORG":  # "National Organization for Women": the whole name
        doc = head.doc
        while last.i + 1 <= tokens[-1].i and doc[last.i + 1].ent_iob_ == "I" and doc[last.i + 1].ent_type_ == "ORG":
            last = doc[last.i + 1]
    end = _token_end(last)
    if last.pos_ == "PROPN":
        suffix = _SUFFIX.match(article_text, end)
        end = suffix.end() if suffix and suffix.end() <= _token_end(tokens[-1]) else end
    tail = _tail(article_text[end : _token_end(tokens[-1])], head)
    core = Core(article_text[start:end], (start, end), head, tail, coordinated=bool(conjuncts))
    return _without_dates(core, tokens)


def _phrase_head(tokens: list):
    """The token the phrase hangs on: a subject first, else the first noun whose head is outside."""
    first, last = tokens[0].i, tokens[-1].i
    outside = [t for t in tokens if not (first <= t.head.i <= last) or t.head.i == t.i]
    outside = [t for t in outside if t.pos_ != "PUNCT"] or [t for t in tokens if t.pos_ != "PUNCT"]
    if not outside:
        return None
    head = next((t for t in outside if t.dep_ in _SUBJECTS and t.pos_ in _NOUNISH), None)
    head = head or next((t for t in outside if t.pos_ in _NOUNISH), outside[0])
    if head.ent_type_ != "PERSON":
        # "Attorney General and Senate candidate Richard Blumenthal": the person is the conjunct;
        # "Colorado's attorney general, John Suthers,": the person is the appositive
        named = [*head.conjuncts, *(c for c in head.children if c.dep_ == "appos")]
        person = next((c for c in named if c.ent_type_ == "PERSON" and first <= c.i <= last), None)
        head = person or _author(head, first, last) or head
    return head


def _author(head, first: int, last: int):
    """``a parallel comment from Russia's Sergey Lavrov``: the one a comment comes from speaks."""
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("from", "by"):
            continue
        for obj in prep.children:
            if obj.dep_ == "pobj" and first <= obj.i <= last and obj.ent_type_ in ("PERSON", "ORG", "NORP"):
                return obj
    return None


def _without_dates(core: Core, tokens: list) -> Core:
    """``BuzzFeed Thursday``: a day or month glued to the name is not part of it."""
    inside = [t for t in tokens if core.span[0] <= t.idx < core.span[1]]
    while len(inside) > 1 and speaker_words().is_date(inside[-1].text):
        inside.pop()
    while len(inside) > 1 and speaker_words().is_date(inside[0].text):
        inside.pop(0)
    if not inside or (inside[0].idx, _token_end(inside[-1])) == core.span:
        return core
    start, end = inside[0].idx, _token_end(inside[-1])
    head = core.head if core.head in inside else inside[-1]
    text = core.text[start - core.span[0] : end - core.span[0]]
    return replace(core, text=text, span=(start, end), head=head)


def _tail(after: str, head) -> str:
    """The words after the head that still say who speaks (anonymity markers; ``of``-phrases of nouns)."""
    after = after.strip(" ,")
    if any(fold(after).startswith(m) for m in anonymous_markers()):
        return after
    cut = _CUT.search(" " + after)
    after = after[: max(0, cut.start() - 1)].strip() if cut else after
    if head.pos_ == "NOUN" and fold(after).startswith(_KEPT_TAILS):
        return after
    return ""


def _core_from_text(text: str, span: tuple[int, int] | None) -> Core | None:
    """Without a parse: cut at the first appositive, parenthesis or relative pronoun; drop date words."""
    cut = _CUT.search(text)
    kept = text[: cut.start()] if cut else text
    words = kept.split()
    while words and speaker_words().is_date(words[-1]):
        words.pop()
    while words and speaker_words().is_date(words[0]):
        words.pop(0)
    if not words:
        return None
    core = " ".join(words)
    start = text.find(words[0])
    return Core(core, (span[0] + start, span[0] + start + len(core)) if span and start >= 0 else None)


def _names_someone(core: Core) -> bool:
    """A date alone, or an adjective left alone by a cut-short phrase, names no one."""
    words = core.text.split()
    if not words or all(speaker_words().is_date(w) for w in words):
        return False
    head = core.head
    if head is not None and (head.pos_ not in _NOUNISH or head.ent_type_ in ("DATE", "TIME")):
        return False
    return head is None or not speaker_words().is_date(head.text)


def _token_end(token) -> int:
    return token.idx + len(token.text)
