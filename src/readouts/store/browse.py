"""The read queries of the web UI; reads the corpus database, produces rows, counts and whole story ledgers.

Every query looks at the current version of each article only. Ids handed out
here are the database's own integer row ids; a story's ledger names its
statements ``s<row>``, its actors ``a<row>``, its channels ``c<row>`` and its
claims ``k<row>`` so that ids stay unique across the articles of one story.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from readouts.model import Actor, Article, Channel, Claim, Ledger, Stance, Statement
from readouts.store.database import Database, Row

_WORD = re.compile(r"\w+", re.UNICODE)

# One row per statement of a current article version, with what lists and pages show beside it.
_STATEMENT_SELECT = (
    "SELECT s.id, s.speaker_id, act.name AS speaker, act.kind AS speaker_kind, s.speaker_text, s.cue,"
    " s.content, s.kind, s.act, s.confidence, s.rule, a.id AS article_id, a.title AS article_title,"
    " a.outlet, a.published, a.published_at, a.url, a.story_id"
    " FROM statements s"
    " JOIN article_versions v ON v.id = s.article_version_id"
    " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
    " LEFT JOIN actors act ON act.id = s.speaker_id"
)
_CURRENT_STATEMENTS = (
    "SELECT s.id, s.speaker_id, a.story_id FROM statements s"
    " JOIN article_versions v ON v.id = s.article_version_id"
    " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
)


@dataclass(frozen=True)
class Page:
    """One page of rows and how many rows there are in all."""

    items: list[Row]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class StatementFilter:
    """What a statement search asks for; every field given must match."""

    text: str | None = None
    speaker: int | None = None
    channel: int | None = None
    since: str | None = None
    until: str | None = None


# Stories


def list_stories(db: Database, limit: int = 50, offset: int = 0) -> Page:
    """Stories newest first (latest article date, then creation), with their counts; ``published`` is the
    earliest publication date of their articles (None when no article is dated)."""
    # One grouped pass per table instead of correlated subqueries: articles.story_id has no index.
    rows = db.rows(
        "SELECT st.id, st.title, st.created_at, art.articles, art.published, art.latest_published,"
        " COALESCE(said.statements, 0) AS statements, COALESCE(said.speakers, 0) AS speakers,"
        " COALESCE(disputed.contested, 0) AS contested FROM stories st"
        " JOIN (SELECT story_id, COUNT(*) AS articles, MIN(published_at) AS published,"
        "  MAX(published_at) AS latest_published FROM articles"
        "  GROUP BY story_id) art ON art.story_id = st.id"
        " LEFT JOIN (SELECT cur.story_id, COUNT(*) AS statements, COUNT(DISTINCT cur.speaker_id) AS speakers"
        f"  FROM ({_CURRENT_STATEMENTS}) cur GROUP BY cur.story_id) said ON said.story_id = st.id"
        " LEFT JOIN (SELECT story_id, COUNT(*) AS contested FROM claims WHERE status = 'contested'"
        "  GROUP BY story_id) disputed ON disputed.story_id = st.id"
        " ORDER BY COALESCE(art.latest_published, st.created_at) DESC, st.id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    total = db.value("SELECT COUNT(DISTINCT story_id) AS n FROM articles WHERE story_id IS NOT NULL")
    return Page(rows, int(total or 0), limit, offset)


def article_story(db: Database, article: Article) -> int | None:
    """The story a stored article belongs to, found by the same key the writer used."""
    from readouts.store.keys import article_key

    return db.value("SELECT story_id FROM articles WHERE article_key = ?", (article_key(article.url, article.text),))


def story_row(db: Database, story_id: int) -> Row | None:
    return db.row(
        "SELECT id, title, created_at FROM stories WHERE id = ?"
        " AND EXISTS (SELECT 1 FROM articles a WHERE a.story_id = stories.id)",
        (story_id,),
    )


def story_ledger(db: Database, story_id: int) -> Ledger | None:
    """The story's articles, statements, speakers, channels and claims as a ``Ledger``; None for an unknown story."""
    if story_row(db, story_id) is None:
        return None
    articles, article_ids = _story_articles(db, story_id)
    statement_rows = _story_statement_rows(db, story_id)
    via = _channels_of([r["id"] for r in statement_rows], db)
    statements = tuple(_statement(r, article_ids[r["article_id"]], via.get(r["id"], ())) for r in statement_rows)
    actor_rows = {r["speaker_id"] for r in statement_rows if r["speaker_id"] is not None}
    channel_rows = {c for chain in via.values() for c in chain}
    return Ledger(
        articles=articles,
        actors=_actors(db, sorted(actor_rows)),
        channels=_channels(db, sorted(channel_rows)),
        statements=statements,
        claims=_story_claims(db, story_id, {r["id"] for r in statement_rows}),
    )


