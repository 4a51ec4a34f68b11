"""Reads an article's parse for people named in it (with the titles written around them); fills the Cast.

Pass one registers full names (``Russian Foreign Minister Sergey Lavrov``) with
the role and side written before or after them; pass two records where each
person is mentioned, by full name, surname or capitals (``LAVROV``), so that
pronouns and role nouns can look back for the nearest one.
"""

from __future__ import annotations

import re

from readouts.model import Article
from readouts.resolve.cast import Cast
from readouts.resolve.lexicon import fold, known_by_name, strip_possessive
from readouts.resolve.mentions import MentionParts, parse_mention, readable_name, titles_before

APPOSITIVE = re.compile(r",\s+([^,.;:\n]{3,60})[,.;]")
WINDOW_WORDS = 8
_NAME_LABELS = ("PERSON", "ORG")


def register_full_names(cast: Cast, article: Article, doc) -> None:
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS or article.in_boilerplate(ent.start_char, ent.end_char):
            continue
        tokens = _name_tokens(ent)
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if article.text[start:end].isupper():
            continue  # capitals flashes only ever carry surnames; their ents are unreliable
        parts, run_index, run = _parse_before(article.text, start, end)
        if len(run) < 2:
            continue
        person_titles, sides = titles_before(parts.segments, run_index)
        person_titles = [t for t in person_titles if t.kind == "person"]
        name = readable_name(run)
        if not (ent.label_ == "PERSON" or person_titles or _known_person(name)):
            continue
        key = cast.person(name)
        _note_titles(cast, key, person_titles, sides)
        _note_appositive(cast, key, article.text, end)


def record_mentions(cast: Cast, article: Article, doc) -> None:
    """Where each known person is named in the article (offset of the surname)."""
    for token in doc:
        word = strip_possessive(token.text)
        if not word[:1].isupper() or not cast.known_surname(word):
            continue
        if article.in_boilerplate(token.idx, token.idx + len(token.text)):
            continue
        key = cast.by_surname(word, article.id)
        if key is None:
            continue
        cast.mention(article.id, token.idx, key)
        cast.alias(key, _surface(article.text, token))
        parts, run_index, run = _parse_before(article.text, token.idx, token.idx + len(word))
        if len(run) == 1:  # "President Putin": a title written before a lone surname
            person_titles, sides = titles_before(parts.segments, run_index)
            _note_titles(cast, key, [t for t in person_titles if t.kind == "person"], sides)
    cast.mentions.get(article.id, []).sort()


def _surface(text: str, token) -> str:
    """The surname as written (``Lavrov``, ``LAVROV``); full names are added when registered."""
    return strip_possessive(token.text)


def _name_tokens(ent) -> list:
    """The ent's tokens with leading non-names (``Addressing Trump``) and a possessive cut off."""
    tokens = list(ent)
    while tokens and not _name_like(tokens[0]):
        tokens.pop(0)
    while tokens and (tokens[-1].tag_ == "POS" or not tokens[-1].text[:1].isalnum()):
        tokens.pop()
    return tokens


def _name_like(token) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper() and not _opening_verb(token)


def _opening_verb(token) -> bool:
    """A participle opening a sentence (``Addressing Trump, ...``) that the tagger took for a name."""
    return bool(token.is_sent_start) and (token.tag_ in ("VBG", "VBN", "VBD") or token.lower_.endswith("ing"))


def _parse_before(text: str, start: int, end: int) -> tuple[MentionParts, int, list]:
    """Parse of the few words before [start, end) on the same line plus the name; the trailing name run."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    words = list(re.finditer(r"\S+", before))
    window_start = line_start + (words[-WINDOW_WORDS].start() if len(words) >= WINDOW_WORDS else 0)
    parts = parse_mention(text[window_start:end])
    segments = parts.segments
    if not segments or segments[-1].kind != "name":
        return parts, len(segments), []
    i = len(segments)
    first = start - window_start  # the run may not reach back past the name itself
    while i > 0 and segments[i - 1].kind == "name" and segments[i - 1].start >= first:
        i -= 1
    return parts, i, segments[i:]


def _note_titles(cast: Cast, key: str, person_titles: list, sides: list[str]) -> None:
    ranked = [t for t in person_titles if t.role_class != "honorific"] or person_titles
    title = ranked[-1] if ranked else None
    gender = next((t.gender for t in person_titles if t.gender), None)
    cast.note(
        key,
        title.role if title else None,
        title.role_class if title else None,
        sides[-1] if sides else None,
        gender,
    )


def _note_appositive(cast: Cast, key: str, text: str, end: int) -> None:
    """``Sergey Lavrov, Russia's foreign minister,``: a title set off by commas right after the name."""
    match = APPOSITIVE.match(text, end)  # from ``end`` in place: a slice would copy the rest of the article
    if not match:
        return
    parts = parse_mention(match.group(1))
    if any(s.kind == "name" for s in parts.segments):
        return
    person_titles = [t for t in parts.person_titles if t.role_class != "honorific"]
    if person_titles:
        _note_titles(cast, key, person_titles, parts.sides)


def _known_person(name: str) -> bool:
    known = known_by_name().get(fold(name))
    return bool(known and known.kind == "person")
