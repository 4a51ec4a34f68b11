"""Reads a spaCy Doc and produces lookups computed once per Doc: its text, token offsets, line breaks.

``Doc.text`` joins every token again on each call and a scan over the tokens is as long as the
article, so code run once per candidate or per quote asks here instead; the results are kept in
``doc.user_data`` and cost one pass over the Doc, whatever the number of questions.
"""

from __future__ import annotations

import bisect

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

_TEXT, _STARTS, _ENDS = "readouts.text", "readouts.token_starts", "readouts.token_ends"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def _offsets(doc: Doc) -> tuple[list[int], list[int]]:
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        # Read as two columns of the Doc's token array: a loop over the tokens builds a Python
        # object per token, about 15 ms an article, for two integers each.
        columns = doc.to_array([IDX, LENGTH]).astype("int64")
        starts = doc.user_data[_STARTS] = columns[:, 0].tolist()
        doc.user_data[_ENDS] = (columns[:, 0] + columns[:, 1]).tolist()
    return starts, doc.user_data[_ENDS]


def first_token_from(doc: Doc, char: int) -> int:
    """The index of the first token starting at or after ``char`` (``len(doc)`` when none does)."""
    starts, _ = _offsets(doc)
    return bisect.bisect_left(starts, char)


def last_token_before(doc: Doc, char: int) -> int:
    """The index of the last token ending at or before ``char`` (-1 when none does)."""
    _, ends = _offsets(doc)
    # token ends are not strictly sorted when a token is empty, but they never decrease
    return bisect.bisect_right(ends, char) - 1
