"""Ingesting sources into the store through the real pipeline, including a run killed midway and restarted."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys

from readouts.corpus import IngestSummary, ingest
from readouts.store import open_store

SHORT_ARTICLES = {
    "lavrov.txt": "Sergey Lavrov said Trump accepted Putin's assurance that Russia did not meddle in the "
                  "election, according to Interfax news agency.",
    "official.txt": '"That is not accurate," an administration official told NBC News on Friday.',
    "ceasefire.txt": "Sergei Lavrov told reporters that the ceasefire in south-west Syria would hold from July 9.",
}

KILLED_RUN = """
import sys, time
from readouts.corpus import ingest

def tick(done):
    print("done", done, flush=True)
    time.sleep(0.3)  # slow enough that the parent can kill it inside the second batch

ingest([sys.argv[2]], db=sys.argv[1], batch_size=3, progress=tick)
print("finished", flush=True)
"""


def write_articles(folder, articles):
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_three_articles_go_through_the_pipeline_into_the_store(db_url, tmp_path, nlp):
    sources = write_articles(tmp_path / "in", {**SHORT_ARTICLES, "empty.txt": ""})
    done = []
    summary = ingest([str(sources)], db=db_url, batch_size=2, progress=done.append)
    assert summary == IngestSummary(ingested=3, unchanged=0, failed=1)
    assert sum(done) == 4
    with open_store(db_url) as store:
        lavrov = store.query_statements(speaker="Sergei Lavrov")
        assert {row["article"] for row in lavrov} == {"lavrov.txt", "ceasefire.txt"}
        assert len({row["speaker_id"] for row in lavrov}) == 1
        assert [row["via"] for row in store.query_statements(text="accurate")] == [["NBC News"]]
        assert [(e["source"].rsplit("/", 1)[-1], e["code"]) for e in store.errors()] == [("empty.txt", "R102")]
        exported = io.StringIO()
        store.export("articles", "jsonl", exported)
        ids = sorted(json.loads(line)["id"] for line in exported.getvalue().splitlines())
        assert ids == sorted(SHORT_ARTICLES)
    again = ingest([str(sources)], db=db_url, batch_size=2)
    assert again == IngestSummary(ingested=0, unchanged=3, failed=1)


def test_a_killed_run_restarted_stores_every_article_exactly_once(db_url, tmp_path, nlp):
    articles = {f"talk-{i:02d}.txt": f"Sergey Lavrov said talk number {i} went well in Hamburg." for i in range(12)}
    sources = write_articles(tmp_path / "in", articles)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    run = subprocess.Popen([sys.executable, "-c", KILLED_RUN, db_url, str(sources)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        for _ in range(5):  # batch one (3 articles) committed, two articles into batch two
            line = run.stdout.readline()
            assert line.startswith("done"), run.stderr.read()
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == -signal.SIGKILL
    with open_store(db_url) as store:
        assert store.stats()["tables"]["articles"] == 3  # the batch in flight was rolled back whole

    summary = ingest([str(sources)], db=db_url, batch_size=3)
    assert summary == IngestSummary(ingested=9, unchanged=3, failed=0)
    with open_store(db_url) as store:
        tables = store.stats()["tables"]
        assert tables["articles"] == tables["article_versions"] == 12
        assert tables["statements"] == 12 and tables["actors"] == 1
        exported = io.StringIO()
        store.export("articles", "jsonl", exported)
        assert sorted(json.loads(line)["id"] for line in exported.getvalue().splitlines()) == sorted(articles)


def test_two_worker_processes_store_what_one_process_stores(tmp_path, nlp):
    sources = write_articles(tmp_path / "in", {**SHORT_ARTICLES, "broken.jsonl": '{"id": "x", "text": \n'})
    pooled = ingest([str(sources)], db=str(tmp_path / "pool.db"), workers=2, batch_size=2)
    serial = ingest([str(sources)], db=str(tmp_path / "one.db"), workers=1, batch_size=2)
    assert pooled == serial == IngestSummary(ingested=3, unchanged=0, failed=1)
    rows = {}
    for name in ("pool", "one"):
        with open_store(str(tmp_path / f"{name}.db")) as store:
            rows[name] = sorted((r["article"], r["speaker"], r["content"]) for r in store.query_statements())
            assert [e["code"] for e in store.errors()] == ["R106"]
    assert rows["pool"] == rows["one"] and len(rows["one"]) >= 3
