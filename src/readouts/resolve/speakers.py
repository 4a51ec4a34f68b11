"""Reads an Attribution's speaker mention and the article around it; produces the Cast key of its speaker.

Handles names and capitals surnames, titles and appositives, role nouns
(``the US leader``), pronouns, unnamed sources and organizations.
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
    agents,
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
from readouts.resolve.phrase import Core, antecedent_core, name_before_tag, speaker_core

PRONOUN_REACH = 2000  # characters a pronoun may look back for its speaker


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
        _note_principal(cast, ctx, key)
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
        return _pronoun(cast, ctx, fold(text), offset), None
    core = _core_of(ctx, att, text)
    if core is None:
        return None, None
    return _resolve_core(cast, ctx, core, offset), core.text


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


def _resolve_core(cast: Cast, ctx: ArticleContext, core: Core, offset: int) -> str | None:
    if speaker_words().type_of(core.text) not in (None, "document", "charge"):
        return None
    if fold(core.text) in pronouns():
        return _pronoun(cast, ctx, fold(core.text), offset)
    if core.head is not None and fold(core.head.text) in pronouns():  # "He and his wife", "even he"
        return _pronoun(cast, ctx, fold(core.head.text), offset)
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
    agent = _agent_of_principal(cast, ctx, core, offset)
    if agent is not None:
        return agent
    anonymous = _anonymous_parts(core)
    if anonymous is not None:
        return _anonymous(cast, ctx, anonymous, offset, _place_of(core, anonymous))
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
        return _anonymous(cast, ctx, parts, offset)  # "a BuzzFeed spokesman": one unnamed spokesperson
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


# -- people speaking for someone else -----------------------------------------------------
_PRINCIPAL_PREPS = ("for", "to")
_AIDES = ("aide", "aides", "staffer", "staffers")  # "Senate aides" work in the Senate, not for it


def _agent_of_principal(cast: Cast, ctx: ArticleContext, core: Core, offset: int) -> str | None:
    """``a Ryan spokesman``, ``a spokeswoman for the department``, ``Stone's attorney``: one unnamed
    source who speaks for a principal, named after the principal and on the principal's side.

    ``the spokesperson`` with no principal written is the nearest such source met before.
    """
    head = core.head
    if head is None or core.span is None or head.pos_ not in ("NOUN", "PROPN"):
        return None
    agent_class = agents().get(fold(head.text))
    if agent_class == "body" and not head.text.islower():
        return None  # "the Office of Management and Budget" is a name, not someone's office
    if agent_class is None or head.ent_type_ == "PERSON" or parse_mention(core.text).name_words:
        return None  # "spokesman Jim Manley" is Jim Manley
    start, end = core.span
    principal, used = _principal(cast, ctx, head, start, offset)
    if principal is None:
        determiner = fold(core.text.split()[0])
        return _earlier_agent(cast, ctx, agent_class) if determiner in ("the", "that", "this") else None
    entry = cast.entries[principal]
    words = [
        t.text for t in head.doc.char_span(start, head.idx, alignment_mode="expand") or ()
        if t.i not in used and t.is_alpha and _describes(t)
    ] if head.idx > start else []
    if agent_class == "body":  # "Trump's campaign", "Mr. Reid's office": a body of the principal's own
        key = cast.organization(" ".join([*words, head.text, "of", entry.name]), entry.effective_side)
        cast.entries[key].principal = principal
        return key
    descriptor = " ".join([*words, head.text, "for", entry.name])
    plural = head.tag_ in ("NNS", "NNPS")
    key = cast.anonymous(descriptor, entry.effective_side, plural)
    agent = cast.entries[key]
    agent.principal, agent.agent_class = principal, agent_class
    return key


_SPEAKING_FOR = ("voice", "counsel")  # a named person can be someone's voice or lawyer, not their office


def _note_principal(cast: Cast, ctx: ArticleContext, key: str) -> None:
    """``Jim Manley, a spokesman for Mr. Reid``, ``Boehner spokesman Michael Steel``: a named person
    who speaks for someone else, as any mention of them in the article says.

    Every mention is read, not only the one that speaks: ``Reid's spokesman, Jim Manley, declined
    to comment`` says whom a later ``Manley said`` speaks for.
    """
    entry = cast.entries[key]
    if entry.kind != "person" or entry.principal is not None or key in ctx.principals_sought:
        return
    ctx.principals_sought.add(key)
    if not hasattr(ctx.doc, "char_span"):
        return
    for pos, mentioned in cast.mentions.get(ctx.article.id, []):
        if mentioned != key:
            continue
        found = ctx.doc.char_span(pos, pos + 1, alignment_mode="expand")
        agent = _agent_noun_of(found[0]) if found is not None and len(found) else None
        if agent is None:
            continue
        token, start = agent
        principal, _ = _principal(cast, ctx, token, start, pos, named_only=True)
        if principal is not None and principal != key:
            entry.principal, entry.agent_class = principal, _agent_class(token)
            return


def _agent_noun_of(name):
    """The role noun saying a named person speaks for someone, and where the words naming that one start.

    ``Jim Manley, a spokesman for ...`` (an appositive of the name), ``Reid's spokesman, Jim
    Manley`` (the name an appositive of it), ``Boehner spokesman Michael Steel`` (a compound).
    """
    for child in name.children:
        if child.dep_ == "appos" and _agent_class(child) in _SPEAKING_FOR:
            return child, child.left_edge.idx
    if name.dep_ == "appos" and _agent_class(name.head) in _SPEAKING_FOR:
        return name.head, name.head.left_edge.idx
    for child in name.children:
        if child.dep_ == "compound" and child.i < name.i and _agent_class(child) in _SPEAKING_FOR:
            return child, name.left_edge.idx
    return None


def _agent_class(token) -> str | None:
    """agents.tsv class of a lower-case role noun, two-word ones (``press secretary``) included."""
    if token.pos_ not in ("NOUN", "PROPN") or not token.text.islower():
        return None
    if token.i > 0:
        two = agents().get(fold(f"{token.doc[token.i - 1].text} {token.text}"))
        if two is not None:
            return two
    return agents().get(fold(token.text))


def _describes(token) -> bool:
    """A word before an agent's role noun that says more about the role (``campaign aide``)."""
    kind = anonymous_terms().get(fold(token.text), ("",))[0]
    return kind not in ("determiner", "group") and token.pos_ != "DET" and not side_of(token.text)


