"""Splits a speaker phrase into sides, titles, anonymous-source words and name words; produces MentionParts.

``U.S. Secretary of State Rex Tillerson`` becomes side ``United States``, title
``Secretary of State``, name ``Rex Tillerson``; ``one administration official``
becomes an anonymous descriptor; ``LAVROV`` becomes the name ``Lavrov``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readouts.resolve.lexicon import (
    MAX_PHRASE_WORDS,
    Title,
    anonymous_terms,
    fold,
    side_of,
    strip_possessive,
    titles,
)
from readouts.resolve.names import PARTICLES

# a word keeps inner dots, apostrophes, hyphens and ampersands (U.S., Russia's, al-Assad)
_WORD = re.compile(r"[\w][\w.'\u2019\-&]*|[^\w\s]")
_FILLERS = {"of", "and", "&", "for", "but", "or", "yet", "so"}  # never a name, even capitalised
_INNER_CAPITAL = re.compile(r"[a-z]{1,3}[A-Z][a-z]")
MAX_COMPOUND = 2  # words a compound title may add before a known title ("Economy", "Deputy Trade")


@dataclass
class Segment:
    kind: str  # det, side, title, anon, name, filler, punct, word
    text: str
    start: int
    end: int
    side: str | None = None
    title: Title | None = None
    anon: tuple[str, str] | None = None  # (type, side) from anonymous.tsv


@dataclass
class MentionParts:
    text: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def core(self) -> list[Segment]:
        """Segments before any anonymity marker (``familiar with ...``), determiners dropped."""
        out = []
        for seg in self.segments:
            if seg.anon and seg.anon[0] == "marker":
                break
            if seg.kind != "det":
                out.append(seg)
        return out

    @property
    def name(self) -> str | None:
        """The last run of name words, in readable case (``LAVROV`` -> ``Lavrov``)."""
        run = self.name_words
        return readable_name(run) if run else None

    @property
    def name_words(self) -> list[Segment]:
        """The last name run, unless it is an owner (``Colorado's attorney general``)."""
        runs = name_runs(self.segments)
        if not runs:
            return []
        run = runs[-1]
        after = self.segments[self.segments.index(run[-1]) + 1 :]
        owner = bool(after) and strip_possessive(run[-1].text) != run[-1].text
        # "a BuzzFeed spokesman": a name followed only by role words is the employer, not the person
        employer = bool(after) and any(s.kind == "title" and s.title and s.title.kind == "person" for s in after)
        return [] if owner or employer else run

    @property
    def sides(self) -> list[str]:
        return [s.side for s in self.segments if s.side]

    @property
    def person_titles(self) -> list[Title]:
        return [s.title for s in self.segments if s.kind == "title" and s.title and s.title.kind == "person"]

    @property
    def head(self) -> Segment | None:
        core = [s for s in self.core if s.kind not in ("punct", "filler")]
        return core[-1] if core else None

    @property
    def marker(self) -> Segment | None:
        return next((s for s in self.segments if s.anon and s.anon[0] == "marker"), None)

    @property
    def is_anonymous(self) -> bool:
        head = self.head
        if self.marker is not None:
            return True
        return bool(head and head.anon and head.anon[0] == "descriptor" and head.kind != "name")

    @property
    def is_group(self) -> bool:
        """``the two``, ``both sides``: several people spoken of together."""
        return any(s.anon and s.anon[0] == "group" for s in self.segments)

    @property
    def determiner(self) -> str | None:
        first = self.segments[0] if self.segments else None
        return fold(first.text) if first and first.kind == "det" else None


def parse_mention(text: str) -> MentionParts:
    """Segments of a speaker phrase, longest dictionary match first at each word."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    segments: list[Segment] = []
    i = 0
    while i < len(words):
        seg, used = _match_at(text, words, i, first=not segments)
        segments.append(seg)
        i += used
    _name_particles(segments)
    segments = _compound_titles(text, segments)
    _names_absorb_trailing_titles(segments)
    return MentionParts(text, segments)


def _match_at(text: str, words: list, i: int, first: bool) -> tuple[Segment, int]:
    for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
        start, end = words[i][1], words[i + n - 1][2]
        phrase = text[start:end]
        seg = _dictionary_segment(phrase, start, end, first)
        if seg is not None:
            return seg, n
    word, start, end = words[i]
    return Segment(_plain_kind(word), word, start, end), 1


def _dictionary_segment(phrase: str, start: int, end: int, first: bool) -> Segment | None:
    folded = fold(phrase)
    anon = anonymous_terms().get(folded)
    if anon and anon[0] in ("determiner", "group"):
        return Segment("det", phrase, start, end, anon=anon) if first or anon[0] == "group" else None
    side = side_of(phrase)
    title = titles().get(folded) or titles().get(fold(strip_possessive(phrase)))
    if side is None and title is None and anon is None:
        return None
    kind = "side" if side else "title" if title else "anon"
    if anon and anon[1] and not side:
        side = anon[1]
    return Segment(kind, phrase, start, end, side=side, title=title, anon=anon)


def _plain_kind(word: str) -> str:
    if not word[0].isalnum():
        return "punct"
    if word.lower() in _FILLERS:
        return "filler"
    if word[0].isupper() or _INNER_CAPITAL.match(word):  # "diGenova", "deBlasio"
        return "name"
    return "word"


def _name_particles(segments: list[Segment]) -> None:
    """``Kevin de León``, ``Ludwig van Beethoven``: a particle between or before names is a name word."""
    def particle(seg: Segment) -> bool:
        return seg.kind == "word" and seg.text in PARTICLES

    for i in range(1, len(segments)):
        if not particle(segments[i]) or segments[i - 1].kind not in ("name", "title"):
            continue
        j = i
        while j < len(segments) and particle(segments[j]):
            j += 1
        if j < len(segments) and segments[j].kind == "name":
            for seg in segments[i:j]:
                seg.kind = "name"


def _compound_titles(text: str, segments: list[Segment]) -> list[Segment]:
    """``Trade Minister Claire Dubois``: capitalised words before a title followed by a name join the title."""
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        follows_name = i + 1 < len(segments) and segments[i + 1].kind == "name"
        run = _trailing_names(out)
        is_rank = seg.kind == "title" and seg.title and seg.title.kind == "person"
        if is_rank and follows_name and 0 < len(run) <= MAX_COMPOUND:
            if seg.title.role_class != "honorific":
                del out[-len(run):]
                start = run[0].start
                words = text[start:seg.end]
                role = " ".join([*(r.text for r in run), seg.title.role])
                title = Title(words, role, seg.title.role_class, seg.title.gender, seg.title.kind)
                seg = Segment("title", words, start, seg.end, title=title)
        out.append(seg)
    return out


def _trailing_names(segments: list[Segment]) -> list[Segment]:
    run: list[Segment] = []
    for seg in reversed(segments):
        if seg.kind != "name":
            break
        run.insert(0, seg)
    return run


def _names_absorb_trailing_titles(segments: list[Segment]) -> None:
    """A capitalised title right after a name is part of the name (Martin Luther King)."""
    for prev, seg in zip(segments, segments[1:]):
        if prev.kind == "name" and seg.kind == "title" and seg.text[:1].isupper() and " " not in seg.text:
            if seg.title and seg.title.role_class not in ("honorific",):
                seg.kind = "name"


def name_runs(segments: list[Segment]) -> list[list[Segment]]:
    runs: list[list[Segment]] = []
    current: list[Segment] = []
    for seg in segments:
        if seg.kind == "name":
            current.append(seg)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def readable_name(run: list[Segment]) -> str:
    words = [strip_possessive(s.text) for s in run]
    text = " ".join(w for w in words if w)
    # capitals flashes shout names; short capitals (NBC, NATO) are acronyms and stay
    return text.title() if text.isupper() and len(text) > 4 else text


def titles_before(segments: list[Segment], index: int) -> tuple[list[Title], list[str]]:
    """Titles and sides written right before segment ``index`` (``Russian Foreign Minister`` ...)."""
    found_titles: list[Title] = []
    found_sides: list[str] = []
    j = index - 1
    while j >= 0 and segments[j].kind in ("side", "title", "filler", "det"):
        seg = segments[j]
        if seg.title and seg.kind == "title":
            found_titles.insert(0, seg.title)
        if seg.side:
            found_sides.insert(0, seg.side)
        j -= 1
    return found_titles, found_sides
