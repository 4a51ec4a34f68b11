"""Ingests sources into the corpus database batch by batch; reads files, corpora and URLs, produces stored ledgers.

One library call behind ``readouts ingest``: documents are read with
``readouts.ingest.read_sources``, cleaned, and every batch of articles goes
through the pipeline and into the store in one transaction. An article whose
exact text is already stored is skipped before the (slow) NLP stages, so a run
that was killed can simply be started again: what was committed stays, the
batch in flight is rolled back and redone, nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, TypeVar

from readouts.model import Failure, RawDocument
from readouts.store import Store, open_store

Progress = Callable[[int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class IngestSummary:
    """Documents stored (new or a new version), already stored unchanged, and failed (see the errors table)."""

    ingested: int = 0
    unchanged: int = 0
    failed: int = 0

    def __add__(self, other: "IngestSummary") -> "IngestSummary":
        return IngestSummary(
            self.ingested + other.ingested, self.unchanged + other.unchanged, self.failed + other.failed
        )


def ingest(
    sources: str | Sequence[str],
    *,
    db: str | Path | Store | None = None,
    batch_size: int = 50,
    progress: Progress | None = None,
    stdin: IO[str] | None = None,
) -> IngestSummary:
    """Reads every document in ``sources`` into the store at ``db`` (a URL, a path, an open Store or the default file).

    ``progress`` is called with the number of documents done after each article or failure.
    """
    from readouts.ingest import read_sources

    if isinstance(sources, (str, Path)):
        sources = [str(sources)]
    store = db if isinstance(db, Store) else open_store(db)
    try:
        return ingest_documents(read_sources(list(sources), stdin=stdin), store, batch_size, progress)
    finally:
        if store is not db:
            store.close()


def ingest_documents(
    items: Iterable[RawDocument | Failure],
    store: Store,
    batch_size: int = 50,
    progress: Progress | None = None,
) -> IngestSummary:
    """Documents already read (or their failures) into ``store``, one transaction per batch."""
    summary = IngestSummary()
    for batch in _batches(items, max(1, batch_size)):
        summary += _ingest_batch(batch, store, progress)
    return summary


def _ingest_batch(batch: list[RawDocument | Failure], store: Store, progress: Progress | None) -> IngestSummary:
    from readouts.pipeline import build_ledger, clean_all

    articles, failures = clean_all(batch)
    fresh = [a for a in articles if store.article_status(a) != "unchanged"]
    skipped = len(articles) - len(fresh)
    if progress and (skipped or failures):
        progress(skipped + len(failures))
    ledger = build_ledger(fresh, failures, progress=progress)
    result = store.add_ledger(ledger)
    return IngestSummary(result.ingested, skipped + len(result.unchanged), len(failures))


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
