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

    found = runner.invoke(main, ["query", "--db", db, "--speaker", "Ortega", "--json"])
    rows = [json.loads(line) for line in found.stdout.splitlines() if line.startswith("{")]
    assert rows and all(r["speaker"] == "Luis Ortega" for r in rows)
    assert any("quotas" in r["content"] for r in rows)

    exported = runner.invoke(main, ["export", "articles", "--db", db, "--format", "jsonl"])
    article = json.loads(exported.stdout.splitlines()[0])
    assert article["id"] == "ottawa-trade-talks.txt"
    assert {"url", "outlet", "story"} <= set(article)
