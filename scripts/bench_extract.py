"""Reads a JSONL corpus (default: polnear dev) and prints, as JSON, the speed of bare parsing, rules-only,
tagger-only and combined extraction, all with ``n_process`` workers, and their ratios to the bare parse.

    .venv/bin/python scripts/bench_extract.py [CORPUS.jsonl] [--n-process 2] [--repeat 1]

bare_parse   the stock English pipeline, every component, over every text (nlp.pipe, n_process workers)
rules        Readouts' parse (no ner) + dependency/quote/flash rules, in workers
tagger       the attribution tagger + its linking without a parse, in workers
combined     what ``readouts extract`` runs: extract_corpus (parse without ner + tagger + rules + merge)

It also prints the CPU (model, and whether it has AVX-512, VNNI and AMX: int8 is fast only
with integer dot-product instructions), the precision the tagger chose on it, and the
tagger's speed on one core in each precision: WordPieces of text per second (each piece
once, what throughput is about) and WordPieces encoded per second (windows overlap).
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import time
from pathlib import Path

from readouts.extract import extract_rules
from readouts.extract.bulk import BATCH_SIZE, PARSE_BATCH_SIZE, UNUSED_COMPONENTS, extract_corpus
from readouts.extract.encoder import EncoderTagger, model_path, windows
from readouts.extract.encoder_model import PRECISIONS
from readouts.extract.learned import learned_attributions, load_tagger
from readouts.extract.precision import cpu_flags, cpu_name
from readouts.model import Article
from readouts.nlp import MAX_ARTICLE_CHARS, PIPELINE, load_nlp

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear.dev.jsonl"


def _articles(path: Path) -> list[Article]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [Article(id=str(r["doc_id"]), text=r["text"]) for r in rows]


def _rules_chunk(articles: list[Article]) -> int:
    docs = load_nlp(UNUSED_COMPONENTS).pipe([a.text for a in articles], batch_size=PARSE_BATCH_SIZE)
    return sum(len(extract_rules(a, d)) for a, d in zip(articles, docs))


def _tagger_chunk(articles: list[Article]) -> int:
    tagged = load_tagger().pipe([a.text for a in articles], batch_size=BATCH_SIZE)
    return sum(len(learned_attributions(a, None, tagged=t)) for a, t in zip(articles, tagged))


def _in_workers(work, articles: list[Article], n_process: int) -> float:
    chunks = [articles[i:i + 8] for i in range(0, len(articles), 8)]
    started = time.perf_counter()
    with multiprocessing.get_context().Pool(n_process) as pool:
        sum(pool.imap(work, chunks))
    return len(articles) / (time.perf_counter() - started)


def bare_parse(nlp, articles: list[Article], n_process: int) -> float:
    started = time.perf_counter()
    count = sum(1 for _ in nlp.pipe([a.text for a in articles], n_process=n_process, batch_size=BATCH_SIZE))
    return count / (time.perf_counter() - started)


def stock_pipeline():
    """The English pipeline exactly as spaCy loads it (Readouts' own parse replaces a component)."""
    import spacy

    nlp = spacy.load(PIPELINE)
    nlp.max_length = MAX_ARTICLE_CHARS
    return nlp


def one_core_speed(articles: list[Article], precision: str) -> dict[str, float]:
    """The tagger's WordPieces per second on one thread in ``precision`` (text pieces and encoded pieces)."""
    tagger = EncoderTagger(model_path(), threads=1, precision=precision)
    ids = [tagger.tokenizer.encode(a.text, add_special_tokens=False).ids for a in articles]
    encoded = sum((b - a) + 2 for n in map(len, ids) for a, b in windows(n, tagger.window, tagger.stride))
    tagger.scores(ids[0])
    started = time.perf_counter()
    for piece_ids in ids:
        tagger.scores(piece_ids)
    seconds = time.perf_counter() - started
    return {"text_pieces_per_s": round(sum(map(len, ids)) / seconds), "encoded_pieces_per_s": round(encoded / seconds)}


def machine() -> dict:
    flags = cpu_flags()
    return {
        "cpu": cpu_name(),
        "avx2": "avx2" in flags,
        "avx512": "avx512f" in flags,
        "vnni": bool(flags & {"avx512_vnni", "avx_vnni"}),
        "amx_int8": "amx_int8" in flags,
        "tagger_precision": load_tagger().precision,
    }


def combined(path: Path, n_process: int) -> float:
    result = extract_corpus(path, io.StringIO(), n_process=n_process)
    return result.documents / result.seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs of each (the machine may be shared)")
    args = ap.parse_args()
    articles = _articles(args.corpus)
    # Models are loaded before timing (workers fork from this process and inherit them).
    stock = stock_pipeline()
    load_nlp(UNUSED_COMPONENTS), load_tagger()
    rates = {name: 0.0 for name in ("bare_parse", "rules", "tagger", "combined")}
    for _ in range(args.repeat):
        rates["bare_parse"] = max(rates["bare_parse"], bare_parse(stock, articles, args.n_process))
        rates["rules"] = max(rates["rules"], _in_workers(_rules_chunk, articles, args.n_process))
        rates["tagger"] = max(rates["tagger"], _in_workers(_tagger_chunk, articles, args.n_process))
        rates["combined"] = max(rates["combined"], combined(args.corpus, args.n_process))
    print(json.dumps({
        "corpus": str(args.corpus),
        "documents": len(articles),
        "n_process": args.n_process,
        "articles_per_s": {k: round(v, 2) for k, v in rates.items()},
        "ratio_to_bare_parse": {k: round(v / rates["bare_parse"], 3) for k, v in rates.items()},
        "machine": machine(),
        "tagger_one_core": {p: one_core_speed(articles, p) for p in PRECISIONS},
    }, indent=1))


if __name__ == "__main__":
    main()
