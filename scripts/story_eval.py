"""Scores story grouping against events; reads an events JSONL file, prints the adjusted Rand index.

Each record carries ``event_id``, ``article_id``, ``outlet``, ``title``, ``text`` and maybe
``published``. Articles are grouped in file order, as they would arrive, either in memory
(default) or by ingesting them into a scratch store (``--ingest``, the full pipeline).

    .venv/bin/python scripts/story_eval.py ../shared/data/events_basil_dev.jsonl
    .venv/bin/python scripts/story_eval.py ../shared/data/events_basil_dev.jsonl --ingest --workers 2
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from math import comb
from pathlib import Path

from readouts.corpus.stories import StorySettings, group_articles
from readouts.model import Article


def adjusted_rand_index(truth: list[str], predicted: list[str]) -> float:
    """Hubert and Arabie's ARI from the contingency table of two labelings."""
    pairs = Counter(zip(truth, predicted))
    total = comb(len(truth), 2)
    index = sum(comb(n, 2) for n in pairs.values())
    rows = sum(comb(n, 2) for n in Counter(truth).values())
    cols = sum(comb(n, 2) for n in Counter(predicted).values())
    expected = rows * cols / total if total else 0.0
    best = (rows + cols) / 2
    return 1.0 if best == expected else (index - expected) / (best - expected)


def read_events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def in_memory(records: list[dict], settings: StorySettings) -> dict[str, str]:
    articles = [Article(id=r["article_id"], text=r["text"], title=r.get("title"), outlet=r.get("outlet"),
                        published=r.get("published") or r.get("date")) for r in records]
    return group_articles(articles, settings)


def through_ingest(path: Path, workers: int) -> dict[str, str]:
    from readouts.corpus import ingest
    from readouts.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "stories.db")
        started = time.perf_counter()
        summary = ingest([str(path)], db=db, workers=workers)
        print(f"ingested {summary} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with open_store(db) as store:
            tables = store.stats()["tables"]
            print({t: tables[t] for t in ("stories", "statements", "claims", "stances", "errors")}, file=sys.stderr)
            return store.story_of_inputs()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=Path)
    parser.add_argument("--ingest", action="store_true", help="ingest into a scratch store (full pipeline)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=StorySettings.threshold)
    parser.add_argument("--window", type=int, default=StorySettings.window_days)
    parser.add_argument("--lead", type=int, default=StorySettings.lead_words)
    parser.add_argument("--names", type=float, default=StorySettings.name_weight)
    args = parser.parse_args()
    records = read_events(args.events)
    settings = StorySettings(args.threshold, args.window, args.lead, args.names)
    stories = through_ingest(args.events, args.workers) if args.ingest else in_memory(records, settings)
    truth = [r["event_id"] for r in records]
    predicted = [stories.get(r["article_id"], f"missing:{r['article_id']}") for r in records]
    print(f"articles {len(records)}  events {len(set(truth))}  stories {len(set(predicted))}")
    print(f"ARI {adjusted_rand_index(truth, predicted):.4f}")


if __name__ == "__main__":
    main()
