"""An article longer than the parser reads, and an article the parser fails on, in a batch of good ones:
each becomes its own coded failure, the good ones are reported and stored, and a second ingest changes nothing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from readouts.cli import main
from readouts.corpus import IngestSummary, ingest
from readouts.corpus.analysis import analyze_items
from readouts.model import Failure, Ledger, RawDocument
from readouts.nlp import MAX_ARTICLE_CHARS, load_nlp
from readouts.store import open_store

GOOD = {
    "a-lavrov.txt": "Sergey Lavrov said Trump accepted Putin's assurance that Russia did not meddle in the election.",
    "c-ceasefire.txt": "Sergei Lavrov told reporters that the ceasefire in south-west Syria would hold from July 9.",
}
HUGE = "b-huge.txt"


def huge_text() -> str:
    """About 4 MB of paragraphs, each different, longer than the parser reads."""
    paragraphs, size, number = [], 0, 0
    while size <= 4_000_000:
        number += 1
        line = f"Paragraph {number}: the committee said item {number * 7919 % 100003} was approved on day {number}."
        paragraphs.append(line)
        size += len(line) + 2
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    text = huge_text()
    assert len(text) > MAX_ARTICLE_CHARS
    (folder / HUGE).write_text(text, encoding="utf-8")
    return folder


def test_analyze_reports_the_good_articles_and_a_coded_failure(sources):
    result = CliRunner().invoke(main, ["analyze", str(sources), "--format", "json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    data = json.loads(result.stdout)
    assert sorted(a["id"] for a in data["articles"]) == sorted(GOOD)
    assert {s["article"] for s in data["statements"]} == set(GOOD)
    failed = [line for line in result.stderr.splitlines() if HUGE in line]
    assert failed and "R110" in failed[0] and "characters" in failed[0]


def test_ingest_stores_the_good_ones_records_the_error_and_a_second_run_changes_nothing(sources, db_url):
    first = ingest([str(sources)], db=db_url, batch_size=50)
    assert first == IngestSummary(ingested=2, unchanged=0, failed=1)
    with open_store(db_url) as store:
        tables = store.stats()["tables"]
        assert tables["articles"] == 2 and tables["statements"] >= 2
        [error] = store.errors()
        assert error["code"] == "R110" and error["source"].endswith(HUGE)
    second = ingest([str(sources)], db=db_url, batch_size=50)
    assert second == IngestSummary(ingested=0, unchanged=2, failed=1)
    with open_store(db_url) as store:
        assert store.stats()["tables"] == tables
        [again] = store.errors()
        assert (again["source"], again["code"], again["reason"]) == (error["source"], error["code"], error["reason"])
        assert again["occurrences"] == 2  # met again, recorded once


def test_a_text_the_parser_rejects_fails_alone_and_its_chunk_neighbours_are_analyzed(monkeypatch):
    """The parser's own length check (spaCy's E088) stands for any failure of one text inside a batch."""
    long_one = "The minister said the talks would go on. " * 20
    monkeypatch.setattr(load_nlp(), "max_length", len(long_one) - 1)
    items = [RawDocument(id="one", source="one.txt", text=GOOD["a-lavrov.txt"]),
             RawDocument(id="long", source="long.txt", text=long_one),
             RawDocument(id="two", source="two.txt", text=GOOD["c-ceasefire.txt"])]
    results = analyze_items(items)
    assert [type(r) for r in results] == [Ledger, Failure, Ledger]
    assert results[1].source == "long.txt" and results[1].code == "R300" and "E088" in results[1].reason
    assert all(r.statements for r in (results[0], results[2]))
