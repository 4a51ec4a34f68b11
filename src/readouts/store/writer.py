"""Writes one ledger into the corpus in one transaction; reads a ``Ledger``, produces rows and an ``IngestResult``.

Articles are keyed by canonical URL or text hash (``keys.article_key``). The same
text again changes nothing and is reported ``unchanged``; a new text under a
known URL becomes the next row of ``article_versions`` and only its statements
are written. A new article joins the most similar stored story (``corpus.stories``)
or starts one; a new version stays in its story. Claims and stances are written when at least one of their
statements is new, so re-adding a ledger leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from readouts.clean.dates import normalize_date
from readouts.corpus.stories import StoryFeatures, StorySettings, best_story, story_features
from readouts.model import Actor, Article, Claim, Failure, Ledger, Statement
from readouts.store.database import Database
from readouts.store.identities import Identities
from readouts.store.keys import article_key, canonical_url, content_hash
from readouts.store.schema import now
from readouts.store.stories import StoredStoryIndex

EXCERPT_CHARS = 500
REASON_CHARS = 1000  # the errors table is unique on reason: bound it to stay within index limits


@dataclass(frozen=True)
class IngestResult:
    """What one ``add_ledger`` call did, by the articles' own ids."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    statements: int = 0
    actors: int = 0
    channels: int = 0
    claims: int = 0
    errors: int = 0
    stories: tuple[int, ...] = ()  # story rows that gained an article: their claims need grouping again

    @property
    def ingested(self) -> int:
        return len(self.new) + len(self.changed)


@dataclass
class _Written:
    """Per-ledger bookkeeping: which ledger article went to which version row, and its key."""

    version_ids: dict[str, int] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)
    statement_ids: dict[str, int] = field(default_factory=dict)
    new_statements: set[str] = field(default_factory=set)
    grown_stories: set[int] = field(default_factory=set)
    story_index: StoredStoryIndex | None = None
    features: dict[str, StoryFeatures] = field(default_factory=dict)


def write_ledger(db: Database, ledger: Ledger, story: str | None = None,
                 story_index: StoredStoryIndex | None = None,
                 features: Mapping[str, StoryFeatures] | None = None) -> IngestResult:
    """Writes ``ledger``; the caller holds the transaction (and may share one ``story_index`` across it).
    ``features`` are the articles' story features by article id, when already computed."""
    written = _Written(story_index=story_index, features=dict(features or {}))
    outcome: dict[str, list[str]] = {"new": [], "changed": [], "unchanged": []}
    for article in ledger.articles:
        outcome[_write_article(db, article, story, written)].append(article.id)
    identities = Identities(db)
    for statement in ledger.statements:
        if statement.article in written.version_ids:
            _place_statement(db, ledger, statement, written, identities)
    _link_repeats(db, ledger, written)
    claims = sum(_write_claim(db, claim, written) for claim in ledger.claims)
    errors = sum(record_failure(db, failure) for failure in ledger.failures)
    return IngestResult(
        new=tuple(outcome["new"]),
        changed=tuple(outcome["changed"]),
        unchanged=tuple(outcome["unchanged"]),
        statements=len(written.new_statements),
        actors=identities.created_actors,
        channels=identities.created_channels,
        claims=claims,
        errors=errors,
        stories=tuple(sorted(written.grown_stories)),
    )


def stored_status(db: Database, article: Article) -> str:
    """``unchanged`` when this exact text is the current version of its article, ``changed`` or ``new`` otherwise."""
    current = _current(db, article_key(article.url, article.text))
    if current is None:
        return "new"
    return "unchanged" if current["content_hash"] == content_hash(article.text) else "changed"


def record_failure(db: Database, failure: Failure, excerpt: str = "") -> int:
    """One row per distinct (source, code, reason); meeting it again counts an occurrence. Returns 1."""
    stamp = now()
    db.execute(
        "INSERT INTO errors (source, code, reason, input_excerpt, occurrences, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (source, code, reason) DO UPDATE SET"
        " occurrences = errors.occurrences + 1, last_seen = excluded.last_seen",
        (failure.source, failure.code, failure.reason[:REASON_CHARS], excerpt[:EXCERPT_CHARS], stamp, stamp),
    )
    return 1


