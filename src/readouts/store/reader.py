"""Reads the corpus back: statement search, table exports and counts; reads the database, produces dicts and files.

Searches look at the current version of each article only. ``since``/``until``
compare against the article's normalized ``published_at`` (ISO 8601, read from
whatever date text the article gave: ``clean.dates``); ``until`` includes the whole
day, month or year it names. Undated articles match no date filter.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from readouts.store.database import Database, Row
from readouts.store.keys import channel_key, name_key

_STATEMENT_COLUMNS = (
    "s.id, a.input_id AS article, a.id AS article_row, v.version, a.url, a.outlet, a.published,"
    " a.published_at, a.story_id AS story, s.speaker_id, act.name AS speaker, s.speaker_text, s.cue, s.content,"
    " s.content_spans, s.kind, s.act, s.topics, s.confidence, s.rule"
)
_STATEMENT_FROM = (
    " FROM statements s"
    " JOIN article_versions v ON v.id = s.article_version_id"
    " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
    " LEFT JOIN actors act ON act.id = s.speaker_id"
)
_WORD = re.compile(r"\w+", re.UNICODE)


def query_statements(
    db: Database,
    *,
    speaker: str | None = None,
    channel: str | None = None,
    text: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    limit: int = 100,
) -> list[Row]:
    """Statements matching every filter given, oldest article first, each with its ``via`` channel names."""
    where, params = ["1 = 1"], []
    for clause, values in (
        speaker_filter(speaker),
        _channel_filter(channel),
        _text_filter(db.dialect, text),
        _date_filter(since, until),
    ):
        if clause:
            where.append(clause)
            params.extend(values)
    sql = (
        f"SELECT {_STATEMENT_COLUMNS}{_STATEMENT_FROM} WHERE {' AND '.join(where)}"
        " ORDER BY a.published_at, a.id, s.id LIMIT ?"
    )
    found = db.rows(sql, (*params, max(0, int(limit))))
    return with_channels(db, found)


def statement_rows_sql() -> str:
    """Every statement of every current article version, readable (for exports)."""
    return f"SELECT {_STATEMENT_COLUMNS}{_STATEMENT_FROM} ORDER BY a.id, s.id"


def speaker_filter(speaker: str | None) -> tuple[str, list[Any]]:
    """Statements of the speaker named (name or alias, any spelling ``name_key`` folds; or a part of the name).
    The SQL refers to the statement as ``s`` and its speaker's row as ``act``."""
    if not speaker:
        return "", []
    key = name_key(speaker)
    return (
        "(s.speaker_id IN (SELECT id FROM actors WHERE identity_key = ?"
        " UNION SELECT actor_id FROM actor_aliases WHERE alias_key = ?)"
        " OR LOWER(act.name) LIKE ?)",
        [key, key, f"%{speaker.strip().lower()}%"],
    )


def _channel_filter(channel: str | None) -> tuple[str, list[Any]]:
    if not channel:
        return "", []
    key = channel_key(channel)
    return (
        "EXISTS (SELECT 1 FROM statement_channels sc JOIN channels c ON c.id = sc.channel_id"
        " WHERE sc.statement_id = s.id AND (c.name_key = ?"
        " OR c.id IN (SELECT channel_id FROM channel_aliases WHERE alias_key = ?)))",
        [key, key],
    )


def _text_filter(dialect: str, text: str | None) -> tuple[str, list[Any]]:
    words = _WORD.findall(text or "")
    if not words:
        return "", []
    if dialect == "postgresql":
        return "s.content_search @@ plainto_tsquery('english', ?)", [" ".join(words)]
    # Each word quoted: user text never reaches FTS5 as query syntax (AND, NEAR, stray quotes).
    match = " ".join(f'"{w}"' for w in words)
    return "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)", [match]


def _date_filter(since, until) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if since:
        clauses.append("a.published_at >= ?")
        params.append(_iso(since))
    if until:
        # A prefix comparison makes until=2017-07-08 include 2017-07-08T23:00.
        clauses.append("SUBSTR(a.published_at, 1, LENGTH(?)) <= ?")
        params.extend([_iso(until), _iso(until)])
    return " AND ".join(clauses), params


def _iso(value: str | date) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def with_channels(db: Database, rows: list[Row]) -> list[Row]:
    """The rows with their ``via`` channel names (nearest first) and their JSON columns as lists."""
    if not rows:
        return rows
    ids = [r["id"] for r in rows]
    marks = ", ".join("?" for _ in ids)
    via: dict[int, list[str]] = {i: [] for i in ids}
    for link in db.rows(
        "SELECT sc.statement_id, c.name FROM statement_channels sc JOIN channels c ON c.id = sc.channel_id"
        f" WHERE sc.statement_id IN ({marks}) ORDER BY sc.statement_id, sc.position",
        ids,
    ):
        via[link["statement_id"]].append(link["name"])
    return [{**r, **_decoded(r), "via": via[r["id"]]} for r in rows]


def _decoded(row: Row) -> Row:
    """JSON text columns as lists (PostgreSQL and SQLite both store them as text)."""
    return {k: json.loads(row[k]) for k in ("content_spans", "topics") if isinstance(row.get(k), str)}
