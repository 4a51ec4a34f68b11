"""Reads an Attribution's speaker mention and the article around it; produces the Cast key of its speaker.

Handles names and capitals surnames, titles and appositives, role nouns
(``the US leader``), documents and organizations; pronouns (``pronouns.py``), unnamed
sources (``unnamed.py``) and people speaking for a principal (``principals.py``) have
modules of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from readouts.model import Article, Attribution
from readouts.resolve.cast import Cast, Entry
from readouts.resolve.channels import channel_entry_named, channels_named_in
from readouts.resolve.lexicon import (
    Title,
    anonymous_terms,
    fold,
    known_actors,
    known_by_name,
    known_by_surname,
    names_people,
    pronouns,
    role_classes,
    side_of,
    speaker_words,
    strip_possessive,
)
from readouts.resolve.mentions import MentionParts, parse_mention
from readouts.resolve.nearby import ents_starting_in, in_quoted
from readouts.resolve.phrase import Core, antecedent_core, name_before_tag, speaker_core
from readouts.resolve.principals import agent_of_principal, note_principal, principal_key
from readouts.resolve.pronouns import PRONOUN_REACH, resolve_pronoun
from readouts.resolve.unnamed import anonymous_speaker, place_of



@dataclass
class ArticleContext:
    article: Article
    doc: object
    quoted: list[tuple[int, int]] = field(default_factory=list)
    speakers: list[tuple[int, str]] = field(default_factory=list)  # (offset, key) resolved so far
    principals_sought: set[str] = field(default_factory=set)  # people whose mentions were read for a principal


def resolve_speaker(cast: Cast, ctx: ArticleContext, att: Attribution) -> str | None:
    text = (att.speaker_text or "").strip()
    if not text:
        return None
    offset = _mention_offset(att)
    key, written = _resolve(cast, ctx, att, text, offset)
    if key is not None:
        if written and fold(written) not in pronouns() and _is_clean_name_phrase(parse_mention(written)):
            cast.alias(key, written)
        note_principal(cast, ctx, key)
        ctx.speakers.append((offset, key))
    return key


def is_first_person(att: Attribution) -> bool:
    """``I said`` / ``we said``: a speaker only the surrounding quote can name."""
    return speaker_words().type_of(att.speaker_text or "") == "first_person"


def quote_speaker(att: Attribution, resolved: Sequence[tuple[Attribution, str | None]]) -> str | None:
    """The speaker of the innermost other statement whose content holds ``att``'s speaker mention."""
    offset = _mention_offset(att)
    holders = [
        (end - start, key)
        for other, key in resolved
        if key and other is not att and other.article == att.article
        for start, end in other.content_spans
        if start <= offset < end
    ]
    return min(holders)[1] if holders else None


def _resolve(cast: Cast, ctx: ArticleContext, att: Attribution, text: str, offset: int) -> tuple[str | None, str | None]:
    """The speaker's key and the words that named it."""
    if fold(text) in pronouns():
        return resolve_pronoun(cast, ctx, fold(text), offset), None
    core = _core_of(ctx, att, text)
    if core is None:
        return None, None
    return resolve_core(cast, ctx, core, offset), core.text


def _core_of(ctx: ArticleContext, att: Attribution, text: str) -> Core | None:
    """The naming words of the mention; relative pronouns and party-state tags point elsewhere."""
    words = speaker_words()
    kind = words.type_of(text)
    if kind == "relative":
        return antecedent_core(att.speaker_span, ctx.doc, ctx.article.text)
    if kind in ("first_person", "none", "day", "month"):
        return None  # first person is settled once every quote has its speaker (quote_speaker)
    side = words.tag_side(text)
    if side is not None:
        before = name_before_tag(att.speaker_span, ctx.article.text)
        core = speaker_core(before[0], before[1], ctx.doc, ctx.article.text) if before else None
        return replace(core, side_hint=side) if core else None
    return speaker_core(text, att.speaker_span, ctx.doc, ctx.article.text)


