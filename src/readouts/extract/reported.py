"""Reads a parsed spaCy Doc and produces reported-speech candidates from cue words in the parse.

Rules, each named in ``Candidate.rule``:
  verb_ccomp      X said (that) ..., ..., officials said / X has said Y / X warned of Y
  verb_xcomp      X plans to ..., X refused to ...
  verb_prep       X called for Y, X warned of Y
  verb_object     X criticized Y (only for cues whose content is their object)
  verb_parataxis  ..., he said, ... where the parse hangs the cue off the content
  noun_clause     X's claim that ..., the decision by X to ...
  according_to    according to X, ... (X is a channel from channels.tsv -> a channel, no speaker)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy
from spacy.attrs import LOWER, POS
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Span as SpacySpan, Token

from readouts.doc_index import doc_text
from readouts.extract.lexicon import Cue, channel_in, cue_for, non_speakers
from readouts.model import ChannelMention

Span = tuple[int, int]

CUE_POS = numpy.array([VERB, AUX, NOUN], dtype=numpy.uint64)
CLAUSE_DEPS = ("ccomp",)
XCOMP_DEPS = ("xcomp",)
OBJECT_DEPS = ("dobj",)
SUBJECT_DEPS = ("nsubj",)
PREPS = ("for", "of", "about", "against", "that")  # not "on": "spoken on the phone" is manner
RELATIVE_PRONOUNS = ("who", "that", "which")
# Fewer words than this are parse debris (`Additionally`, `In summary`), not something said.
MIN_CONTENT_WORDS = {"verb_ccomp": 3, "verb_parataxis": 3, "verb_xcomp": 2, "verb_object": 2, "verb_prep": 2,
                     "according_to": 3, "noun_clause": 2}
LINK_WORDS = frozenset({"because", "and", "but", "or", "so", "that", "while", "as", "if", "although", "though"})
SPEAKER_LEFT_DEPS = ("det", "compound", "amod", "poss", "nummod", "nmod", "quantmod", "case", "advmod")
SPEAKER_CUT_DEPS = ("relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "case")
# Cues whose direct object is what was said (learned high-precision verbs of judgement).
OBJECT_CUE_MIN_PRECISION = 0.3


@dataclass
class Candidate:
    cue_span: Span
    content: list[Span]
    speaker: Span | None
    rule: str
    act: str
    confidence: float
    anchor: int = -1  # token index of the cue head, to merge quotes sharing a cue
    channels: list[ChannelMention] = field(default_factory=list)


def find_reported(doc: Doc) -> list[Candidate]:
    """Every cue in the parse that has content; at most one candidate per cue head."""
    found = []
    for tok in _cue_shaped(doc):
        if tok.lower_ == "according":
            cand = _according_to(tok)
        elif tok.pos_ in ("VERB", "AUX"):
            cand = _verb(tok)
        elif tok.pos_ == "NOUN":
            cand = _noun(tok)
        else:
            cand = None
        if cand is not None:
            cand = _within_line(doc_text(doc), cand)
        if cand is not None and _acceptable(cand):
            found.append(cand)
    return found


def _cue_shaped(doc: Doc) -> list[Token]:
    """The tokens a cue can be (verbs, auxiliaries, nouns, ``according``), picked from the Doc's
    token array: most tokens are none of these, and each token visited costs a Python object."""
    columns = doc.to_array([POS, LOWER])
    wanted = numpy.isin(columns[:, 0], CUE_POS) | (columns[:, 1] == doc.vocab.strings["according"])
    return [doc[int(i)] for i in numpy.flatnonzero(wanted)]


def _within_line(text: str, cand: Candidate) -> Candidate | None:
    """Content and speaker clipped to the cue's line: the parser runs headings and paragraphs
    together when a line lacks a full stop, but a statement never crosses a line break."""
    anchor = cand.cue_span[0]
    start, end = text.rfind("\n", 0, anchor) + 1, text.find("\n", anchor)
    end = len(text) if end < 0 else end
    cand.content = [(max(s, start), min(e, end)) for s, e in cand.content if s < end and e > start]
    cand.content = [s for s in cand.content if _has_content_words(text[s[0]:s[1]])]
    words = sum(len(text[s:e].split()) for s, e in cand.content)
    if words < MIN_CONTENT_WORDS.get(cand.rule, 1):
        return None
    if cand.speaker and not (start <= cand.speaker[0] and cand.speaker[1] <= end):
        cand.speaker = None
    return cand if cand.content else None


def _has_content_words(piece: str) -> bool:
    return any(w.lower() not in LINK_WORDS for w in piece.split() if any(c.isalnum() for c in w))


def _acceptable(cand: Candidate) -> bool:
    """Without a speaker only clause-taking cues are kept (``it appears that ...``), since
    objects and prepositions of subjectless verbs are mostly imperatives and captions."""
    return cand.speaker is not None or cand.rule in ("verb_ccomp", "according_to")


def _verb(verb: Token) -> Candidate | None:
    cue = cue_for(verb.lemma_, "VERB")
    if cue is None:
        return None
    content_root, rule = _verb_content(verb, cue)
    if content_root is None:
        return None
    subject = _subject(verb)
    if subject is not None and _asks(verb, subject):
        return None
    if subject is not None and _inside(subject, content_root):
        subject = None
    if content_root is verb.head:  # parataxis: the content is the head clause minus the cue
        content = _subtree_without(content_root, verb)
    else:
        content = _token_runs(list(content_root.subtree))
    if rule == "verb_prep":
        content = _token_runs([t for t in content_root.subtree if t is not content_root.head])
    return Candidate(
        cue_span=_cue_span(verb),
        content=content,
        speaker=_speaker_span(subject) if subject is not None else None,
        rule=rule,
        act=cue.act,
        confidence=round(min(0.95, 0.5 + cue.precision / 2), 2),
        anchor=verb.i,
    )


def _asks(verb: Token, subject: Token) -> bool:
    """``did the two governments agree ...?``: a question about speech reports none."""
    return any(c.dep_ == "aux" and c.lemma_ == "do" and c.i < subject.i for c in verb.children)


def _verb_content(verb: Token, cue: Cue) -> tuple[Token | None, str]:
    children = list(verb.children)
    for dep, rule in ((CLAUSE_DEPS, "verb_ccomp"), (XCOMP_DEPS, "verb_xcomp")):
        for child in children:
            if child.dep_ in dep:
                return child, rule
    for child in children:
        if child.dep_ == "prep" and child.lower_ in PREPS:
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                return objects[0], "verb_prep"
    if verb.dep_ == "parataxis" or (verb.dep_ == "ccomp" and verb.i > verb.head.i and _comma_between(verb)):
        return verb.head, "verb_parataxis"
    if cue.precision >= OBJECT_CUE_MIN_PRECISION:
        for child in children:
            if child.dep_ in OBJECT_DEPS and child.pos_ not in ("PRON",):
                return child, "verb_object"
    return None, ""


def _comma_between(verb: Token) -> bool:
    """True for `..., he said` where the parser took the content clause as the head."""
    doc = verb.doc
    return any(doc[i].text == "," for i in range(verb.head.i + 1, verb.i))


def _subject(verb: Token) -> Token | None:
    """The cue's speaker: its subject, or the subject of the verb it is chained to."""
    current = verb
    for _ in range(3):
        subjects = sorted((c for c in current.children if c.dep_ in SUBJECT_DEPS), key=lambda c: abs(c.i - current.i))
        for child in subjects[:1]:
                if child.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                    return current.head
                if child.lower_ in non_speakers():
                    return None
                return child
        if current.dep_ in ("conj", "xcomp", "advcl") and current.head is not current:
            current = current.head
        elif current.dep_ == "relcl":  # officials who said -> officials
            return current.head
        else:
            return None
    return None


