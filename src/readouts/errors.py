"""Coded errors that name the input and say what to do; reads nothing, produces exceptions.

Each error carries a stable code (``R1xx`` input, ``R2xx`` fetch, ``R3xx``
processing, ``R4xx`` configuration) so a batch can record it as a
:class:`readouts.model.Failure` and go on.
"""

from __future__ import annotations


class ReadoutsError(Exception):
    """Base of every error Readouts raises on purpose."""

    code = "R000"

    def __init__(self, source: str, reason: str, fix: str = "") -> None:
        self.source = source
        self.reason = reason
        self.fix = fix
        message = f"[{self.code}] {source}: {reason}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class InputError(ReadoutsError):
    """The input exists but cannot be read as an article."""

    code = "R100"


class NotFoundError(InputError):
    code = "R101"


class EmptyInputError(InputError):
    code = "R102"


class BinaryInputError(InputError):
    code = "R103"


class TooLargeError(InputError):
    code = "R104"


class EncodingError(InputError):
    code = "R105"


class CorpusLineError(InputError):
    """One line or row of a JSONL/CSV corpus is broken; the rest of the corpus goes on."""

    code = "R106"


class UnsupportedSourceError(InputError):
    code = "R107"


class TooLongError(InputError):
    """An article longer than the parser reads (``readouts.nlp.MAX_ARTICLE_CHARS``)."""

    code = "R110"


class NoTextError(InputError):
    """HTML or a record in which no article text was found."""

    code = "R108"


class UnsupportedLanguageError(InputError):
    """An article in a language statements are not extracted from: stored with this code as a warning."""

    code = "R111"


class FetchError(ReadoutsError):
    """A URL could not be fetched."""

    code = "R200"


class UnsafeURLError(FetchError):
    code = "R201"


class ProcessingError(ReadoutsError):
    code = "R300"


class WorkerDiedError(ProcessingError):
    """The worker process analysing a document died (out of memory, killed) while on it, twice."""

    code = "R301"


class ConfigError(ReadoutsError):
    code = "R400"


class ModelMissingError(ConfigError):
    code = "R401"


class MissingExtraError(ConfigError):
    """A command needs an optional part of Readouts (an extra) that is not installed."""

    code = "R402"
