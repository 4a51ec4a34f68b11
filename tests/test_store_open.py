"""Which --db a command accepts: commands that only read refuse a missing file or a non-corpus, with coded errors."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from readouts.cli import main
from readouts.store import open_store
from readouts.store.errors import NotADatabaseError, NotAStoreError, StoreNotFoundError, StoreURLError
from readouts.store.sandbox import scratch_url, unavailable

READ_ONLY = (["query"], ["errors"], ["export", "articles"], ["serve"])


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_a_mistyped_db_path_is_refused_and_not_created(tmp_path, command):
    missing = tmp_path / "corpsu.db"
    result = CliRunner().invoke(main, [*command, "--db", str(missing)])
    assert result.exit_code == 1
    assert "[R414]" in result.output and "corpsu.db" in result.output
    assert not missing.exists()
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", [*READ_ONLY, ["ingest", "-"]], ids=lambda c: c[0])
def test_a_file_that_is_not_sqlite_is_a_coded_error(tmp_path, command):
    notes = tmp_path / "notes.txt"
    notes.write_text("These are my notes, not a database.\n" * 20, encoding="utf-8")
    result = CliRunner().invoke(main, [*command, "--db", str(notes)], input="The minister said so.")
    assert result.exit_code == 1, result.output
    assert "[R415]" in result.output and "not a SQLite database" in result.output
    assert "Traceback" not in result.output
    assert notes.read_text(encoding="utf-8").startswith("These are my notes")


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_a_sqlite_file_without_a_corpus_is_refused_and_left_alone(tmp_path, command):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    result = CliRunner().invoke(main, [*command, "--db", str(other)])
    assert result.exit_code == 1 and "[R416]" in result.output
    with sqlite3.connect(other) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["recipes"]


def test_a_folder_given_as_db_is_refused(tmp_path):
    with pytest.raises(StoreNotFoundError):
        open_store(tmp_path, must_exist=True)


def test_an_existing_corpus_opens_for_reading_and_ingest_may_create_one(tmp_path):
    path = tmp_path / "corpus.db"
    open_store(path).close()  # what ingest does: a new database
    with open_store(path, must_exist=True) as store:
        assert store.stats()["tables"]["articles"] == 0
    with pytest.raises(NotADatabaseError):
        (tmp_path / "junk.db").write_bytes(b"\x00\x01junk" * 100)
        open_store(tmp_path / "junk.db")


def test_serve_with_allow_ingest_may_start_on_a_new_database(tmp_path):
    from readouts.web.app import create_app

    create_app(str(tmp_path / "new.db"), allow_ingest=True, must_exist=False).state.stores.close()
    assert (tmp_path / "new.db").exists()


def test_a_postgresql_server_that_cannot_be_reached_is_a_coded_error():
    result = CliRunner().invoke(main, ["query", "--db", "postgresql://nobody:secret@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "[R410]" in result.output and "cannot connect" in result.output
    assert "secret" not in result.output


def test_a_postgresql_database_without_a_corpus_is_refused_for_reading(tmp_path):
    reason = unavailable("postgresql")
    if reason:
        pytest.skip(reason)
    with scratch_url("postgresql", tmp_path) as url:
        with pytest.raises(NotAStoreError):
            open_store(url, must_exist=True)
        open_store(url).close()
        with open_store(url, must_exist=True) as store:
            assert store.dialect == "postgresql"


def test_unknown_schemes_stay_coded_errors():
    with pytest.raises(StoreURLError):
        open_store("mysql://x/y", must_exist=True)
