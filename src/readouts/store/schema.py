"""Brings a database to the current schema; reads ``schema_version``, produces the missing tables.

Each dialect has its own ordered list of SQL steps (``migrations_sqlite``,
``migrations_postgresql``); step N makes version N. A step may come with a function
that fills the columns it adds from the rows already stored (``backfill``). Every step runs in its own
transaction together with the row that records it, so a crash never leaves a
half-applied version behind.
"""

from __future__ import annotations

from datetime import datetime, timezone

from readouts.store import migrations_postgresql, migrations_sqlite
from readouts.store.database import Database
from readouts.store.errors import SchemaTooNewError, StoreURLError

_STEPS = {"sqlite": migrations_sqlite.MIGRATIONS, "postgresql": migrations_postgresql.MIGRATIONS}

CURRENT_VERSION = len(migrations_sqlite.MIGRATIONS)


def migrate(db: Database) -> int:
    """Applies the missing steps and returns the schema version the database is now at."""
    try:
        return _apply_missing_steps(db)
    except db.driver_errors as exc:
        raise StoreURLError(
            db.label, f"cannot create or update the schema: {exc}".strip(),
            "check that this user may create tables there (and that a search_path schema exists)",
        ) from exc


def _apply_missing_steps(db: Database) -> int:
    steps = _STEPS[db.dialect]
    with db.transaction():
        _serialise_migrations(db)
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    version = schema_version(db)
    if version > len(steps):
        raise SchemaTooNewError(
            db.label, f"schema version {version} is newer than this Readouts knows ({len(steps)})", "upgrade Readouts"
        )
    for number in range(version + 1, len(steps) + 1):
        with db.transaction():
            _serialise_migrations(db)
            if schema_version(db) >= number:
                continue  # another process migrated while we waited for the lock
            sql, fill = (steps[number - 1], None) if isinstance(steps[number - 1], str) else steps[number - 1]
            db.script(sql)
            if fill is not None:
                fill(db)  # rows stored before the step get the new column's value in the same transaction
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (number, now()))
    return schema_version(db)


def _serialise_migrations(db: Database) -> None:
    # SQLite's BEGIN IMMEDIATE already excludes other writers; PostgreSQL needs an explicit lock.
    if db.dialect == "postgresql":
        db.execute("SELECT pg_advisory_xact_lock(7262016)")


def schema_version(db: Database) -> int:
    return int(db.value("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version") or 0)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
