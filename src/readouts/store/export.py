"""Writes one table of the corpus to CSV, JSON Lines or Parquet; reads the database, produces a file or stream.

``articles`` and ``statements`` are exported in a readable shape (the input's own
``id``, the current version's text, the speaker's name, the channel chain);
every other table is exported as stored. JSON columns become lists in JSONL.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from readouts.store.database import Database, Row
from readouts.store.errors import ExportError
from readouts.store.reader import statement_rows_sql

RAW_TABLES = (
    "stories", "article_versions", "actors", "actor_aliases", "channels", "channel_aliases",
    "statement_channels", "claims", "stances", "errors", "schema_version",
)
TABLES = ("articles", "statements", *RAW_TABLES)
FORMATS = ("csv", "jsonl", "parquet")
JSON_COLUMNS = {"boilerplate", "warnings", "content_spans", "topics"}
HIDDEN_COLUMNS = {"content_search"}  # PostgreSQL's derived search vector is not data

_ARTICLES_SQL = (
    "SELECT a.input_id AS id, a.url, a.canonical_url, a.outlet, a.story_id AS story, a.title, a.byline,"
    " a.published, a.published_at, a.language, a.source, a.current_version AS version, v.content_hash, v.text,"
    " v.warnings,"
    " a.id AS article_row, a.first_seen, a.last_seen"
    " FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version"
    " ORDER BY a.id"
)


def export_table(db: Database, table: str, fmt: str, out: str | Path | IO[str]) -> int:
    """Writes every row of ``table`` to ``out`` (a path or a text stream); returns the number of rows."""
    if table not in TABLES:
        raise ExportError(table, "no such table to export", f"choose one of: {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise ExportError(fmt, "unknown export format", f"choose one of: {', '.join(FORMATS)}")
    rows = (_readable(r) for r in db.stream(_table_sql(table)))
    if fmt == "parquet":
        return _write_parquet(rows, out)
    with _text_output(out) as handle:
        return _write_csv(rows, handle) if fmt == "csv" else _write_jsonl(rows, handle)


def _table_sql(table: str) -> str:
    if table == "articles":
        return _ARTICLES_SQL
    if table == "statements":
        return statement_rows_sql()
    return f"SELECT * FROM {table}"  # table is one of RAW_TABLES, never user text


def _readable(row: Row) -> Row:
    return {k: (json.loads(v) if k in JSON_COLUMNS and isinstance(v, str) else v)
            for k, v in row.items() if k not in HIDDEN_COLUMNS}


def _write_jsonl(rows: Iterator[Row], handle: IO[str]) -> int:
    count = 0
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _write_csv(rows: Iterator[Row], handle: IO[str]) -> int:
    writer, count = None, 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(handle, fieldnames=list(row))
            writer.writeheader()
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _write_parquet(rows: Iterator[Row], out: str | Path | IO[str]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError(
            "parquet", "Parquet export needs pyarrow", "pip install pyarrow, or export csv/jsonl"
        ) from exc
    if not isinstance(out, (str, Path)):
        raise ExportError("parquet", "Parquet is binary and needs a file path", "give a path ending in .parquet")
    collected = [{k: _csv_cell(v) for k, v in r.items()} for r in rows]
    pq.write_table(pa.Table.from_pylist(collected), str(out))
    return len(collected)


@contextmanager
def _text_output(out: str | Path | IO[str]):
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            yield handle
    else:
        yield out
