"""Decides which statements may take part in a finding and who is independent of whom; reads Statements and Actors, produces members.

A finding is only as good as its sources. A statement takes part when a real
source says something propositional: a person, an organization or government
body, a group, an anonymous official or a document (actor kinds other than
``unknown``), and content that is a claim rather than a question or a bare noun
phrase ("Rage", "The matter"). Independence: the same speaker quoted by two
outlets is one source, so is a relayed copy (``same_as``) and a quote reprinted
word for word under another name, and so is a person and whoever speaks for
them (an actor's ``principal``, set by the resolver for spokespeople, lawyers,
aides, offices and campaigns).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from readouts.claims.text import words
from readouts.model import Actor, Article, Statement
from readouts.resources import load_list

SOURCE_KINDS = frozenset({"person", "organization", "group", "anonymous", "document"})
ACT_CARRIES = frozenset({"deny", "reject", "confirm", "accept"})
MIN_CONTENT_WORDS = 4  # fewer words than this is a noun phrase ("the matter"), not a proposition
REPRINT_MIN_WORDS = 6
SELF_CONTAINED = 0.75  # a content this share of its sentence's length stands for the sentence
SENTENCE_CHARS = 300  # how far back and forward a content's sentence is looked for
SENTENCE_END = re.compile(r"[.!?][\"”’']?(?=\s)")


@dataclass
class Member:
    """One statement inside the grouping, with what grouping needs to know about it."""

    statement: Statement
    actor: Actor
    source: str  # independence key: one speaker, their relays and their agents share it
    sentence: str  # the sentence the content sits in: says what a short content is about

    @property
    def meaning(self) -> str:
        """What the statement asserts, as text to compare: a short content ("Russia's involvement",
        denied) says it only with its sentence."""
        content = self.statement.content
        return content if len(words(content)) >= MIN_CONTENT_WORDS else self.sentence

    @property
    def setting(self) -> str:
        """The sentence as text to compare, unless the content is most of it already (then the
        content: the same vector, and the encoder's time is spent once)."""
        return self.meaning if len(self.meaning) >= SELF_CONTAINED * len(self.sentence) else self.sentence


def can_take_part(statement: Statement, actor: Actor | None) -> bool:
    """A real source saying something propositional."""
    if actor is None or actor.kind not in SOURCE_KINDS:
        return False
    content = statement.content.rstrip(" \"”’'")
    if statement.act == "ask" or content.endswith("?"):
        return False
    if content.endswith(":"):  # a lead-in to what follows ("Pushback already from the administration:")
        return False
    if _names_a_topic(statement.cue):  # "spoke about the inspection regime" reports a subject, not a claim
        return False
    # A denial or rejection names what it denies ("denied Russia's involvement"): the act is the proposition.
    return statement.act in ACT_CARRIES or len(words(content)) >= MIN_CONTENT_WORDS


@lru_cache(maxsize=1)
def _topic_cue() -> re.Pattern[str]:
    phrases = sorted(load_list("topic_cues.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


def _names_a_topic(cue: str) -> bool:
    return bool(cue) and bool(_topic_cue().search(cue.lower()))


def members_of(
    statements: Sequence[Statement], actors: Sequence[Actor], articles: Sequence[Article]
) -> list[Member]:
    """The statements that may take part, each with its independence key and its sentence."""
    actor_by_id = {a.id: a for a in actors}
    text_by_article = {a.id: a.text for a in articles}
    by_id = {s.id: s for s in statements}
    keys = _Keys()
    chosen = []
    for statement in statements:
        actor = actor_by_id.get(statement.speaker or "")
        if not can_take_part(statement, actor):
            continue
        root = _root(statement, by_id)
        speaker = actor_by_id.get(root.speaker or "") or actor
        keys.join(statement.id, _principal(speaker, actor_by_id))
        chosen.append((statement, actor))
    _join_reprints([s for s, _ in chosen], keys)
    return [
        Member(statement, actor, keys.find(statement.id), sentence_of(statement, text_by_article.get(statement.article, "")))
        for statement, actor in chosen
    ]


def _root(statement: Statement, by_id: dict[str, Statement]) -> Statement:
    """The statement a duplicate points at, following ``same_as`` links (cycles stop)."""
    seen = {statement.id}
    while statement.same_as and statement.same_as in by_id and statement.same_as not in seen:
        statement = by_id[statement.same_as]
        seen.add(statement.id)
    return statement


def _principal(actor: Actor, actor_by_id: dict[str, Actor]) -> str:
    """The actor a statement counts for: the principal of a spokesperson, lawyer or campaign."""
    seen = {actor.id}
    while actor.principal and actor.principal in actor_by_id and actor.principal not in seen:
        seen.add(actor.principal)
        actor = actor_by_id[actor.principal]
    return "actor:" + actor.id


def _join_reprints(statements: list[Statement], keys: _Keys) -> None:
    """A quote reprinted word for word in another article is one source, whoever it was put to."""
    first_by_text: dict[str, str] = {}
    for statement in statements:
        tokens = words(statement.content)
        if len(tokens) < REPRINT_MIN_WORDS:  # short phrases ("we will see") recur by chance
            continue
        text = " ".join(tokens)
        if text in first_by_text:
            keys.union(first_by_text[text], statement.id)
        else:
            first_by_text[text] = statement.id


def sentence_of(statement: Statement, text: str) -> str:
    """The sentence around a content, within its paragraph; the content itself when there is no text."""
    if not text or not statement.content_spans:
        return statement.content
    start = min(s for s, _ in statement.content_spans)
    end = max(e for _, e in statement.content_spans)
    paragraph_start = text.rfind("\n", 0, start) + 1
    window_start = max(paragraph_start, start - SENTENCE_CHARS)
    ends_before = [m.end() for m in SENTENCE_END.finditer(text, window_start, start)]
    begin = ends_before[-1] if ends_before else window_start
    paragraph_end = text.find("\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    after = SENTENCE_END.search(text, end, min(paragraph_end, end + SENTENCE_CHARS))
    finish = after.end() if after else min(paragraph_end, end + SENTENCE_CHARS)
    return " ".join(text[begin:finish].split())


class _Keys:
    """Union-find over statement ids and speaker keys: whatever is joined shares one source key."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # Speaker keys ("actor:...") stay roots, so a key names the source it stands for.
            if rb.startswith("actor:") and not ra.startswith("actor:"):
                ra, rb = rb, ra
            self.parent[rb] = ra

    def join(self, statement_id: str, speaker_key: str) -> None:
        self.union(speaker_key, statement_id)
