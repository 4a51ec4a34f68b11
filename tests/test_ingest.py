"""Tests for reading sources: files, directories, stdin, JSONL/CSV corpora and http(s) URLs."""

from __future__ import annotations

import http.server
import io
import shutil
import threading
from pathlib import Path

import pytest

from readouts.errors import FetchError, TooLargeError, UnsafeURLError
from readouts.ingest import Limits, fetch_url, read_sources
from readouts.model import Failure, RawDocument

INPUTS = Path(__file__).parent / "fixtures" / "inputs"


def documents(items):
    return [item for item in items if isinstance(item, RawDocument)]


def failures(items):
    return [item for item in items if isinstance(item, Failure)]


def test_text_file_is_read_unchanged_with_its_name_as_id():
    path = INPUTS / "grain-corridor.txt"
    [doc] = list(read_sources([str(path)]))
    assert doc.id == "grain-corridor.txt"
    assert doc.source == str(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.html is None


def test_html_file_is_read_as_html_and_markdown_as_text():
    html, md = read_sources([str(INPUTS / "summit-page.html"), str(INPUTS / "sommet-portuaire.md")])
    assert html.html.startswith("<!DOCTYPE html>") and html.text is None
    assert md.text.startswith("# Les maires") and md.html is None


def test_crlf_and_bom_handling(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"Talks resumed.\r\n\r\nThe minister said they went well.\r\n")
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfThe envoy said the ceasefire held.\n")
    first, second = read_sources([str(crlf), str(bom)])
    assert first.text == "Talks resumed.\r\n\r\nThe minister said they went well.\r\n"  # kept as is
    assert second.text == "The envoy said the ceasefire held.\n"  # the mark is not text
    assert first.warnings == () and second.warnings == ()


def test_directory_walk_is_sorted_recursive_and_reports_every_file(tmp_path):
    shutil.copy(INPUTS / "grain-corridor.txt", tmp_path / "b-grain.txt")
    (tmp_path / "sub").mkdir()
    shutil.copy(INPUTS / "summit-page.html", tmp_path / "sub" / "a-page.html")
    shutil.copy(INPUTS / "grain-corridor.txt", tmp_path / "a-first.md")
    (tmp_path / ".draft.txt").write_text("A hidden draft the minister never saw.")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "inside.txt").write_text("Hidden directory content.")

    items = list(read_sources([str(tmp_path)]))

    assert [d.id for d in documents(items)] == ["a-first.md", "b-grain.txt", "sub/a-page.html"]
    reasons = {Path(f.source).name: f for f in failures(items)}
    assert set(reasons) == {".draft.txt", "scan.pdf", ".cache"}
    assert "hidden file" in reasons[".draft.txt"].reason
    assert "hidden directory" in reasons[".cache"].reason
    assert ".pdf" in reasons["scan.pdf"].reason and reasons["scan.pdf"].code == "R107"


def test_ids_stay_unique_across_sources(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "story.txt").write_text(f"Story {name}: the spokesman said nothing new.")
    items = list(read_sources([str(tmp_path / "one"), str(tmp_path / "two"), str(tmp_path / "one" / "story.txt")]))
    ids = [d.id for d in documents(items)]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert ids[0] == "story.txt"


def test_stdin_is_read_from_a_stream():
    [doc] = read_sources(["-"], stdin=io.StringIO("The premier said talks would continue.\n"))
    assert (doc.id, doc.source, doc.text) == ("stdin", "stdin", "The premier said talks would continue.\n")
    [page] = read_sources(["-"], stdin=io.StringIO("<!doctype html><html><body><p>Hi</p></body></html>"))
    assert page.html is not None and page.text is None


def test_jsonl_corpus_fields_and_ids():
    items = list(read_sources([str(INPUTS / "wire-corpus.jsonl")]))
    assert failures(items) == []
    first, second, third = items
    assert (first.id, first.source) == ("wire-001", "wire-corpus.jsonl:1")
    assert (first.title, first.outlet, first.published, first.url) == (
        "Budget to balance next year", "Reuters", "2024-05-06", "https://example.org/wire-001")
    assert second.id == "wire-002" and second.html.startswith("<html>") and second.text is None
    assert third.id == "wire-corpus.jsonl:3" == third.source
    assert third.text.startswith("A record without an id")


