"""What is particular to the SQLite store: the file and its URL forms, WAL, foreign keys, FTS5, migrations."""

from __future__ import annotations

import sqlite3

import pytest

from readouts.store import open_store
from readouts.store.errors import SchemaTooNewError, StoreURLError
from readouts.store.schema import CURRENT_VERSION


def test_default_store_is_readouts_db_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.dialect == "sqlite"
    assert (tmp_path / "readouts.db").is_file()


@pytest.mark.parametrize("form", ["sqlite:///{rel}", "{abs}", "sqlite:///{abs}"])
def test_path_and_sqlite_url_forms_open_the_same_file(tmp_path, monkeypatch, form):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "corpus.db"
    with open_store(form.format(rel="corpus.db", abs=str(target))):
        pass
    assert target.is_file()


def test_file_is_readable_with_plain_sqlite3(tmp_path):
    path = tmp_path / "c.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {"articles", "article_versions", "actors", "actor_aliases", "channels", "statements",
            "statement_channels", "claims", "stances", "stories", "errors", "schema_version",
            "statements_fts"} <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == CURRENT_VERSION


def test_foreign_keys_are_enforced(tmp_path):
    with open_store(tmp_path / "c.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            with store.db.transaction():
                store.db.execute(
                    "INSERT INTO statement_channels (statement_id, position, channel_id) VALUES (?, ?, ?)", (41, 0, 42)
                )


def test_opening_twice_does_not_migrate_twice(tmp_path):
    open_store(tmp_path / "c.db").close()
    open_store(tmp_path / "c.db").close()
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == CURRENT_VERSION


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    open_store(tmp_path / "c.db").close()
    conn = sqlite3.connect(tmp_path / "c.db")
    conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, 'later')", (CURRENT_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError):
        open_store(tmp_path / "c.db")


@pytest.mark.parametrize("bad", ["mysql://host/db", "sqlite://otherhost/x.db", "{missing}/x.db"])
def test_unusable_urls_say_what_to_do(tmp_path, bad):
    with pytest.raises(StoreURLError) as caught:
        open_store(bad.format(missing=tmp_path / "no-such-folder"))
    assert caught.value.code == "R410" and caught.value.fix


def test_unreachable_postgresql_is_a_coded_error_without_the_password():
    with pytest.raises(StoreURLError) as caught:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "s3cret" not in str(caught.value)


def test_a_database_of_an_earlier_version_is_brought_up_to_date(tmp_path):
    from readouts.store.migrations_sqlite import MIGRATIONS

    conn = sqlite3.connect(tmp_path / "c.db")
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for number, step in enumerate(MIGRATIONS[:2], start=1):
        conn.executescript(step)
        conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, 'then')", (number,))
    conn.execute("INSERT INTO actors (identity_key, name, kind) VALUES ('lavrov', 'Lavrov', 'person')")
    conn.commit()
    conn.close()
    with open_store(tmp_path / "c.db") as store:
        assert store.stats()["schema_version"] == CURRENT_VERSION
        assert store.db.rows("SELECT name, principal_id FROM actors") == [{"name": "Lavrov", "principal_id": None}]
