"""Reads mentions of people who speak for someone else ("a Ryan spokesman", "Jim Manley, a spokesman for Mr. Reid"); produces their principal's Cast key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readouts.resolve.cast import Cast
from readouts.resolve.lexicon import agents, anonymous_terms, fold, pronouns, side_of, strip_possessive
from readouts.resolve.mentions import parse_mention
from readouts.resolve.phrase import Core, speaker_core
from readouts.resolve.pronouns import resolve_pronoun

if TYPE_CHECKING:
    from readouts.resolve.speakers import ArticleContext


_PRINCIPAL_PREPS = ("for", "to")
_AIDES = ("aide", "aides", "staffer", "staffers")  # "Senate aides" work in the Senate, not for it


def agent_of_principal(cast: Cast, ctx: ArticleContext, core: Core, offset: int) -> str | None:
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


def note_principal(cast: Cast, ctx: ArticleContext, key: str) -> None:
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
            return principal_key(cast, ctx, tokens, offset), {t.i for t in tokens}
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in _PRINCIPAL_PREPS:  # "a lawyer for Mr. Grimm"
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                tokens = list(objects[0].subtree)
                return principal_key(cast, ctx, tokens, offset), {t.i for t in tokens}
    names = [
        t for t in head.doc[:head.i]
        if t.idx >= start and not side_of(t.text) and (
            t.ent_type_ in ("PERSON", "ORG") and t.text[:1].isupper() if named_only else t.pos_ == "PROPN"
        )
    ]
    if names:  # "a Ryan spokesman", "A Microsoft spokesperson"
        key = principal_key(cast, ctx, names, offset)
        if key is not None and (cast.entries[key].kind == "person" or fold(head.text) not in _AIDES):
            return key, {t.i for t in names}
    return None, set()


def principal_key(cast: Cast, ctx: ArticleContext, tokens: list, offset: int) -> str | None:
    """A person or body named by ``tokens``; ``Mr. Seel's office`` and ``his campaign`` are their owner."""
    text = ctx.article.text
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    words = strip_possessive(text[start:end].strip())
    if fold(words) in pronouns():
        key = resolve_pronoun(cast, ctx, fold(words), offset)
    else:
        core = speaker_core(words, (start, start + len(words)), ctx.doc, text)
        if core is None:
            return None
        owner = [c for c in core.head.children if c.dep_ == "poss"] if core.head is not None else []
        if owner and core.common_noun:  # "Mr. Seel's office" speaks for Mr. Seel
            return principal_key(cast, ctx, list(owner[0].subtree), offset)
        # The principal is itself a mention to resolve (a name, a title, a body): the same resolver.
        from readouts.resolve.speakers import resolve_core

        key = resolve_core(cast, ctx, core, offset)
    if key is None or cast.entries[key].kind not in ("person", "organization", "group"):
        return None
    return key


def _earlier_agent(cast: Cast, ctx: ArticleContext, agent_class: str) -> str | None:
    for _, key in sorted(ctx.speakers, reverse=True):
        if cast.entries[key].agent_class == agent_class:
            return key
    return None
