"""Reads an article's context (its statements' contents, its parse) and produces lookups near a position, each built once per article.

Resolving a speaker looks at what lies around it: whether a name sits inside quoted content,
which organisations are named in the stretch before it. Asked once per speaker of a long
article, a scan of every content span or every named entity would make resolution quadratic.
"""

from __future__ import annotations

import bisect
from typing import Any

_ENTS = "readouts.ents_by_start"


def in_quoted(ctx: Any, pos: int) -> bool:
    """Whether ``pos`` lies inside one of ``ctx.quoted``'s spans (the article's statement contents)."""
    cached = getattr(ctx, "_quoted_mask", None)
    if cached is None or cached[0] != len(ctx.quoted):
        mask = bytearray(len(ctx.article.text) + 1)
        for s, e in ctx.quoted:
            mask[s:e] = b"\x01" * (e - s)
        cached = (len(ctx.quoted), mask)
        ctx._quoted_mask = cached
    mask = cached[1]
    return 0 <= pos < len(mask) and bool(mask[pos])


def ents_starting_in(doc: Any, lo: int, hi: int) -> list:
    """The parse's named entities that start in ``lo..hi-1``, in order."""
    ents = getattr(doc, "ents", ())
    if not hasattr(doc, "user_data"):
        return [ent for ent in ents if lo <= ent.start_char < hi]
    cached = doc.user_data.get(_ENTS)
    if cached is None:
        ordered = list(ents)
        cached = doc.user_data[_ENTS] = ([ent.start_char for ent in ordered], ordered)
    starts, ordered = cached
    return ordered[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]
