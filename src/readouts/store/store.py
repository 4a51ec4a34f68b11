"""The corpus database behind one interface; reads ledgers and failures, produces stored rows, searches and exports.

``open_store`` picks SQLite (a path, ``sqlite:///path`` or nothing: ``readouts.db``)
or PostgreSQL (``postgresql://...``) and brings the schema up to date. Every
``add_ledger`` call is one transaction: it is stored whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from readouts.corpus.stories import StoryFeatures
from readouts.errors import ReadoutsError
from readouts.model import Article, Claim, Failure, Ledger, RawDocument
from readouts.store.database import Database, Row, connect
from readouts.store.errors import NotAStoreError
from readouts.store.export import TABLES, export_table
from readouts.store.reader import query_statements
from readouts.store.schema import migrate, schema_version
from readouts.store.stories import StoredStoryIndex, replace_story_claims, story_ledger
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
        new article joins the most similar stored story or starts one (``corpus.stories``).
        """
        with self.db.transaction():
            return write_ledger(self.db, ledger, story)

    def add_batch(self, ledgers: Sequence[Ledger], failures: Sequence[Failure] = (),
                  group_claims: Callable[[Ledger], Sequence[Claim]] | None = None,
                  features: Sequence[Mapping[str, StoryFeatures]] = ()) -> IngestResult:
        """Stores one-article ledgers and failures in one transaction, then regroups the claims of every
        story that gained an article: ``group_claims`` gets the whole story (statement ids ``s<row>``).

        ``features`` may give, ledger by ledger, the story features of its articles by article id
        (``corpus.stories.story_features``, computed where the article was analysed); missing ones are computed here.
        """
        known = list(features) + [{}] * (len(ledgers) - len(features))
        with self.db.transaction():
            index = StoredStoryIndex(self.db)  # one per transaction: later articles reuse what earlier ones read
            results = [write_ledger(self.db, ledger, story_index=index, features=given)
                       for ledger, given in zip(ledgers, known)]
            errors = sum(record_failure(self.db, failure) for failure in failures)
            grown = sorted({story for result in results for story in result.stories})
            claims = 0
            for story in grown if group_claims else ():
                found = _claims_or_failure(group_claims, story_ledger(self.db, story), story)
                if isinstance(found, Failure):
                    errors += record_failure(self.db, found)  # the story keeps its earlier claims
                else:
                    claims += replace_story_claims(self.db, story, found)
        return _merged(results, errors, claims, grown)

    def document_status(self, document: RawDocument) -> str | None:
        """``unchanged`` when a plain-text document is stored as it is (cleaning keeps plain text
        as given, so this is known before any analysis); None when only the analysis can tell."""
        if document.text is None:
            return None
        return stored_status(self.db, Article(id=document.id, text=document.text, url=document.url))

    def story_of_inputs(self) -> dict[str, int]:
        """Each stored article's input id -> its story row id."""
        return {r["input_id"]: r["story_id"] for r in self.db.rows("SELECT input_id, story_id FROM articles")}

    def story_ledger(self, story: int) -> Ledger:
        """One story's articles, statements, speakers, channels (ids are row ids), without claims."""
        return story_ledger(self.db, story)

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


def _claims_or_failure(group_claims, story: Ledger, story_id: int) -> Sequence[Claim] | Failure:
    """The story's claims, or the reason they could not be grouped: articles are stored either way."""
    try:
        return group_claims(story)
    except ReadoutsError as exc:
        return Failure(f"story {story_id}", exc.code, f"claims not grouped: {exc}")
    except Exception as exc:  # noqa: BLE001 - claims are derived data; a bug there must not lose the batch
        return Failure(f"story {story_id}", "R300", f"claims not grouped ({type(exc).__name__}: {exc})")


def _merged(results: Sequence[IngestResult], errors: int, claims: int, stories: Sequence[int]) -> IngestResult:
    return IngestResult(
        new=tuple(i for r in results for i in r.new),
        changed=tuple(i for r in results for i in r.changed),
        unchanged=tuple(i for r in results for i in r.unchanged),
        statements=sum(r.statements for r in results),
        actors=sum(r.actors for r in results),
        channels=sum(r.channels for r in results),
        claims=claims,
        errors=errors,
        stories=tuple(stories),
    )


def open_store(url: str | Path | None = None, *, must_exist: bool = False) -> Store:
    """Opens (and creates or migrates) the corpus database at ``url``; SQLite ``readouts.db`` by default.

    ``must_exist`` is for commands that only read: a missing SQLite file, or a database that holds no
    Readouts corpus, is a coded error instead of a new empty corpus.
    """
    db = connect(url, must_exist=must_exist)
    if must_exist and not _holds_a_corpus(db):
        label = db.label
        db.close()
        raise NotAStoreError(label, "this database holds no Readouts corpus",
                             "check the --db URL (or READOUTS_DB); `readouts ingest` fills a new one")
    return Store(db)


def _holds_a_corpus(db: Database) -> bool:
    if db.dialect == "postgresql":
        return db.value("SELECT to_regclass('schema_version') IS NOT NULL AS present") is True
    return db.value("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") == 1
