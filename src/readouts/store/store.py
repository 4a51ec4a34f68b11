"""The corpus database behind one interface; reads ledgers and failures, produces stored rows, searches and exports.

``open_store`` picks SQLite (a path, ``sqlite:///path`` or nothing: ``readouts.db``)
or PostgreSQL (``postgresql://...``) and brings the schema up to date. Every
``add_ledger`` call is one transaction: it is stored whole or not at all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Any

from readouts.model import Article, Failure, Ledger
from readouts.store.database import Database, Row, connect
from readouts.store.export import TABLES, export_table
from readouts.store.reader import query_statements
from readouts.store.schema import migrate, schema_version
from readouts.store.writer import IngestResult, record_failure, stored_status, write_ledger


class Store:
    """One open corpus database. Use as a context manager or call ``close()``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        migrate(db)

    @property
    def dialect(self) -> str:
        return self.db.dialect

    @property
    def label(self) -> str:
        """Where the data lives, safe to print (no password)."""
        return self.db.label

    @property
    def url(self) -> str:
        """How to open this store again (a PostgreSQL URL may hold a password: do not print it)."""
        return self.db.url

    def add_ledger(self, ledger: Ledger, *, story: str | None = None) -> IngestResult:
        """Stores the ledger's articles, statements, actors, channels, claims and failures in one transaction.

        ``story`` names the story every new article of this ledger joins; without it each
        new article starts a story of its own (placeholder grouping).
        """
        with self.db.transaction():
            return write_ledger(self.db, ledger, story)

    def article_status(self, article: Article) -> str:
        """``new``, ``changed`` or ``unchanged``: what ``add_ledger`` would do with this article."""
        return stored_status(self.db, article)

    def record_error(self, source: str, code: str, reason: str, input_excerpt: str = "") -> None:
        with self.db.transaction():
            record_failure(self.db, Failure(source, code, reason), input_excerpt)

    def errors(self) -> list[Row]:
        return self.db.rows(
            "SELECT source, code, reason, input_excerpt, occurrences, first_seen, last_seen FROM errors ORDER BY id"
        )

    def query_statements(
        self,
        speaker: str | None = None,
        channel: str | None = None,
        text: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        limit: int = 100,
    ) -> list[Row]:
        return query_statements(
            self.db, speaker=speaker, channel=channel, text=text, since=since, until=until, limit=limit
        )

    def export(self, table: str, fmt: str, out: str | Path | IO[str]) -> int:
        """Writes ``table`` as ``csv``, ``jsonl`` (or ``parquet`` with pyarrow) to a path or text stream."""
        return export_table(self.db, table, fmt, out)

    def stats(self) -> dict[str, Any]:
        counts = {t: int(self.db.value(f"SELECT COUNT(*) AS n FROM {t}")) for t in TABLES if t != "schema_version"}
        return {
            "database": self.label,
            "dialect": self.dialect,
            "schema_version": schema_version(self.db),
            "tables": counts,
            "last_ingest": self.db.value("SELECT MAX(ingested_at) AS t FROM article_versions"),
        }

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_store(url: str | Path | None = None) -> Store:
    """Opens (and creates or migrates) the corpus database at ``url``; SQLite ``readouts.db`` by default."""
    return Store(connect(url))
