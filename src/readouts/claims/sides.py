"""Finds the party side a story puts each speaker on; reads members and article texts, produces party names.

A country is a side in a summit story ("Russia" against "United States"), but
in a domestic one nearly every speaker shares it, and the sides are parties.
The story itself says which: in the speaker's mention or role ("Republican
Sen. Lindsey Graham", "Democratic leaders") or next to their name ("Mitch
McConnell, R-Ky."). Party words are a data file (``parties.tsv``). Measured on
BASIL's findings gold, two sources of different parties hold opposite stances
on a shared proposition in about two pairs in three, of the same party in one
in four: a side is evidence of a dispute, not proof.
"""

from __future__ import annotations

import re
from functools import lru_cache

from readouts.claims.members import Member
from readouts.resources import load_table

NAME_WINDOW_BEFORE, NAME_WINDOW_AFTER = 60, 20  # characters around a name where its party is read


@lru_cache(maxsize=1)
def _party_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    parties = {row["term"]: row["party"] for row in load_table("parties.tsv")}
    alternatives = []
    for term in sorted(parties, key=len, reverse=True):
        # "R-Ky.": the suffix must be followed by a state's capital letter.
        alternatives.append(re.escape(term) + r"(?=[A-Z])" if term.endswith("-") else re.escape(term) + r"\b")
    return re.compile(r"(?<![\w-])(" + "|".join(alternatives) + ")"), parties


def _party_in(text: str) -> str | None:
    pattern, parties = _party_pattern()
    found = {parties[m.group(1)] for m in pattern.finditer(text)}
    return found.pop() if len(found) == 1 else None  # "Republicans and Democrats" name no one side


def party_of(member: Member, text: str, memo: dict | None = None) -> str | None:
    """The party the story puts the member's speaker on, or None when it does not say (or says two).

    ``memo`` (one dict per story) keeps what a surname's mentions in a text said, so a speaker
    with many statements has the article read for their name once, not once per statement."""
    actor = member.actor
    own = " ".join(filter(None, (actor.name, actor.role, member.statement.speaker_text)))
    party = _party_in(own)
    if party or actor.kind not in ("person", "anonymous"):
        return party
    surname = actor.name.split()[-1] if actor.name.split() else ""
    if len(surname) < 3:
        return None
    if memo is None:
        return _party_near(surname, text)
    key = (surname, id(text))
    if key not in memo:
        memo[key] = _party_near(surname, text)
    return memo[key]


def _party_near(surname: str, text: str) -> str | None:
    for match in re.finditer(r"\b" + re.escape(surname) + r"\b", text):
        window = text[max(0, match.start() - NAME_WINDOW_BEFORE) : match.end() + NAME_WINDOW_AFTER]
        party = _party_in(window)
        if party:
            return party
    return None
