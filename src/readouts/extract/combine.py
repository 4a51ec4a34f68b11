"""Reads the rule extractor's and the trained tagger's Attributions for one article and produces one merged list.

The tagger finds more statements and better prose spans; the rules find better cues and
speakers (the parse subject, relays, channels), whole quotations and wire flashes. Where
both saw the same content (half the words of each), one statement is made from the better
parts of each; statements only one side saw are kept when that side is precise enough for
that kind of statement. Every choice was measured on polnear dev with
``readouts eval attributions``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from readouts.model import Article, Attribution, Span

WORD = re.compile(r"\w+")
# Two contents are the same statement when they share this share of each one's words
# (the reference scorer's overlap rule).
SAME_STATEMENT = 0.5
# A tagged content holding this share of another rule statement's words holds two statements.
SWALLOWED = 0.8
# Rule candidates kept when the tagger saw nothing there (precision on dev >= 0.4).
RULES_KEPT_ALONE = ("quote_cue", "verb_ccomp", "according_to", "noun_clause")
# Rule candidates kept inside a statement the tagger found (nested: `rejected Moscow's claim that ...`).
RULES_NESTED = ("noun_clause",)
# Rules whose speaker beats the tagger's on dev when both found the statement.
RULES_SPEAK_FOR = ("quote_cue",)
PRONOUNS = frozenset(
    "he she they it we i you him her them his its their this that who which".split()
)


def combine(
    article: Article, ruled: list[Attribution], learned: list[Attribution], flash_lines: list[Span] = ()
) -> list[Attribution]:
    """One attribution per statement: the tagger's, enriched by the rules, plus what only the rules found.

    On wire flash lines (``flash_lines``) only the rules speak: the tagger was not trained on flashes,
    and a flash's ``SAYS`` is no cue for the prose around it.
    """
    learned = [a for a in learned if not any(_overlap((s, e), span) for s, e in flash_lines
                                             for span in ((a.start, a.end), a.cue_span))]
    words = _word_index(article.text)
    rule_words = [_tokens(words, a.content_spans) for a in ruled]
    merged, paired = [], set()
    for att in learned:
        mine = _tokens(words, att.content_spans)
        best = _best_partner(mine, rule_words, paired)
        if best is None:
            if _plausible_alone(att):
                merged.append(att)
            continue
        paired.add(best)
        if _swallows_another(mine, best, ruled, rule_words, att):
            # Two statements tagged as one (`X said A. B, Y said.`): each keeps the rules' extent.
            att = replace(att, content_spans=ruled[best].content_spans)
        merged.append(_merge(att, ruled[best]))
    # A rule candidate the tagger saw too was merged above; one overlapping a kept tagged statement
    # is a fragment of it (unless nested in it).
    kept = [a for a in merged if a.rule.startswith("learned")]
    learned_words = [_tokens(words, a.content_spans) for a in kept]
    for i, att in enumerate(ruled):
        if i in paired:
            continue
        if any(rule_words[i] & other for other in learned_words) and not _nested_in(att, kept):
            continue
        if att.kind == "flash" or att.channels or _rule_name(att) in RULES_KEPT_ALONE:
            merged.append(att)
    return sorted(merged, key=lambda a: (a.start, a.end))


def _swallows_another(mine: frozenset[int], best: int, ruled: list[Attribution], rule_words, att: Attribution) -> bool:
    """Whether the tagged content holds most of another rule statement that has its own speaker and a
    cue outside the tagged content."""
    for i, other in enumerate(ruled):
        if i == best or other.speaker_span is None or other.cue_span is None or not rule_words[i]:
            continue
        if any(s <= other.cue_span[0] < e for s, e in att.content_spans):
            continue
        if len(rule_words[i] & mine) >= SWALLOWED * len(rule_words[i]) and not rule_words[i] & rule_words[best]:
            return True
    return False


def _merge(learned: Attribution, ruled: Attribution) -> Attribution:
    """The tagger's content (the rules' for quotations) with the rules' channels and act, and their
    cue and speaker where ``_rules_speak`` says so (cue and speaker always come from the same side)."""
    if ruled.kind == "flash":
        return ruled
    take = _rules_speak(learned, ruled)
    tighter = _inside(ruled.cue_span, learned.cue_span)  # `said`, not the tagger's `said on Tuesday`
    # For quotes the rules' extent is better (whole quotation, continued quotes); for prose the tagger's,
    # unless the rules' speaker and cue sit inside it (`[Ortega said X], according to Reuters`: a relay).
    relayed = take and ruled.cue_span is not None and any(s <= ruled.cue_span[0] < e for s, e in learned.content_spans)
    rules_extent = learned.kind == "direct" or relayed
    return replace(
        learned,
        content_spans=ruled.content_spans if rules_extent else learned.content_spans,
        kind=ruled.kind if rules_extent else learned.kind,
        speaker_text=ruled.speaker_text if take else learned.speaker_text,
        speaker_span=ruled.speaker_span if take else learned.speaker_span,
        cue=ruled.cue if take or tighter else learned.cue or ruled.cue,
        cue_span=ruled.cue_span if take or tighter else learned.cue_span or ruled.cue_span,
        act=ruled.act,
        channels=ruled.channels,
        rule=f"{learned.rule}+{_rule_name(ruled)}",
    )


def _rules_speak(learned: Attribution, ruled: Attribution) -> bool:
    """Whether the rules' cue and speaker replace the tagger's: for quotes with their own cue, for relays
    through a channel (the tagger takes the channel for the speaker), when the tagger chose another cue,
    and when the tagger's speaker is missing or a pronoun. Each choice was measured on polnear dev."""
    if ruled.speaker_span is None:
        return False
    # The tagger linked its content to another cue: the rules' cue and speaker, unless the rules' cue
    # lies inside the content (`told ... that she believes ...`: a nested verb, not the statement's cue).
    other_cue = learned.cue_span is None or not _overlap(learned.cue_span, ruled.cue_span)
    if ruled.cue_span is not None and any(s <= ruled.cue_span[0] < e for s, e in learned.content_spans):
        other_cue = False
    return _rule_name(ruled) in RULES_SPEAK_FOR or bool(ruled.channels) or other_cue or _weak_speaker(learned)


