"""The per-article work of an ingest, run in worker processes or on Dask workers; reads RawDocuments, produces Ledgers.

Each document is cleaned, parsed with the process's one spaCy pipeline, and its
statements extracted and resolved on their own (one article, one ledger without
claims: claims are grouped per story by the writer, which alone sees the store).
Every function here is importable by name and takes and returns picklable
model objects, so the same code runs in a local pool and on a cluster. The
article's story features are computed here too (``analyze_for_store``): that is
work the writer, which alone uses the store, need not do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from readouts.corpus.stories import StoryFeatures, story_features
from readouts.errors import ProcessingError, ReadoutsError
from readouts.guarded import pipe_each
from readouts.model import Article, Failure, Ledger, RawDocument

T = TypeVar("T")

Item = RawDocument | Failure
Result = Ledger | Failure


@dataclass(frozen=True)
class Analysed:
    """A one-article ledger and the story features of its article (by article id), ready for the writer."""

    ledger: Ledger
    features: Mapping[str, StoryFeatures]


StoreResult = Analysed | Failure


def warm_up() -> None:
    """Loads spaCy once in this process (a pool's initializer; a Dask worker's first task)."""
    from readouts.extract.learned import load_tagger
    from readouts.nlp import load_nlp

    load_nlp()
    load_tagger()


def analyze_items(items: Sequence[Item]) -> list[Result]:
    """One result per item, in order: a one-article ledger, or the item's failure.

    The chunk's texts are parsed and tagged together with ``pipe`` (batched, faster
    than one call per text); extraction and resolution then run article by article.
    """
    from readouts.extract.learned import load_tagger
    from readouts.nlp import load_nlp

    cleaned = [item if isinstance(item, Failure) else _cleaned(item) for item in items]
    articles = [c for c in cleaned if isinstance(c, Article)]
    texts = [a.text if _readable(a) else "" for a in articles]
    parses = zip(pipe_each(load_nlp().pipe, texts), pipe_each(load_tagger().pipe, texts))
    by_article = {id(a): pair for a, pair in zip(articles, parses)}
    return [c if isinstance(c, Failure) else _statements(c, *by_article[id(c)]) for c in cleaned]


def analyze_for_store(items: Sequence[Item]) -> list[StoreResult]:
    """``analyze_items`` with each ledger's story features, so the one writer only compares and stores them."""
    return [result if isinstance(result, Failure) else _with_features(result) for result in analyze_items(items)]


def _with_features(ledger: Ledger) -> Analysed:
    return Analysed(ledger, {article.id: story_features(article) for article in ledger.articles})


def _cleaned(document: RawDocument) -> Article | Failure:
    from readouts.clean import clean

    return _guarded(document.source, lambda: clean(document))


def _statements(article: Article, doc, tagged) -> Result:
    from readouts.extract import extract
    from readouts.resolve import resolve

    def analyse() -> Ledger:
        for failed in (doc, tagged):
            if isinstance(failed, Exception):  # the parser or the tagger could not read this text
                raise failed
        attributions = extract(article, doc, tagged) if _readable(article) else []
        actors, channels, statements = resolve([article], [doc], attributions)
        return Ledger(articles=(article,), actors=tuple(actors), channels=tuple(channels),
                      statements=tuple(statements))

    return _guarded(article.source, analyse)


def _readable(article: Article) -> bool:
    """Only English is read for statements; other languages are stored with their warning."""
    return article.language in (None, "en")


def _guarded(source: str, work: Callable[[], T]) -> T | Failure:
    try:
        return work()
    except ReadoutsError as exc:
        return Failure(source, exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd article must not end a corpus run; it is recorded
        return Failure(source, ProcessingError.code,
                       f"[{ProcessingError.code}] {source}: analysis failed ({type(exc).__name__}: {exc})")