def _story_articles(db: Database, story_id: int) -> tuple[tuple[Article, ...], dict[int, str]]:
    rows = db.rows(
        "SELECT a.id, a.input_id, a.source, a.url, a.outlet, a.title, a.byline, a.published, a.language,"
        " v.text, v.boilerplate, v.warnings FROM articles a"
        " JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version"
        " WHERE a.story_id = ? ORDER BY a.published_at, a.id",
        (story_id,),
    )
    seen: set[str] = set()
    ids: dict[int, str] = {}
    for row in rows:
        # The input's own id, unless two articles of the story came with the same one.
        ids[row["id"]] = row["input_id"] if row["input_id"] not in seen else f"{row['input_id']}#{row['id']}"
        seen.add(row["input_id"])
    articles = tuple(
        Article(
            id=ids[r["id"]], text=r["text"], source=r["source"] or "", url=r["url"], outlet=r["outlet"],
            title=r["title"], byline=r["byline"], published=r["published"], language=r["language"],
            boilerplate=tuple(tuple(s) for s in json.loads(r["boilerplate"] or "[]")),
            warnings=tuple(json.loads(r["warnings"] or "[]")),
        )
        for r in rows
    )
    return articles, ids


def _story_statement_rows(db: Database, story_id: int) -> list[Row]:
    return db.rows(
        "SELECT s.*, a.id AS article_id FROM statements s"
        " JOIN article_versions v ON v.id = s.article_version_id"
        " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
        " WHERE a.story_id = ? ORDER BY a.published_at, a.id, s.id",
        (story_id,),
    )


def _statement(row: Row, article_id: str, via: tuple[int, ...]) -> Statement:
    return Statement(
        id=f"s{row['id']}",
        article=article_id,
        speaker=f"a{row['speaker_id']}" if row["speaker_id"] is not None else None,
        speaker_text=row["speaker_text"],
        speaker_span=_span(row["speaker_start"], row["speaker_end"]),
        cue=row["cue"],
        cue_span=_span(row["cue_start"], row["cue_end"]),
        content=row["content"],
        content_spans=tuple(tuple(s) for s in json.loads(row["content_spans"] or "[]")),
        kind=row["kind"],
        act=row["act"],
        via=tuple(f"c{c}" for c in via),
        topics=tuple(json.loads(row["topics"] or "[]")),
        confidence=float(row["confidence"]),
        rule=row["rule"],
        same_as=f"s{row['same_as_id']}" if row.get("same_as_id") is not None else None,
    )


