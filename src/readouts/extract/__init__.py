"""Reads an Article, its spaCy Doc and the attribution tagger's spans, and produces the Attributions in it (direct, indirect, mixed, flash).

``extract(article, doc, tagged)`` is the stage entry point: the dependency rules
(``extract_rules``) and the trained tagger (``learned.py``) merged by ``combine.py``;
``readouts.extract.bulk.extract_corpus`` runs it over a JSONL corpus. Nothing is
returned whose content, cue or speaker touches ``article.boilerplate``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc

from readouts.extract.bylines import with_written_speaker
from readouts.extract.channels import local_channels
from readouts.extract.direct import attach_quotes
from readouts.extract.encoder import TaggedText
from readouts.extract.flash import find_flashes, flash_lines
from readouts.extract.quotes import Quote, find_quotes
from readouts.extract.reported import Candidate, find_reported
from readouts.model import Article, Attribution
from readouts.span_index import SpanIndex

__all__ = ["extract", "extract_rules", "to_attributions"]


def extract(article: Article, doc: Doc, tagged: TaggedText | None = None) -> list[Attribution]:
    """Every attributed statement of ``article``: the rules and the trained tagger combined.

    ``doc`` is the English parse of ``article.text`` (its ``ner`` may be disabled);
    ``tagged`` is the tagger's output for the same text when the caller ran it in batch.
    """
    from readouts.extract.combine import combine
    from readouts.extract.learned import learned_attributions

    ruled = extract_rules(article, doc)
    learned = learned_attributions(article, doc, tagged=tagged)
    learned = [_with_channels(article.text, doc, a) for a in learned
               if not _in_debris(article, a) and not _headline_teaser(article, a) and not _asked(doc, a)]
    merged = combine(article, ruled, learned, flash_lines(article.text))
    return [a if a.kind == "flash" else with_written_speaker(article.text, _channel_not_speaker(a)) for a in merged]


def _asked(doc: Doc, att: Attribution) -> bool:
    """``did the two governments agree to ...?``: reported speech asked about is not reported. The
    question is the cue's sentence, or, for a content the tagger found without a cue, the sentence
    the content starts in."""
    anchor = att.cue_span or (att.content_spans[0] if att.content_spans else None)
    if att.kind == "direct" or anchor is None:
        return False
    span = doc.char_span(anchor[0], anchor[1], alignment_mode="expand")
    return span is not None and len(span) > 0 and doc[span.start].sent.text.rstrip().rstrip("\"\u201d\u2019)").endswith("?")


def _channel_not_speaker(att: Attribution) -> Attribution:
    """``..., according to Interfax news agency``: a name the channel rules claimed relays, it does not speak."""
    if att.speaker_span is None or not any(m.span and m.how == "according_to" and m.span[0] < att.speaker_span[1]
                                           and att.speaker_span[0] < m.span[1] for m in att.channels):
        return att
    return replace(att, speaker_text=None, speaker_span=None)


def _with_channels(text: str, doc: Doc, att: Attribution) -> Attribution:
    """The channels named around the tagger's cue (``tells @NBCNews``, ``as reported by Interfax``)."""
    anchor = att.cue_span[0] if att.cue_span else att.start
    span = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
    sentence = (span.sent.start_char, span.sent.end_char) if span is not None and len(span) else (anchor, anchor)
    found = local_channels(text, sentence, att.cue_span)
    return replace(att, channels=tuple(dict.fromkeys(found))) if found else att


def extract_rules(article: Article, doc: Doc) -> list[Attribution]:
    """Every attributed statement the dependency, quote and flash rules find; ``doc`` parses ``article.text``."""
    flashes = [a for a in find_flashes(article) if not _in_debris(article, a)]
    flash_spans = flash_lines(article.text)
    quotes = [q for q in find_quotes(article.text) if not _overlaps_any((q.start, q.end), flash_spans)]
    quoted = quoted_mask(len(article.text), quotes)
    cands = [c for c in find_reported(doc) if not _inside_quote(c, quoted)]
    cands = [c for c in cands if not _overlaps_any(_extent(c), flash_spans)]
    cands = fold_relays(article.text, attach_quotes(doc, quotes, cands))
    prose = to_attributions(article, doc, cands, quotes)
    found = [a for a in prose if not _in_debris(article, a) and not _headline_teaser(article, a)] + flashes
    return sorted(found, key=lambda a: (a.start, a.end))


def _headline_teaser(article: Article, att: Attribution) -> bool:
    """``Putin Reveals What He Discussed With Trump``: a headline promising an account is not one."""
    first_line_end = article.text.find("\n")
    if first_line_end < 0 or att.end > first_line_end:
        return False
    words = article.text[att.start:att.end].split(maxsplit=1)
    return bool(words) and words[0].lower() in ("what", "how", "why", "where", "when", "who", "whether")


