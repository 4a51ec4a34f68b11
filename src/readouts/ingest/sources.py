"""Reads every source a user gave; reads paths, directories, corpora, stdin and URLs, produces ``RawDocument`` or ``Failure``.

Nothing is dropped silently: a directory entry that is hidden, of an
unsupported type or unreadable comes back as a Failure with its reason.
No ReadoutsError escapes; each becomes a Failure and the rest goes on.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from readouts.errors import EmptyInputError, NotFoundError, ReadoutsError, UnsupportedSourceError
from readouts.ingest.corpus import failure, read_corpus
from readouts.ingest.decode import decode_bytes
from readouts.ingest.fetch import check_url, fetch_url
from readouts.ingest.files import CORPUS_SUFFIXES, read_article_file, too_large, unsupported
from readouts.ingest.ids import IdRegistry
from readouts.ingest.limits import Limits
from readouts.model import Failure, RawDocument

STDIN = "-"
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)

Item = RawDocument | Failure


def read_sources(
    sources: Sequence[str], *, stdin: IO[str] | None = None, limits: Limits | None = None,
    feeds: Sequence[str] = (),
) -> Iterator[Item]:
    """Every document in ``sources`` (files, directories, ``-``, http(s) URLs, .jsonl/.csv corpora), then every
    entry of ``feeds`` (RSS/Atom URLs or files); ids unique."""
    from readouts.ingest.feeds import read_feed

    limits = limits or Limits()
    registry = IdRegistry()
    for source in sources:
        try:
            yield from _read_one(str(source), registry, stdin, limits)
        except ReadoutsError as exc:
            yield failure(str(source), exc)
    for feed in feeds:
        yield from read_feed(str(feed), registry, limits)


def _read_one(source: str, registry: IdRegistry, stdin: IO[str] | None, limits: Limits) -> Iterator[Item]:
    if source == STDIN:
        yield _read_stdin(stdin if stdin is not None else sys.stdin, registry, limits)
    elif _URL_SCHEME.match(source):
        yield _read_url(source, registry, limits)
    else:
        path = Path(source)
        if path.is_dir():
            yield from _walk(path, registry, limits)
        else:
            yield from _read_path(path, path.name, registry, limits)


def _read_stdin(stream: IO[str] | IO[bytes], registry: IdRegistry, limits: Limits) -> RawDocument:
    """Standard input read as bytes, through the same decoding and binary check as a file."""
    data = _stdin_bytes(stream, limits)
    if len(data) > limits.max_bytes:
        raise too_large("stdin", None, limits)
    if not data.strip():
        raise EmptyInputError("stdin", "nothing was read from standard input", "pipe an article into the command")
    decoded = decode_bytes(data, "stdin")
    warnings = (decoded.warning,) if decoded.warning else ()
    doc_id = registry.claim("stdin")
    if _HTML_START.match(decoded.text):
        return RawDocument(id=doc_id, source="stdin", html=decoded.text, warnings=warnings)
    return RawDocument(id=doc_id, source="stdin", text=decoded.text, warnings=warnings)


def _stdin_bytes(stream: IO[str] | IO[bytes], limits: Limits) -> bytes:
    """At most cap + 1 bytes: from the byte buffer under a text stream (a terminal or a pipe), else
    from the stream itself (a text stream handed in from Python is taken as the text it holds)."""
    binary = getattr(stream, "buffer", None)
    data = (binary if binary is not None else stream).read(limits.max_bytes + 1)
    return data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else data


def _read_url(url: str, registry: IdRegistry, limits: Limits) -> RawDocument:
    check_url(url, url)  # refuse file:// and friends before touching the network
    if url in registry:
        raise UnsupportedSourceError(url, "this URL was already given once", "give each URL once")
    document = fetch_url(url, limits=limits)
    registry.add(url)
    return document


def _read_path(path: Path, label: str, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    """One file: a corpus yields its records, an article file one document; ``label`` is its id (or id prefix)."""
    if not path.exists():
        raise NotFoundError(str(path), "no such file or directory", "check the path")
    if path.suffix.lower() in CORPUS_SUFFIXES:
        yield from read_corpus(path, label, registry, limits)
        return
    doc_id = registry.claim(label, str(path))
    try:
        yield read_article_file(path, doc_id, limits)
    except ReadoutsError as exc:
        yield failure(str(path), exc)


def _walk(root: Path, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    """Every file under ``root``, sorted; ids are paths relative to ``root``."""
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).parts):
        relative = path.relative_to(root)
        if _inside_hidden(relative.parts[:-1]):
            continue  # reported once, at the hidden directory itself
        if path.is_dir() and not path.is_symlink() and not relative.name.startswith("."):
            continue
        try:
            yield from _walk_entry(path, relative, root, registry, limits)
        except ReadoutsError as exc:
            yield failure(str(path), exc)


def _walk_entry(path: Path, relative: Path, root: Path, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    if relative.name.startswith("."):
        what = "directory" if path.is_dir() else "file"
        raise UnsupportedSourceError(
            str(path),
            f"hidden {what}, not read",
            "rename it or give it explicitly if it is an article",
        )
    if path.is_symlink() and path.is_dir():
        raise unsupported(str(path), "a link to a directory is not followed (it could loop)")
    if not path.is_file():
        raise unsupported(str(path), "not a regular file")
    label = relative.as_posix()
    yield from _read_path(path, label, registry, limits)


def _inside_hidden(parent_parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") for part in parent_parts)