def resolve_core(cast: Cast, ctx: ArticleContext, core: Core, offset: int) -> str | None:
    if speaker_words().type_of(core.text) not in (None, "document", "charge"):
        return None
    if fold(core.text) in pronouns():
        return resolve_pronoun(cast, ctx, fold(core.text), offset)
    if core.head is not None and fold(core.head.text) in pronouns():  # "He and his wife", "even he"
        return resolve_pronoun(cast, ctx, fold(core.head.text), offset)
    bare = _without_determiner(core.text)
    known = known_by_name().get(fold(bare))
    person_like = _person_like(cast, core, bare)
    if known is not None and (known.kind == "person" or not person_like):
        if known.kind == "organization":
            return cast.organization(known.name, known.affiliation or None)
        return _person(cast, ctx, known.name, parse_mention(core.text), core)
    channel = None if person_like else channel_entry_named(bare)
    if channel is not None and bare[:1].isupper():  # "The Post said": the paper as a body
        return cast.organization(channel.name)
    agent = agent_of_principal(cast, ctx, core, offset)
    if agent is not None:
        return agent
    anonymous = _anonymous_parts(core)
    if anonymous is not None:
        return anonymous_speaker(cast, ctx, anonymous, offset, place_of(core, anonymous))
    parts = parse_mention(core.text)
    named_channel = None if person_like else _channel_inside(parts)
    if named_channel is not None:  # "NBC's chief White House correspondent": the network speaks
        return cast.organization(named_channel)
    if _is_document(core):
        return _document(cast, ctx, core, offset)
    if core.coordinated or (
        not person_like and side_of(bare) is None and (core.plural or (parts.is_group and not parts.name))
    ):
        return _group(cast, core, parts)
    organization = None if person_like else _organization_entity(core)
    if organization is not None:  # "America Rising": the parser's ORG entity, not a person "Rising"
        return cast.organization(organization, parts.sides[-1] if parts.sides else None)
    if not parts.name and parts.person_titles and parts.determiner in ("a", "an"):
        return anonymous_speaker(cast, ctx, parts, offset)  # "a BuzzFeed spokesman": one unnamed spokesperson
    if parts.name:
        if _is_organization(cast, ctx, core, parts):
            return cast.organization(bare, parts.sides[-1] if parts.sides else None)
        return _person(cast, ctx, _person_name(core, parts), parts, core)
    head = parts.head
    if head is not None and head.title is not None and head.title.kind == "organization":
        earlier = _earlier_body(cast, ctx, core, parts, offset)
        if earlier is not None:
            return earlier
        return cast.organization(bare, parts.sides[-1] if parts.sides else None)
    if parts.person_titles:
        return _by_role(cast, ctx, parts, bare, offset)
    if parts.sides:
        return cast.organization(bare, parts.sides[-1])
    return cast.unknown(bare)


def _anonymous_parts(core: Core) -> MentionParts | None:
    """The mention as an unnamed source (``Sources familiar with the matter``), if it is one."""
    for text in (core.with_tail, core.text):
        parts = parse_mention(text)
        if parts.is_anonymous:
            return parts
    return None


def _person_like(cast: Cast, core: Core, bare: str) -> bool:
    """``Mr. Fox``, or ``Bloomberg`` in a story about Michael Bloomberg: a person, not the channel."""
    if core.head is not None and core.head.ent_type_ == "PERSON" and core.head.pos_ == "PROPN":
        return True
    parts = parse_mention(bare)
    if parts.name and parts.person_titles and parts.segments[-1].kind == "name":
        return True
    words = bare.split()
    if not words:
        return False
    last = strip_possessive(words[-1])
    if len(words) > 1:  # "Aitan Goelman" tagged ORG once, PERSON elsewhere in the story
        return cast.known_surname(last) and words[-2][:1].isupper()
    return cast.known_surname(last) or bool(known_by_surname().get(fold(last)))


