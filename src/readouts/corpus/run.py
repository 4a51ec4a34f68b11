"""Ingests sources into the corpus database; reads files, corpora, feeds and URLs, produces stored articles and stories.

Documents are read in order; plain-text documents already stored unchanged are
skipped before any analysis. The rest go to an executor (this process, a local
pool or a Dask cluster) in small chunks; results come back in input order and the
one writer (this process) commits them a batch at a time: one transaction per
batch, in which new articles join stories and every story that grew has its
claims grouped again. A run that was killed can simply be started again: what
was committed stays, the batch in flight is rolled back and redone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any, TypeVar

from readouts.corpus.analysis import Analysed, Item, StoreResult
from readouts.corpus.executors import make_executor
from readouts.model import Failure, Ledger, RawDocument
from readouts.store import Store, open_store

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
T = TypeVar("T")
CHUNK_SIZE = 8  # documents per task: small enough to spread over workers, large enough to amortise transfer


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
    sources: str | Sequence[str] = (),
    *,
    db: str | Path | Store | None = None,
    batch_size: int = 50,
    progress: Progress | None = None,
    stdin: IO[str] | None = None,
    feeds: Sequence[str] = (),
    workers: int | None = 1,
    executor: str = "local",
    scheduler: Any = None,
    limits: Any = None,
) -> IngestSummary:
    """Reads every document in ``sources`` and ``feeds`` (RSS/Atom URLs or files) into the store at ``db``.

    ``workers`` local processes (None: every core; 1: this process) analyse the
    articles, or ``executor="dask"`` sends them to the Dask ``scheduler``
    (``tcp://host:port`` or a ``distributed.Client``). ``progress`` is called with
    the number of documents done. ``limits`` caps sizes and fetching
    (``readouts.ingest.Limits``).
    """
    from readouts.ingest import read_sources

    if isinstance(sources, (str, Path)):
        sources = [str(sources)]
    store = db if isinstance(db, Store) else open_store(db)
    try:
        items = read_sources(list(sources), stdin=stdin, limits=limits, feeds=list(feeds))
        return ingest_documents(items, store, batch_size, progress, workers=workers, executor=executor,
                                scheduler=scheduler)
    finally:
        if store is not db:
            store.close()


def ingest_documents(
    items: Iterable[RawDocument | Failure],
    store: Store,
    batch_size: int = 50,
    progress: Progress | None = None,
    *,
    workers: int | None = 1,
    executor: str = "local",
    scheduler: Any = None,
) -> IngestSummary:
    """Documents already read (or their failures) into ``store``, one transaction per batch."""
    runner = make_executor(executor, workers, scheduler)
    skipped: list[int] = [0]
    try:
        chunks = _batches(_not_stored(items, store, skipped, progress), CHUNK_SIZE)
        results = (result for chunk in runner.map_chunks(chunks) for result in chunk)
        summary = IngestSummary()
        for batch in _batches(_counted(results, progress), max(1, batch_size)):
            summary += _write_batch(batch, store)
    except BaseException:  # Ctrl-C, SIGTERM or a failure: stop the workers now, do not wait for them
        runner.abort()
        raise
    runner.close()
    return summary + IngestSummary(unchanged=skipped[0])


def _not_stored(items: Iterable[Item], store: Store, skipped: list[int], progress: Progress | None) -> Iterator[Item]:
    """Items still to analyse; plain texts stored unchanged are counted in ``skipped`` and left out."""
    for item in items:
        if isinstance(item, RawDocument) and store.document_status(item) == "unchanged":
            skipped[0] += 1
            if progress:
                progress(1)
            continue
        yield item


def _counted(results: Iterable[StoreResult], progress: Progress | None) -> Iterator[StoreResult]:
    for result in results:
        yield result
        if progress:
            progress(1)


def _write_batch(batch: list[StoreResult], store: Store) -> IngestSummary:
    from readouts.claims import group_claims

    analysed = [r for r in batch if isinstance(r, Analysed)]
    failures = [r for r in batch if isinstance(r, Failure)]
    outcome = store.add_batch([a.ledger for a in analysed], failures, group_claims=_story_claims(group_claims),
                              features=[a.features for a in analysed])
    log.info("committed a batch: %d ingested, %d unchanged, %d failed",
             outcome.ingested, len(outcome.unchanged), len(failures))
    return IngestSummary(outcome.ingested, len(outcome.unchanged), len(failures))


def _story_claims(group_claims):
    def claims_of(story: Ledger):
        return group_claims(list(story.statements), list(story.actors), list(story.channels), list(story.articles))
    return claims_of


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
