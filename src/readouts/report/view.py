"""Reads a Ledger, produces the report view every format renders: findings, speakers, statements, failures.

Text, Markdown and HTML all walk this one view so the sections keep the same
order everywhere: the header counts, contested then corroborated claims, the
outlets compared (stories from several outlets), the speakers, the statements grouped by speaker, then failures and warnings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from readouts.model import Actor, Article, Claim, Failure, Ledger, Statement
from readouts.report.outlets import OutletComparison, compare_outlets

ACCOUNTS_DIFFER = "ACCOUNTS DIFFER"
CONFIRMED = "CONFIRMED BY SEVERAL SOURCES"
SPEAKERS = "SPEAKERS"
STATEMENTS = "STATEMENTS"
FAILURES = "FAILURES"
WARNINGS = "WARNINGS"
ARTICLES = "ARTICLES"
NO_STATEMENTS = "No attributed statements were found."

# Speaker colours cycle through this many CSS classes (sp-0 .. sp-11 in report.css).
PALETTE_SIZE = 12
UNATTRIBUTED = "unattributed"
# Quotation marks and the comma a quote ends on are not part of the words a report quotes.
EDGE_MARKS = "\"'“”‘’«»„`,"


@dataclass(frozen=True)
class SpeakerView:
    key: str
    name: str
    role: str | None
    side: str | None
    anonymous: bool
    count: int
    channels: tuple[str, ...]
    colour: str

    @property
    def label(self) -> str:
        return f"{self.name} (anonymous)" if self.anonymous else self.name

    @property
    def long_label(self) -> str:
        """Name · role · side, leaving out what is unknown."""
        return " · ".join(part for part in (self.label, self.role, self.side) if part)


@dataclass(frozen=True)
class StatementView:
    id: str
    anchor: str
    article: str
    speaker: SpeakerView
    cue: str
    kind: str
    act: str
    content: str
    via: tuple[str, ...]
    has_spans: bool
    rule: str = ""
    confidence: float = 0.0

    @property
    def via_label(self) -> str:
        return ", ".join(self.via)


@dataclass(frozen=True)
class StanceView:
    stance: str
    statement: StatementView


@dataclass(frozen=True)
class ClaimView:
    id: str
    summary: str
    status: str
    sources: int
    stances: tuple[StanceView, ...]


@dataclass(frozen=True)
class SpeakerStatements:
    speaker: SpeakerView
    statements: tuple[StatementView, ...]


@dataclass(frozen=True)
class ReportView:
    title: str
    counts: str
    contested: tuple[ClaimView, ...]
    corroborated: tuple[ClaimView, ...]
    single_source: int
    speakers: tuple[SpeakerView, ...]
    by_speaker: tuple[SpeakerStatements, ...]
    statements: tuple[StatementView, ...]
    failures: tuple[Failure, ...]
    warnings: tuple[tuple[str, str], ...]
    outlets: OutletComparison | None = None


def build_view(ledger: Ledger) -> ReportView:
    vias = _shown_vias(ledger)
    speakers = _speaker_views(ledger, vias)
    statements = tuple(_statement_view(ledger, s, speakers, vias[s.id]) for s in ledger.statements)
    by_id = {s.id: s for s in statements}
    claims = [_claim_view(c, by_id) for c in ledger.claims]
    ordered_speakers = tuple(sorted(speakers.values(), key=lambda v: (-v.count, v.name.lower())))
    return ReportView(
        title=ledger_title(ledger),
        counts=header_counts(ledger, ordered_speakers),
        contested=tuple(c for c in claims if c.status == "contested" and c.stances),
        corroborated=tuple(c for c in claims if c.status == "corroborated" and c.stances),
        single_source=sum(1 for c in claims if c.status == "single-source"),
        speakers=tuple(v for v in ordered_speakers if v.key),
        by_speaker=_group_by_speaker(statements, ordered_speakers),
        statements=statements,
        failures=ledger.failures,
        warnings=tuple((article_label(a), w) for a in ledger.articles for w in a.warnings),
        outlets=compare_outlets(ledger, speakers, claims),
    )


def ledger_title(ledger: Ledger) -> str:
    if not ledger.articles:
        return "Readouts ledger"
    first = article_label(ledger.articles[0])
    more = len(ledger.articles) - 1
    return f"{first} (+{more} more)" if more else first


def article_label(article: Article) -> str:
    return article.title or article.source or article.id


def header_counts(ledger: Ledger, speakers: tuple[SpeakerView, ...]) -> str:
    named = sum(1 for v in speakers if v.key)
    return " · ".join(
        [
            plural(len(ledger.articles), "article"),
            plural(named, "speaker"),
            plural(len(ledger.channels), "channel"),
            plural(len(ledger.statements), "statement"),
        ]
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def failure_reason(failure: Failure) -> str:
    """The reason without the ``[code] source:`` prefix the error message already starts with."""
    prefix = f"[{failure.code}] {failure.source}: "
    return failure.reason[len(prefix):] if failure.reason.startswith(prefix) else failure.reason


def anchor_for(statement_id: str) -> str:
    """An HTML id safe to put in a URL fragment; statement ids are usually already safe (s12)."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", statement_id)
    return safe if safe[:1].isalpha() else f"s-{safe}"