def _person_name(core: Core, parts: MentionParts) -> str:
    """The name run, trimmed to the parser's PERSON entity when words before it are not the name."""
    name = parts.name or core.text
    entity = _person_entity(core.head)
    if entity and len(entity.split()) >= 2 and len(entity.split()) < len(name.split()) and name.endswith(entity):
        return entity
    return name


def _organization_entity(core: Core) -> str | None:
    """The ORG entity the head ends, when it names more than the mention's own name run."""
    if core.head is None or core.head.ent_type_ != "ORG" or core.head.pos_ != "PROPN":
        return None
    return _entity_text(core.head, core.span[1] if core.span else None)


def _person_entity(head) -> str | None:
    if head is None or head.ent_type_ != "PERSON":
        return None
    return _entity_text(head)


def _entity_text(head, until: int | None = None) -> str:
    """The entity ``head`` is in, up to ``head`` or, given ``until``, on to the entity's end before it."""
    doc = head.doc
    start = end = head.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while start < head.i and doc[start].lower_ == "the":  # "The National Rifle Association" is the NRA
        start += 1
    if until is not None:  # "American Federation of Teachers": the name goes on past its head
        while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I" and doc[end + 1].idx < until:
            end += 1
    return strip_possessive(doc[start : end + 1].text)


def _group(cast: Cast, core: Core, parts: MentionParts) -> str:
    """``Democrats``, ``critics``, ``Members of Congress``: several people spoken of together."""
    words = core.with_tail.split()
    while len(words) > 1 and (
        anonymous_terms().get(fold(words[0]), ("",))[0] in ("determiner", "group")
        or speaker_words().type_of(words[0]) == "none"
    ):
        words.pop(0)
    side = parts.sides[-1] if parts.sides else core.side_hint
    head = core.head.text if core.head is not None else (parts.head.text if parts.head else words[-1])
    if not core.coordinated and not names_people(head):  # "Budget numbers", "Text messages": things
        if speaker_words().type_of(head) in ("document", "charge"):
            return cast.document(" ".join(words))
        return cast.unknown(" ".join(words))
    return cast.group(" ".join(words), side)


def _is_document(core: Core) -> bool:
    head = core.head.text if core.head is not None else core.text.split()[-1]
    lowercase = core.common_noun if core.head is not None else head[:1].islower()
    return lowercase and speaker_words().type_of(head) in ("document", "charge")


def _document(cast: Cast, ctx: ArticleContext, core: Core, offset: int) -> str:
    """A document speaks for whoever the text says wrote it, else as itself.

    ``a statement from Mr. Reid's office``, ``court papers released by prosecutors``,
    ``a Des Moines Register poll``: the author named with it. ``The letter``: the author of the
    letter the article wrote of before (``senators sent a letter``, ``a letter from ...``).
    A document no one is said to have written is a ``document``-kind actor named ``the <noun>``.
    """
    head = core.head
    if head is not None:
        author = _author_tokens(head)
        key = principal_key(cast, ctx, author, offset) if author else None
        if key is None and _definite(core):
            key = _earlier_author(cast, ctx, head, offset)
        if key is not None:
            return key
    parts = parse_mention(core.text)
    head_word = core.head.text if core.head is not None else core.text.split()[-1]
    owner = None if speaker_words().type_of(head_word) == "charge" else _owner_name(parts, core)
    if owner and _person_like(cast, core, owner):  # "Taylor's letter": Taylor speaks through it
        return cast.lookup_name(owner)
    if owner:
        return cast.organization(owner, parts.sides[-1] if parts.sides else None)
    sides = [s for s in parts.segments if s.side]
    if sides:
        return cast.organization(strip_possessive(sides[-1].text), sides[-1].side)
    words = [
        s.text for s in parts.segments
        if s.kind != "det" and speaker_words().type_of(s.text) != "none" and strip_possessive(s.text) == s.text
    ]  # "Haddad's indictment" is "the indictment": its owner did not write it
    return cast.document("the " + " ".join(words or [core.text]))


