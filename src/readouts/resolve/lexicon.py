"""Indexes the resolution data files (titles, sides, gazetteer, anonymous terms, pronouns, channels); produces lookups.

Every table is read once per process through :mod:`readouts.resources` and kept
in small dictionaries keyed the way the resolver looks words up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from readouts.resources import load_table

MAX_PHRASE_WORDS = 5


@dataclass(frozen=True)
class Title:
    title: str
    role: str
    role_class: str
    gender: str
    kind: str


@dataclass(frozen=True)
class KnownActor:
    name: str
    aliases: tuple[str, ...]
    kind: str
    role: str
    affiliation: str
    gender: str


@dataclass(frozen=True)
class ChannelEntry:
    name: str
    kind: str
    aliases: tuple[str, ...]
    codes: tuple[str, ...]
    handles: tuple[str, ...]


def fold(text: str) -> str:
    """Lower case, curly apostrophes straightened, accents dropped: the form words are compared in."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def strip_possessive(word: str) -> str:
    return re.sub(r"['\u2019]s?$", "", word)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


@lru_cache(maxsize=None)
def titles() -> dict[str, Title]:
    """Title words keyed by their folded form (press nouns excluded: they name channels)."""
    rows = load_table("titles.tsv")
    return {
        fold(r["title"]): Title(r["title"], r["role"], r["class"], r["gender"], r["kind"])
        for r in rows
        if r["kind"] != "press"
    }


@lru_cache(maxsize=None)
def press_nouns() -> dict[str, str]:
    """Words that mean 'the press' mapped to the channel name they become."""
    return {fold(r["title"]): r["role"] for r in load_table("titles.tsv") if r["kind"] == "press"}


@lru_cache(maxsize=None)
def role_classes() -> dict[str, str]:
    """Normalised role (folded) -> its class, so an actor's role can be compared with a role noun."""
    return {fold(t.role): t.role_class for t in titles().values()}


@lru_cache(maxsize=None)
def sides() -> dict[str, str]:
    """Side words as written -> canonical side. Looked up case-sensitively (``US`` is not ``us``)."""
    return {r["term"]: r["side"] for r in load_table("demonyms.tsv")}


@lru_cache(maxsize=None)
def _sides_upper() -> dict[str, str]:
    return {term.upper(): side for term, side in sides().items()}


def side_of(phrase: str) -> str | None:
    """The side a phrase names (``Russian``, ``Russia's``, ``U.S.``, ``WHITE HOUSE``), or None."""
    phrase = phrase.replace("\u2019", "'")
    for candidate in (phrase, strip_possessive(phrase)):
        if candidate in sides():
            return sides()[candidate]
        # capitals flashes write every side in capitals; single letters stay ambiguous
        if candidate.isupper() and len(candidate) > 2 and candidate in _sides_upper():
            return _sides_upper()[candidate]
    return None


@lru_cache(maxsize=None)
def known_actors() -> tuple[KnownActor, ...]:
    return tuple(
        KnownActor(
            r["name"], _split(r["aliases"]), r["kind"], r["role"], r["affiliation"], r["gender"]
        )
        for r in load_table("known_actors.tsv")
    )


@lru_cache(maxsize=None)
def known_by_name() -> dict[str, KnownActor]:
    """Gazetteer entries keyed by folded name and alias (``the Kremlin`` and ``Kremlin`` both)."""
    index: dict[str, KnownActor] = {}
    for actor in known_actors():
        for form in (actor.name, *actor.aliases):
            index.setdefault(fold(form), actor)
            index.setdefault(fold(re.sub(r"^the\s+", "", form, flags=re.I)), actor)
    return index


@lru_cache(maxsize=None)
def known_by_surname() -> dict[str, tuple[KnownActor, ...]]:
    index: dict[str, list[KnownActor]] = {}
    for actor in known_actors():
        if actor.kind == "person":
            for form in (actor.name, *actor.aliases):
                index.setdefault(fold(form.split()[-1]), []).append(actor)
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


