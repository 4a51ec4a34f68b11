"""Reads an article's text beside one Attribution and produces it with the speaker written there without a cue word.

Two shapes the tagger and the parse both miss:
  transcript turns   ``PENCE: Well, the question ...`` (a capitalised name opening the line, a colon)
  quote bylines      ``“... our greatest shame.” ― Sonya Herridge`` (a dash after the closing quote)
The dashes are data (``speaker_marks.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from readouts.model import Attribution
from readouts.resources import load_table

# A transcript turn: optional quotation mark, one to four capitalised words, a colon.
TURN = re.compile(r"[\"“‘'\s]*((?:[A-Z][A-Z.’'-]+)(?:[ \u00a0][A-Z][A-Z.’'-]+){0,3}):\s+")
NAME = r"[A-Z][\w.’'-]*(?:[ \u00a0]+(?:[A-Z][\w.’'-]*|[a-z]{1,3}[ \u00a0]+[A-Z][\w.’'-]*)){0,4}"
CLOSING = "”\"’'.,!?\u00a0 \t"


@lru_cache(maxsize=1)
def _byline() -> re.Pattern:
    dashes = "".join(re.escape(r["mark"]) for r in load_table("speaker_marks.tsv") if r["kind"] == "byline_dash")
    return re.compile(r"[%s]*([%s])[ \u00a0]*(%s)" % (re.escape(CLOSING), dashes, NAME))


def with_written_speaker(text: str, att: Attribution) -> Attribution:
    """``att`` with a transcript turn's name or a quote's byline as speaker, when one is there."""
    turn = _turn_before(text, att)
    if turn is not None:
        return turn
    # A byline right after the quote outweighs any cue further away the statement was linked to.
    return _byline_after(text, att)


def _turn_before(text: str, att: Attribution) -> Attribution | None:
    """``NAME: content``: the content begins the turn (the name may have been tagged into it)."""
    line_start = text.rfind("\n", 0, att.start) + 1
    turn = TURN.match(text, line_start)
    if turn is None:
        return None
    # With no speaker of its own, a statement later on the turn's line is the turn (`PENCE: Well, look, [...]`).
    unclaimed = att.speaker_span is None and "\n" not in text[turn.end():att.start]
    if not (att.start <= turn.end() or _only_marks(text, turn.end(), att.start) or unclaimed):
        return None
    first = att.content_spans[0]
    content = (((turn.end(), first[1]),) + att.content_spans[1:]) if unclaimed and first[0] > turn.end() else att.content_spans
    spans = tuple((max(s, turn.end()), e) for s, e in content if e > turn.end())
    if not spans:
        return None
    colon = turn.end(1)
    return replace(att, content_spans=spans, speaker_text=turn.group(1), speaker_span=turn.span(1),
                   cue=":", cue_span=(colon, colon + 1), rule=att.rule + "+turn")


def _only_marks(text: str, start: int, end: int) -> bool:
    return start <= end and not any(c.isalnum() for c in text[start:end])


def _byline_after(text: str, att: Attribution) -> Attribution:
    """``“...” ― Name``: only right after a closing quotation mark."""
    byline = _byline().match(text, att.end)
    if byline is None or not any(c in "”\"" for c in text[max(0, att.end - 1):byline.start(1)]):
        return att
    return replace(att, speaker_text=byline.group(2), speaker_span=byline.span(2),
                   cue=byline.group(1), cue_span=byline.span(1), rule=att.rule + "+byline")
