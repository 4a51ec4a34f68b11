"""Measures ingest throughput next to bare extraction; reads the first N polnear train texts, prints JSON rates.

Both sides get the same N documents (default 200, the first lines of
``polnear.train.jsonl``; ids and texts only). ``extract`` is ``readouts extract``'s
loop with spaCy's own ``n_process`` (see ``extract_rate``); ``ingest`` is the whole
corpus run (clean, parse, extract, resolve, story grouping, claim grouping, SQLite writes)
with 1 and 2 local worker processes and on a Dask LocalCluster of 1 and 2
worker processes; ``reingest`` is the same corpus a second time (nothing new);
``writer_seconds`` is the time the one writer spent storing batches (wall clock).

    .venv/bin/python scripts/bench_ingest.py [--documents 200] [--corpus PATH] [--skip-dask]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear.train.jsonl"


def subset(corpus: Path, documents: int, folder: Path) -> Path:
    """The first ``documents`` records, ids and texts only, as a JSONL file in ``folder``."""
    out = folder / f"polnear-train-{documents}.jsonl"
    with corpus.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        for count, line in enumerate(source):
            if count >= documents:
                break
            record = json.loads(line)
            target.write(json.dumps({"doc_id": record["doc_id"], "text": record["text"]}) + "\n")
    return out


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def extract_rate(path: Path, processes: int) -> float:
    """``readouts extract``'s loop (``extract.bulk``: ``nlp.pipe`` with ``n_process``, batches of 16, ``extract``
    per document) without writing, each document's error caught: one polnear train text among the first 200
    makes ``extract`` raise, and a crash inside spaCy's multiprocessing leaves its workers hanging."""
    from readouts.extract import extract
    from readouts.extract.bulk import BATCH_SIZE
    from readouts.model import Article
    from readouts.nlp import load_nlp

    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    pairs = ((r["text"], Article(id=r["doc_id"], text=r["text"])) for r in records)
    started, done = time.perf_counter(), 0
    for doc, article in load_nlp().pipe(pairs, as_tuples=True, n_process=processes, batch_size=BATCH_SIZE):
        try:
            extract(article, doc)
        except Exception:  # noqa: BLE001
            pass
        done += 1
    return done / (time.perf_counter() - started)


def ingest_rate(path: Path, folder: Path, name: str, reingest: bool = False, **options) -> dict:
    from readouts.corpus import ingest
    from readouts.store import open_store

    db = str(folder / f"{name}.db")
    with open_store(db) as store:
        writer = _time_writes(store)
        seconds, summary = timed(lambda: ingest([str(path)], db=store, **options))
    row = {"seconds": round(seconds, 1), "articles_per_s": round(summary.ingested / seconds, 2),
           "ingested": summary.ingested, "failed": summary.failed, "writer_seconds": round(writer[0], 1)}
    if reingest:
        again_seconds, again = timed(lambda: ingest([str(path)], db=db, **options))
        row["reingest"] = {"seconds": round(again_seconds, 2), "ingested": again.ingested,
                           "unchanged": again.unchanged}
    return row


def _time_writes(store) -> list[float]:
    """Seconds the one writer spends in ``add_batch`` (storing, story grouping, claim regrouping), summed."""
    spent = [0.0]
    add_batch = store.add_batch

    def timed_add_batch(*args, **kwargs):
        started = time.perf_counter()
        try:
            return add_batch(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    store.add_batch = timed_add_batch
    return spent


def on_dask(path: Path, folder: Path, workers: int) -> dict:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        return ingest_rate(path, folder, f"dask-{workers}", executor="dask", scheduler=client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    from readouts.nlp import load_nlp

    load_nlp()  # loading the model once is not what is measured
    results: dict = {"corpus": str(args.corpus), "documents": args.documents}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = subset(args.corpus, args.documents, folder)
        for workers in (1, 2):
            results[f"extract_{workers}"] = round(extract_rate(path, workers), 2)
            results[f"ingest_local_{workers}"] = ingest_rate(path, folder, f"local-{workers}", reingest=workers == 1,
                                                             workers=workers)
            if not args.skip_dask:
                results[f"ingest_dask_{workers}"] = on_dask(path, folder, workers)
            ratio = results[f"ingest_local_{workers}"]["articles_per_s"] / results[f"extract_{workers}"]
            results[f"ingest_to_extract_{workers}"] = round(ratio, 3)
            print(json.dumps(results), file=sys.stderr, flush=True)  # partial results, in case a later step fails
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
