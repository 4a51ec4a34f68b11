"""Reads a JSONL corpus of ``{"doc_id", "text"}`` lines and streams one attribution record per document.

The output lines follow the record format of the reference scorer
(``score_attributions.py``): source/source_span, cue/cue_span, content/content_span,
content_spans, kind (a flash counts as direct there). A broken line is recorded as a
:class:`Failure` and skipped; the rest of the corpus goes on. Each worker process parses,
tags and extracts whole chunks of articles, so only finished records cross processes.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from readouts.errors import CorpusLineError, InputError, ProcessingError, TooLongError
from readouts.extract import extract
from readouts.extract.learned import load_tagger
from readouts.guarded import pipe_each
from readouts.model import Article, Attribution, Failure
from readouts.nlp import MAX_ARTICLE_CHARS, load_nlp
from readouts.worker_process import start_worker

BATCH_SIZE = 16
# Texts the parser takes at once: its memory grows with a batch's words and is not given back, so
# a batch of long articles set a worker's peak (polnear dev, parse alone: 417 MB at 8 texts, 321 MB
# at 4, in the same time; 293 MB at 2, 3% slower).
PARSE_BATCH_SIZE = 4
# Articles a worker takes at a time: large enough for nlp.pipe batching, small enough to share work.
CHUNK_SIZE = 8
# Extraction reads no named entities (the resolver does); the English ner costs as much as the parser.
UNUSED_COMPONENTS = ("ner",)
log = logging.getLogger(__name__)


@dataclass
class BulkResult:
    documents: int = 0
    attributions: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


def extract_corpus(
    input_path: Path,
    output: Path | IO[str],
    *,
    n_process: int = 2,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Extract every document of ``input_path`` into ``output`` (a path or an open text stream)."""
    started = time.perf_counter()
    result = BulkResult()
    if isinstance(output, (str, Path)):
        with open(output, "w", encoding="utf-8") as stream:
            _run(Path(input_path), stream, n_process, progress, result)
    else:
        _run(Path(input_path), output, n_process, progress, result)
    result.seconds = time.perf_counter() - started
    return result


def _run(input_path: Path, stream: IO[str], n_process: int, progress, result: BulkResult) -> None:
    chunks = _chunks(_articles(input_path, result.failures), CHUNK_SIZE)
    for lines in _extracted(chunks, n_process):
        for line, found, failure in lines:
            if failure is not None:
                result.failures.append(failure)
            else:
                stream.write(line + "\n")
                result.documents += 1
                result.attributions += found
            if progress:
                progress(1)


Extracted = tuple[str, int, None] | tuple[None, int, Failure]


def _extracted(chunks: Iterable[list[Article]], n_process: int) -> Iterator[list[Extracted]]:
    """Finished (record line, attribution count, failure) per chunk, in input order."""
    if n_process <= 1:
        yield from map(extract_chunk, chunks)
        return
    log.debug("starting %d worker processes, %d articles a chunk", n_process, CHUNK_SIZE)
    with multiprocessing.get_context().Pool(n_process, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        yield from pool.imap(extract_chunk, chunks)


def extract_chunk(articles: list[Article]) -> list[Extracted]:
    """Parse, tag and extract some articles in this process; one scorer record line per article,
    or the failure of an article the extractor could not read (the others go on)."""
    texts = [a.text for a in articles]
    parsed = pipe_each(lambda batch: load_nlp(UNUSED_COMPONENTS).pipe(batch, batch_size=PARSE_BATCH_SIZE), texts)
    tagged = pipe_each(lambda batch: load_tagger().pipe(batch, batch_size=BATCH_SIZE), texts)
    out: list[Extracted] = []
    for article, doc, tags in zip(articles, parsed, tagged):
        try:
            for failed in (doc, tags):
                if isinstance(failed, Exception):  # the parser or the tagger could not read this text
                    raise failed
            found = extract(article, doc, tags)
        except Exception as exc:  # noqa: BLE001 - one odd article must not end a corpus run; it is recorded
            reason = f"[{ProcessingError.code}] {article.source}: extraction failed ({type(exc).__name__}: {exc})"
            out.append((None, 0, Failure(article.source, ProcessingError.code, reason)))
            continue
        out.append((json.dumps(record(article, found), ensure_ascii=False), len(found), None))
    return out


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(islice(articles, size)):
        yield chunk


def _articles(input_path: Path, failures: list[Failure]) -> Iterator[Article]:
    with open(input_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield _article(line, f"{input_path}:{number}")
            except InputError as exc:
                failures.append(Failure(exc.source, exc.code, str(exc)))


def _article(line: str, where: str) -> Article:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusLineError(where, f"not valid JSON ({exc.msg})", "fix or remove the line") from exc
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or "doc_id" not in rec:
        raise CorpusLineError(where, 'a line needs "doc_id" and a string "text"', "fix or remove the line")
    if len(rec["text"]) > MAX_ARTICLE_CHARS:
        raise TooLongError(where, f"the article is {len(rec['text']):,} characters long; at most "
                           f"{MAX_ARTICLE_CHARS:,} are analyzed", "split it into its articles")
    return Article(id=str(rec["doc_id"]), text=rec["text"], source=where)


def record(article: Article, found: list[Attribution]) -> dict:
    """One scorer record: ``{"doc_id", "attributions": [...]}``."""
    return {"doc_id": article.id, "attributions": [_scorer_item(article.text, a) for a in found]}


def _scorer_item(text: str, att: Attribution) -> dict:
    spans = sorted(att.content_spans)
    outer = [spans[0][0], spans[-1][1]]
    return {
        "source": att.speaker_text,
        "source_span": list(att.speaker_span) if att.speaker_span else None,
        "cue": att.cue,
        "cue_span": list(att.cue_span) if att.cue_span else None,
        "content": " ".join(text[s:e] for s, e in spans),
        "content_span": outer,
        "content_spans": [list(s) for s in spans],
        "kind": "direct" if att.kind == "flash" else att.kind,
    }
