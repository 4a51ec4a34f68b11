"""The RawDocument that ingest hands to clean; reads nothing, produces ``ReadDocument``.

``ReadDocument`` is a :class:`RawDocument` that also carries what reading
noticed (for instance the file was not UTF-8), so clean can pass it on to
``Article.warnings``. Stages that only know ``RawDocument`` still accept it.
"""

from __future__ import annotations

from dataclasses import dataclass

from readouts.model import RawDocument


@dataclass(frozen=True)
class ReadDocument(RawDocument):
    warnings: tuple[str, ...] = ()


def read_warnings(raw: RawDocument) -> tuple[str, ...]:
    """The reading warnings of any RawDocument (none for a plain one)."""
    return tuple(getattr(raw, "warnings", ()) or ())
