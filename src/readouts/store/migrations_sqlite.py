"""The SQLite schema as ordered migration steps; reads nothing, produces SQL for ``schema.migrate``.

Step N brings the database to schema version N. Steps are only ever appended:
a released step is never edited. Names are chosen to read well in sqlite3 or Datasette.
"""

from __future__ import annotations

from collections.abc import Callable

from readouts.store.backfill import published_dates
from readouts.store.database import Database

# The search index's triggers, written by step 1 and again by step 5 when it rebuilds the index.
FTS_TRIGGERS = """
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER statements_fts_update AFTER UPDATE OF content ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO statements_fts(rowid, content) VALUES (new.id, new.content);
END;
"""

INITIAL = (
    """
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    story_key TEXT NOT NULL UNIQUE,
    title TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    article_key TEXT NOT NULL UNIQUE,
    input_id TEXT NOT NULL,
    source TEXT,
    url TEXT,
    canonical_url TEXT,
    outlet TEXT,
    title TEXT,
    byline TEXT,
    published TEXT,
    language TEXT,
    story_id INTEGER REFERENCES stories(id),
    current_version INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX articles_input_id ON articles(input_id);
CREATE INDEX articles_published ON articles(published);
CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    boilerplate TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL,
    UNIQUE (article_id, version)
);
CREATE INDEX article_versions_hash ON article_versions(content_hash);
CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    identity_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT,
    affiliation TEXT,
    descriptor TEXT
);
CREATE TABLE actor_aliases (
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    PRIMARY KEY (actor_id, alias)
);
CREATE INDEX actor_aliases_key ON actor_aliases(alias_key);
CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE TABLE channel_aliases (
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    PRIMARY KEY (channel_id, alias)
);
CREATE INDEX channel_aliases_key ON channel_aliases(alias_key);
CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    article_version_id INTEGER NOT NULL REFERENCES article_versions(id),
    ledger_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    speaker_id INTEGER REFERENCES actors(id),
    speaker_text TEXT,
    speaker_start INTEGER,
    speaker_end INTEGER,
    cue TEXT NOT NULL,
    cue_start INTEGER,
    cue_end INTEGER,
    content TEXT NOT NULL,
    content_spans TEXT NOT NULL,
    kind TEXT NOT NULL,
    act TEXT NOT NULL,
    topics TEXT NOT NULL DEFAULT '[]',
    confidence REAL NOT NULL,
    rule TEXT NOT NULL,
    UNIQUE (article_version_id, fingerprint)
);
CREATE INDEX statements_speaker ON statements(speaker_id);
CREATE TABLE statement_channels (
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    position INTEGER NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    PRIMARY KEY (statement_id, position)
);
CREATE INDEX statement_channels_channel ON statement_channels(channel_id);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    claim_key TEXT NOT NULL UNIQUE,
    story_id INTEGER REFERENCES stories(id),
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    sources INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE stances (
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    stance TEXT NOT NULL,
    PRIMARY KEY (claim_id, statement_id)
);
CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    input_excerpt TEXT NOT NULL DEFAULT '',
    occurrences INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (source, code, reason)
);
CREATE VIRTUAL TABLE statements_fts USING fts5(
    content, content='statements', content_rowid='id', tokenize='porter unicode61'
);
"""
    + FTS_TRIGGERS
)

# Step 2: stories grow incrementally (each article's grouping features are kept so later
# articles can be compared with it), and statements record which earlier statement they repeat.
STORIES = """
CREATE TABLE story_members (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    story_id INTEGER NOT NULL REFERENCES stories(id),
    day TEXT,
    terms TEXT NOT NULL,
    names TEXT NOT NULL
);
CREATE INDEX story_members_day ON story_members(day);
CREATE INDEX story_members_story ON story_members(story_id);
CREATE TABLE story_terms (
    term TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
);
ALTER TABLE statements ADD COLUMN same_as_id INTEGER REFERENCES statements(id);
CREATE INDEX claims_story ON claims(story_id);
"""

# Step 3: an actor may speak for another (a spokesperson, lawyer, aide, office or campaign for
# its principal): the two count as one source, so the row points at the principal's row.
PRINCIPALS = """
ALTER TABLE actors ADD COLUMN principal_id INTEGER REFERENCES actors(id);
"""

# Step 4: the publication date as ISO 8601 text (``clean.dates``) beside the text the article gave,
# so dates compare and sort as dates; rows stored before are filled from their ``published`` text.
PUBLISHED_AT = """
ALTER TABLE articles ADD COLUMN published_at TEXT;
CREATE INDEX articles_published_at ON articles(published_at);
"""

# Step 5: the search index in the form Datasette recognises (content="statements", double-quoted,
# as sqlite-utils writes it), and one view with each statement beside its article, speaker and channels.
DATASETTE = (
    """
DROP TRIGGER statements_fts_insert;
DROP TRIGGER statements_fts_delete;
DROP TRIGGER statements_fts_update;
DROP TABLE statements_fts;
CREATE VIRTUAL TABLE statements_fts USING fts5(
    content, content="statements", content_rowid="id", tokenize='porter unicode61'
);
INSERT INTO statements_fts(statements_fts) VALUES ('rebuild');
"""
    + FTS_TRIGGERS
    + """CREATE VIEW statements_readable AS
SELECT s.id, s.content, s.cue, s.kind, s.act, s.confidence,
    s.speaker_id, act.name AS speaker, act.role AS speaker_role, act.affiliation AS speaker_affiliation,
    s.speaker_text,
    (SELECT group_concat(name, ' > ') FROM (SELECT c.name FROM statement_channels sc
        JOIN channels c ON c.id = sc.channel_id WHERE sc.statement_id = s.id ORDER BY sc.position)) AS via,
    a.id AS article_id, a.input_id AS article, a.title AS article_title, a.outlet, a.url,
    a.published, a.published_at, a.story_id
FROM statements s
JOIN article_versions v ON v.id = s.article_version_id
JOIN articles a ON a.id = v.article_id AND a.current_version = v.version
LEFT JOIN actors act ON act.id = s.speaker_id;
"""
)

MIGRATIONS: tuple[str | tuple[str, Callable[[Database], None]], ...] = (
    INITIAL, STORIES, PRINCIPALS, (PUBLISHED_AT, published_dates), DATASETTE,
)
