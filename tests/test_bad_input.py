"""Tests that bad inputs become Failures with reasons while good articles in the same batch come through."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

import readouts
from readouts.errors import TooLargeError
from readouts.ingest import Limits, read_sources
from readouts.ingest.files import read_bounded
from readouts.pipeline import clean_all

INPUTS = Path(__file__).parent / "fixtures" / "inputs"
MB = 1024 * 1024
HUGE_MB = 20
LATIN1_TEXT = "The café owner in Nîmes said the façade would be repaired, adding: « c'est déjà fait »."
UNREACHABLE = "http://127.0.0.1:9/"
FILE_URL = "file:///etc/passwd"


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    shutil.copy(INPUTS / "grain-corridor.txt", folder / "grain-corridor.txt")
    shutil.copy(INPUTS / "summit-page.html", folder / "summit-page.html")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 40)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("  \n\n\t\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "broken.html").write_text(
        "<html><head><title>Dam talks</title><body><div><p>The engineer said the dam <b>was safe.<p>Repairs go on", encoding="utf-8")
    (folder / "no-text.html").write_text("<html><body><script>render()</script></body></html>", encoding="utf-8")
    (folder / "feed.jsonl").write_text(
        '{"id": "feed-1", "text": "The mayor said the ferry would run again on Monday."}\n'
        '{"id": "feed-2", "text": "broken\n'
        '{"id": "feed-3", "text": "Union leaders said the strike was over."}\n', encoding="utf-8")
    with (folder / "huge.txt").open("wb") as handle:
        line = b"The committee said the hearing would continue tomorrow morning.\n"
        block = line * (MB // len(line) + 1)
        for _ in range(HUGE_MB):
            handle.write(block)
    return folder


@pytest.fixture(scope="module")
def cleaned(batch):
    return clean_all(read_sources([str(batch), UNREACHABLE, FILE_URL]))


def test_good_articles_come_through(cleaned):
    articles, _ = cleaned
    assert [a.id for a in articles] == [
        "broken.html", "feed-1", "feed-3", "grain-corridor.txt", "latin1.txt", "summit-page.html"]
    by_id = {a.id: a for a in articles}
    assert "The engineer said the dam was safe." in by_id["broken.html"].text
    assert by_id["grain-corridor.txt"].text == (INPUTS / "grain-corridor.txt").read_text(encoding="utf-8")


def test_latin1_file_is_decoded_with_a_warning(cleaned):
    articles, _ = cleaned
    latin = next(a for a in articles if a.id == "latin1.txt")
    assert latin.text == LATIN1_TEXT
    [warning] = latin.warnings
    assert "not UTF-8" in warning and "cp1252" in warning and "latin1.txt" in warning


def test_each_bad_input_is_a_failure_with_its_reason(cleaned, batch):
    _, failures = cleaned
    by_source = {f.source: f for f in failures}
    expected = {
        str(batch / "photo.txt"): ("R103", "NUL bytes"),
        str(batch / "empty.txt"): ("R102", "empty"),
        str(batch / "blank.md"): ("R102", "only whitespace"),
        str(batch / "huge.txt"): ("R104", f"{HUGE_MB}.0 MB"),
        str(batch / "no-text.html"): ("R108", "no article text"),
        "feed.jsonl:2": ("R106", "not valid JSON"),
        UNREACHABLE: ("R200", "refused"),
        FILE_URL: ("R201", "file scheme is refused"),
    }
    assert set(by_source) == set(expected)
    for source, (code, words) in expected.items():
        assert by_source[source].code == code, by_source[source]
        assert words in by_source[source].reason and source in by_source[source].reason


def test_reading_a_huge_file_keeps_memory_bounded(batch):
    huge = batch / "huge.txt"
    assert huge.stat().st_size >= HUGE_MB * MB
    tracemalloc.start()
    try:
        [failure] = list(read_sources([str(huge)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert failure.code == "R104"
    assert peak < 1 * MB, f"peak {peak} bytes while refusing a {HUGE_MB} MB file"


def test_a_stream_without_size_is_read_to_the_cap_only():
    limits = Limits(max_bytes=2 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match="/dev/zero"):
            read_bounded(Path("/dev/zero"), limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB


def test_analyze_puts_failures_on_the_ledger(batch):
    ledger = readouts.analyze([str(batch), FILE_URL])
    assert {a.id for a in ledger.articles} == {
        "broken.html", "feed-1", "feed-3", "grain-corridor.txt", "latin1.txt", "summit-page.html"}
    codes = sorted(f.code for f in ledger.failures)
    assert codes == ["R102", "R102", "R103", "R104", "R106", "R108", "R201"]
    data = ledger.to_dict()
    assert len(data["failures"]) == len(codes)
    assert any(s.article == "grain-corridor.txt" for s in ledger.statements)


def test_every_error_code_names_one_kind_of_error():
    import importlib

    from readouts.errors import ReadoutsError

    for module in ("readouts.errors", "readouts.store.errors", "readouts.corpus.errors", "readouts.ingest.feeds"):
        importlib.import_module(module)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    owners: dict[str, list[str]] = {}
    for cls in subclasses(ReadoutsError):
        if "code" in vars(cls):
            owners.setdefault(cls.code, []).append(cls.__name__)
    assert len(owners) > 20
    assert {code: names for code, names in owners.items() if len(names) > 1} == {}