def _principal(
    cast: Cast, ctx: ArticleContext, head, start: int, offset: int, named_only: bool = False
) -> tuple[str | None, set[int]]:
    """The one an agent noun speaks for, and the tokens that named them.

    ``named_only``: words before the noun count only when the parser takes them for a person or
    body (``Boehner spokesman``), so that a title (``Deputy press secretary``) is no principal.
    """
    for child in head.children:
        if child.dep_ == "poss" and child.idx >= start:  # "Stone's attorney", "his lawyer"
            tokens = list(child.subtree)
            return _principal_key(cast, ctx, tokens, offset), {t.i for t in tokens}
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in _PRINCIPAL_PREPS:  # "a lawyer for Mr. Grimm"
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                tokens = list(objects[0].subtree)
                return _principal_key(cast, ctx, tokens, offset), {t.i for t in tokens}
    names = [
        t for t in head.doc[:head.i]
        if t.idx >= start and not side_of(t.text) and (
            t.ent_type_ in ("PERSON", "ORG") and t.text[:1].isupper() if named_only else t.pos_ == "PROPN"
        )
    ]
    if names:  # "a Ryan spokesman", "A Microsoft spokesperson"
        key = _principal_key(cast, ctx, names, offset)
        if key is not None and (cast.entries[key].kind == "person" or fold(head.text) not in _AIDES):
            return key, {t.i for t in names}
    return None, set()


def _principal_key(cast: Cast, ctx: ArticleContext, tokens: list, offset: int) -> str | None:
    """A person or body named by ``tokens``; ``Mr. Seel's office`` and ``his campaign`` are their owner."""
    text = ctx.article.text
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    words = strip_possessive(text[start:end].strip())
    if fold(words) in pronouns():
        key = _pronoun(cast, ctx, fold(words), offset)
    else:
        core = speaker_core(words, (start, start + len(words)), ctx.doc, text)
        if core is None:
            return None
        owner = [c for c in core.head.children if c.dep_ == "poss"] if core.head is not None else []
        if owner and core.common_noun:  # "Mr. Seel's office" speaks for Mr. Seel
            return _principal_key(cast, ctx, list(owner[0].subtree), offset)
        key = _resolve_core(cast, ctx, core, offset)
    if key is None or cast.entries[key].kind not in ("person", "organization", "group"):
        return None
    return key


def _earlier_agent(cast: Cast, ctx: ArticleContext, agent_class: str) -> str | None:
    for _, key in sorted(ctx.speakers, reverse=True):
        if cast.entries[key].agent_class == agent_class:
            return key
    return None


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
        key = _principal_key(cast, ctx, author, offset) if author else None
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
            key = _principal_key(cast, ctx, author, author[0].idx)
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
        (ent.start_char, ent.text) for ent in getattr(ctx.doc, "ents", ())
        if ent.label_ == "ORG" and offset - PRONOUN_REACH <= ent.start_char < offset
        and not any(s <= ent.start_char < e for s, e in ctx.quoted)
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


