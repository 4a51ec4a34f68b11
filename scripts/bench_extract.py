"""Reads a JSONL corpus (default: polnear dev) and prints, as JSON, the speed of bare parsing
and of bulk extraction, both with ``n_process`` workers, and their ratio.

    .venv/bin/python scripts/bench_extract.py [CORPUS.jsonl] [--n-process 2]
"""

from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path

from readouts.extract.bulk import extract_corpus
from readouts.nlp import load_nlp

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear.dev.jsonl"


def bare_parse(path: Path, n_process: int) -> tuple[int, float]:
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    nlp = load_nlp()
    started = time.perf_counter()
    count = sum(1 for _ in nlp.pipe(texts, n_process=n_process, batch_size=16))
    return count, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--n-process", type=int, default=2)
    args = ap.parse_args()
    load_nlp()  # loading the model once is not what is measured
    docs, parse_seconds = bare_parse(args.corpus, args.n_process)
    result = extract_corpus(args.corpus, io.StringIO(), n_process=args.n_process)
    parse_rate = docs / parse_seconds
    extract_rate = result.documents / result.seconds
    print(json.dumps({
        "corpus": str(args.corpus),
        "documents": docs,
        "n_process": args.n_process,
        "bare_parse_articles_per_s": round(parse_rate, 2),
        "extract_articles_per_s": round(extract_rate, 2),
        "extract_to_parse_ratio": round(extract_rate / parse_rate, 3),
        "attributions": result.attributions,
        "failures": len(result.failures),
    }, indent=1))


if __name__ == "__main__":
    main()
