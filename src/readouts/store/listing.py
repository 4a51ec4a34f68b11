"""The story and speaker lists of the web UI, filtered and sorted; reads the corpus database, produces pages of rows.

Filters: an outlet (part of its name, any case), a speaker (a name or alias, as
``readouts query --speaker`` matches it), publication dates (``since``/``until``
on ``published_at``, ``until`` including the whole day, month or year) and, for
speakers, part of the speaker's name. Only current article versions count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readouts.store.database import Database, Row
from readouts.store.reader import speaker_filter

STORY_SORTS = {
    "newest": "COALESCE(art.latest_published, st.created_at) DESC, st.id DESC",
    "oldest": "COALESCE(art.published, st.created_at) ASC, st.id ASC",
    "articles": "art.articles DESC, st.id DESC",
    "statements": "statements DESC, st.id DESC",
    "contested": "contested DESC, st.id DESC",
}
SPEAKER_SORTS = {
    "statements": "statements DESC, act.name, act.id",
    "name": "act.name, act.id",
    "recent": "latest_published DESC, act.name, act.id",
}
# Every current statement with what its article says about where and when it appeared.
CURRENT_STATEMENTS = (
    "SELECT s.id, s.speaker_id, a.story_id, a.outlet, a.published_at FROM statements s"
    " JOIN article_versions v ON v.id = s.article_version_id"
    " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
)


@dataclass(frozen=True)
class ListFilter:
    """What a story or speaker list asks for; every field given must match."""

    outlet: str | None = None
    speaker: str | None = None
    since: str | None = None
    until: str | None = None
    name: str | None = None  # part of a speaker's name (speaker lists)


@dataclass(frozen=True)
class Page:
    """One page of rows and how many rows there are in all."""

    items: list[Row]
    total: int
    limit: int
    offset: int


def list_stories(db: Database, limit: int = 50, offset: int = 0, wanted: ListFilter = ListFilter(),
                 sort: str = "newest") -> Page:
    """Stories with their counts, newest first unless ``sort`` (a key of ``STORY_SORTS``) says otherwise;
    ``published`` is the earliest publication date of their articles (None when no article is dated)."""
    where, params = _story_where(wanted)
    # One grouped pass per table instead of correlated subqueries: articles.story_id has no index.
    body = (
        " FROM stories st"
        " JOIN (SELECT story_id, COUNT(*) AS articles, MIN(published_at) AS published,"
        "  MAX(published_at) AS latest_published FROM articles GROUP BY story_id) art ON art.story_id = st.id"
        " LEFT JOIN (SELECT cur.story_id, COUNT(*) AS statements, COUNT(DISTINCT cur.speaker_id) AS speakers"
        f"  FROM ({CURRENT_STATEMENTS}) cur GROUP BY cur.story_id) said ON said.story_id = st.id"
        " LEFT JOIN (SELECT story_id, COUNT(*) AS contested FROM claims WHERE status = 'contested'"
        f"  GROUP BY story_id) disputed ON disputed.story_id = st.id WHERE {where}"
    )
    rows = db.rows(
        "SELECT st.id, st.title, st.created_at, art.articles, art.published, art.latest_published,"
        " COALESCE(said.statements, 0) AS statements, COALESCE(said.speakers, 0) AS speakers,"
        f" COALESCE(disputed.contested, 0) AS contested{body}"
        f" ORDER BY {STORY_SORTS.get(sort, STORY_SORTS['newest'])} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    total = db.value(f"SELECT COUNT(*) AS n{body}", params)
    return Page(rows, int(total or 0), limit, offset)


def list_actors(db: Database, limit: int = 50, offset: int = 0, wanted: ListFilter = ListFilter(),
                sort: str = "statements") -> Page:
    """Speakers with their statements (those matching the filter), most first unless ``sort`` says otherwise."""
    where, params = _statement_where(wanted, "cur")
    if wanted.name:
        where += " AND LOWER(act.name) LIKE ? ESCAPE '\\'"
        params.append(_contains(wanted.name))
    if wanted.speaker:
        clause, values = speaker_filter(wanted.speaker)
        where += " AND act.id IN (SELECT s.speaker_id FROM statements s LEFT JOIN actors act ON act.id = s.speaker_id"
        where += f" WHERE {clause})"
        params.extend(values)
    body = f" FROM actors act JOIN ({CURRENT_STATEMENTS}) cur ON cur.speaker_id = act.id WHERE {where}"
    rows = db.rows(
        "SELECT act.id, act.name, act.kind, act.role, act.affiliation, COUNT(cur.id) AS statements,"
        f" MAX(cur.published_at) AS latest_published{body}"
        " GROUP BY act.id, act.name, act.kind, act.role, act.affiliation"
        f" ORDER BY {SPEAKER_SORTS.get(sort, SPEAKER_SORTS['statements'])} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    total = db.value(f"SELECT COUNT(DISTINCT act.id) AS n{body}", params)
    return Page(rows, int(total or 0), limit, offset)


def outlet_clause(column: str, outlet: str | None) -> tuple[str, list[Any]]:
    """Rows whose ``column`` (an outlet name) contains ``outlet``, any case."""
    if not outlet or not outlet.strip():
        return "", []
    return f"LOWER({column}) LIKE ? ESCAPE '\\'", [_contains(outlet)]


def date_clauses(column: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    clauses, params = [], []
    if since:
        clauses.append(f"{column} >= ?")
        params.append(since)
    if until:
        # A prefix comparison makes until=2017-07-08 include 2017-07-08T23:00.
        clauses.append(f"SUBSTR({column}, 1, LENGTH(?)) <= ?")
        params.extend([until, until])
    return clauses, params


def _story_where(wanted: ListFilter) -> tuple[str, list[Any]]:
    clauses, params = ["1 = 1"], []
    article_where, article_params = _statement_where(wanted, "a")
    if article_where != "1 = 1":
        clauses.append(f"st.id IN (SELECT a.story_id FROM articles a WHERE {article_where})")
        params.extend(article_params)
    if wanted.speaker:
        clause, values = speaker_filter(wanted.speaker)
        clauses.append(
            "st.id IN (SELECT a.story_id FROM statements s"
            " JOIN article_versions v ON v.id = s.article_version_id"
            " JOIN articles a ON a.id = v.article_id AND a.current_version = v.version"
            f" LEFT JOIN actors act ON act.id = s.speaker_id WHERE {clause})"
        )
        params.extend(values)
    return " AND ".join(clauses), params


def _statement_where(wanted: ListFilter, alias: str) -> tuple[str, list[Any]]:
    """Outlet and date conditions on ``alias`` (an articles row, or a row of ``CURRENT_STATEMENTS``)."""
    clauses, params = ["1 = 1"], []
    clause, values = outlet_clause(f"{alias}.outlet", wanted.outlet)
    if clause:
        clauses.append(clause)
        params.extend(values)
    dated, values = date_clauses(f"{alias}.published_at", wanted.since, wanted.until)
    clauses += dated
    params += values
    return " AND ".join(clauses), params


def _contains(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