def to_attributions(article: Article, doc: Doc, cands: list[Candidate], quotes: list[Quote]) -> list[Attribution]:
    text, out = article.text, []
    quoted = quoted_mask(len(text), quotes)
    contents = SpanIndex([_Piece(s, e, id(c)) for c in cands for s, e in c.content])
    previous_speaker = None
    for cand in sorted(cands, key=lambda c: min(s for s, _ in c.content)):
        content = tuple(sorted(set(cand.content)))
        speaker, rule, confidence = cand.speaker, cand.rule, cand.confidence
        kind = _kind(text, content, quoted)
        if speaker is None and cand.channels and kind == "direct" and previous_speaker is not None:
            # `“...”, according to Interfax news agency`: the agency relayed a quote of the last named speaker
            speaker, rule, confidence = previous_speaker, rule + "+previous_speaker", confidence - 0.2
        channels = list(cand.channels) + local_channels(text, _sentence(doc, cand), cand.cue_span)
        out.append(Attribution(
            article=article.id,
            speaker_text=text[speaker[0]:speaker[1]] if speaker else None,
            speaker_span=speaker,
            cue=text[cand.cue_span[0]:cand.cue_span[1]] if cand.cue_span else "",
            cue_span=cand.cue_span,
            content_spans=content,
            kind=kind,
            act=cand.act,
            channels=tuple(dict.fromkeys(channels)),
            rule=rule,
            confidence=round(confidence, 2),
        ))
        if speaker is not None and not _nested(cand, contents):
            previous_speaker = speaker
    return out


def fold_relays(text: str, cands: list[Candidate]) -> list[Candidate]:
    """``Y said Z, according to Reuters`` and ``according to NBC's correspondent, Y said Z``
    are one statement of Y's that reached the article through a channel, not two statements:
    the channel joins Y's statement and leaves its content."""
    kept = []
    for relay in cands:
        inner = _relayed(relay, cands) if relay.rule == "according_to" and relay.channels else None
        if inner is None:
            kept.append(relay)
            continue
        inner.channels.extend(relay.channels)
        cut = _relay_extent(text, relay)
        inner.content = [piece for s, e in inner.content for piece in _minus((s, e), cut)]
    return kept


def _relayed(relay: Candidate, cands: list[Candidate]) -> Candidate | None:
    """The spoken statement a channel's ``according to`` wraps or trails."""
    for other in cands:
        if other is relay or other.speaker is None or other.cue_span is None:
            continue
        wraps = any(s <= other.cue_span[0] < e for s, e in relay.content)
        trails = any(s <= relay.cue_span[0] < e for s, e in other.content)
        if wraps or (trails and relay.speaker is None):
            return other
    return None


def _relay_extent(text: str, relay: Candidate) -> tuple[int, int]:
    """From the comma before ``according to`` to the end of the channel's name."""
    start = relay.cue_span[0]
    while start > 0 and text[start - 1] in " ,":
        start -= 1
    end = max(m.span[1] for m in relay.channels if m.span) if any(m.span for m in relay.channels) else relay.cue_span[1]
    return start, end


def _minus(span: tuple[int, int], cut: tuple[int, int]) -> list[tuple[int, int]]:
    s, e = span
    pieces = [(s, min(e, cut[0])), (max(s, cut[1]), e)]
    return [(a, b) for a, b in pieces if b > a]


@dataclass(frozen=True)
class _Piece:
    """One span of a candidate's content, for finding the contents around a position."""

    start: int
    end: int
    owner: int  # id() of the candidate


def _nested(cand: Candidate, contents: SpanIndex[_Piece]) -> bool:
    """True when the cue sits inside another statement's content (`X said the two discussed ...`)."""
    if cand.cue_span is None:
        return False
    at = cand.cue_span[0]
    return any(p.owner != id(cand) and p.start <= at < p.end for p in contents.near(at, at + 1, 0))


def quoted_mask(length: int, quotes: list[Quote]) -> bytearray:
    """1 for each character inside a quote's inner spans: one pass, then a lookup per character."""
    mask = bytearray(length)
    for quote in quotes:
        for s, e in quote.inner:
            mask[s:e] = b"\x01" * (e - s)
    return mask


def _kind(text: str, content: tuple, quoted: bytearray) -> str:
    """direct when every word is quoted, indirect when none is, mixed otherwise."""
    words = inside = 0
    for s, e in content:
        for i in range(s, e):
            if text[i].isalnum() and (i == s or not text[i - 1].isalnum()):
                words += 1
                inside += quoted[i]
    if words and inside == words:
        return "direct"
    return "indirect" if inside == 0 else "mixed"


def _sentence(doc: Doc, cand: Candidate) -> tuple[int, int]:
    anchor = cand.cue_span[0] if cand.cue_span else cand.content[0][0]
    span = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
    if span is None or not len(span):
        return anchor, anchor
    sent = span.sent
    return sent.start_char, sent.end_char


def _extent(cand: Candidate) -> tuple[int, int]:
    spans = list(cand.content) + [s for s in (cand.cue_span, cand.speaker) if s]
    return min(s for s, _ in spans), max(e for _, e in spans)


def _overlaps_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def _inside_quote(cand: Candidate, quoted: bytearray) -> bool:
    """A cue inside quotation marks belongs to the quoted speech, not to the article."""
    return cand.cue_span is not None and bool(quoted[cand.cue_span[0]])


def _in_debris(article: Article, att: Attribution) -> bool:
    spans = list(att.content_spans) + [s for s in (att.cue_span, att.speaker_span) if s]
    return any(article.in_boilerplate(s, e) for s, e in spans)
