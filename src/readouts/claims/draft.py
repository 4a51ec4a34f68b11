"""Turns one group of statements into a claim card; reads members and their pair scores, produces a Claim.

The anchor is the statement the others are read against: the one a statement
about statements points at, else the supporting statement closest to the rest
of the group. Each member's stance toward it comes from its speech act, the cue
lexicons and the stance model; a speaker repeating themself supports. The
status follows DESIGN.md: contested when one source supports and another
disputes or denies, corroborated when two or more sources support and none
disputes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from readouts.claims.members import Member
from readouts.claims.references import start
from readouts.claims.stance import predict_stance
from readouts.claims.text import cue_positions, is_shouting, words
from readouts.model import Claim, Stance, Statement

ACT_STANCE = {"deny": "denies", "reject": "disputes"}
STANCE_RANK = {"supports": 0, "disputes": 1, "denies": 2, "hedges": 3, "discusses": 4}
OPPOSED = ("disputes", "denies")
TURNED = {"supports": "disputes", "disputes": "supports", "denies": "supports"}  # the other side's view
SUMMARY_CHARS = 160


@dataclass(frozen=True)
class Draft:
    """A claim with the keys cards are ordered by."""

    claim: Claim
    sides: int  # sides among the supporters and opponents: a dispute across sides matters most
    first: int  # position of the earliest member, for a stable order
    anchor: str  # id of the statement the others are read against


def draft_claim(
    group: list[Member], affinity: numpy.ndarray, pointed: str | None, parties: dict[str, str | None] | None = None
) -> Draft:
    """The card of one group; ``affinity[i, j]`` is the pair score of members ``i`` and ``j``;
    ``parties`` the side the story puts each statement's speaker on (see ``sides.py``)."""
    anchor = _anchor(group, affinity, pointed)
    parties = parties or {}
    anchor_party = parties.get(anchor.statement.id)
    stance_of = {m.statement.id: member_stance(m, anchor, anchor_party, parties.get(m.statement.id)) for m in group}
    return _drafted(group, *_oriented(group, anchor, stance_of))


def contest(draft: Draft, group: list[Member], source: str) -> Draft:
    """The draft with every supporting statement of ``source`` (not the anchor's) read as disputing:
    the card judge found the group contested where the stance model saw no dispute."""
    anchor = next(m for m in group if m.statement.id == draft.anchor)
    stance_of = {s.statement: s.stance for s in draft.claim.stances}
    for m in group:
        if m.source == source and stance_of[m.statement.id] == "supports":
            stance_of[m.statement.id] = "disputes"
    return _drafted(group, *_oriented(group, anchor, stance_of))


def _oriented(group: list[Member], anchor: Member, stance_of: dict[str, str]) -> tuple[Member, dict[str, str]]:
    """The card stated as the side more sources take: when more sources make a plain assertion
    against the anchor than back it, the proposition is theirs (one of those assertions becomes the
    anchor) and every side stance turns over. Careful readers state a contested finding as its
    larger side's claim about three times in four (BASIL's findings gold). A denial or a refutation
    ("not accurate") never becomes the proposition: it answers the proposition it denies."""
    backing = {m.source for m in group if stance_of[m.statement.id] == "supports"}
    plain = [m for m in group if stance_of[m.statement.id] in OPPOSED and m.source not in backing
             and cue_stance(m.statement) is None and not is_shouting(m.statement.content)]
    if len({m.source for m in plain}) <= len(backing):
        return anchor, stance_of
    turned = {key: TURNED.get(stance, stance) for key, stance in stance_of.items()}
    return plain[0], turned


def _drafted(group: list[Member], anchor: Member, stance_of: dict[str, str]) -> Draft:
    stances = [Stance(m.statement.id, stance_of[m.statement.id]) for m in group]
    supporters = {m.source for m in group if stance_of[m.statement.id] == "supports"}
    opponents = {m.source for m in group if stance_of[m.statement.id] in OPPOSED}
    if supporters and opponents - supporters:
        status = "contested"
    elif len(supporters) >= 2:
        status = "corroborated"
    else:
        status = "single-source"
    taking_sides = [m for m in group if stance_of[m.statement.id] in ("supports", *OPPOSED)]
    sides = {m.actor.affiliation for m in taking_sides if m.actor.affiliation}
    position = {m.statement.id: (m.statement.article, start(m.statement)) for m in group}
    ordered = sorted(stances, key=lambda s: (STANCE_RANK[s.stance], position[s.statement]))
    claim = Claim(id="", summary=summarize(anchor.statement.content), status=status,
                  stances=tuple(ordered), sources=len({m.source for m in group}))
    return Draft(claim, len(sides), min(start(m.statement) for m in group), anchor.statement.id)


def _anchor(group: list[Member], affinity: numpy.ndarray, pointed: str | None) -> Member:
    """The plainly asserting member closest to the rest (of the speaker others point at, if any); readable, early."""
    plain = [i for i, m in enumerate(group) if cue_stance(m.statement) is None] or list(range(len(group)))
    if pointed is not None:
        target = next(i for i, m in enumerate(group) if m.statement.id == pointed)
        plain = [i for i in plain if group[i].source == group[target].source] or [target]
    # What the sources share: closeness to the other sources' statements, not to one's own repeats.
    other_source = numpy.asarray([[a.source != b.source for b in group] for a in group])
    closeness = (affinity * other_source).sum(axis=1)
    best = max(plain, key=lambda i: (not is_shouting(group[i].statement.content), round(float(closeness[i]), 3),
                                     -start(group[i].statement)))
    return group[best]


def cue_stance(statement: Statement) -> str | None:
    """A stance fixed by the speech act or by cue words, before any model."""
    if statement.act in ACT_STANCE:
        return ACT_STANCE[statement.act]
    tokens = words(statement.content)
    if cue_positions(tokens, "uncertain"):
        return "hedges"
    if cue_positions(tokens, "refute"):
        return "disputes"
    if cue_positions(tokens, "deny"):
        # "Putin denied role" said by someone else reports a denial; it denies nothing itself.
        return "discusses"
    return None


def member_stance(member: Member, anchor: Member, anchor_party: str | None = None,
                  party: str | None = None) -> str:
    """Stance toward the anchor: the act and cues first, then the stance model; a plain assertion
    from the other party's side disputes (the model only knows cues, not who is arguing with whom)."""
    if member is anchor:
        return "supports"
    if member.source == anchor.source and member.statement.act not in ACT_STANCE:
        return "supports"  # a speaker repeating themself, even through another channel
    fixed = cue_stance(member.statement)
    if fixed:
        return fixed
    label = predict_stance(anchor.statement.content, member.statement.content)
    # An attributed assertion close enough to be grouped, with no hedge, backs the claim.
    if label in ("discusses", "unrelated") and not cue_positions(words(member.statement.content), "hedge"):
        label = "supports"
    if label == "supports" and anchor_party and party and party != anchor_party:
        return "disputes"
    return label if label != "unrelated" else "discusses"


def summarize(content: str, limit: int = SUMMARY_CHARS) -> str:
    """The content as a readable sentence: quotes and debris trimmed, capitals calmed, cut at a word."""
    text = " ".join(content.split()).strip(" \"“”‘’'`,;:–—-")
    text = text.replace("…", "...")
    if text.lower().startswith("that "):  # reported speech: "said that X" states X
        text = text[5:]
    if is_shouting(text):
        text = text.capitalize()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " ..."
    elif text and text[-1] not in ".!?":
        text += "."
    return text[:1].upper() + text[1:]
