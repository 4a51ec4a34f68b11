"""Measures the web UI's server time; reads a corpus database (built once from ../shared data), produces timings.

    .venv/bin/python scripts/bench_web.py --build      # once: polnear train + BASIL dev into /tmp (minutes)
    .venv/bin/python scripts/bench_web.py              # time the story page of a three-article BASIL event

BASIL events are stored one story per ``event_id`` (all three outlets' articles
analysed together, so their claims are grouped across the outlets); PolNeAR
articles go through ``readouts.corpus.ingest`` like any user corpus. Timings are
server time: the request goes through the whole ASGI app in process, no network.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEFAULT_DB = Path("/tmp/readouts-bench-web.db")
BUDGET_MS = 300.0


def build(db: Path) -> None:
    from readouts.corpus import ingest
    from readouts.pipeline import analyze_documents
    from readouts.store import open_store

    with open_store(db) as store:
        started = time.perf_counter()
        for event_id, documents in _basil_events().items():
            store.add_ledger(analyze_documents(documents), story=f"basil:{event_id}")
        print(f"BASIL dev stored in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        started = time.perf_counter()
        summary = ingest([str(SHARED / "polnear.train.jsonl")], db=store, workers=1)
        print(f"polnear train: {summary} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print(json.dumps(store.stats()["tables"]), file=sys.stderr)


def _basil_events() -> dict[str, list]:
    from readouts.model import RawDocument

    events: dict[str, list] = defaultdict(list)
    with open(SHARED / "events_basil_dev.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            events[record["event_id"]].append(RawDocument(
                id=record["article_id"], source=record["article_id"], text=record["text"],
                title=record.get("title"), outlet=record.get("outlet"), published=record.get("published"),
            ))
    return events


def measure(db: Path, runs: int) -> int:
    from starlette.testclient import TestClient

    from readouts.store import open_store
    from readouts.web import create_app

    with open_store(db) as store:
        story_id = _three_article_basil_story(store.db)
        stats = store.stats()["tables"]
        claims = store.db.value("SELECT COUNT(*) AS n FROM claims WHERE story_id = ?", (story_id,))
    print(f"corpus: {stats['articles']} articles, {stats['statements']} statements, {stats['stories']} stories;"
          f" timed story {story_id}: 3 articles, {claims} claims")
    client = TestClient(create_app(str(db)))
    worst = 0.0
    for label, path in (
        ("story page", f"/stories/{story_id}"),
        ("story ledger JSON", f"/api/stories/{story_id}"),
        ("stories list", "/"),
        ("search", "/search?q=president+said"),
        ("statements API", "/api/statements?q=election"),
    ):
        timings = _timings(client, path, runs)
        median, p95 = statistics.median(timings), sorted(timings)[int(0.95 * (len(timings) - 1))]
        print(f"{label:18} {path:32} median {median:6.1f} ms  p95 {p95:6.1f} ms")
        if label == "story page":
            worst = p95
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"story page p95 {worst:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0 if worst < BUDGET_MS else 1


def _three_article_basil_story(db) -> int:
    found = db.value(
        "SELECT s.id FROM stories s JOIN articles a ON a.story_id = s.id WHERE s.story_key LIKE 'basil:%'"
        " GROUP BY s.id HAVING COUNT(*) = 3 ORDER BY (SELECT COUNT(*) FROM claims k WHERE k.story_id = s.id) DESC,"
        " s.id LIMIT 1"
    )
    if found is None:
        raise SystemExit("no three-article BASIL story in the database: run with --build first")
    return int(found)


def _timings(client, path: str, runs: int) -> list[float]:
    client.get(path)  # warm caches and templates once
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--build", action="store_true", help="build the corpus database first")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.build:
        build(args.db)
    return measure(args.db, args.runs)


if __name__ == "__main__":
    sys.exit(main())
