"""Ingests sources into the corpus database at scale; reads files, corpora, feeds and URLs, produces stored stories.

``ingest`` is the one library call behind ``readouts ingest`` (see ``corpus.run``);
``corpus.stories`` groups articles into stories, ``corpus.executors`` runs the
analysis on local processes or a Dask cluster. Names are loaded on first use so
the store can use the story grouping without importing the whole ingest chain.
"""

from __future__ import annotations

from typing import Any

__all__ = ["IngestSummary", "ingest", "ingest_documents"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from readouts.corpus import run

        return getattr(run, name)
    raise AttributeError(f"module 'readouts.corpus' has no attribute {name!r}")
