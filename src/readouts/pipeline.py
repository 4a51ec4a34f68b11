"""Runs the stages in order: sources -> Article -> Attribution -> Statement/Actor/Channel -> Ledger.

``analyze`` is the one library call behind ``readouts analyze``. Bad inputs are
recorded as :class:`Failure` entries on the ledger and the rest goes on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Union

from readouts.errors import ProcessingError, ReadoutsError
from readouts.model import Article, Attribution, Failure, Ledger, RawDocument

if TYPE_CHECKING:
    from readouts.ingest import Limits

Progress = Callable[[int], None]
Source = Union[str, "os.PathLike[str]"]
log = logging.getLogger(__name__)


def analyze(
    sources: Source | Sequence[Source],
    *,
    stdin: IO[str] | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Ledger:
    """The ledger of one story made of every article found in ``sources``.

    Each source is a file or directory (a ``str`` or a :class:`pathlib.Path`), ``-``
    (stdin), an http(s) URL or a JSONL/CSV corpus. Inputs that fail are listed in ``Ledger.failures``.
    ``limits`` caps article size and URL fetching (see :class:`readouts.ingest.Limits`).
    """
    from readouts.ingest import read_sources

    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    names = [os.fspath(source) for source in sources]
    log.info("analyzing %d source(s): %s", len(names), ", ".join(names[:5]) + (" ..." if len(names) > 5 else ""))
    return analyze_documents(read_sources(names, stdin=stdin, limits=limits), progress=progress)


def analyze_text(text: str, *, id: str = "text", outlet: str | None = None) -> Ledger:
    """The ledger of one article given as a string."""
    return analyze_documents([RawDocument(id=id, source=id, text=text, outlet=outlet)])


def analyze_documents(
    items: Iterable[RawDocument | Failure], *, progress: Progress | None = None
) -> Ledger:
    articles, failures = clean_all(items)
    log.info("%d article(s) read, %d input(s) failed", len(articles), len(failures))
    return build_ledger(articles, failures, progress=progress)


def clean_all(items: Iterable[RawDocument | Failure]) -> tuple[list[Article], list[Failure]]:
    from readouts.clean import clean

    articles: list[Article] = []
    failures: list[Failure] = []
    for item in items:
        if isinstance(item, Failure):
            failures.append(item)
            continue
        try:
            articles.append(clean(item))
        except ReadoutsError as exc:
            failures.append(Failure(item.source, exc.code, str(exc)))
    return articles, failures


def build_ledger(
    articles: Sequence[Article],
    failures: Sequence[Failure] = (),
    *,
    progress: Progress | None = None,
    claims: bool = True,
) -> Ledger:
    """Extract, resolve and (unless ``claims`` is false: training the claims stage) group claims."""
    from readouts.claims import group_claims
    from readouts.resolve import resolve

    kept: list[Article] = []
    docs = []
    attributions: list[Attribution] = []
    failures = list(failures)
    for article, doc, found in _extracted(articles):
        if isinstance(found, Failure):  # one article the analysis could not read; the others go on
            failures.append(found)
        else:
            kept.append(article)
            docs.append(doc)
            attributions.extend(found)
        if progress:
            progress(1)
    articles = kept
    actors, channels, statements = resolve(articles, docs, attributions)
    found = group_claims(statements, actors, channels, articles) if claims else []
    return Ledger(
        articles=tuple(articles),
        actors=tuple(actors),
        channels=tuple(channels),
        statements=tuple(statements),
        claims=tuple(found),
        failures=tuple(failures),
    )


def _extracted(articles: Sequence[Article]):
    """(article, parse, attributions or the article's Failure) for each article, in order."""
    from readouts.extract import extract
    from readouts.extract.learned import load_tagger
    from readouts.guarded import pipe_each
    from readouts.nlp import load_nlp

    texts = [a.text if _readable(a) else "" for a in articles]
    # The resolver reads the full parse (named entities too); the tagger reads the raw text.
    parsed = pipe_each(load_nlp().pipe, texts)
    tagged = pipe_each(load_tagger().pipe, texts)
    for article, doc, tags in zip(articles, parsed, tagged):
        try:
            for failed in (doc, tags):
                if isinstance(failed, Exception):  # the parser or the tagger could not read this text
                    raise failed
            yield article, doc, extract(article, doc, tags) if _readable(article) else []
        except ReadoutsError as exc:
            yield article, None, Failure(article.source, exc.code, str(exc))
        except Exception as exc:  # noqa: BLE001 - one odd article must not end the story; it is reported
            reason = f"[{ProcessingError.code}] {article.source}: analysis failed ({type(exc).__name__}: {exc})"
            yield article, None, Failure(article.source, ProcessingError.code, reason)


def _readable(article: Article) -> bool:
    """Only English text is read for statements; other languages get a warning instead."""
    return article.language in (None, "en")
