"""The columns and types of every exportable table; reads nothing, produces the SQL and the schema each export uses.

Declared once so that an export has the same columns in every format, on either
database, whether the table holds rows or not: CSV always has its header, and
Parquet always has its typed schema (lists as lists, never JSON text). Types are
``int``, ``float``, ``text``, ``texts`` (a list of text) and ``spans`` (a list of
``[start, end]`` character offsets).
"""

from __future__ import annotations

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("id", "text"), ("url", "text"), ("canonical_url", "text"), ("outlet", "text"), ("story", "int"),
        ("title", "text"), ("byline", "text"), ("published", "text"), ("published_at", "text"),
        ("language", "text"), ("source", "text"), ("version", "int"), ("content_hash", "text"), ("text", "text"),
        ("warnings", "texts"), ("article_row", "int"), ("first_seen", "text"), ("last_seen", "text"),
    ),
    "statements": (
        ("id", "int"), ("article", "text"), ("article_row", "int"), ("version", "int"), ("url", "text"),
        ("outlet", "text"), ("published", "text"), ("published_at", "text"), ("story", "int"),
        ("speaker_id", "int"), ("speaker", "text"), ("speaker_text", "text"), ("cue", "text"),
        ("content", "text"), ("content_spans", "spans"), ("kind", "text"), ("act", "text"), ("topics", "texts"),
        ("confidence", "float"), ("rule", "text"), ("via", "texts"),
    ),
    "statement_channels": (
        ("statement_id", "int"), ("position", "int"), ("channel_id", "int"), ("channel", "text"),
        ("channel_kind", "text"),
    ),
    "stories": (("id", "int"), ("story_key", "text"), ("title", "text"), ("created_at", "text")),
    "article_versions": (
        ("id", "int"), ("article_id", "int"), ("version", "int"), ("content_hash", "text"), ("text", "text"),
        ("boilerplate", "spans"), ("warnings", "texts"), ("ingested_at", "text"),
    ),
    "actors": (
        ("id", "int"), ("identity_key", "text"), ("name", "text"), ("kind", "text"), ("role", "text"),
        ("affiliation", "text"), ("descriptor", "text"), ("principal_id", "int"),
    ),
    "actor_aliases": (("actor_id", "int"), ("alias", "text"), ("alias_key", "text")),
    "channels": (("id", "int"), ("name_key", "text"), ("name", "text"), ("kind", "text")),
    "channel_aliases": (("channel_id", "int"), ("alias", "text"), ("alias_key", "text")),
    "claims": (
        ("id", "int"), ("claim_key", "text"), ("story_id", "int"), ("summary", "text"), ("status", "text"),
        ("sources", "int"),
    ),
    "stances": (("claim_id", "int"), ("statement_id", "int"), ("stance", "text")),
    "errors": (
        ("id", "int"), ("source", "text"), ("code", "text"), ("reason", "text"), ("input_excerpt", "text"),
        ("occurrences", "int"), ("first_seen", "text"), ("last_seen", "text"),
    ),
    "schema_version": (("version", "int"), ("applied_at", "text")),
}
LIST_TYPES = {"texts", "spans"}

_ARTICLES_SQL = (
    "SELECT a.input_id AS id, a.url, a.canonical_url, a.outlet, a.story_id AS story, a.title, a.byline,"
    " a.published, a.published_at, a.language, a.source, a.current_version AS version, v.content_hash, v.text,"
    " v.warnings, a.id AS article_row, a.first_seen, a.last_seen"
    " FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version"
    " ORDER BY a.id"
)
_STATEMENT_CHANNELS_SQL = (
    "SELECT sc.statement_id, sc.position, sc.channel_id, c.name AS channel, c.kind AS channel_kind"
    " FROM statement_channels sc JOIN channels c ON c.id = sc.channel_id ORDER BY sc.statement_id, sc.position"
)
_ORDER = {"actor_aliases": "actor_id, alias", "channel_aliases": "channel_id, alias",
          "stances": "claim_id, statement_id", "schema_version": "version"}


def table_sql(table: str, statements_sql: str) -> str:
    """The SELECT that reads ``table`` in its export shape (``statements_sql`` reads the statements)."""
    if table == "articles":
        return _ARTICLES_SQL
    if table == "statements":
        return statements_sql
    if table == "statement_channels":
        return _STATEMENT_CHANNELS_SQL
    names = ", ".join(name for name, _ in COLUMNS[table])  # fixed names from this module, never user text
    return f"SELECT {names} FROM {table} ORDER BY {_ORDER.get(table, 'id')}"


def arrow_schema(table: str):
    """The pyarrow schema of ``table``'s Parquet file."""
    import pyarrow as pa

    kinds = {"int": pa.int64(), "float": pa.float64(), "text": pa.string(), "texts": pa.list_(pa.string()),
             "spans": pa.list_(pa.list_(pa.int64()))}
    return pa.schema([pa.field(name, kinds[kind]) for name, kind in COLUMNS[table]])
