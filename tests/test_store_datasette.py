"""The SQLite store as Datasette sees it: its search index detected for the statements table, a readable view."""

from __future__ import annotations

import asyncio
import importlib.util

import pytest

from readouts.store import open_store
from readouts.store.database import connect
from readouts.store.migrations_sqlite import MIGRATIONS
from readouts.store.sandbox import BACKENDS, scratch_url, unavailable
from test_store import lavrov_ledger, official_ledger

# Datasette's own detection query (datasette/utils/__init__.py, detect_fts_sql), run here in plain
# sqlite so the check does not depend on Datasette being installed.
DATASETTE_DETECT_FTS = r"""
    select name from sqlite_master
        where rootpage = 0
        and (
            sql like '%VIRTUAL TABLE%USING FTS%content="{table}"%'
            or sql like '%VIRTUAL TABLE%USING FTS%content=[{table}]%'
            or (
                tbl_name = "{table}"
                and sql like '%VIRTUAL TABLE%USING FTS%'
            )
        )
"""


def detected_fts(db, table: str) -> list[str]:
    return [r["name"] for r in db.rows(DATASETTE_DETECT_FTS.format(table=table))]


@pytest.fixture
def sqlite_store(tmp_path):
    with open_store(tmp_path / "corpus.db") as store:
        store.add_ledger(lavrov_ledger())
        store.add_ledger(official_ledger())
        yield store


def test_datasette_detects_the_statements_search_index(sqlite_store):
    assert detected_fts(sqlite_store.db, "statements") == ["statements_fts"]


def test_the_search_index_still_searches_and_follows_writes(sqlite_store):
    def found(word):
        return [r["content"] for r in sqlite_store.db.rows(
            "SELECT s.content FROM statements s JOIN statements_fts f ON f.rowid = s.id"
            " WHERE statements_fts MATCH ?", (word,))]

    assert found("ceasefire") == ["The ceasefire starts on July 9,"]
    assert sqlite_store.query_statements(text="accurate")[0]["speaker"] == "administration official"
    with sqlite_store.db.transaction():
        sqlite_store.db.execute("UPDATE statements SET content = 'A truce begins' WHERE content LIKE 'The ceasefire%'")
    assert found("ceasefire") == [] and found("truce") == ["A truce begins"]


def test_a_store_made_before_gets_the_detectable_index_with_its_rows(tmp_path):
    db = connect(tmp_path / "old.db")
    with db.transaction():
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        for number, step in enumerate(MIGRATIONS[:3], start=1):
            db.script(step)
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, 'then')", (number,))
        db.execute("INSERT INTO articles (id, article_key, input_id, current_version, first_seen, last_seen)"
                   " VALUES (1, 'k', 'old-1', 1, 'then', 'then')")
        db.execute("INSERT INTO article_versions (id, article_id, version, content_hash, text, ingested_at)"
                   " VALUES (1, 1, 1, 'h', 'The talks failed, he said.', 'then')")
        db.execute("INSERT INTO statements (article_version_id, ledger_id, fingerprint, cue, content,"
                   " content_spans, kind, act, confidence, rule) VALUES (1, 's1', 'f', 'said', 'The talks failed',"
                   " '[[0, 16]]', 'indirect', 'claim', 0.9, 'test')")
    assert detected_fts(db, "statements") == []  # the single-quoted form Datasette misses
    db.close()
    with open_store(tmp_path / "old.db") as store:
        assert detected_fts(store.db, "statements") == ["statements_fts"]
        assert [r["content"] for r in store.query_statements(text="talks")] == ["The talks failed"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_readable_view_joins_article_speaker_and_channels(tmp_path, backend):
    reason = unavailable(backend)
    if reason:
        pytest.skip(reason)
    with scratch_url(backend, tmp_path) as url, open_store(url) as store:
        store.add_ledger(lavrov_ledger())
        rows = {r["content"]: r for r in store.db.rows("SELECT * FROM statements_readable ORDER BY id")}
        quoted = rows["The ceasefire starts on July 9,"]
        assert (quoted["speaker"], quoted["speaker_role"], quoted["via"]) == (
            "Sergey Lavrov", "Foreign Minister", "Interfax")
        assert (quoted["article"], quoted["article_title"], quoted["outlet"]) == (
            "lavrov-1", "Putin meets Trump", "Example News")
        assert quoted["published_at"] == "2017-07-08T10:00:00Z"
        assert rows["Trump accepted Putin's assurance"]["via"] is None


@pytest.mark.skipif(importlib.util.find_spec("datasette") is None, reason="datasette is not installed")
def test_datasette_itself_finds_the_index_and_the_view(sqlite_store):
    from datasette.app import Datasette

    async def look():
        datasette = Datasette([sqlite_store.label])
        database = datasette.get_database()
        fts = await database.fts_table("statements")
        views = await database.view_names()
        name = database.name
        response = await datasette.client.get(f"/{name}/statements.json?_search=ceasefire&_shape=array")
        return fts, views, response.json()

    fts, views, found = asyncio.run(look())
    assert fts == "statements_fts"
    assert "statements_readable" in views
    assert [r["content"] for r in found] == ["The ceasefire starts on July 9,"]