def test_jsonl_bad_lines_become_failures_and_the_rest_goes_on(tmp_path):
    corpus = tmp_path / "feed.jsonl"
    corpus.write_text(
        '{"id": "a", "text": "The minister said yes."}\n'
        '{"id": "b", "text": "The minister said no."\n'
        '\n'
        '{"id": "c", "title": "No body here"}\n'
        '{"id": "a", "text": "A second record claiming id a."}\n'
        '["not", "an", "object"]\n'
        '{"id": "d", "text": "The envoy said maybe."}\n',
        encoding="utf-8",
    )
    items = list(read_sources([str(corpus)]))
    assert [d.id for d in documents(items)] == ["a", "d"]
    by_line = {f.source: f for f in failures(items)}
    assert set(by_line) == {"feed.jsonl:2", "feed.jsonl:4", "feed.jsonl:5", "feed.jsonl:6"}
    assert all(f.code == "R106" for f in by_line.values())
    assert "not valid JSON" in by_line["feed.jsonl:2"].reason
    assert "no 'text' or 'html' field" in by_line["feed.jsonl:4"].reason
    assert "duplicate id 'a'" in by_line["feed.jsonl:5"].reason
    assert "JSON list" in by_line["feed.jsonl:6"].reason


def test_csv_corpus_with_multiline_and_long_fields(tmp_path):
    items = list(read_sources([str(INPUTS / "wire-corpus.csv")]))
    assert [(d.id, d.source, d.outlet) for d in items] == [
        ("row-1", "wire-corpus.csv:2", "AP"), ("row-2", "wire-corpus.csv:3", "Reuters")]
    assert 'citing "missing figures"' in items[0].text
    assert items[1].text.endswith("\nConstruction will begin next spring, they added.")

    long_text = "The official said the talks went on. " * 8000  # ~300 KB, over the csv module's default limit
    corpus = tmp_path / "long.csv"
    corpus.write_text(f'id,text\nlong-1,"{long_text}"\n,\nno-text,\n', encoding="utf-8")
    items = list(read_sources([str(corpus)]))
    assert documents(items)[0].text == long_text
    [missing] = failures(items)
    assert missing.source == "long.csv:4" and "'text' field is empty" in missing.reason


def test_csv_without_text_column_is_one_failure(tmp_path):
    corpus = tmp_path / "meta.csv"
    corpus.write_text("id,title\n1,Only a title\n", encoding="utf-8")
    [failure] = read_sources([str(corpus)])
    assert failure.code == "R106" and "no text column" in failure.reason


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self):  # noqa: N802 - the http.server API
        status, headers, body = self.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"missing"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    page = (INPUTS / "summit-page.html").read_bytes()
    _Handler.routes = {
        "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, page),
        "/moved": (302, {"Location": "/article"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/plain": (200, {"Content-Type": "text/plain"}, b"The spokesman said the port would reopen.\n"),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
        "/huge": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 300_000 + b"</p>"),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_html_follows_redirects(server):
    doc = fetch_url(f"{server}/moved")
    assert doc.id == doc.source == f"{server}/moved"
    assert doc.url == f"{server}/article"
    assert "Harbour Talks End Without Deal" in doc.html


def test_fetch_plain_text(server):
    [doc] = read_sources([f"{server}/plain"])
    assert doc.text == "The spokesman said the port would reopen.\n" and doc.html is None


@pytest.mark.parametrize(
    ("path", "limits", "error", "words"),
    [
        ("/missing", Limits(), FetchError, "HTTP 404"),
        ("/report.pdf", Limits(), FetchError, "application/pdf, not HTML or text"),
        ("/loop", Limits(max_redirects=3), FetchError, "more than 3 redirects"),
        ("/huge", Limits(max_bytes=100_000), TooLargeError, "at most 0.1 MB"),
        ("/article", Limits(allow_private=False), UnsafeURLError, "private or local address"),
    ],
)
def test_fetch_refusals_name_the_url_and_reason(server, path, limits, error, words):
    with pytest.raises(error) as caught:
        fetch_url(f"{server}{path}", limits=limits)
    assert f"{server}{path}" in str(caught.value)
    assert words in str(caught.value)


def test_non_http_schemes_are_refused_before_any_io():
    with pytest.raises(UnsafeURLError, match="ftp scheme is refused"):
        fetch_url("ftp://example.org/article.txt")


def test_unresolvable_host_is_a_dns_failure():
    with pytest.raises(FetchError, match="DNS lookup for no-such-host.invalid failed"):
        fetch_url("http://no-such-host.invalid/", limits=Limits(timeout=5))
