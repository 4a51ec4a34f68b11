"""Reads the words around one attribution and produces its local channel mentions.

``as reported by X`` and ``according to X`` (X in channels.tsv), ``told <outlet>``,
``tells @NBCNews`` and ``told reporters``. Inheritance from a heading such as
``courtesy of Bloomberg:`` is discourse-level and left to the resolver.
"""

from __future__ import annotations

import re

from readouts.extract.lexicon import channel_in, channels
from readouts.model import ChannelMention

Span = tuple[int, int]

AS_REPORTED = re.compile(r"\bas (?:first )?reported by\s+")
HANDLE = re.compile(r"@(\w+)")
TOLD = re.compile(r"\b(?:told|tells|telling)\s+(?:the\s+)?")
AUDIENCES = re.compile(r"(reporters|journalists|the media|the press)\b")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def local_channels(text: str, sentence: Span, cue_span: Span | None) -> list[ChannelMention]:
    """Channel mentions in ``sentence`` (character span) tied to the attribution's cue."""
    start, end = _within_paragraph(text, sentence, cue_span)
    found = []
    for m in AS_REPORTED.finditer(text, start, end):
        name = channel_in(text[m.end():end])
        if name and name.start() == 0:
            found.append(ChannelMention(name.group(), (m.end(), m.end() + name.end()), "as_reported_by"))
    if cue_span is not None:
        found.extend(_told(text, cue_span, end))
    return found


def _within_paragraph(text: str, sentence: Span, cue_span: Span | None) -> Span:
    """The parser runs a heading, its bullets and the next paragraph into one sentence when
    they lack full stops; a channel named in another paragraph is not this statement's."""
    if cue_span is None:
        return sentence
    breaks = [m.end() for m in BLANK_LINE.finditer(text, sentence[0], cue_span[0])]
    after = BLANK_LINE.search(text, cue_span[1], sentence[1])
    return (breaks[-1] if breaks else sentence[0]), (after.start() if after else sentence[1])


def _told(text: str, cue_span: Span, end: int) -> list[ChannelMention]:
    told = TOLD.match(text, cue_span[0], end)
    if not told:
        return []
    after = told.end()
    handle = HANDLE.match(text, after, end)
    if handle:
        return [ChannelMention(handle.group(), handle.span(), "handle")]
    rest = text[after:end]
    name = channel_in(rest)
    if name and name.start() == 0:
        return [ChannelMention(name.group(), (after, after + name.end()), "told")]
    audience = AUDIENCES.match(rest)
    if audience:
        return [ChannelMention(audience.group(1), (after, after + audience.end(1)), "told")]
    return []


def is_handle(word: str) -> bool:
    return word.lstrip("@").lower() in channels().handles