def _author_tokens(token) -> list:
    """Who a document token is said to come from: its owner, ``from`` / ``by`` X, ``released by`` X."""
    for child in token.children:
        if child.dep_ == "poss" and speaker_words().type_of(token.text) != "charge":
            return list(child.subtree)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return list(objects[0].subtree)
        if child.dep_ == "acl" and child.lemma_ in speaker_words().authoring:  # "papers released by prosecutors"
            for agent in child.children:
                if agent.dep_ == "agent":
                    objects = [c for c in agent.children if c.dep_ == "pobj"]
                    if objects:
                        return list(objects[0].subtree)
    return []


def _writer_tokens(token) -> list:
    """The subject of the verb a document is written with: ``senators sent a letter``, ``X said in a statement``."""
    verb = None
    if token.dep_ in ("dobj", "nsubjpass"):
        verb = token.head
    elif token.dep_ == "pobj" and token.head.dep_ == "prep":
        verb = token.head.head
    if verb is None or verb.pos_ not in ("VERB", "AUX") or verb.lemma_ not in speaker_words().authoring:
        return []
    if token.dep_ == "nsubjpass":
        return _author_tokens(verb) if any(c.dep_ == "agent" for c in verb.children) else []
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return []
    subject = subjects[0]
    return [t for t in subject.subtree if t.i <= subject.i]  # the noun and what comes before it


def _definite(core: Core) -> bool:
    first = fold(core.text.split()[0]) if core.text.split() else ""
    return first in ("the", "this", "that", "these", "those") or first == fold(core.text)


def _earlier_author(cast: Cast, ctx: ArticleContext, head, offset: int) -> str | None:
    """The author of the nearest earlier mention of the same document (same noun) in the article."""
    doc = head.doc
    for token in reversed(doc[: head.i]):
        if offset - token.idx > PRONOUN_REACH:
            break
        if token.lemma_ != head.lemma_ or token.pos_ != "NOUN":
            continue
        author = _author_tokens(token) or _writer_tokens(token)
        if author:
            key = principal_key(cast, ctx, author, author[0].idx)
            if key is not None:
                return key
    return None


def _proper(core: Core, offset: int) -> bool:
    """A capitalised word the parser also takes for a proper noun (not ``Text`` opening a sentence)."""
    if core.head is None or core.span is None:
        return True
    token = core.head.doc.char_span(core.span[0] + offset, core.span[0] + offset + 1, alignment_mode="expand")
    return token is None or token[0].pos_ == "PROPN"


def _owner_name(parts: MentionParts, core: Core) -> str | None:
    """``BuzzFeed's Thursday night report``: the name that owns the document, dates left out."""
    names = [
        s for s in parts.segments
        if s.kind == "name" and not speaker_words().is_date(s.text) and _proper(core, s.start)
    ]
    run: list[str] = []
    for seg in names:
        run.append(strip_possessive(seg.text))
        if strip_possessive(seg.text) != seg.text:
            break
    return " ".join(run) or None


def _channel_inside(parts: MentionParts) -> str | None:
    """The channel a speaker phrase names when no other name is in it."""
    named = channels_named_in(parts.text)
    if not named:
        return None
    channel_words = fold(parts.text[named[0][0] :])
    others = [
        s for s in parts.segments
        if s.kind == "name" and fold(strip_possessive(s.text)) not in channel_words
    ]
    return None if others else named[0][1].name


def _is_clean_name_phrase(parts: MentionParts) -> bool:
    """Only phrases made of titles, sides and names are worth keeping as aliases."""
    return all(s.kind in ("det", "side", "title", "name", "filler", "anon") for s in parts.segments)


def _mention_offset(att: Attribution) -> int:
    if att.speaker_span:
        return att.speaker_span[0]
    if att.cue_span:
        return att.cue_span[0]
    return att.start


def _without_determiner(text: str) -> str:
    words = text.split()
    if words and anonymous_terms().get(fold(words[0]), ("",))[0] == "determiner":
        words = words[1:]
    return " ".join(words)


