"""Reads JSONL and CSV corpora record by record; reads a corpus file, produces ``RawDocument`` or ``Failure``.

A broken line, a record without text or a duplicate id becomes a Failure that
names the file and line; the other records go on. Lines are read with a bound
so one enormous record cannot exhaust memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from readouts.errors import CorpusLineError, EmptyInputError, InputError, NotFoundError, ReadoutsError
from readouts.ingest.files import too_large
from readouts.ingest.ids import IdRegistry
from readouts.ingest.limits import Limits
from readouts.model import Failure, RawDocument

ID_FIELDS = ("id", "doc_id", "article_id")
BODY_FIELDS = ("text", "html")
CORPUS_FIX = "fix or remove that record; the other records were read"
_CHUNK = 1024 * 1024

Item = RawDocument | Failure


def read_corpus(path: Path, label: str, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    """Every record of a .jsonl/.ndjson or .csv corpus; ``label`` names the file in ids and sources."""
    try:
        if not path.is_file():
            raise NotFoundError(str(path), "no such corpus file", "check the path")
        if path.stat().st_size == 0:
            raise EmptyInputError(str(path), "the corpus file is empty", "give a corpus with one record per line")
    except ReadoutsError as exc:
        yield failure(str(path), exc)
        return
    reader = _read_csv if path.suffix.lower() == ".csv" else _read_jsonl
    yield from reader(path, label, registry, limits)


def failure(source: str, exc: ReadoutsError) -> Failure:
    return Failure(source, exc.code, str(exc))


def _read_jsonl(path: Path, label: str, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    with path.open("rb") as handle:
        for number, line in _bounded_lines(handle, limits.max_bytes):
            source = f"{label}:{number}"
            try:
                if line is None:
                    raise too_large(source, None, limits)
                if not line.strip():
                    continue  # a blank line holds no record
                yield _document(_parse_json_line(line, source), source, registry)
            except InputError as exc:
                yield failure(source, exc)


def _bounded_lines(handle: io.BufferedReader, cap: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; bytes is None for a line longer than ``cap`` (skipped unread)."""
    number = 0
    while True:
        line = handle.readline(cap + 1)
        if not line:
            return
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while (rest := handle.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _parse_json_line(line: bytes, source: str) -> Mapping[str, Any]:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CorpusLineError(
            source,
            f"the line is not UTF-8 ({exc.reason} at byte {exc.start})",
            CORPUS_FIX,
        ) from exc
    except json.JSONDecodeError as exc:
        raise CorpusLineError(
            source,
            f"the line is not valid JSON ({exc.msg} at column {exc.colno})",
            CORPUS_FIX,
        ) from exc
    if not isinstance(record, dict):
        raise CorpusLineError(
            source,
            f"the line holds a JSON {type(record).__name__}, not an object",
            CORPUS_FIX,
        )
    return record


def _read_csv(path: Path, label: str, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    # Articles are long; the csv module's default field limit (128 KB) is not.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes + 1))
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        try:
            header = next(rows, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            error = CorpusLineError(f"{label}:1", f"the header row cannot be read ({exc})", "save the corpus as UTF-8 CSV")
            yield failure(f"{label}:1", error)
            return
        problem = _header_problem(header)
        if problem:
            error = CorpusLineError(label, problem, "the first row must name the columns, with id and text or html")
            yield failure(label, error)
            return
        yield from _csv_records(rows, [h.strip() for h in header], label, registry)


def _csv_records(rows: Any, header: list[str], label: str, registry: IdRegistry) -> Iterator[Item]:
    line_before = rows.line_num
    while True:
        source = f"{label}:{line_before + 1}"
        try:
            row = next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            reason = f"the file is not UTF-8 from here on ({exc.reason}); the rest of it was not read"
            yield failure(source, CorpusLineError(source, reason, "save the corpus as UTF-8"))
            return
        except csv.Error as exc:
            yield failure(source, CorpusLineError(source, f"the row is not valid CSV ({exc})", CORPUS_FIX))
            line_before = rows.line_num
            continue
        line_before = rows.line_num
        if not any(cell.strip() for cell in row):
            continue  # a blank row holds no record
        try:
            yield _document(dict(zip(header, row)), source, registry)
        except InputError as exc:
            yield failure(source, exc)


def _header_problem(header: list[str] | None) -> str | None:
    if not header:
        return "the CSV file has no header row"
    names = {h.strip() for h in header}
    if not names & set(BODY_FIELDS):
        return f"the CSV header names no text column (one of {', '.join(BODY_FIELDS)}); it has {', '.join(header)}"
    return None


def _document(record: Mapping[str, Any], source: str, registry: IdRegistry) -> RawDocument:
    """One corpus record as a document; raises CorpusLineError for a missing body or a duplicate id."""
    doc_id = _record_id(record) or source
    if doc_id in registry:
        raise CorpusLineError(
            source,
            f"duplicate id {doc_id!r}; only its first record was read",
            "give every record its own id",
        )
    field, body = _record_body(record, source)
    registry.add(doc_id)
    return RawDocument(
        id=doc_id,
        source=source,
        text=body if field == "text" else None,
        html=body if field == "html" else None,
        url=_optional(record, "url"),
        title=_optional(record, "title"),
        outlet=_optional(record, "outlet"),
        published=_optional(record, "published") or _optional(record, "date"),
        byline=_optional(record, "byline") or _optional(record, "author"),
    )


def _record_id(record: Mapping[str, Any]) -> str | None:
    for field in ID_FIELDS:
        value = record.get(field)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _record_body(record: Mapping[str, Any], source: str) -> tuple[str, str]:
    for field in BODY_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            return field, value
        if value is not None and not isinstance(value, str):
            raise CorpusLineError(
                source,
                f"the {field!r} field is a {type(value).__name__}, not a string",
                CORPUS_FIX,
            )
    present = [f for f in BODY_FIELDS if f in record]
    reason = f"the {present[0]!r} field is empty" if present else "the record has no 'text' or 'html' field"
    raise CorpusLineError(source, reason, CORPUS_FIX)


def _optional(record: Mapping[str, Any], field: str) -> str | None:
    value = record.get(field)
    if value is None or not str(value).strip():
        return None
    return str(value).strip()
