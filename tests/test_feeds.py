"""Reading RSS and Atom feeds: full-text entries, fetched pages, and every kind of bad feed reported per item."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest
from click.testing import CliRunner

from readouts.ingest import Limits, read_sources
from readouts.ingest.feeds import canonical_link
from readouts.model import Failure, RawDocument

PARAGRAPH = (
    "Foreign Minister Sergey Lavrov said on Friday that the ceasefire in south-west Syria would take effect "
    "on July 9, according to Interfax news agency. Secretary of State Rex Tillerson told reporters that the "
    "United States and Russia had agreed on the terms after a long meeting in Hamburg. "
)
FULL_TEXT = "<p>" + PARAGRAPH * 3 + "</p>"
PAGE = (
    "<html><head><title>Trade talks stall</title></head><body><article><h1>Trade talks stall</h1>"
    "<p>Canada's trade minister Luis Ortega said the quotas on steel would stay in place for another year, "
    "and that the talks in Ottawa would resume in the spring. \"We are not moving on quotas,\" Ortega told "
    "reporters after the meeting, adding that both sides wanted a deal before the summer.</p>"
    "<p>An official at the commerce department said the United States would answer in kind.</p>"
    "</article></body></html>"
)


def rss(items: str, broken: bool = False) -> str:
    tail = "" if broken else "</channel></rss>"
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Wire Desk</title><link>https://wire.example.com/</link>{items}{tail}"
    )


def item(link: str | None = None, title: str | None = "Ceasefire agreed", guid: str | None = None,
         content: str | None = None, date: str = "Fri, 07 Jul 2017 18:00:00 GMT") -> str:
    parts = [f"<title>{title}</title>" if title else "", f"<link>{link}</link>" if link else "",
             f"<guid>{guid}</guid>" if guid else "", f"<pubDate>{date}</pubDate>",
             f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""]
    return "<item>" + "".join(parts) + "</item>"


def read_feed_file(tmp_path, text: str, name: str = "feed.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(read_sources([], feeds=[str(path)]))


def test_full_text_entries_are_read_from_the_feed_with_their_metadata(tmp_path):
    found = read_feed_file(tmp_path, rss(item("https://www.example.com/syria?utm_source=rss", content=FULL_TEXT)))
    assert len(found) == 1 and isinstance(found[0], RawDocument)
    document = found[0]
    assert document.url == "https://www.example.com/syria"
    assert (document.title, document.outlet, document.published) == (
        "Ceasefire agreed", "Wire Desk", "2017-07-07T18:00:00Z")
    assert "Sergey Lavrov" in document.html


def test_duplicate_links_and_ids_become_one_failure_each(tmp_path):
    items = (item("https://example.com/a?utm_source=x", content=FULL_TEXT)
             + item("https://www.example.com/a", content=FULL_TEXT)
             + item(None, guid="tag:1", content=FULL_TEXT)
             + item(None, guid="tag:1", content=FULL_TEXT))
    found = read_feed_file(tmp_path, rss(items))
    kinds = [type(x).__name__ for x in found]
    assert kinds == ["RawDocument", "Failure", "RawDocument", "Failure"]
    assert all("duplicate entry" in f.reason and f.code == "R109" for f in found if isinstance(f, Failure))
    assert found[1].source.endswith("entry 2")


def test_an_entry_with_neither_link_nor_text_fails_alone(tmp_path):
    found = read_feed_file(tmp_path, rss(item(None, title=None) + item("https://example.com/b", content=FULL_TEXT)))
    assert isinstance(found[0], Failure) and "neither a usable link nor its text" in found[0].reason
    assert isinstance(found[1], RawDocument) and found[1].title == "Ceasefire agreed"


def test_an_html_page_instead_of_a_feed_names_the_feed_it_advertises(tmp_path):
    page = ('<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" '
            'href="https://example.com/feed.xml"></head><body>News</body></html>')
    [found] = read_feed_file(tmp_path, page, "page.html")
    assert isinstance(found, Failure) and found.code == "R109"
    assert "HTML page, not an RSS or Atom feed" in found.reason and "https://example.com/feed.xml" in found.reason


def test_xml_that_is_no_feed_and_a_missing_file_fail_once_each(tmp_path):
    [garbage] = read_feed_file(tmp_path, "<<< not xml at all", "garbage.xml")
    assert isinstance(garbage, Failure) and "not a readable feed" in garbage.reason
    [missing] = list(read_sources([], feeds=[str(tmp_path / "nowhere.xml")]))
    assert isinstance(missing, Failure) and missing.code == "R101"


def test_broken_xml_keeps_the_entries_it_can_read_with_a_warning(tmp_path):
    found = read_feed_file(tmp_path, rss(item("https://example.com/c", content=FULL_TEXT) + "<item><title>cut",
                                         broken=True))
    documents = [x for x in found if isinstance(x, RawDocument)]
    assert [d.url for d in documents] == ["https://example.com/c"]
    assert "not well-formed" in documents[0].warnings[0]


def test_atom_entries_are_read(tmp_path):
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>'
            '<entry><title>Talks</title><id>urn:x:1</id><link href="https://example.org/talks"/>'
            f'<updated>2017-07-08T10:00:00Z</updated><content type="html"><![CDATA[{FULL_TEXT}]]></content></entry>'
            '</feed>')
    [document] = read_feed_file(tmp_path, atom, "atom.xml")
    assert (document.url, document.outlet, document.published) == (
        "https://example.org/talks", "Atom Desk", "2017-07-08T10:00:00Z")


def test_canonical_links_fold_tracking_parameters():
    assert canonical_link("https://example.com/a/?utm_source=rss&id=3#top") == "https://example.com/a/?id=3"
    assert canonical_link("mailto:someone@example.com") is None
    assert canonical_link("   ") is None


@pytest.fixture()
def local_site(tmp_path):
    """A local web server (127.0.0.1 only) serving a feed whose entries link to pages on it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "trade.html").write_text(PAGE, encoding="utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    items = item(f"{base}/trade.html", title="Trade talks stall") + item(f"{base}/gone.html", title="Gone")
    (site / "feed.xml").write_text(rss(items), encoding="utf-8")
    (site / "index.html").write_text("<!DOCTYPE html><html><body>home</body></html>", encoding="utf-8")
    yield base
    server.shutdown()


def test_a_feed_over_http_fetches_each_entry_page_and_reports_the_broken_one(local_site):
    found = list(read_sources([], feeds=[f"{local_site}/feed.xml", f"{local_site}/index.html"],
                              limits=Limits(timeout=5)))
    page, gone, not_feed = found
    assert isinstance(page, RawDocument) and "Luis Ortega" in page.html
    assert (page.title, page.outlet) == ("Trade talks stall", "Wire Desk")
    assert isinstance(gone, Failure) and "404" in gone.reason and gone.source.endswith("entry 2")
    assert isinstance(not_feed, Failure) and "HTML page" in not_feed.reason


def test_readouts_ingest_feed_stores_entries_and_lists_failures(local_site, tmp_path, nlp):
    from readouts.cli import main

    db = str(tmp_path / "feeds.db")
    result = CliRunner().invoke(main, ["ingest", "--feed", f"{local_site}/feed.xml", "--db", db, "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "1 ingested, 0 unchanged, 1 failed" in result.output
    found = CliRunner().invoke(main, ["query", "--db", db, "--speaker", "Ortega", "--format", "json"])
    assert "quotas" in found.stdout
    errors = CliRunner().invoke(main, ["errors", "--db", db])
    assert "gone.html" in errors.output or "entry 2" in errors.output