def _current(db: Database, key: str) -> dict | None:
    return db.row(
        "SELECT a.id, a.story_id, a.current_version, v.id AS version_id, v.content_hash"
        " FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version"
        " WHERE a.article_key = ?",
        (key,),
    )


def _write_article(db: Database, article: Article, story: str | None, written: _Written) -> str:
    key = article_key(article.url, article.text)
    digest = content_hash(article.text)
    current = _current(db, key)
    written.keys[article.id] = key
    if current is not None and current["content_hash"] == digest:
        written.version_ids[article.id] = current["version_id"]
        written.stories[article.id] = current["story_id"]
        return "unchanged"
    stamp = now()
    if current is None:
        features = written.features.get(article.id) or story_features(article)
        story_id = _story_id(db, story or _grouped_story(db, written, features, key), article.title, stamp)
        article_row = db.value(
            "INSERT INTO articles (article_key, input_id, source, url, canonical_url, outlet, title, byline,"
            " published, published_at, language, story_id, current_version, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
            (key, article.id, article.source, article.url, canonical_url(article.url), article.outlet,
             article.title, article.byline, article.published, normalize_date(article.published),
             article.language, story_id, stamp, stamp),
        )
        version, status = 1, "new"
    else:
        article_row, story_id = current["id"], current["story_id"]
        version, status = current["current_version"] + 1, "changed"
        db.execute(
            "UPDATE articles SET input_id = ?, source = ?, url = ?, outlet = ?, title = ?, byline = ?,"
            " published = ?, published_at = ?, language = ?, current_version = ?, last_seen = ? WHERE id = ?",
            (article.id, article.source, article.url, article.outlet, article.title, article.byline,
             article.published, normalize_date(article.published), article.language, version, stamp, article_row),
        )
    written.version_ids[article.id] = db.value(
        "INSERT INTO article_versions (article_id, version, content_hash, text, boilerplate, warnings, ingested_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (article_row, version, digest, article.text, json.dumps([list(s) for s in article.boilerplate]),
         json.dumps(list(article.warnings)), stamp),
    )
    written.stories[article.id] = story_id
    written.fresh.add(article.id)
    written.grown_stories.add(story_id)
    if current is None:
        _index(db, written).record(article_row, story_id, features)
    return status


def _index(db: Database, written: _Written) -> StoredStoryIndex:
    if written.story_index is None:
        written.story_index = StoredStoryIndex(db)
    return written.story_index


def _grouped_story(db: Database, written: _Written, features, key: str) -> str:
    """The story key of the most similar stored story, or this article's own key to start one."""
    best, score = best_story(_index(db, written), features)
    if best is not None and score >= StorySettings.threshold:
        return db.value("SELECT story_key FROM stories WHERE id = ?", (int(best),))
    return key


def _story_id(db: Database, story_key: str, title: str | None, stamp: str) -> int:
    db.execute(
        "INSERT INTO stories (story_key, title, created_at) VALUES (?, ?, ?) ON CONFLICT (story_key) DO NOTHING",
        (story_key, title, stamp),
    )
    return int(db.value("SELECT id FROM stories WHERE story_key = ?", (story_key,)))


