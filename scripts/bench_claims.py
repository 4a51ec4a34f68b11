"""Reads BASIL events (three outlets each), prints as JSON what the claims stage adds to an analysis.

    .venv/bin/python scripts/bench_claims.py [--data ../shared/data/events_basil_dev.jsonl] [--events 71]

For each event the three articles go through what ``readouts analyze`` runs
(clean, parse, tag, extract, resolve, group claims: ``build_ledger``); the
claims stage (``group_claims`` on the same statements) is then timed again on
its own. ``claims_share`` = claims time / (analysis time without claims); the
bar is 0.5. Models are loaded before timing starts, as in a running process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from readouts.claims import group_claims
from readouts.claims.encoder import load_encoder
from readouts.claims.model import load_model
from readouts.claims.pairs import load_pair_model
from readouts.extract.learned import load_tagger
from readouts.model import RawDocument
from readouts.nlp import load_nlp
from readouts.pipeline import build_ledger, clean_all

from event_articles import DEFAULT, events


def time_event(documents: list[RawDocument]) -> dict[str, float]:
    articles, failures = clean_all(documents)
    started = time.perf_counter()
    ledger = build_ledger(articles, failures)
    analysis = time.perf_counter() - started
    started = time.perf_counter()
    claims = group_claims(ledger.statements, ledger.actors, ledger.channels, ledger.articles)
    grouping = time.perf_counter() - started
    return {"analysis": analysis, "claims": grouping, "statements": len(ledger.statements), "found": len(claims)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--events", type=int, default=None, help="only the first N events")
    args = parser.parse_args()
    load_nlp(), load_tagger(), load_model("headline"), load_model("body"), load_encoder(), load_pair_model()
    chosen = events(args.data)[: args.events]
    time_event(chosen[0])  # warm caches (lexicons, stop words) outside the timing
    runs = [time_event(event) for event in chosen]
    without = [r["analysis"] - r["claims"] for r in runs]
    shares = [r["claims"] / w for r, w in zip(runs, without)]
    total_claims = sum(r["claims"] for r in runs)
    print(json.dumps({
        "events": len(runs),
        "statements_per_event": round(statistics.mean(r["statements"] for r in runs), 1),
        "claims_per_event": round(statistics.mean(r["found"] for r in runs), 1),
        "analysis_s_per_event": round(statistics.mean(r["analysis"] for r in runs), 3),
        "claims_s_per_event": round(total_claims / len(runs), 4),
        "claims_share_total": round(total_claims / sum(without), 3),
        "claims_share_median": round(statistics.median(shares), 3),
        "claims_share_max": round(max(shares), 3),
    }, indent=1))


if __name__ == "__main__":
    main()
