"""Reads an unnamed-source mention ("law enforcement sources") and its article; produces the Cast key of that source."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from readouts.resolve.cast import Cast
from readouts.resolve.lexicon import anonymous_terms, fold, side_of, strip_possessive
from readouts.resolve.mentions import MentionParts, parse_mention
from readouts.resolve.phrase import Core

if TYPE_CHECKING:
    from readouts.resolve.speakers import ArticleContext


def anonymous_speaker(cast: Cast, ctx: ArticleContext, parts: MentionParts, offset: int, place: str = "") -> str:
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


def place_of(core: Core, parts: MentionParts) -> str:
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
