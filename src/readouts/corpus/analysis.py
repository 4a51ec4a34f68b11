"""The per-article work of an ingest, run in worker processes or on Dask workers; reads RawDocuments, produces Ledgers.

Each document is cleaned, parsed with the process's one spaCy pipeline, and its
statements extracted and resolved on their own (one article, one ledger without
claims: claims are grouped per story by the writer, which alone sees the store).
Every function here is importable by name and takes and returns picklable
model objects, so the same code runs in a local pool and on a cluster.
"""

from __future__ import annotations

from collections.abc import Sequence

from readouts.errors import ProcessingError, ReadoutsError
from readouts.model import Failure, Ledger, RawDocument

Item = RawDocument | Failure
Result = Ledger | Failure


def warm_up() -> None:
    """Loads spaCy once in this process (a pool's initializer; a Dask worker's first task)."""
    from readouts.nlp import load_nlp

    load_nlp()


def analyze_items(items: Sequence[Item]) -> list[Result]:
    """One result per item, in order: a one-article ledger, or the item's failure."""
    from readouts.nlp import load_nlp

    nlp = load_nlp()
    return [item if isinstance(item, Failure) else _analyze(nlp, item) for item in items]


def _analyze(nlp, document: RawDocument) -> Result:
    from readouts.clean import clean
    from readouts.extract import extract
    from readouts.resolve import resolve

    try:
        article = clean(document)
        readable = article.language in (None, "en")  # other languages are stored with a warning, unread
        doc = nlp(article.text if readable else "")
        attributions = extract(article, doc) if readable else []
        actors, channels, statements = resolve([article], [doc], attributions)
    except ReadoutsError as exc:
        return Failure(document.source, exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd article must not end a corpus run; it is recorded
        return Failure(document.source, ProcessingError.code, f"[{ProcessingError.code}] {document.source}: "
                       f"analysis failed ({type(exc).__name__}: {exc})")
    return Ledger(articles=(article,), actors=tuple(actors), channels=tuple(channels),
                  statements=tuple(statements))
