"""The web lists filtered and sorted, speaker names in the API, stories exported, outlets apart from channels."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient

from readouts.model import Actor, Article, Channel, Ledger
from readouts.report.csv_report import COLUMNS
from readouts.store import open_store
from readouts.web import create_app
from test_store import lavrov_ledger, official_ledger, statement

WIRE_TEXT = ('MOSCOW (Reuters) - “We will not sign this,” Sergey Lavrov told Interfax on Monday. '
             "The ministry said the talks would go on.")


def wire_ledger() -> Ledger:
    """A Reuters article whose statements name Reuters itself as a channel (its header)."""
    article = Article(id="wire-1", text=WIRE_TEXT, url="https://example.com/wire-1", outlet="Reuters",
                      title="Moscow will not sign", published="Mon, 10 Jul 2017 09:30:00 GMT")
    lavrov = Actor("lavrov", "Sergey Lavrov", role="Foreign Minister", affiliation="Russia", aliases=("Lavrov",))
    ministry = Actor("ministry", "Russian Foreign Ministry", kind="organization", affiliation="Russia")
    reuters = Channel("reuters", "Reuters", "agency")
    interfax = Channel("interfax", "Interfax", "agency", aliases=("IFX",))
    quoted = statement("s1", "wire-1", WIRE_TEXT, "lavrov", "Sergey Lavrov", "told", "“We will not sign this,”",
                       kind="direct", via=("reuters", "interfax"))
    reported = statement("s2", "wire-1", WIRE_TEXT, "ministry", "The ministry", "said", "the talks would go on",
                         via=("reuters",))
    return Ledger(articles=(article,), actors=(lavrov, ministry), channels=(reuters, interfax),
                  statements=(quoted, reported))


@pytest.fixture
def site(db_url):
    with open_store(db_url) as store:
        store.add_ledger(lavrov_ledger(), story="summit")
        store.add_ledger(official_ledger(), story="denial")
        store.add_ledger(wire_ledger(), story="wire")
    with TestClient(create_app(db_url)) as client:
        yield client


def titles(items):
    return [i["title"] for i in items]


def test_statements_api_takes_speaker_names_and_ids(site):
    by_name = site.get("/api/statements", params={"speaker": "Lavrov"}).json()
    assert by_name["total"] == 3 and {i["speaker"] for i in by_name["items"]} == {"Sergey Lavrov"}
    spelled = site.get("/api/statements", params={"speaker": "Sergei Lavrov"}).json()
    assert spelled["total"] == 3
    speaker_id = by_name["items"][0]["speaker_id"]
    assert site.get("/api/statements", params={"speaker": str(speaker_id)}).json()["total"] == 3
    assert site.get("/api/statements", params={"speaker": "Nobody Atall"}).json()["total"] == 0


def test_stories_filter_by_outlet_speaker_and_date_and_sort(site):
    def listed(**params):
        return titles(site.get("/api/stories", params=params).json()["items"])

    assert listed(outlet="reut") == ["Moscow will not sign"]
    assert listed(speaker="administration official") == [None]  # the denial story has no title
    assert listed(since="2017-07-10") == ["Moscow will not sign"]
    assert listed(until="2017-07-08") == ["Putin meets Trump"]
    assert listed(sort="oldest") == ["Putin meets Trump", None, "Moscow will not sign"]
    assert listed(sort="newest") == ["Moscow will not sign", None, "Putin meets Trump"]
    assert listed(sort="statements")[0] in ("Putin meets Trump", "Moscow will not sign")
    page = site.get("/", params={"outlet": "reuters", "sort": "oldest"}).text
    assert 'name="outlet" value="reuters"' in page and '<option value="oldest" selected>' in page
    assert "Moscow will not sign" in page and "Putin meets Trump" not in page
    assert "1 story" in page


def test_the_story_list_shows_the_earliest_publication_day(site):
    items = site.get("/api/stories", params={"outlet": "reuters"}).json()["items"]
    assert items[0]["published"] == "2017-07-10T09:30:00Z"
    assert "2017-07-10" in site.get("/", params={"outlet": "reuters"}).text


def test_speakers_filter_and_sort(site):
    def names(**params):
        return [i["name"] for i in site.get("/api/actors", params=params).json()["items"]]

    assert names(outlet="other") == ["administration official"]
    assert names(q="lav") == ["Sergey Lavrov"]
    assert names(sort="name") == sorted(names(), key=str)
    assert names(since="2017-07-10") == ["Russian Foreign Ministry", "Sergey Lavrov"]  # one statement each, by name
    page = site.get("/speakers", params={"q": "lav"}).text
    assert "Sergey Lavrov" in page and "administration official" not in page


def test_search_filters_by_outlet_and_sorts_by_speaker(site):
    found = site.get("/api/statements", params={"outlet": "Reuters", "sort": "speaker"}).json()
    assert [i["speaker"] for i in found["items"]] == ["Russian Foreign Ministry", "Sergey Lavrov"]
    oldest = site.get("/api/statements", params={"sort": "oldest"}).json()["items"]
    assert [i["published_at"][:10] for i in oldest] == ["2017-07-08", "2017-07-08", "2017-07-09", "2017-07-10",
                                                         "2017-07-10"]
    page = site.get("/search", params={"outlet": "Reuters", "sort": "speaker"}).text
    results = page[page.index('id="result-count"'):]
    assert results.index("Russian Foreign Ministry") < results.index("Sergey Lavrov")
    assert "undated" not in page and "2017-07-10" in page


def test_the_publishing_outlet_is_not_a_channel_the_speaker_used(site):
    lavrov = site.get("/api/statements", params={"speaker": "Lavrov", "outlet": "Reuters"}).json()["items"][0]
    assert [c["name"] for c in lavrov["via"]] == ["Interfax"]
    record = site.get(f"/api/actors/{lavrov['speaker_id']}").json()
    assert [(c["name"], c["statements"]) for c in record["channels"]] == [("Interfax", 2)]
    ministry = site.get("/api/statements", params={"speaker": "Russian Foreign Ministry"}).json()["items"][0]
    assert ministry["via"] == [] and ministry["outlet"] == "Reuters"
    page = site.get(f"/speakers/{ministry['speaker_id']}").text
    channels_section = page[page.index('id="channels"'):page.index('id="claims"')]
    assert "Reuters" not in channels_section and "No channel is named" in channels_section


def test_quotes_are_shown_without_doubled_quotation_marks(site):
    page = site.get("/search", params={"q": "sign"}).text
    assert "<q>We will not sign this</q>" in page
    assert "<q>“" not in page and "”</q>" not in page


@pytest.fixture
def wire_story(site):
    return site, site.get("/api/stories", params={"outlet": "reuters"}).json()["items"][0]["id"]


def test_a_story_exports_as_markdown_html_and_csv(wire_story):
    site, story = wire_story
    page = site.get(f"/stories/{story}").text
    for fmt in ("md", "html", "csv"):
        assert f"/api/stories/{story}/export?format={fmt}" in page
    markdown = site.get(f"/api/stories/{story}/export", params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.headers["content-disposition"] == f'attachment; filename="story-{story}.md"'
    assert markdown.text.startswith("# Moscow will not sign") and "Sergey Lavrov" in markdown.text
    html = site.get(f"/api/stories/{story}/export", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and "<mark" in html.text
    assert html.text.lstrip().lower().startswith("<!doctype html>")
    exported = site.get(f"/api/stories/{story}/export", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert tuple(rows[0]) == COLUMNS
    quoted = next(r for r in rows if r["speaker"] == "Sergey Lavrov")
    assert (quoted["content"], quoted["via"], quoted["outlet"]) == ("We will not sign this", "Interfax", "Reuters")
    assert site.get("/api/stories/999999/export", params={"format": "csv"}).status_code == 404
