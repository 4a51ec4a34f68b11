"""Exports keep who spoke through whom, have fixed columns and types, and are valid files when a table is empty."""

from __future__ import annotations

import csv
import io
import json

import pytest

from readouts.store import open_store
from readouts.store.export_columns import COLUMNS, arrow_schema
from test_store import CEASEFIRE, LAVROV_TEXT, lavrov_ledger, official_ledger

# Readable shapes made by joins; every other table is exported with exactly its stored columns.
JOINED = {"articles", "statements", "statement_channels"}
HIDDEN = {"content_search", "same_as_id"}  # a search vector; a link the readable views do not carry


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        yield opened


def jsonl(store, table):
    out = io.StringIO()
    store.export(table, "jsonl", out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_statements_export_says_through_whom(store):
    store.add_ledger(lavrov_ledger())
    store.add_ledger(official_ledger())
    rows = {r["content"]: r for r in jsonl(store, "statements")}
    assert rows["The ceasefire starts on July 9,"]["via"] == ["Interfax"]
    assert rows["Trump accepted Putin's assurance"]["via"] == []
    assert rows["Lavrov's comment is \"not accurate\""]["via"] == ["NBC News"]
    out = io.StringIO()
    store.export("statements", "csv", out)
    by_content = {r["content"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert json.loads(by_content["The ceasefire starts on July 9,"]["via"]) == ["Interfax"]


def test_the_statement_channel_table_is_exportable_with_names(store):
    store.add_ledger(lavrov_ledger())
    [link] = jsonl(store, "statement_channels")
    statement = next(r for r in jsonl(store, "statements") if r["via"])
    assert (link["statement_id"], link["position"], link["channel"]) == (statement["id"], 0, "Interfax")
    assert link["channel_kind"] == "agency" and isinstance(link["channel_id"], int)


def test_parquet_has_the_declared_schema_with_lists_as_lists(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    store.add_ledger(lavrov_ledger())
    for table in ("statements", "articles", "actors", "article_versions"):
        path = tmp_path / f"{table}.parquet"
        store.export(table, "parquet", path)
        read = pq.read_table(path)
        assert read.schema.equals(arrow_schema(table)), table
    statements = pq.read_table(tmp_path / "statements.parquet").to_pylist()
    spans = {r["content"]: r["content_spans"] for r in statements}
    start = LAVROV_TEXT.index(CEASEFIRE)
    assert spans[CEASEFIRE] == [[start, start + len(CEASEFIRE)]]
    assert all(r["topics"] == [] for r in statements)  # all empty, still a list column
    actors = pq.read_table(tmp_path / "actors.parquet")
    assert str(actors.schema.field("principal_id").type) == "int64"  # all null, still an integer column


@pytest.mark.parametrize("table", sorted(set(COLUMNS) - {"schema_version"}))  # a new store has its version row
def test_an_empty_table_exports_a_header_and_a_valid_parquet_file(store, tmp_path, table):
    pq = pytest.importorskip("pyarrow.parquet")
    names = [name for name, _ in COLUMNS[table]]
    out = io.StringIO()
    assert store.export(table, "csv", out) == 0
    assert out.getvalue().splitlines() == [",".join(names)]
    assert jsonl(store, table) == []
    path = tmp_path / f"{table}.parquet"
    store.export(table, "parquet", path)
    read = pq.read_table(path)
    assert read.column_names == names and read.schema.equals(arrow_schema(table))


@pytest.mark.parametrize("table", sorted(set(COLUMNS) - JOINED))
def test_declared_columns_are_the_stored_columns(store, table):
    if store.dialect == "sqlite":
        stored = {r["name"] for r in store.db.rows(f"PRAGMA table_info({table})")}
    else:
        stored = {r["column_name"] for r in store.db.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ?", (table,))}
    assert {name for name, _ in COLUMNS[table]} == stored - HIDDEN
