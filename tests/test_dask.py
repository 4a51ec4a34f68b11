"""The Dask executor on a small LocalCluster: same stored result as a local run, written by one writer."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from readouts.corpus import IngestSummary, ingest
from readouts.corpus.errors import ExecutorError
from readouts.corpus.executors import make_executor
from readouts.store import open_store

distributed = pytest.importorskip("distributed")

ARTICLES = {
    "lavrov.txt": "Sergey Lavrov said Trump accepted Putin's assurance that Russia did not meddle in the "
                  "election, according to Interfax news agency.",
    "official.txt": '"That is not accurate," an administration official told NBC News on Friday.',
    "ceasefire.txt": "Sergei Lavrov told reporters that the ceasefire in south-west Syria would hold from July 9.",
    "empty.txt": "",
}


@pytest.fixture(scope="module")
def cluster():
    """One in-process worker with one thread, reached over TCP on 127.0.0.1 like a real cluster."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://",
                                  host="127.0.0.1", dashboard_address=None) as local:
        yield local


def write(folder):
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return str(folder)


def stored(db: str) -> list[tuple]:
    with open_store(db) as store:
        rows = store.query_statements(limit=100)
        return sorted((r["article"], r["speaker"], r["content"], tuple(r["via"])) for r in rows)


def test_dask_and_local_runs_store_the_same_statements(cluster, tmp_path, nlp):
    sources = write(tmp_path / "in")
    on_dask = ingest([sources], db=str(tmp_path / "dask.db"), executor="dask", scheduler=cluster.scheduler_address,
                     batch_size=2)
    local = ingest([sources], db=str(tmp_path / "local.db"), workers=1, batch_size=2)
    assert on_dask == local == IngestSummary(ingested=3, unchanged=0, failed=1)
    assert stored(str(tmp_path / "dask.db")) == stored(str(tmp_path / "local.db"))
    assert any(r[1] == "Sergey Lavrov" and r[3] == ("Interfax",) for r in stored(str(tmp_path / "dask.db")))
    again = ingest([sources], db=str(tmp_path / "dask.db"), executor="dask", scheduler=cluster.scheduler_address)
    assert again == IngestSummary(ingested=0, unchanged=3, failed=1)


def test_the_cli_runs_on_the_cluster(cluster, tmp_path, nlp):
    from readouts.cli import main

    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(main, ["ingest", write(tmp_path / "in"), "--db", db, "--executor", "dask",
                                       "--scheduler", cluster.scheduler_address])
    assert "3 ingested, 0 unchanged, 1 failed" in result.output
    assert result.exit_code == 1


def test_a_missing_scheduler_is_a_coded_error():
    with pytest.raises(ExecutorError) as missing:
        make_executor("dask")
    assert missing.value.code == "R420"
    with pytest.raises(ExecutorError) as unreachable:
        make_executor("dask", scheduler="tcp://127.0.0.1:9", connect_timeout=2)
    assert "cannot reach the Dask scheduler" in str(unreachable.value)