def statement_content(ledger: Ledger, statement: Statement) -> str:
    """The statement's words without the quotation marks around them (reports add their own);
    from the article's spans when the content string is empty."""
    content = statement.content
    if not content:
        try:
            text = ledger.article(statement.article).text
        except StopIteration:
            return ""
        content = " … ".join(text[a:b] for a, b in statement.content_spans)
    return content.strip().strip(EDGE_MARKS).strip()


def _shown_vias(ledger: Ledger) -> dict[str, tuple[str, ...]]:
    """Channel names per statement, leaving out the article's own outlet: it carries every
    statement of the article and the report names it once with the article."""
    names = {c.id: c.name for c in ledger.channels}
    known = {c.id: {_name_key(n) for n in (c.name, *c.aliases)} for c in ledger.channels}
    outlets = {a.id: _name_key(a.outlet or "") for a in ledger.articles}
    return {
        s.id: tuple(
            names.get(c, c) for c in s.via
            if outlets.get(s.article) not in known.get(c, {_name_key(names.get(c, c))})
        )
        for s in ledger.statements
    }


def _name_key(name: str) -> str:
    """``The New York Times`` and ``New York Times`` are one outlet."""
    words = name.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _speaker_views(ledger: Ledger, vias: dict[str, tuple[str, ...]]) -> dict[str, SpeakerView]:
    """One view per actor who speaks, plus one for statements nobody was found to have said."""
    counts = Counter(s.speaker or "" for s in ledger.statements)
    channels: dict[str, list[str]] = {}
    for statement in ledger.statements:
        names = channels.setdefault(statement.speaker or "", [])
        for name in vias[statement.id]:
            if name not in names:
                names.append(name)
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    actors = {a.id: a for a in ledger.actors}
    views: dict[str, SpeakerView] = {}
    colour_index = 0
    for key in ranked:
        actor = actors.get(key) if key else None
        if key and actor is None:
            actor = Actor(id=key, name=key, kind="unknown")
        colour = f"sp-{colour_index % PALETTE_SIZE}" if actor else "sp-none"
        colour_index += 1 if actor else 0
        views[key] = _speaker_view(key, actor, counts[key], tuple(channels.get(key, ())), colour)
    return views


def _speaker_view(
    key: str, actor: Actor | None, count: int, channels: tuple[str, ...], colour: str
) -> SpeakerView:
    if actor is None:
        return SpeakerView("", UNATTRIBUTED, None, None, False, count, channels, colour)
    return SpeakerView(
        key=key,
        name=actor.name,
        role=actor.role,
        side=actor.affiliation,
        anonymous=actor.kind == "anonymous",
        count=count,
        channels=channels,
        colour=colour,
    )


def _statement_view(
    ledger: Ledger, statement: Statement, speakers: dict[str, SpeakerView], via: tuple[str, ...]
) -> StatementView:
    return StatementView(
        id=statement.id,
        anchor=anchor_for(statement.id),
        article=statement.article,
        speaker=speakers[statement.speaker or ""],
        cue=statement.cue,
        kind=statement.kind,
        act=statement.act,
        content=statement_content(ledger, statement),
        via=via,
        has_spans=bool(statement.content_spans),
        rule=statement.rule,
        confidence=statement.confidence,
    )


def _claim_view(claim: Claim, statements: dict[str, StatementView]) -> ClaimView:
    stances = tuple(
        StanceView(s.stance, statements[s.statement]) for s in claim.stances if s.statement in statements
    )
    return ClaimView(claim.id, claim.summary, claim.status, claim.sources, stances)


def _group_by_speaker(
    statements: tuple[StatementView, ...], speakers: tuple[SpeakerView, ...]
) -> tuple[SpeakerStatements, ...]:
    said: dict[str, list[StatementView]] = {}
    for statement in statements:
        said.setdefault(statement.speaker.key, []).append(statement)
    return tuple(SpeakerStatements(sp, tuple(said[sp.key])) for sp in speakers if sp.key in said)
