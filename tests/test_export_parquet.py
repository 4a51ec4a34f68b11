"""Parquet export of a real ingested article reads back with pyarrow."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from readouts.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ottawa-trade-talks.txt"


def test_statements_export_as_parquet(tmp_path):
    import pyarrow.parquet as pq

    db = str(tmp_path / "corpus.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(EXAMPLE), "--db", db, "--workers", "1"]).exit_code == 0
    out = tmp_path / "statements.parquet"
    result = runner.invoke(main, ["export", "statements", "--db", db, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows >= 10
    rows = table.to_pylist()
    assert any(r["speaker"] == "Luis Ortega" and "quotas" in r["content"] for r in rows)