def _inside(inner: Span | None, outer: Span | None) -> bool:
    return inner is not None and outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


def _overlap(a: Span, b: Span | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]


def _plausible_alone(att: Attribution) -> bool:
    """A tagged statement the rules did not see, unless its cue comes after it: alone, those were
    right a third of the time on dev (`ceasefire agreement ... announced by the two nations`)."""
    return att.cue_span is None or att.cue_span[0] < att.end


def _nested_in(att: Attribution, others: list[Attribution]) -> bool:
    """``Officials rejected Moscow's claim that ...``: the cue and content lie inside another statement's content."""
    if att.cue_span is None:
        return False
    if _rule_name(att) not in RULES_NESTED:
        return False
    return any(o.start <= att.cue_span[0] and att.end <= o.end and (o.start, o.end) != (att.start, att.end)
               for o in others)


def _weak_speaker(att: Attribution) -> bool:
    return att.speaker_text is None or att.speaker_text.strip().lower() in PRONOUNS


def _rule_name(att: Attribution) -> str:
    return att.rule.split("+")[0]


def _best_partner(mine: frozenset[int], others: list[frozenset[int]], taken: set[int]) -> int | None:
    best, best_dice = None, 0.0
    for i, theirs in enumerate(others):
        shared = len(mine & theirs)
        if i in taken or not shared:
            continue
        if shared < SAME_STATEMENT * len(mine) or shared < SAME_STATEMENT * len(theirs):
            continue
        dice = 2 * shared / (len(mine) + len(theirs))
        if dice > best_dice:
            best, best_dice = i, dice
    return best


def _word_index(text: str) -> list[int]:
    return [m.start() for m in WORD.finditer(text)]


def _tokens(starts: list[int], spans: tuple[Span, ...]) -> frozenset[int]:
    """Word numbers (as the reference scorer counts them) that start inside ``spans``."""
    import bisect

    out = set()
    for s, e in spans:
        out.update(range(bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)))
    return frozenset(out)