def _place_statement(db, ledger, statement, written, identities) -> None:
    """Inserts a statement of a new version, or finds the stored one of an unchanged article (for claims)."""
    version_id = written.version_ids[statement.article]
    fingerprint = statement_fingerprint(statement)
    if statement.article not in written.fresh:
        found = db.value(
            "SELECT id FROM statements WHERE article_version_id = ? AND fingerprint = ?", (version_id, fingerprint)
        )
        if found is not None:
            written.statement_ids[statement.id] = int(found)
        return
    key = written.keys[statement.article]
    speaker = ledger.actor(statement.speaker)
    speaker_id = identities.actor_id(speaker, key) if speaker else None
    if speaker is not None:
        _link_principals(ledger, speaker, key, identities)
    new_id = db.value(
        "INSERT INTO statements (article_version_id, ledger_id, fingerprint, speaker_id, speaker_text,"
        " speaker_start, speaker_end, cue, cue_start, cue_end, content, content_spans, kind, act, topics,"
        " confidence, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (article_version_id, fingerprint) DO NOTHING RETURNING id",
        (version_id, statement.id, fingerprint, speaker_id, statement.speaker_text,
         *_span(statement.speaker_span), statement.cue, *_span(statement.cue_span), statement.content,
         json.dumps([list(s) for s in statement.content_spans]), statement.kind, statement.act,
         json.dumps(list(statement.topics)), statement.confidence, statement.rule),
    )
    if new_id is None:
        return  # the same statement twice in one article: the first one stands
    written.statement_ids[statement.id] = int(new_id)
    written.new_statements.add(statement.id)
    _write_channels(db, ledger, statement, int(new_id), identities)


def _link_principals(ledger: Ledger, actor: Actor, article_key: str, identities: Identities) -> None:
    """Rows for the chain of whom a speaker speaks for (aide -> campaign -> candidate), each linked to the next."""
    seen = {actor.id}
    while actor.principal and actor.principal not in seen:
        principal = ledger.actor(actor.principal)
        if principal is None:
            return  # a dangling reference in the ledger: nothing to point at
        identities.link_principal(identities.actor_id(actor, article_key), identities.actor_id(principal, article_key))
        seen.add(principal.id)
        actor = principal


def _link_repeats(db: Database, ledger: Ledger, written: _Written) -> None:
    """``same_as`` of new statements points at the stored row of the statement they repeat."""
    links = [(written.statement_ids[s.same_as], written.statement_ids[s.id]) for s in ledger.statements
             if s.same_as and s.id in written.new_statements and s.same_as in written.statement_ids
             and s.same_as != s.id]
    db.execute_many("UPDATE statements SET same_as_id = ? WHERE id = ?", links)


def _write_channels(
    db: Database, ledger: Ledger, statement: Statement, statement_row: int, identities: Identities
) -> None:
    for position, channel_ref in enumerate(statement.via):
        channel = ledger.channel(channel_ref)
        if channel is None:
            continue  # a dangling reference in the ledger: nothing to point at
        db.execute(
            "INSERT INTO statement_channels (statement_id, position, channel_id) VALUES (?, ?, ?)",
            (statement_row, position, identities.channel_id(channel)),
        )


def _write_claim(db: Database, claim: Claim, written: _Written) -> int:
    stances = [(written.statement_ids[s.statement], s) for s in claim.stances if s.statement in written.statement_ids]
    if not any(s.statement in written.new_statements for _, s in stances):
        return 0  # nothing new speaks to it: it is already stored, or has nothing to point at
    members = sorted({row for row, _ in stances})
    claim_key = hashlib.sha256(f"{claim.summary}\n{members}".encode("utf-8")).hexdigest()
    story_id = _story_of_statement(db, members[0])
    claim_row = db.value(
        "INSERT INTO claims (claim_key, story_id, summary, status, sources) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (claim_key) DO NOTHING RETURNING id",
        (claim_key, story_id, claim.summary, claim.status, claim.sources),
    )
    if claim_row is None:
        return 0
    for statement_row, stance in stances:
        db.execute(
            "INSERT INTO stances (claim_id, statement_id, stance) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (claim_row, statement_row, stance.stance),
        )
    return 1


def _story_of_statement(db: Database, statement_row: int) -> int | None:
    return db.value(
        "SELECT a.story_id FROM statements s JOIN article_versions v ON v.id = s.article_version_id"
        " JOIN articles a ON a.id = v.article_id WHERE s.id = ?",
        (statement_row,),
    )


def statement_fingerprint(statement: Statement) -> str:
    """Where the statement sits in its text: stable across runs, unlike the ledger's own ``s12`` ids."""
    parts = [statement.kind, statement.content_spans, statement.cue_span, statement.speaker_span]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def _span(span) -> tuple[int | None, int | None]:
    return (span[0], span[1]) if span else (None, None)
