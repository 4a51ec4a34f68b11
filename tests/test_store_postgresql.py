"""What is particular to the PostgreSQL store: search_path schemas, stemmed search, concurrent first opens."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from readouts.model import Article, Ledger
from readouts.store import open_store
from readouts.store.errors import StoreURLError
from readouts.store.sandbox import PG_ENV, scratch_url, unavailable
from readouts.store.schema import CURRENT_VERSION


@pytest.fixture
def pg_url(tmp_path):
    reason = unavailable("postgresql")
    if reason:
        pytest.skip(reason)
    with scratch_url("postgresql", tmp_path) as url:
        yield url


def test_a_missing_search_path_schema_is_a_coded_error(pg_url):
    base = os.environ[PG_ENV]
    joiner = "&" if "?" in base else "?"
    with pytest.raises(StoreURLError) as caught:
        open_store(f"{base}{joiner}options=-csearch_path%3Dno_such_schema_here")
    assert "schema" in caught.value.reason


def test_two_first_opens_at_once_migrate_once(pg_url):
    def open_and_report(_):
        with open_store(pg_url) as store:
            return store.stats()["schema_version"]

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(open_and_report, range(3))) == [CURRENT_VERSION] * 3
    with open_store(pg_url) as store:
        assert store.db.value("SELECT COUNT(*) AS n FROM schema_version") == CURRENT_VERSION


def test_articles_are_stored_in_the_selected_schema_only(pg_url, tmp_path):
    with open_store(pg_url) as store:
        store.add_ledger(Ledger(articles=(Article(id="a", text="Some text."),)))
    with scratch_url("postgresql", tmp_path) as other, open_store(other) as elsewhere:
        assert elsewhere.stats()["tables"]["articles"] == 0
