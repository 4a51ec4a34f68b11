"""Opens a SQLite file or a PostgreSQL server behind one small interface; reads a URL, produces a ``Database``.

SQL elsewhere in ``store/`` is written once with ``?`` placeholders; the
PostgreSQL side turns them into psycopg's ``%s``. Transactions are explicit:
nothing is written outside ``with db.transaction():``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from readouts.store.errors import NotADatabaseError, StoreDriverMissingError, StoreNotFoundError, StoreURLError

DEFAULT_PATH = "readouts.db"
Row = dict[str, Any]


class Database:
    """What the store needs from a connection: run SQL, fetch rows as dicts, one transaction at a time."""

    dialect = ""
    label = ""  # where the data lives, safe to print
    url = ""  # how to open it again (may hold a password: never print it)
    driver_errors: tuple[type[Exception], ...] = ()  # what the driver raises, for turning into coded errors

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        raise NotImplementedError

    def execute_many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        for one in params:
            self.execute(sql, one)

    def script(self, sql: str) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def close(self) -> None:
        raise NotImplementedError

    def row(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.row(sql, params)
        return next(iter(found.values())) if found else None

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        """Rows one at a time, for exports larger than memory."""
        yield from self.rows(sql, params)


class SQLiteDatabase(Database):
    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.label = self.url = str(path)
        try:
            # isolation_level=None: the store sends BEGIN/COMMIT itself, so a batch is one transaction.
            # check_same_thread=False: the web server closes a worker thread's connection as that thread
            # ends; one connection is still only ever used by one thread at a time.
            self._conn = sqlite3.connect(str(path), isolation_level=None, timeout=30, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise StoreURLError(
                str(path), f"cannot open the SQLite file: {exc}", "check the path and its folder"
            ) from exc
        self._conn.row_factory = sqlite3.Row
        try:
            # The first statement reads the file header: a file that is not SQLite fails here.
            self._conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise NotADatabaseError(
                str(path), f"the file is not a SQLite database ({exc})",
                "give the path of a Readouts database, or a new path for ingest to create one",
            ) from exc
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA synchronous = NORMAL")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, tuple(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [dict(r) for r in self._conn.execute(sql, tuple(params)).fetchall()]

    def execute_many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, [tuple(p) for p in params])

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        for found in self._conn.execute(sql, tuple(params)):
            yield dict(found)

    def script(self, sql: str) -> None:
        # executescript would COMMIT on its own; statements are run one by one to stay in our transaction.
        for statement in _split_sql(sql):
            self._conn.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front so two writers queue instead of failing mid-batch.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise StoreDriverMissingError(
                _redacted(url), "PostgreSQL needs the psycopg driver", 'pip install "readouts[postgres]"'
            ) from exc
        self.label, self.url = _redacted(url), url
        self.driver_errors = (psycopg.Error,)
        try:
            self._conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreURLError(
                self.label, f"cannot connect: {exc}".strip(), "check host, user, password and database"
            ) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(_pyformat(sql), tuple(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(self._conn.execute(_pyformat(sql), tuple(params)).fetchall())

    def execute_many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        if params:
            with self._conn.cursor() as cursor:
                cursor.executemany(_pyformat(sql), [tuple(p) for p in params])

    def script(self, sql: str) -> None:
        for statement in _split_sql(sql):
            self._conn.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._conn.transaction():
            yield

    def close(self) -> None:
        self._conn.close()


def connect(url: str | Path | None, *, must_exist: bool = False) -> Database:
    """``None``, a path or ``sqlite:///path`` opens SQLite; ``postgresql://`` (or ``postgres://``) opens PostgreSQL.

    ``must_exist`` refuses a SQLite file that is not there instead of creating it (commands that only read).
    """
    text = str(url) if url is not None else DEFAULT_PATH
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return PostgresDatabase(text.replace("postgresql+psycopg://", "postgresql://", 1))
    path = sqlite_path(text)
    if must_exist and not path.is_file():
        raise StoreNotFoundError(
            text, "no database file here" if not path.exists() else "this is not a file",
            "check the --db path (or READOUTS_DB); `readouts ingest` creates a new database",
        )
    return SQLiteDatabase(path)


def sqlite_path(text: str) -> Path:
    if text.startswith("sqlite:"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            raise StoreURLError(
                text, "a sqlite URL names a local file", "write sqlite:///relative.db or sqlite:////abs/path.db"
            )
        text = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
    elif "://" in text:
        raise StoreURLError(
            text, "unknown database URL scheme", "give a file path, sqlite:///file.db or postgresql://..."
        )
    if not text:
        raise StoreURLError(text, "empty database path", "give a file path such as readouts.db")
    path = Path(text).expanduser()
    if not path.parent.is_dir():
        raise StoreURLError(text, f"folder {path.parent} does not exist", "create the folder first")
    return path


def _pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s``; literal percent signs are doubled first."""
    return sql.replace("%", "%%").replace("?", "%s")


def _split_sql(sql: str) -> list[str]:
    """Statements of a migration step; a step may hold ``BEGIN ... END`` trigger bodies, kept whole."""
    statements, current, depth = [], [], 0
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        if re.search(r"\bBEGIN\s*$", stripped, re.IGNORECASE):
            depth += 1
        if depth and re.match(r"END\s*;\s*$", stripped, re.IGNORECASE):
            depth -= 1
        if not depth and stripped.endswith(";"):
            statements.append("\n".join(current))
            current = []
    if current:
        statements.append("\n".join(current))
    return statements


def _redacted(url: str) -> str:
    """The URL without its password, for messages and labels."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
