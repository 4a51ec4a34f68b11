"""Finds statements about statements ("Lavrov's comment is not accurate"); reads members and actors, produces links to their targets.

Such a statement names another speaker of the story in its first words with a
reference word ("comment", "account") or a refutation ("not accurate",
"false"), and points at what the story just reported of that speaker: their
statements shortly before it in the same article. It takes no part in the
grouping by meaning (it shares no words with what it answers) and later joins
the finding of its target.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from readouts.claims.members import Member
from readouts.claims.text import cue_positions, words
from readouts.model import Actor, Statement
from readouts.resources import load_list

REFERENCE_WINDOW = 800  # characters before a referring statement where its target is looked for
REFERRING_MAX_WORDS = 12  # words at the start of a statement where the reference is looked for


def references(members: list[Member], actors: Sequence[Actor]) -> dict[str, list[str]]:
    """Statement id -> ids of the statements it may comment on, nearest first."""
    reference_words = set(load_list("stance_reference.txt"))
    surnames = _speaker_surnames(members, actors)
    links: dict[str, list[str]] = {}
    for member in members:
        tokens = [re.sub(r"'s$", "", t) for t in words(member.statement.content)][:REFERRING_MAX_WORDS]
        if not (reference_words & set(tokens) or cue_positions(tokens, "refute") or cue_positions(tokens, "uncertain")):
            continue
        named = [actor_id for name, actor_id in surnames.items() if name in tokens and actor_id != member.statement.speaker]
        for actor_id in named:
            targets = _recent(member, actor_id, members)
            if targets:
                links[member.statement.id] = [m.statement.id for m in targets]
                break
    return links


def _speaker_surnames(members: list[Member], actors: Sequence[Actor]) -> dict[str, str]:
    """Last words of the names of people who speak in the story, lowercased."""
    speaking = {m.statement.speaker for m in members}
    found = {}
    for actor in actors:
        if actor.id in speaking and actor.kind == "person":
            for name in (actor.name, *actor.aliases):
                found[name.split()[-1].lower()] = actor.id
    return found


def _recent(member: Member, actor_id: str, members: list[Member]) -> list[Member]:
    """The speaker's statements shortly before ``member`` in its article, nearest first (else the first after)."""
    here = member.statement
    candidates = [m for m in members if m.statement.speaker == actor_id and m.statement.article == here.article]
    before = [m for m in candidates if start(here) - REFERENCE_WINDOW <= start(m.statement) < start(here)]
    if before:
        return sorted(before, key=lambda m: -start(m.statement))
    return sorted(candidates, key=lambda m: start(m.statement))[:1]


def start(statement: Statement) -> int:
    return min((s for s, _ in statement.content_spans), default=0)