def _noun(noun: Token) -> Candidate | None:
    cue = cue_for(noun.lemma_, "NOUN")
    if cue is None:
        return None
    content_root = None
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(g.dep_ in ("mark", "aux") for g in child.children):
            content_root = child
            break
    if content_root is None:
        return None
    speaker = None
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her"):
            speaker = _speaker_span(child)
        elif child.dep_ == "prep" and child.lower_ in ("by", "from"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                speaker = _speaker_span(objects[0])
    return Candidate(
        cue_span=(noun.idx, noun.idx + len(noun)),
        content=_token_runs(list(content_root.subtree)),
        speaker=speaker,
        rule="noun_clause",
        act=cue.act,
        confidence=round(min(0.9, 0.4 + cue.precision), 2),
        anchor=noun.i,
    )


def _according_to(according: Token) -> Candidate | None:
    to = next((c for c in according.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return None
    clause = according.head
    while clause.dep_ in ("prep", "pobj", "npadvmod") and clause.head is not clause:
        clause = clause.head
    if clause is according:
        return None
    content = _after_conjunction(according, _subtree_without(clause, according))
    speaker = _speaker_span(source)
    if speaker is None:
        return None
    channels = []
    span_text = doc_text(according.doc)[speaker[0]:speaker[1]]
    name = channel_in(span_text)
    if name:  # according to Interfax news agency: a channel; NBC's correspondent: a speaker at a channel
        channels.append(ChannelMention(span_text, speaker, "according_to"))
        if not _names_a_person(span_text, name):
            speaker = None
    return Candidate(
        cue_span=(according.idx, to.idx + len(to)),
        content=content,
        speaker=speaker,
        rule="according_to",
        act="report",
        confidence=0.85,
        anchor=according.i,
        channels=channels,
    )


def _after_conjunction(according: Token, content: list[Span]) -> list[Span]:
    """``Putin denied it, and according to Lavrov, “...”``: what comes before the conjunction
    is the article's own clause, not Lavrov's."""
    previous = according.nbor(-1) if according.i > 0 else None
    if previous is None or previous.dep_ != "cc":
        return content
    after = [(s, e) for s, e in content if s > according.idx]
    return after or content


def _names_a_person(source: str, channel) -> bool:
    """``NBC’s chief White House correspondent`` is someone at a channel, not the channel."""
    rest = source[channel.end():]
    return rest[:2] in ("’s", "'s") and len(rest.split()) > 1


def _cue_span(verb: Token) -> Span:
    """The cue word with its auxiliaries, negation and particles: `has said`, `called for`."""
    start, end = verb.i, verb.i + 1
    for child in verb.children:
        if child.dep_ in ("aux", "neg", "auxpass") and child.i == start - 1:
            start = child.i
        if child.dep_ in ("prt",) and child.i == end:
            end = child.i + 1
    for child in sorted(verb.children, key=lambda t: t.i):
        if child.dep_ in ("aux", "neg", "auxpass") and child.i == start - 1:
            start = child.i
    doc = verb.doc
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _speaker_span(head: Token) -> Span | None:
    """The speaker's words: the subject's subtree cut before relative clauses and appositions
    (None when the parse made a punctuation mark the subject)."""
    tokens = [head]
    for child in head.children:
        if child.i < head.i and child.dep_ in SPEAKER_LEFT_DEPS:
            tokens.extend(child.subtree)
        elif child.i > head.i and child.dep_ not in SPEAKER_CUT_DEPS:
            tokens.extend(child.subtree if child.dep_ in ("compound", "prep", "amod") else [child])
    tokens = [t for t in tokens if not t.is_punct]
    if not tokens:
        return None
    start = min(t.i for t in tokens)
    end = max(t.i for t in tokens)
    doc = head.doc
    return doc[start].idx, doc[end].idx + len(doc[end])


def _inside(token: Token, root: Token) -> bool:
    return root.left_edge.i <= token.i <= root.right_edge.i


def _subtree_without(root: Token, cut: Token) -> list[Span]:
    """Runs of ``root``'s subtree with ``cut``'s subtree removed."""
    removed = {t.i for t in cut.subtree}
    return _token_runs([t for t in root.subtree if t.i not in removed])


def _token_runs(tokens: list[Token]) -> list[Span]:
    """Contiguous runs of tokens as character spans, without edge punctuation."""
    runs: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    spans = []
    for run in runs:
        while run and (run[0].is_punct or run[0].is_space) and not run[0].is_quote:
            run = run[1:]
        while run and (run[-1].is_punct or run[-1].is_space) and not run[-1].is_quote:
            run = run[:-1]
        if any(t.is_alpha or t.is_digit for t in run):
            spans.append((run[0].idx, run[-1].idx + len(run[-1])))
    return spans


def sentence_of(doc: Doc, char: int) -> SpacySpan | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent if span is not None and len(span) else None