# -- pronouns --------------------------------------------------------------------------
def _pronoun(cast: Cast, ctx: ArticleContext, pronoun: str, offset: int) -> str | None:
    """The one a pronoun stands for: in the nearest sentence naming someone who agrees with it,
    the subject of its main verb, else the subject of another clause, else the nearest mention.

    A subject outranks a nearer mention (``James Carafano, who worked on Mr. Trump's transition,
    was among the critics. "...," he said.`` is Carafano), but never reaches past a sentence
    that names someone closer.
    """
    gender, number = pronouns()[pronoun]
    candidates = sorted({
        (pos, key)
        for pos, key in ctx.speakers + _outside_quotes(ctx, cast.mentions.get(ctx.article.id, []))
        if offset - PRONOUN_REACH <= pos < offset and _agrees(cast.entries[key], gender, number)
    })
    if not candidates:
        return None
    sentence = _sentence_start(ctx.doc, candidates[-1][0])
    if sentence is None:
        return candidates[-1][1]
    same = [(pos, key) for pos, key in candidates if _sentence_start(ctx.doc, pos) == sentence]
    ranked = sorted(same, key=lambda item: (_subject_rank(ctx.doc, item[0]), -item[0]))
    return ranked[0][1]


def _token_at(doc, pos: int):
    if not hasattr(doc, "char_span"):
        return None
    found = doc.char_span(pos, pos + 1, alignment_mode="expand")
    return found[0] if found is not None and len(found) else None


def _sentence_start(doc, pos: int) -> int | None:
    """Where the sentence holding ``pos`` starts; a line break ends a sentence the parser ran on past it."""
    token = _token_at(doc, pos)
    if token is None or not doc.has_annotation("SENT_START"):
        return None
    return max(token.sent.start_char, doc.text.rfind("\n", 0, pos) + 1)


def _subject_rank(doc, pos: int) -> int:
    """0: the name at ``pos`` is the subject of its sentence's main verb (``Senator Rosa Delgado said``);
    1: the subject of another clause (``the day that Mr. Stone stood``); 2: no subject."""
    token = _token_at(doc, pos)
    while token is not None and token.dep_ in ("compound", "flat", "appos") and token.head.i != token.i:
        token = token.head
    if token is None or token.dep_ not in ("nsubj", "nsubjpass"):
        return 2
    verb = token.head
    main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
    return 0 if main else 1