def _person(cast: Cast, ctx: ArticleContext, name: str, parts: MentionParts, core: Core) -> str:
    key = cast.lookup_name(name, ctx.article.id)
    person_titles = [t for t in parts.person_titles if t.role_class != "honorific"]
    title = person_titles[-1] if person_titles else None
    gender = next((t.gender for t in parts.person_titles if t.gender), None)
    side = parts.sides[-1] if parts.sides else core.side_hint
    cast.note(key, title.role if title else None, title.role_class if title else None, side, gender)
    return key


def _is_organization(cast: Cast, ctx: ArticleContext, core: Core, parts: MentionParts) -> bool:
    """A capitalised name the parser tags ORG and that no person in the story carries."""
    if core.span is None or len(parts.name_words) != len(parts.core):
        return False
    last = parts.name.split()[-1]
    if cast.known_surname(last) or known_by_surname().get(fold(last)):
        return False
    if known_by_name().get(fold(parts.name)):
        return False
    start, end = core.span
    labels = {e.label_ for e in ctx.doc.ents if e.start_char < end and start < e.end_char}
    return bool(labels) and "PERSON" not in labels and labels <= {"ORG", "NORP", "GPE", "FAC"}


def _earlier_body(cast: Cast, ctx: ArticleContext, core: Core, parts: MentionParts, offset: int) -> str | None:
    """``the company``, ``the group``, ``the department``: the body the article named last before.

    Only a definite description with no name and no side in it looks back; a body whose name
    holds the noun (``the Justice Department`` for ``the department``) goes before any other.
    """
    if parts.determiner not in ("the", "this", "that") or parts.sides or any(
        s.kind == "name" for s in parts.segments
    ):
        return None
    noun = fold(parts.head.text)
    named = [
        (ent.start_char, ent.text) for ent in ents_starting_in(ctx.doc, offset - PRONOUN_REACH, offset)
        if ent.label_ == "ORG" and not in_quoted(ctx, ent.start_char)
    ]
    bodies = [(pos, cast.entries[key].name) for pos, key in ctx.speakers
              if cast.entries[key].kind == "organization" and offset - PRONOUN_REACH <= pos < offset]
    candidates = sorted(named + bodies, reverse=True)
    holding = [c for c in candidates if noun in fold(c[1]).split()]
    for _, name in holding or candidates:
        name = strip_possessive(re.sub(r"^(?:the|The)\s+", "", name.strip()))
        if name and not side_of(name):
            return cast.organization(name)
    return None


# -- role nouns ------------------------------------------------------------------------
def _by_role(cast: Cast, ctx: ArticleContext, parts: MentionParts, core: str, offset: int) -> str:
    """``the US leader``: the person in the story holding that role for that side, nearest first."""
    title = parts.person_titles[-1]
    side = parts.sides[-1] if parts.sides else None
    holders = [k for k, e in cast.entries.items() if e.kind == "person" and _holds(e, title, side)]
    if holders:
        seen = [(pos, k) for pos, k in ctx.speakers + cast.mentions.get(ctx.article.id, []) if k in holders]
        before = [item for item in seen if item[0] < offset]
        if before:
            return max(before)[1]
        return holders[0]
    key = _known_holder(cast, title, side)
    if key is not None:
        return key
    key = cast.unknown(core, kind="person")
    cast.note(key, title.role, title.role_class, side, title.gender or None)
    return key


def _holds(entry: Entry, title: Title, side: str | None) -> bool:
    role = entry.effective_role
    if not role:
        return False
    role_class = entry.role_class if entry.role else role_classes().get(fold(role))
    same_role = fold(role) == fold(title.role) or role_class == title.role_class
    return same_role and (side is None or entry.effective_side == side)


def _known_holder(cast: Cast, title: Title, side: str | None) -> str | None:
    """A gazetteer figure with that role, only when the text names the side too."""
    if side is None:
        return None
    for known in known_actors():
        if known.kind == "person" and known.affiliation == side and known.role and (
            fold(known.role) == fold(title.role) or role_classes().get(fold(known.role)) == title.role_class
        ):
            return cast.person(known.name)
    return None
