"""The corpus database, SQLite by default and PostgreSQL by URL; reads ledgers, produces a queryable store.

This package is the only place in Readouts that holds SQL.
"""

from readouts.store.store import Store, open_store
from readouts.store.writer import IngestResult

__all__ = ["IngestResult", "Store", "open_store"]
