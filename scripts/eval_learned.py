"""Reads PolNeAR dev JSONL, runs the learned extractor, writes predictions and prints the reference scorer's output and speed.

Usage: python scripts/eval_learned.py [--gold ../shared/data/polnear.dev.jsonl]
                                     [--pred PRED.jsonl] [--no-parse] [--prefer-parse]

Speed is articles per second of this process, for the tagger alone and for the
whole learned extraction (tagger + English parse + linking).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from readouts.extract.learned import learned_attributions, tag_texts
from readouts.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=SHARED / "data" / "polnear.dev.jsonl")
    ap.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score_attributions.py")
    ap.add_argument("--pred", type=Path, default=ROOT / "train" / "output" / "dev.pred.jsonl")
    ap.add_argument("--no-parse", action="store_true", help="link without the English parse")
    return ap.parse_args()


def record(article: Article, attributions) -> dict:
    """One prediction line in the scorer's record format."""
    text = article.text
    atts = []
    for a in attributions:
        atts.append(
            {
                "source": a.speaker_text,
                "source_span": list(a.speaker_span) if a.speaker_span else None,
                "cue": a.cue,
                "cue_span": list(a.cue_span) if a.cue_span else None,
                "content": " ".join(text[s:e] for s, e in a.content_spans),
                "content_span": [a.start, a.end],
                "content_spans": [list(s) for s in a.content_spans],
                "kind": a.kind,
            }
        )
    return {"doc_id": article.id, "attributions": atts}


def predict(articles: list[Article], use_parse: bool) -> tuple[list[dict], dict[str, float]]:
    t0 = time.perf_counter()
    tagged = list(tag_texts(a.text for a in articles))
    t_tag = time.perf_counter() - t0
    docs = [None] * len(articles)
    if use_parse:
        from readouts.nlp import load_nlp

        nlp = load_nlp()
        t1 = time.perf_counter()
        docs = list(nlp.pipe(a.text for a in articles))
        t_parse = time.perf_counter() - t1
    else:
        t_parse = 0.0
    t2 = time.perf_counter()
    records = [
        record(a, learned_attributions(a, d, tagged=t)) for a, d, t in zip(articles, docs, tagged)
    ]
    t_link = time.perf_counter() - t2
    n = len(articles)
    speed = {"tagger": n / t_tag, "whole": n / (t_tag + t_parse + t_link)}
    return records, speed


def main() -> None:
    args = parse_args()
    with args.gold.open(encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh if line.strip()]
    articles = [Article(id=g["doc_id"], text=g["text"]) for g in gold]
    records, speed = predict(articles, use_parse=not args.no_parse)
    args.pred.parent.mkdir(parents=True, exist_ok=True)
    with args.pred.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    result = subprocess.run(
        [sys.executable, str(args.scorer), str(args.gold), str(args.pred)],
        capture_output=True, text=True, check=True,
    )
    print(result.stdout)
    print(f"speed: tagger {speed['tagger']:.1f} articles/s; whole learned extraction "
          f"({'tagger + parse + linking' if not args.no_parse else 'tagger + linking'}) "
          f"{speed['whole']:.1f} articles/s ({len(articles)} articles, one process)")


if __name__ == "__main__":
    main()