def _outside_quotes(ctx: ArticleContext, mentions: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Names inside quoted content are talked about, not talking: they cannot be 'he said'."""
    return [
        (pos, key) for pos, key in mentions
        if not any(s <= pos < e for s, e in ctx.quoted) and not _within_quote_marks(ctx.article.text, pos)
    ]


_OPENING, _CLOSING = "\u201c\u00ab", "\u201d\u00bb"


def _within_quote_marks(text: str, pos: int) -> bool:
    """``pos`` sits between quotation marks of its paragraph, or in a paragraph that goes on a quote
    opened in an earlier one (it has a closing mark with no opening one before it).

    Catches the quoted words no statement's content covers, such as the last paragraph of a
    quote that runs over several.
    """
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    before, after = text[start:pos], text[pos : end if end >= 0 else len(text)]
    depth = sum(before.count(c) for c in _OPENING) - sum(before.count(c) for c in _CLOSING)
    if depth > 0 or before.count('"') % 2 == 1:
        return True
    marks = [c for c in after if c in _OPENING or c in _CLOSING]
    return bool(marks) and marks[0] in _CLOSING and not any(c in _OPENING for c in before)


def _agrees(entry: Entry, gender: str, number: str) -> bool:
    if number == "pl":
        return entry.kind in ("organization", "group") or (entry.kind == "anonymous" and entry.plural)
    if gender == "n":  # "it": a body or a document, never a person
        return entry.kind in ("organization", "document")
    if entry.kind == "anonymous":
        return not entry.plural
    if entry.kind != "person":
        return False
    known_gender = entry.effective_gender
    return known_gender in (None, "", gender)


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


# -- unnamed sources ---------------------------------------------------------------------
def _anonymous(cast: Cast, ctx: ArticleContext, parts: MentionParts, offset: int, place: str = "") -> str:
    """An unnamed source, described by every word that narrows it (``law enforcement sources``).

    Words that only count or set apart (``multiple``, ``a separate``) are left out, and so are
    side words (``Russian``): the side is the actor's affiliation. ``place`` is a phrase after
    the head that says where the source sits (``in Hawaii``, ``with the committee``).
    """
    head = parts.head
    plural = bool(head and fold(head.text).endswith("s") and not fold(head.text).endswith("ss"))
    qualifiers = _narrowing(parts, head)
    side = parts.sides[-1] if parts.sides else _side_from_names(cast, ctx, parts)
    context_side, context_word = _side_from_context(cast, ctx, offset)
    words = [fold(s.text) for s in qualifiers]
    if side is None and context_side:
        side = context_side
        if context_word and context_word not in words:
            words.append(context_word)
    if side is None and any(w in ("administration", "government") for w in words):
        side = _article_side_of_bodies(cast, ctx)
    if parts.determiner in ("the", "that", "this") and not words:
        earlier = _earlier_anonymous(cast, ctx, fold(head.text) if head else "", offset)
        if earlier:
            return earlier
    descriptor = " ".join([*_keep_case(qualifiers, words), head.text if head else "source"])
    if parts.marker is not None:
        descriptor += " " + parts.text[parts.marker.start :].strip()
    elif place:
        descriptor += " " + place
    return cast.anonymous(descriptor, side, plural)


def _narrowing(parts: MentionParts, head) -> list:
    """The narrowing words before the head; ``and`` / ``or`` between two of them stay (``current and former``)."""
    core = [s for s in parts.core if s is not head]
    kept = [i for i, s in enumerate(core) if _narrows(s)]
    joined = {
        i for i, s in enumerate(core)
        if s.kind == "filler" and fold(s.text) in ("and", "or") and kept and kept[0] < i < kept[-1]
    }
    return [s for i, s in enumerate(core) if i in joined or i in kept]


def _narrows(seg) -> bool:
    """A word before an unnamed source's head that says which source it is."""
    if seg.kind in ("det", "punct", "filler"):
        return False
    if anonymous_terms().get(fold(seg.text), ("",))[0] in ("determiner", "group", "marker"):
        return False
    if seg.anon and seg.anon[0] == "qualifier":
        return True
    if seg.side:
        return False
    return seg.kind in ("word", "name", "title", "anon") and seg.text[:1].isalnum()


_PLACE_TAILS = ("in ", "with ", "within ", "at ", "from ", "of ")


def _place_of(core: Core, parts: MentionParts) -> str:
    """``Officials in Hawaii``: the phrase after the head that places the source, when it names something."""
    if parts.marker is not None or not core.tail or not fold(core.tail).startswith(_PLACE_TAILS):
        return ""
    return core.tail if any(w[:1].isupper() for w in core.tail.split()[1:]) else ""


def _keep_case(qualifiers, words: list[str]) -> list[str]:
    written = {fold(s.text): s.text for s in qualifiers}
    return [written.get(w, w) for w in words]


def _side_from_names(cast: Cast, ctx: ArticleContext, parts: MentionParts) -> str | None:
    """``Trump administration official``: the side of the person who names the body."""
    if not parts.name:
        return None
    key = cast.by_surname(parts.name.split()[-1], ctx.article.id)
    return cast.entries[key].effective_side if key else None


_BODY = re.compile(r"([A-Z][\w.'\u2019\-]*)\s+(administration|government)\b")


def _side_from_context(cast: Cast, ctx: ArticleContext, offset: int) -> tuple[str | None, str | None]:
    """``Pushback from Trump administration: one official``: a side named earlier in the same sentence."""
    text = ctx.article.text
    start = max(text.rfind("\n", 0, offset), text.rfind(". ", 0, offset)) + 1
    matches = list(_BODY.finditer(text, start, offset))
    if matches:
        side = _side_of_word(cast, ctx, matches[-1].group(1))
        return side, matches[-1].group(2) if side else None
    named = [s.side for s in parse_mention(text[start:offset]).segments if s.side]
    return (named[-1], None) if named else (None, None)


def _article_side_of_bodies(cast: Cast, ctx: ArticleContext) -> str | None:
    """The one side whose administration or government the article names, if only one is."""
    found = {_side_of_word(cast, ctx, m.group(1)) for m in _BODY.finditer(ctx.article.text)}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _side_of_word(cast: Cast, ctx: ArticleContext, word: str) -> str | None:
    side = side_of(word)
    if side:
        return side
    key = cast.by_surname(strip_possessive(word), ctx.article.id)
    return cast.entries[key].effective_side if key else None


def _earlier_anonymous(cast: Cast, ctx: ArticleContext, head: str, offset: int) -> str | None:
    for _, key in sorted(ctx.speakers, reverse=True):
        entry = cast.entries[key]
        if entry.kind == "anonymous" and entry.descriptor and fold(entry.descriptor).split()[-1] == head:
            return key
    return None
