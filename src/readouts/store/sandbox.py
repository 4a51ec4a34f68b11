"""Throwaway databases for tests and trials; reads a backend name, produces a URL that is removed afterwards.

SQLite gets a fresh file; PostgreSQL gets a fresh schema in the database named by
``READOUTS_TEST_PG_URL`` (the URL selects it through libpq's ``search_path``
option), dropped with everything in it when the block ends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

PG_ENV = "READOUTS_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def unavailable(backend: str) -> str | None:
    """Why ``backend`` cannot be used here, or None when it can."""
    if backend == "postgresql" and not os.environ.get(PG_ENV):
        return f"{PG_ENV} is not set (scripts/ci_services.sh prints a URL for it)"
    return None


@contextmanager
def scratch_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(folder / f"scratch-{uuid.uuid4().hex[:8]}.db")
        return
    base = os.environ[PG_ENV]
    schema = f"scratch_{uuid.uuid4().hex[:12]}"
    _run(base, f'CREATE SCHEMA "{schema}"')
    try:
        joiner = "&" if "?" in base else "?"
        yield f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"
    finally:
        _run(base, f'DROP SCHEMA "{schema}" CASCADE')


def _run(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)
