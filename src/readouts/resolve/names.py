"""Reads written person names; produces comparable name forms and says when two forms are one person.

``Robert S. Mueller III`` and ``Robert Mueller``, ``Joseph R. Biden Jr.`` and
``Joe Biden``, ``Vincente Fox`` and ``Vicente Fox``, ``Counsel Robert Bauer``
and ``Robert Bauer`` are one person each: middle initials and generational
suffixes are dropped, familiar given names (``nicknames.tsv``) and one-letter
misspellings of a given name are accepted, and a longer form may carry words
before the given name. The surname must always be the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from readouts.resolve.lexicon import fold, strip_possessive
from readouts.resources import load_table

GENERATIONAL = {"jr", "sr", "ii", "iii", "iv"}
PARTICLES = {"de", "del", "della", "di", "da", "van", "von", "der", "den", "la", "le", "du", "dos", "bin", "al", "el"}
MIN_FUZZY_GIVEN = 5  # shorter given names must match exactly (Dan / Don are two people)


@dataclass(frozen=True)
class PersonName:
    words: tuple[str, ...]  # folded words, initials and suffixes dropped; the surname last

    @property
    def surname(self) -> str:
        return self.words[-1] if self.words else ""

    @property
    def given(self) -> str | None:
        return self.words[0] if len(self.words) > 1 else None

    @property
    def forenames(self) -> tuple[str, ...]:
        return self.words[:-1]


def person_name(text: str) -> PersonName:
    """The comparable form of a written name (``Robert S. Mueller III`` -> robert mueller)."""
    words = []
    for word in text.replace(",", " ").split():
        bare = fold(strip_possessive(word)).strip(".")
        if not bare or bare in GENERATIONAL or _is_initial(word) or (word.islower() and bare in PARTICLES):
            continue  # "Kevin de León" is compared as kevin leon; "de León" is his surname alone
        words.append(bare)
    return PersonName(tuple(words))


def plain_name(text: str) -> str:
    """The name as written, without middle initials and suffixes (``Joseph R. Biden Jr.`` -> ``Joseph Biden``)."""
    kept = [w for w in text.replace(",", " ").split()
            if not _is_initial(w) and fold(w).strip(".") not in GENERATIONAL]
    return " ".join(kept)


def same_person(a: PersonName, b: PersonName) -> bool:
    """One person written two ways: same surname and compatible given names."""
    if not a.words or not b.words or a.surname != b.surname:
        return False
    if a.given is None or b.given is None:
        return False  # a lone surname is matched through the story's surnames, not here
    return _given_in(a.given, b.forenames) or _given_in(b.given, a.forenames)


def _given_in(given: str, forenames: tuple[str, ...]) -> bool:
    return any(compatible_given(given, other) for other in forenames)


def compatible_given(a: str, b: str) -> bool:
    if a == b:
        return True
    full = nicknames()
    if b in full.get(a, ()) or a in full.get(b, ()):
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return True  # Tim / Timothy, Chris / Christopher is in the table
    return min(len(a), len(b)) >= MIN_FUZZY_GIVEN and _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """True when one insertion, deletion or substitution turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?", word))


@lru_cache(maxsize=None)
def nicknames() -> dict[str, tuple[str, ...]]:
    """Folded familiar given name -> the folded full names it stands for."""
    index: dict[str, list[str]] = {}
    for row in load_table("nicknames.tsv"):
        index.setdefault(fold(row["short"]), []).append(fold(row["full"]))
    return {k: tuple(v) for k, v in index.items()}
