"""Writes one table of the corpus to CSV, JSON Lines or Parquet; reads the database, produces a file or stream.

``articles``, ``statements`` (with their ``via`` channel names, nearest first) and
``statement_channels`` (with each channel's name) are exported in a readable
shape; every other table as stored. Columns and types come from
``export_columns``: the same in every format and on both databases, an empty
table included (a CSV header, a Parquet file with its schema). JSON columns become
lists in JSONL and Parquet and JSON text in CSV.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

from readouts.store.database import Database, Row
from readouts.store.errors import ExportError
from readouts.store.export_columns import COLUMNS, LIST_TYPES, arrow_schema, table_sql
from readouts.store.reader import statement_rows_sql, with_channels

TABLES = tuple(COLUMNS)
FORMATS = ("csv", "jsonl", "parquet")
BATCH = 1000  # rows read (and, for Parquet, written) at a time: exports larger than memory stream


def export_table(db: Database, table: str, fmt: str, out: str | Path | IO[str]) -> int:
    """Writes every row of ``table`` to ``out`` (a path or a text stream); returns the number of rows."""
    if table not in TABLES:
        raise ExportError(table, "no such table to export", f"choose one of: {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise ExportError(fmt, "unknown export format", f"choose one of: {', '.join(FORMATS)}")
    batches = _batches(db, table)
    if fmt == "parquet":
        return _write_parquet(table, batches, out)
    with _text_output(out) as handle:
        return _write_csv(table, batches, handle) if fmt == "csv" else _write_jsonl(batches, handle)


def _batches(db: Database, table: str) -> Iterator[list[Row]]:
    rows = db.stream(table_sql(table, statement_rows_sql()))
    lists = {name for name, kind in COLUMNS[table] if kind in LIST_TYPES}
    names = [name for name, _ in COLUMNS[table]]
    while batch := list(islice(rows, BATCH)):
        if table == "statements":
            batch = with_channels(db, batch)
        yield [{name: _decoded(row.get(name), name in lists) for name in names} for row in batch]


def _decoded(value: Any, is_list: bool) -> Any:
    if is_list and isinstance(value, str):
        return json.loads(value)
    return value


def _write_jsonl(batches: Iterator[list[Row]], handle: IO[str]) -> int:
    count = 0
    for batch in batches:
        for row in batch:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        count += len(batch)
    return count


def _write_csv(table: str, batches: Iterator[list[Row]], handle: IO[str]) -> int:
    writer = csv.DictWriter(handle, fieldnames=[name for name, _ in COLUMNS[table]])
    writer.writeheader()
    count = 0
    for batch in batches:
        writer.writerows({k: _csv_cell(v) for k, v in row.items()} for row in batch)
        count += len(batch)
    return count


def _csv_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _write_parquet(table: str, batches: Iterator[list[Row]], out: str | Path | IO[str]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError(
            "parquet", "Parquet export needs pyarrow", 'pip install "readouts[parquet]", or export csv/jsonl'
        ) from exc
    if not isinstance(out, (str, Path)):
        raise ExportError("parquet", "Parquet is binary and needs a file path", "give a path ending in .parquet")
    schema = arrow_schema(table)
    count = 0
    # The writer is opened before any row: an empty table is still a file with its schema.
    with pq.ParquetWriter(str(out), schema) as writer:
        for batch in batches:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


@contextmanager
def _text_output(out: str | Path | IO[str]):
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            yield handle
    else:
        yield out
