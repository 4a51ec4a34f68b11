"""Keeps the story's cast: every person, body and unnamed source met in the articles; produces Actors.

Entries are keyed by canonical name (or descriptor and side for unnamed
sources). Roles and sides written in the text win; the gazetteer
(``known_actors.tsv``) only fills what the text leaves blank.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from readouts.model import Actor
from readouts.resolve.lexicon import KnownActor, fold, known_by_name, known_by_surname
from readouts.resolve.names import person_name, plain_name, same_person

_HONORIFIC = "honorific"


@dataclass
class Entry:
    key: str
    name: str
    kind: str = "person"
    role: str | None = None
    role_class: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    descriptor: str | None = None
    plural: bool = False
    aliases: list[str] = field(default_factory=list)
    known: KnownActor | None = None
    principal: str | None = None  # key of whom a spokesperson, lawyer, aide, office or campaign speaks for
    agent_class: str | None = None  # agents.tsv class of such a speaker ("voice", "counsel")

    @property
    def effective_role(self) -> str | None:
        return self.role or (self.known.role if self.known and self.known.role else None)

    @property
    def effective_side(self) -> str | None:
        return self.affiliation or (self.known.affiliation if self.known and self.known.affiliation else None)

    @property
    def effective_gender(self) -> str | None:
        return self.gender or (self.known.gender if self.known and self.known.gender else None)


class Cast:
    """The actors of one story, with where each person is mentioned in each article."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self._surnames: dict[str, list[str]] = {}
        self.mentions: dict[str, list[tuple[int, str]]] = {}

    # -- registering ---------------------------------------------------------------
    def person(self, full_name: str) -> str:
        """Key of the person with this name, registered on first sight (gazetteer spelling wins).

        A name already in the story written another way (middle initial, suffix,
        familiar given name, a title word glued in front) gets the existing key.
        """
        known = _known_person(full_name)
        name = known.name if known else full_name
        key = self._same_person(name)
        if key is None:
            key = "person:" + fold(name)
            if key not in self.entries:
                self.entries[key] = Entry(key, name, known=known)
                self._surnames.setdefault(person_name(name).surname, []).append(key)
        self.alias(key, full_name)
        return key

    def _same_person(self, name: str) -> str | None:
        """The registered person this name is another writing of, if any."""
        written = person_name(name)
        for key in self._surnames.get(written.surname, []):
            entry = self.entries[key]
            registered = person_name(entry.name)
            if same_person(written, registered):
                self._prefer_shorter_name(entry, name, written.words, registered.words)
                return key
        return None

    @staticmethod
    def _prefer_shorter_name(entry: Entry, name: str, new: tuple, old: tuple) -> None:
        """``Counsel Robert Bauer`` registered first becomes ``Robert Bauer`` once that is seen."""
        if entry.known is None and len(new) >= 2 and len(new) < len(old) and old[-len(new):] == new:
            entry.name = name

    def organization(self, name: str, side: str | None = None) -> str:
        known = known_by_name().get(fold(name))
        if known and known.kind == "organization":
            name, side = known.name, side or known.affiliation or None
        key = "org:" + fold(name)
        if key not in self.entries:
            self.entries[key] = Entry(key, name, kind="organization", affiliation=side)
        return key

    def anonymous(self, descriptor: str, side: str | None, plural: bool) -> str:
        key = f"anon:{fold(descriptor)}:{side or ''}"
        if key not in self.entries:
            self.entries[key] = Entry(
                key, descriptor, kind="anonymous", affiliation=side, descriptor=descriptor, plural=plural
            )
        return key

    def group(self, name: str, side: str | None) -> str:
        key = f"group:{fold(name)}"
        if key not in self.entries:
            self.entries[key] = Entry(key, name, kind="group", affiliation=side, plural=True)
        return key

    def document(self, name: str) -> str:
        """A written source no one in the text is said to have written (``the report``, ``a poll``)."""
        key = f"document:{fold(name)}"
        if key not in self.entries:
            self.entries[key] = Entry(key, name, kind="document", descriptor="document")
        return key

    def unknown(self, name: str, kind: str = "unknown") -> str:
        key = f"{kind}:{fold(name)}"
        if key not in self.entries:
            self.entries[key] = Entry(key, name, kind=kind)
        return key

    def alias(self, key: str, surface: str) -> None:
        entry = self.entries[key]
        surface = " ".join(surface.split())
        if surface and surface not in entry.aliases:
            entry.aliases.append(surface)

    def note(
        self, key: str, role: str | None, role_class: str | None, side: str | None, gender: str | None = None
    ) -> None:
        """Role, side and gender the text gives; the first one written stays (honorifics are not roles)."""
        entry = self.entries[key]
        if role and role_class != _HONORIFIC and entry.role is None:
            entry.role, entry.role_class = role, role_class
        if side and entry.affiliation is None:
            entry.affiliation = side
        if gender and entry.gender is None:
            entry.gender = gender

    def mention(self, article_id: str, offset: int, key: str) -> None:
        self.mentions.setdefault(article_id, []).append((offset, key))

    # -- looking up ------------------------------------------------------------------
    def by_surname(self, word: str, article_id: str | None = None) -> str | None:
        """The person a lone surname (or a capitals one) stands for; the article's own people first."""
        keys = self._surnames.get(person_name(word).surname, [])
        if len(keys) > 1 and article_id:
            mentioned = [k for _, k in self.mentions.get(article_id, []) if k in keys]
            keys = mentioned or keys
        if keys:
            return keys[0]
        known = known_by_surname().get(fold(word), ())
        return self.person(known[0].name) if len(known) == 1 else None

    def lookup_name(self, name: str, article_id: str | None = None) -> str:
        """Key for a written name: full names are registered, single words go through surnames."""
        if len(person_name(name).words) == 1:  # "Lavrov", "Mr. de León"
            key = self.by_surname(name, article_id)
            if key:
                self.alias(key, name)
                return key
        key = self.person(name)
        return key

    def known_surname(self, word: str) -> bool:
        return person_name(word).surname in self._surnames

    # -- output -----------------------------------------------------------------------
    def actors(self, used: set[str]) -> tuple[list[Actor], dict[str, str]]:
        """Actors for the used keys, with readable unique ids, and the key -> id map."""
        ids: dict[str, str] = {}
        taken: set[str] = set()
        for key, entry in self.entries.items():
            if key in used:
                ids[key] = _unique(slug(entry.name), entry, taken)
        actors = [
            _actor(ids[key], entry, ids.get(self._principal_in(key, ids)))
            for key, entry in self.entries.items() if key in ids
        ]
        return actors, ids

    def _principal_in(self, key: str, ids: dict[str, str]) -> str | None:
        """The nearest principal up the chain (aide -> campaign -> candidate) that is itself an actor.

        A principal who never speaks gets no actor of its own, so the link is left out then.
        """
        seen = {key}
        principal = self.entries[key].principal
        while principal is not None and principal not in seen and principal in self.entries:
            if principal in ids:
                return principal
            seen.add(principal)
            principal = self.entries[principal].principal
        return None


def _known_person(full_name: str) -> KnownActor | None:
    """The gazetteer person a name is, as written or without initials and suffixes."""
    for form in (full_name, plain_name(full_name)):
        known = known_by_name().get(fold(form))
        if known and known.kind == "person":
            return known
    return None


def _actor(actor_id: str, entry: Entry, principal: str | None = None) -> Actor:
    return Actor(
        id=actor_id,
        name=entry.name,
        kind=entry.kind,  # type: ignore[arg-type]
        role=entry.effective_role,
        affiliation=entry.effective_side,
        aliases=tuple(entry.aliases),
        descriptor=entry.descriptor,
        principal=principal,
    )


def _unique(base: str, entry: Entry, taken: set[str]) -> str:
    candidate = base or "actor"
    if candidate in taken and entry.effective_side:
        candidate = f"{candidate}-{slug(entry.effective_side)}"
    n = 2
    stem = candidate
    while candidate in taken:
        candidate, n = f"{stem}-{n}", n + 1
    taken.add(candidate)
    return candidate


def slug(text: str) -> str:
    """``Sergey Lavrov`` -> ``sergey-lavrov``; ``U.S. official`` -> ``us-official``."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['\u2019.]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
