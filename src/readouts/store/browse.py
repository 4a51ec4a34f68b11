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
from readouts.store.listing import (CURRENT_STATEMENTS, ListFilter, Page, date_clauses, list_actors, list_stories,
                                    outlet_clause)
from readouts.store.outlets import channel_keys, is_outlet
from readouts.store.reader import speaker_filter

__all__ = ["ListFilter", "Page", "StatementFilter", "list_actors", "list_stories", "search_statements"]

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


@dataclass(frozen=True)
class StatementFilter:
    """What a statement search asks for; every field given must match."""

    text: str | None = None
    speaker: int | None = None
    channel: int | None = None
    since: str | None = None
    until: str | None = None
    speaker_name: str | None = None  # a name or alias, matched as ``readouts query --speaker`` matches it
    outlet: str | None = None  # part of the outlet's name, any case


# Stories


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
    statements = db.value(f"SELECT COUNT(*) AS n FROM ({CURRENT_STATEMENTS}) cur WHERE cur.speaker_id = ?",
                          (actor_id,))
    return {**row, "aliases": aliases, "statements": int(statements or 0)}


def actor_channels(db: Database, actor_id: int) -> list[Row]:
    """The channels a speaker's statements came through, most used first; an article's own outlet is
    not a channel its speakers used (``store.outlets``)."""
    rows = db.rows(
        "SELECT c.id, c.name, c.kind, cur.outlet, COUNT(*) AS statements FROM statement_channels sc"
        " JOIN channels c ON c.id = sc.channel_id"
        f" JOIN ({CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
        " WHERE cur.speaker_id = ? GROUP BY c.id, c.name, c.kind, cur.outlet",
        (actor_id,),
    )
    keys = channel_keys(db, (r["id"] for r in rows))
    used: dict[int, Row] = {}
    for row in rows:
        if is_outlet(keys, row["id"], row["outlet"]):
            continue
        found = used.setdefault(row["id"], {"id": row["id"], "name": row["name"], "kind": row["kind"], "statements": 0})
        found["statements"] += int(row["statements"])
    return sorted(used.values(), key=lambda r: (-r["statements"], r["name"]))


def actor_claims(db: Database, actor_id: int) -> list[Row]:
    """Claims the speaker's statements take a stance on: one row per claim and stance, with how many statements."""
    return db.rows(
        "SELECT k.id, k.summary, k.status, k.story_id, st.stance, COUNT(*) AS statements FROM stances st"
        " JOIN claims k ON k.id = st.claim_id"
        f" JOIN ({CURRENT_STATEMENTS}) cur ON cur.id = st.statement_id"
        " WHERE cur.speaker_id = ? GROUP BY k.id, k.summary, k.status, k.story_id, st.stance"
        " ORDER BY k.story_id DESC, k.id, st.stance",
        (actor_id,),
    )


# Channels


def list_channels(db: Database, limit: int = 50, offset: int = 0) -> Page:
    """Channels with most statements first (channels no current statement uses are left out)."""
    rows = db.rows(
        "SELECT c.id, c.name, c.kind, COUNT(*) AS statements FROM channels c"
        " JOIN statement_channels sc ON sc.channel_id = c.id"
        f" JOIN ({CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
        " GROUP BY c.id, c.name, c.kind ORDER BY statements DESC, c.name, c.id LIMIT ? OFFSET ?",
        (limit, offset),
    )
    total = db.value(
        "SELECT COUNT(DISTINCT sc.channel_id) AS n FROM statement_channels sc"
        f" JOIN ({CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
    )
    return Page(rows, int(total or 0), limit, offset)


def channel_row(db: Database, channel_id: int) -> Row | None:
    row = db.row("SELECT id, name, kind FROM channels WHERE id = ?", (channel_id,))
    if row is None:
        return None
    aliases = _aliases(db, "channel_aliases", "channel_id", [channel_id]).get(channel_id, [])
    statements = db.value(
        f"SELECT COUNT(*) AS n FROM statement_channels sc JOIN ({CURRENT_STATEMENTS}) cur"
        " ON cur.id = sc.statement_id WHERE sc.channel_id = ?",
        (channel_id,),
    )
    return {**row, "aliases": aliases, "statements": int(statements or 0)}