@lru_cache(maxsize=None)
def anonymous_terms() -> dict[str, tuple[str, str]]:
    """Folded term -> (type, side) for descriptors, qualifiers and markers of unnamed sources."""
    return {fold(r["term"]): (r["type"], r["side"]) for r in load_table("anonymous.tsv")}


@lru_cache(maxsize=None)
def _people_nouns() -> dict[str, str]:
    return {fold(r["term"]): r["type"] for r in load_table("people_nouns.tsv")}


def names_people(word: str) -> bool:
    """Whether a plural noun names people or bodies (``critics``, ``groups``) rather than things (``numbers``)."""
    folded = fold(strip_possessive(word))
    table = _people_nouns()
    if speaker_words().type_of(word) in ("document", "charge"):
        return False  # "Documents released ...": papers, even opening a sentence
    if word[:1].isupper() or folded in titles() or folded in anonymous_terms() or folded in agents():
        return table.get(folded) != "thing"
    if folded in table:
        return table[folded] == "people"
    endings = sorted(((t, k) for t, k in table.items() if k.endswith("_suffix")), key=lambda tk: -len(tk[0]))
    return next((k == "people_suffix" for t, k in endings if folded.endswith(t)), False)


@lru_cache(maxsize=None)
def agents() -> dict[str, str]:
    """Folded role noun of someone speaking for a principal (``spokesman``, ``lawyer``) -> its class."""
    return {fold(r["term"]): r["class"] for r in load_table("agents.tsv")}


def anonymous_markers() -> tuple[str, ...]:
    return tuple(t for t, (kind, _) in anonymous_terms().items() if kind == "marker")


@lru_cache(maxsize=None)
def pronouns() -> dict[str, tuple[str, str]]:
    """Pronoun -> (gender, number)."""
    return {r["pronoun"]: (r["gender"], r["number"]) for r in load_table("pronouns.tsv")}


@lru_cache(maxsize=None)
def channels() -> tuple[ChannelEntry, ...]:
    return tuple(
        ChannelEntry(
            r["name"], r["kind"], _split(r["aliases"]), _split(r["codes"]), _split(r["handles"])
        )
        for r in load_table("channels.tsv")
    )


@dataclass(frozen=True)
class SpeakerWords:
    """``speaker_words.tsv``: words that stand for something else than a speaker of that name."""

    types: dict[str, str]  # folded word -> day|month|first_person|relative|none|document
    tags: tuple[tuple[re.Pattern, str], ...]  # party-state tag pattern, side it implies
    datelines: tuple[re.Pattern, ...]
    authoring: frozenset[str] = frozenset()  # verb lemmas whose subject wrote the document they govern

    def type_of(self, text: str) -> str | None:
        return self.types.get(fold(strip_possessive(text.strip(" ,;:-\u2014\u2013"))))

    def is_date(self, word: str) -> bool:
        return self.type_of(word) in ("day", "month")

    def tag_side(self, text: str) -> str | None:
        """The side a party-state tag implies when ``text`` is only such a tag (``R-S.C.``, ``(D)``)."""
        text = text.strip(" ,;")
        return next((side for pattern, side in self.tags if pattern.fullmatch(text)), None)

    def tags_in(self, text: str) -> str | None:
        """The side implied by a party-state tag written anywhere in ``text``."""
        return next((side for pattern, side in self.tags if pattern.search(text)), None)


@lru_cache(maxsize=None)
def speaker_words() -> SpeakerWords:
    rows = load_table("speaker_words.tsv")
    return SpeakerWords(
        types={
            fold(r["term"]): r["type"] for r in rows
            if not r["type"].endswith("_pattern") and r["type"] != "authoring"
        },
        tags=tuple((re.compile(r["term"]), r["side"]) for r in rows if r["type"] == "tag_pattern"),
        datelines=tuple(re.compile(r["term"]) for r in rows if r["type"] == "dateline_pattern"),
        authoring=frozenset(fold(r["term"]) for r in rows if r["type"] == "authoring"),
    )
