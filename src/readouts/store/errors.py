"""Coded errors of the corpus database; reads nothing, produces exceptions that name the store and the fix."""

from __future__ import annotations

from readouts.errors import ConfigError, ProcessingError


class StoreURLError(ConfigError):
    """The database URL or path cannot be opened."""

    code = "R410"


class StoreDriverMissingError(ConfigError):
    """A PostgreSQL URL was given but the psycopg driver is not installed."""

    code = "R411"


class ExportError(ConfigError):
    """An export was asked for a table or format the store does not offer."""

    code = "R412"


class SchemaTooNewError(ConfigError):
    """The database was written by a newer Readouts than the one reading it."""

    code = "R413"


class StoreNotFoundError(ConfigError):
    """A command that only reads was given a SQLite file that does not exist (nothing is created)."""

    code = "R414"


class NotADatabaseError(ConfigError):
    """The file given as the database is not a SQLite database."""

    code = "R415"


class NotAStoreError(ConfigError):
    """A command that only reads was given a database that holds no Readouts corpus."""

    code = "R416"


class StoreWriteError(ProcessingError):
    """A ledger could not be written; the transaction was rolled back."""

    code = "R310"
