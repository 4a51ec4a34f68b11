"""The corpus commands end to end on a SQLite file: ingest, re-ingest, errors, query, export."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from readouts.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ottawa-trade-talks.txt"


def test_ingest_query_export_errors(tmp_path):
    db = str(tmp_path / "corpus.db")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(EXAMPLE), "--db", db])
    assert first.exit_code == 0, first.output
    assert "1 ingested" in first.output

    again = runner.invoke(main, ["ingest", str(EXAMPLE), str(tmp_path / "missing.txt"), "--db", db])
    assert again.exit_code == 1
    assert "0 ingested, 1 unchanged, 1 failed" in again.output

    errors = runner.invoke(main, ["errors", "--db", db])
    assert "R101" in errors.output and "missing.txt" in errors.output

    found = runner.invoke(main, ["query", "--db", db, "--speaker", "Ortega", "--format", "json"])
    rows = [json.loads(line) for line in found.stdout.splitlines() if line.startswith("{")]
    assert rows and all(r["speaker"] == "Luis Ortega" for r in rows)
    assert any("quotas" in r["content"] for r in rows)

    exported = runner.invoke(main, ["export", "articles", "--db", db, "--format", "jsonl"])
    article = json.loads(exported.stdout.splitlines()[0])
    assert article["id"] == "ottawa-trade-talks.txt"
    assert {"url", "outlet", "story"} <= set(article)


def test_ingest_needs_a_source_and_dask_needs_a_scheduler(tmp_path):
    runner = CliRunner()
    nothing = runner.invoke(main, ["ingest", "--db", str(tmp_path / "x.db")])
    assert nothing.exit_code == 2 and "at least one SOURCE or --feed" in nothing.output
    no_scheduler = runner.invoke(main, ["ingest", str(EXAMPLE), "--executor", "dask", "--db", str(tmp_path / "x.db")],
                                 env={"READOUTS_DASK_SCHEDULER": ""})
    assert no_scheduler.exit_code == 2 and "--scheduler" in no_scheduler.output


def test_progress_total_is_counted_where_cheap_and_the_bar_counts_rate(tmp_path):
    import io

    from readouts.corpus.progress import estimate_total
    from readouts.progress import RateProgress

    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": 1, "text": "a"}\n\n{"id": 2, "text": "b"}\n', encoding="utf-8")
    folder = tmp_path / "dir"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    assert estimate_total([str(corpus), str(folder), str(EXAMPLE)]) == 2 + 3 + 1
    assert estimate_total([str(corpus)], feeds=["https://example.com/rss"]) is None
    with RateProgress("Ingesting", 3, stream=io.StringIO()) as progress:
        progress(2)
        progress()
    assert progress.done == 3 and progress.rate() > 0


def test_an_article_in_another_language_is_stored_with_a_coded_warning(tmp_path):
    polish = tmp_path / "rzad.txt"
    polish.write_text("Premier Donald Tusk powiedział w poniedziałek, że rząd nie zgodzi się na nowe warunki "
                      "porozumienia. „Nie podpiszemy tego” – powiedział dziennikarzom minister finansów.",
                      encoding="utf-8")
    db = str(tmp_path / "corpus.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(polish), "--db", db]).exit_code == 0
    exported = runner.invoke(main, ["export", "articles", "--db", db, "--format", "jsonl"])
    [article] = [json.loads(line) for line in exported.stdout.splitlines()]
    assert article["language"] == "pl"
    assert [w[:7] for w in article["warnings"]] == ["[R111] "] and "Polish" in article["warnings"][0]
    statements = runner.invoke(main, ["export", "statements", "--db", db, "--format", "jsonl"])
    assert statements.stdout.strip() == ""