def _span(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (int(start), int(end)) if start is not None and end is not None else None


def _channels_of(statement_ids: list[int], db: Database) -> dict[int, tuple[int, ...]]:
    """Each statement's channel chain, nearest first."""
    chains: dict[int, list[int]] = {}
    for chunk in _chunks(statement_ids):
        marks = ", ".join("?" for _ in chunk)
        for link in db.rows(
            f"SELECT statement_id, channel_id FROM statement_channels WHERE statement_id IN ({marks})"
            " ORDER BY statement_id, position",
            chunk,
        ):
            chains.setdefault(link["statement_id"], []).append(link["channel_id"])
    return {k: tuple(v) for k, v in chains.items()}


def _actors(db: Database, ids: list[int]) -> tuple[Actor, ...]:
    rows = _rows_by_id(db, "SELECT * FROM actors", ids)
    aliases = _aliases(db, "actor_aliases", "actor_id", ids)
    present = set(ids)  # a principal outside the ledger would be an id pointing at nothing
    return tuple(
        Actor(id=f"a{r['id']}", name=r["name"], kind=r["kind"], role=r["role"], affiliation=r["affiliation"],
              aliases=tuple(aliases.get(r["id"], ())), descriptor=r["descriptor"],
              principal=f"a{r['principal_id']}" if r["principal_id"] in present else None)
        for r in rows
    )


def _channels(db: Database, ids: list[int]) -> tuple[Channel, ...]:
    rows = _rows_by_id(db, "SELECT * FROM channels", ids)
    aliases = _aliases(db, "channel_aliases", "channel_id", ids)
    return tuple(
        Channel(id=f"c{r['id']}", name=r["name"], kind=r["kind"], aliases=tuple(aliases.get(r["id"], ())))
        for r in rows
    )


def _rows_by_id(db: Database, select: str, ids: list[int]) -> list[Row]:
    found: list[Row] = []
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        found += db.rows(f"{select} WHERE id IN ({marks}) ORDER BY id", chunk)
    return sorted(found, key=lambda r: r["id"])


def _aliases(db: Database, table: str, owner: str, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        # table and owner are fixed names from this module, never user text.
        for row in db.rows(f"SELECT {owner} AS owner, alias FROM {table} WHERE {owner} IN ({marks}) ORDER BY alias",
                           chunk):
            found.setdefault(row["owner"], []).append(row["alias"])
    return found


def _story_claims(db: Database, story_id: int, statement_ids: set[int]) -> tuple[Claim, ...]:
    """Claims filed under the story; their stances only where the statement belongs to the story."""
    claims = db.rows(
        "SELECT id, summary, status, sources FROM claims WHERE story_id = ? ORDER BY id", (story_id,)
    )
    stances: dict[int, list[Stance]] = {}
    for row in db.rows(
        "SELECT st.claim_id, st.statement_id, st.stance FROM stances st JOIN claims k ON k.id = st.claim_id"
        " WHERE k.story_id = ? ORDER BY st.claim_id, st.statement_id",
        (story_id,),
    ):
        if row["statement_id"] in statement_ids:
            stances.setdefault(row["claim_id"], []).append(Stance(f"s{row['statement_id']}", row["stance"]))
    return tuple(
        Claim(id=f"k{c['id']}", summary=c["summary"], status=c["status"],
              stances=tuple(stances.get(c["id"], ())), sources=int(c["sources"] or 0))
        for c in claims
    )


# Speakers


def actor_row(db: Database, actor_id: int) -> Row | None:
    row = db.row("SELECT id, name, kind, role, affiliation, descriptor, principal_id FROM actors WHERE id = ?",
                 (actor_id,))
    if row is None:
        return None
    aliases = _aliases(db, "actor_aliases", "actor_id", [actor_id]).get(actor_id, [])
    statements = db.value(f"SELECT COUNT(*) AS n FROM ({_CURRENT_STATEMENTS}) cur WHERE cur.speaker_id = ?",
                          (actor_id,))
    return {**row, "aliases": aliases, "statements": int(statements or 0)}


def actor_channels(db: Database, actor_id: int) -> list[Row]:
    """The channels a speaker's statements came through, most used first."""
    return db.rows(
        "SELECT c.id, c.name, c.kind, COUNT(*) AS statements FROM statement_channels sc"
        " JOIN channels c ON c.id = sc.channel_id"
        f" JOIN ({_CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
        " WHERE cur.speaker_id = ? GROUP BY c.id, c.name, c.kind ORDER BY statements DESC, c.name",
        (actor_id,),
    )


def actor_claims(db: Database, actor_id: int) -> list[Row]:
    """Claims the speaker's statements take a stance on: one row per claim and stance, with how many statements."""
    return db.rows(
        "SELECT k.id, k.summary, k.status, k.story_id, st.stance, COUNT(*) AS statements FROM stances st"
        " JOIN claims k ON k.id = st.claim_id"
        f" JOIN ({_CURRENT_STATEMENTS}) cur ON cur.id = st.statement_id"
        " WHERE cur.speaker_id = ? GROUP BY k.id, k.summary, k.status, k.story_id, st.stance"
        " ORDER BY k.story_id DESC, k.id, st.stance",
        (actor_id,),
    )


def list_actors(db: Database, limit: int = 50, offset: int = 0) -> Page:
    """Speakers with most statements first."""
    rows = db.rows(
        "SELECT act.id, act.name, act.kind, act.role, act.affiliation, COUNT(cur.id) AS statements"
        f" FROM actors act JOIN ({_CURRENT_STATEMENTS}) cur ON cur.speaker_id = act.id"
        " GROUP BY act.id, act.name, act.kind, act.role, act.affiliation"
        " ORDER BY statements DESC, act.name, act.id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    total = db.value(f"SELECT COUNT(DISTINCT cur.speaker_id) AS n FROM ({_CURRENT_STATEMENTS}) cur")
    return Page(rows, int(total or 0), limit, offset)


# Channels


def list_channels(db: Database, limit: int = 50, offset: int = 0) -> Page:
    """Channels with most statements first (channels no current statement uses are left out)."""
    rows = db.rows(
        "SELECT c.id, c.name, c.kind, COUNT(*) AS statements FROM channels c"
        " JOIN statement_channels sc ON sc.channel_id = c.id"
        f" JOIN ({_CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
        " GROUP BY c.id, c.name, c.kind ORDER BY statements DESC, c.name, c.id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    total = db.value(
        "SELECT COUNT(DISTINCT sc.channel_id) AS n FROM statement_channels sc"
        f" JOIN ({_CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
    )
    return Page(rows, int(total or 0), limit, offset)


def channel_row(db: Database, channel_id: int) -> Row | None:
    row = db.row("SELECT id, name, kind FROM channels WHERE id = ?", (channel_id,))
    if row is None:
        return None
    aliases = _aliases(db, "channel_aliases", "channel_id", [channel_id]).get(channel_id, [])
    statements = db.value(
        f"SELECT COUNT(*) AS n FROM statement_channels sc JOIN ({_CURRENT_STATEMENTS}) cur"
        " ON cur.id = sc.statement_id WHERE sc.channel_id = ?",
        (channel_id,),
    )
    return {**row, "aliases": aliases, "statements": int(statements or 0)}


def channel_speakers(db: Database, channel_id: int) -> list[Row]:
    """Who spoke through a channel, most statements first."""
    return db.rows(
        "SELECT act.id, act.name, act.kind, act.role, act.affiliation, COUNT(*) AS statements"
        " FROM statement_channels sc"
        f" JOIN ({_CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
        " JOIN actors act ON act.id = cur.speaker_id WHERE sc.channel_id = ?"
        " GROUP BY act.id, act.name, act.kind, act.role, act.affiliation ORDER BY statements DESC, act.name",
        (channel_id,),
    )


# Statements


def search_statements(
    db: Database, wanted: StatementFilter, limit: int = 50, offset: int = 0, oldest_first: bool = False
) -> Page:
    """Statements matching every filter, newest article first (oldest first for a timeline)."""
    where, params = _statement_where(db.dialect, wanted)
    order = "ASC" if oldest_first else "DESC"
    rows = db.rows(
        f"{_STATEMENT_SELECT} WHERE {where}"
        f" ORDER BY a.published_at {order}, a.id {order}, s.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    total = db.value(
        "SELECT COUNT(*) AS n FROM statements s JOIN article_versions v ON v.id = s.article_version_id"
        " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
        f" LEFT JOIN actors act ON act.id = s.speaker_id WHERE {where}",
        params,
    )
    return Page(_with_via(db, rows), int(total or 0), limit, offset)


def _statement_where(dialect: str, wanted: StatementFilter) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    words = _WORD.findall(wanted.text or "")
    if words and dialect == "postgresql":
        clauses.append("s.content_search @@ plainto_tsquery('english', ?)")
        params.append(" ".join(words))
    elif words:
        # Each word quoted: user text never reaches FTS5 as query syntax (AND, NEAR, stray quotes).
        clauses.append("s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
        params.append(" ".join(f'"{w}"' for w in words))
    if wanted.speaker is not None:
        clauses.append("s.speaker_id = ?")
        params.append(wanted.speaker)
    if wanted.channel is not None:
        clauses.append("EXISTS (SELECT 1 FROM statement_channels sc WHERE sc.statement_id = s.id AND sc.channel_id = ?)")
        params.append(wanted.channel)
    if wanted.since:
        clauses.append("a.published_at >= ?")
        params.append(wanted.since)
    if wanted.until:
        # A prefix comparison makes until=2017-07-08 include 2017-07-08T23:00.
        clauses.append("SUBSTR(a.published_at, 1, LENGTH(?)) <= ?")
        params.extend([wanted.until, wanted.until])
    return " AND ".join(clauses), params


def _with_via(db: Database, rows: list[Row]) -> list[Row]:
    chains = _channels_of([r["id"] for r in rows], db)
    names = {r["id"]: r["name"] for r in _rows_by_id(db, "SELECT id, name FROM channels",
                                                     sorted({c for v in chains.values() for c in v}))}
    return [{**r, "via": [{"id": c, "name": names[c]} for c in chains.get(r["id"], ())]} for r in rows]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """Id lists cut small enough for SQLite's bound-parameter limit."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]