def channel_speakers(db: Database, channel_id: int) -> list[Row]:
    """Who spoke through a channel, most statements first."""
    return db.rows(
        "SELECT act.id, act.name, act.kind, act.role, act.affiliation, COUNT(*) AS statements"
        " FROM statement_channels sc"
        f" JOIN ({CURRENT_STATEMENTS}) cur ON cur.id = sc.statement_id"
        " JOIN actors act ON act.id = cur.speaker_id WHERE sc.channel_id = ?"
        " GROUP BY act.id, act.name, act.kind, act.role, act.affiliation ORDER BY statements DESC, act.name",
        (channel_id,),
    )


# Statements


STATEMENT_SORTS = {
    "newest": "a.published_at {desc}, a.id {desc}, s.id",
    "oldest": "a.published_at {asc}, a.id, s.id",
    "speaker": "COALESCE(act.name, s.speaker_text, '') ASC, a.published_at {desc}, s.id",
}


def search_statements(
    db: Database, wanted: StatementFilter, limit: int = 50, offset: int = 0, oldest_first: bool = False,
    sort: str | None = None,
) -> Page:
    """Statements matching every filter, newest article first (oldest first for a timeline, or by ``sort``:
    a key of ``STATEMENT_SORTS``). Undated articles come last either way."""
    where, params = _statement_where(db.dialect, wanted)
    order = STATEMENT_SORTS.get(sort or ("oldest" if oldest_first else "newest"), STATEMENT_SORTS["newest"])
    rows = db.rows(
        f"{_STATEMENT_SELECT} WHERE {where}"
        f" ORDER BY {order.format(desc=_DESC_NULLS_LAST, asc=_ASC_NULLS_LAST)} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    total = db.value(
        "SELECT COUNT(*) AS n FROM statements s JOIN article_versions v ON v.id = s.article_version_id"
        " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
        f" LEFT JOIN actors act ON act.id = s.speaker_id WHERE {where}",
        params,
    )
    return Page(_with_via(db, rows), int(total or 0), limit, offset)


# Both databases know NULLS LAST (SQLite since 3.30): undated statements after the dated ones.
_DESC_NULLS_LAST = "DESC NULLS LAST"
_ASC_NULLS_LAST = "ASC NULLS LAST"


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
    if wanted.speaker_name:
        clause, values = speaker_filter(wanted.speaker_name)
        clauses.append(clause)
        params.extend(values)
    if wanted.channel is not None:
        clauses.append("EXISTS (SELECT 1 FROM statement_channels sc WHERE sc.statement_id = s.id AND sc.channel_id = ?)")
        params.append(wanted.channel)
    outlet, values = outlet_clause("a.outlet", wanted.outlet)
    if outlet:
        clauses.append(outlet)
        params.extend(values)
    dated, values = date_clauses("a.published_at", wanted.since, wanted.until)
    return " AND ".join(clauses + dated), params + values


def _with_via(db: Database, rows: list[Row]) -> list[Row]:
    """Each statement's channels, nearest first, without its article's own outlet (shown as the outlet)."""
    chains = _channels_of([r["id"] for r in rows], db)
    used = sorted({c for v in chains.values() for c in v})
    names = {r["id"]: r["name"] for r in _rows_by_id(db, "SELECT id, name FROM channels", used)}
    keys = channel_keys(db, used)
    return [{**r, "via": [{"id": c, "name": names[c]} for c in chains.get(r["id"], ())
                          if not is_outlet(keys, c, r.get("outlet"))]} for r in rows]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    """Id lists cut small enough for SQLite's bound-parameter limit."""
    return [ids[i:i + size] for i in range(0, len(ids), size)]
