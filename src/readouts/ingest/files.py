"""Reads one article file from disk within the size cap; reads a path, produces a ``RawDocument``.

The cap is checked on the file size before reading and again on the bytes
read (at most cap + 1), so even a huge file never costs more memory than the cap.
"""

from __future__ import annotations

from pathlib import Path

from readouts.errors import NotFoundError, TooLargeError, UnsupportedSourceError
from readouts.model import RawDocument
from readouts.ingest.decode import decode_bytes
from readouts.ingest.limits import MEGABYTE, Limits

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
CORPUS_SUFFIXES = frozenset({".jsonl", ".ndjson", ".csv"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
SUPPORTED = ", ".join(sorted(ARTICLE_SUFFIXES | CORPUS_SUFFIXES))


def read_article_file(path: Path, doc_id: str, limits: Limits) -> RawDocument:
    """One .txt/.md/.html file as a document; raises an InputError naming the path."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise unsupported(source, f"files ending in {suffix or '(no extension)'} are not read")
    decoded = decode_bytes(read_bounded(path, limits), source)
    warnings = (decoded.warning,) if decoded.warning else ()
    if suffix in HTML_SUFFIXES:
        return RawDocument(id=doc_id, source=source, html=decoded.text, warnings=warnings)
    return RawDocument(id=doc_id, source=source, text=decoded.text, warnings=warnings)


def read_bounded(path: Path, limits: Limits) -> bytes:
    """The bytes of ``path``, refusing anything over ``limits.max_bytes`` without reading it all."""
    source = str(path)
    try:
        if path.is_file() and path.stat().st_size > limits.max_bytes:
            raise too_large(source, path.stat().st_size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError as exc:
        raise NotFoundError(source, "no such file", "check the path") from exc
    except (IsADirectoryError, PermissionError) as exc:
        raise NotFoundError(
            source,
            f"cannot be opened ({exc.strerror})",
            "check the path and its permissions",
        ) from exc
    if len(data) > limits.max_bytes:  # pipes and devices have no size to check up front
        raise too_large(source, None, limits)
    return data


def too_large(source: str, size: int | None, limits: Limits) -> TooLargeError:
    size_text = f"{size / MEGABYTE:.1f} MB" if size is not None else "more than the cap"
    return TooLargeError(
        source,
        f"the input is {size_text}; one article may be at most {limits.max_bytes / MEGABYTE:.1f} MB",
        "split it into articles, or raise the cap (--max-bytes N, or Limits.max_bytes from Python)",
    )


def unsupported(source: str, reason: str) -> UnsupportedSourceError:
    return UnsupportedSourceError(
        source,
        reason,
        f"give one of {SUPPORTED}, a directory, '-' or an http(s) URL",
    )
