"""Tests of the web UI and JSON API in process: ledgers, search, errors, escaping, headers, read-only analyze, serve."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest
from starlette.testclient import TestClient

from readouts.report.json_report import CONTRACT_ORDER, TOP_LEVEL
from readouts.web import create_app
from test_web_store import HOSTILE_IMAGE, HOSTILE_SCRIPT, build_corpus

PASTED = (
    "Officials gave two accounts of the budget talks on Monday.\n"
    "\"We will not accept these cuts,\" Senator Maria Lopez told reporters.\n"
    "Treasury Secretary John Park said the plan would balance the budget by 2030.\n"
)


@pytest.fixture()
def site(tmp_path):
    path = tmp_path / "web.db"
    stories = build_corpus(path)
    with TestClient(create_app(str(path))) as client:
        yield client, stories, path


def test_story_json_is_the_ledger_contract(site):
    client, stories, _ = site
    data = client.get(f"/api/stories/{stories['talks']}").json()
    assert list(data)[: len(TOP_LEVEL)] == list(TOP_LEVEL)
    assert data["schema"] == "readouts.ledger/1"
    for section, keys in CONTRACT_ORDER.items():
        for record in data[section]:
            assert list(record)[: len(keys)] == list(keys)
    text = data["articles"][0]["text"]
    statement_ids = {s["id"] for s in data["statements"]}
    for statement in data["statements"]:
        assert statement["article"] == data["articles"][0]["id"]
        assert [text[a:b] for a, b in statement["content_spans"]] == [statement["content"]]
    assert {s["statement"] for c in data["claims"] for s in c["stances"]} <= statement_ids
    assert sorted(c["status"] for c in data["claims"]) == ["contested", "corroborated"]


def test_lists_paginate_with_totals(site):
    client, stories, _ = site
    first = client.get("/api/stories", params={"limit": 1}).json()
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert (first["total"], len(first["items"]), first["limit"]) == (2, 1, 1)
    assert {first["items"][0]["id"], second["items"][0]["id"]} == set(stories.values())
    channels = client.get("/api/channels").json()
    assert {c["name"] for c in channels["items"]} == {"Interfax", "NBC News"}


def test_statement_search_and_speaker_record(site):
    client, _, _ = site
    found = client.get("/api/statements", params={"q": "ceasefire"}).json()
    assert found["total"] == 2
    lavrov = next(i["speaker_id"] for i in found["items"] if i["speaker"] == "Sergey Lavrov")
    actor = client.get(f"/api/actors/{lavrov}").json()
    assert (actor["name"], actor["role"], actor["affiliation"], actor["statements"]) == (
        "Sergey Lavrov", "Foreign Minister", "Russia", 2)
    assert [c["name"] for c in actor["channels"]] == ["Interfax"]
    assert [(k["stance"], k["status"]) for k in actor["claims"]] == [("supports", "contested"), ("supports", "corroborated")]
    only_his = client.get(actor["statements_url"]).json()
    assert {i["speaker"] for i in only_his["items"]} == {"Sergey Lavrov"}


@pytest.mark.parametrize("path", ["/api/stories/999999", "/api/actors/999999", "/api/channels/999999"])
def test_unknown_ids_are_404(site, path):
    client, _, _ = site
    response = client.get(path)
    assert response.status_code == 404
    assert "999999" in response.json()["detail"]


@pytest.mark.parametrize("path", [
    "/api/stories/abc", "/api/stories/0", "/api/actors/99999999999999999999999",
    "/api/stories?limit=0", "/api/stories?limit=100000", "/api/stories?offset=-1",
    "/api/statements?since=yesterday", "/api/statements?sort=sideways", "/api/statements?q=" + "w" * 501,
    "/api/stories?sort=random", "/api/actors?until=soon", "/api/stories/1/export?format=docx",
])
def test_bad_parameters_are_422(site, path):
    client, _, _ = site
    assert client.get(path).status_code == 422


def test_story_page_puts_findings_before_articles_and_links_speakers(site):
    client, stories, _ = site
    page = client.get(f"/stories/{stories['talks']}").text
    assert page.index("Accounts differ") < page.index("Confirmed by several sources") < page.index('id="articles"')
    assert 'data-statements="' in page and 'src="/static/story.js"' in page
    assert '<a href="/speakers/' in page
    lavrov_mark = page.index('data-statement="s', page.index('id="articles"'))
    assert lavrov_mark > 0


def test_hostile_markup_is_escaped_everywhere(site):
    client, stories, _ = site
    for path in (f"/stories/{stories['hostile']}", "/", "/search?q=spokesman", "/speakers"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
    story = client.get(f"/stories/{stories['hostile']}").text
    assert "&lt;script&gt;alert(" in story and "&lt;img src=x onerror=alert(" in story
    data = client.get(f"/api/stories/{stories['hostile']}").json()
    assert HOSTILE_SCRIPT in data["statements"][0]["content"] and HOSTILE_IMAGE in data["articles"][0]["text"]


def test_security_headers_on_pages_api_static_and_errors(site):
    client, _, _ = site
    for path in ("/", "/api/stories", "/static/story.js", "/api/stories/999999", "/nowhere"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"


def test_pages_answer_404_and_422_as_html(site):
    client, _, _ = site
    missing = client.get("/speakers/999999")
    assert missing.status_code == 404 and "There is no speaker with id 999999." in missing.text
    assert client.get("/search?since=soon").status_code == 422
    assert client.get("/stories/0").status_code == 422


def test_search_page_filters(site):
    client, _, _ = site
    page = client.get("/search", params={"q": "ceasefire", "until": "2017-07-08"}).text
    assert "2 statements" in page and "both sides agreed a ceasefire in southern Syria" in page
    assert "0 statements" in client.get("/search", params={"q": "ceasefire", "since": "2018-01-01"}).text


def test_analyze_is_read_only_by_default(site):
    client, _, path = site
    before = client.get("/api/stories").json()["total"]
    response = client.post("/analyze", data={"text": PASTED})
    assert response.status_code == 200
    assert "John Park" in response.text and "Nothing you analyze here is stored." in response.text
    assert client.get("/api/stories").json()["total"] == before


def test_analyze_stores_when_ingest_is_allowed(tmp_path):
    path = tmp_path / "ingest.db"
    build_corpus(path)
    with TestClient(create_app(str(path), allow_ingest=True)) as client:
        response = client.post("/analyze", data={"text": PASTED})
        assert "see the story" in response.text
        assert client.get("/api/stories").json()["total"] == 3
        assert client.get("/api/statements", params={"q": "balance budget"}).json()["total"] >= 1


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "Only http:// and https://"),
    ("/etc/passwd", "Only http:// and https://"),
    ("http://127.0.0.1:9/secret", "R201"),
    ("http://localhost/", "R201"),
])
def test_url_analyzer_refuses_other_schemes_and_private_hosts(site, url, reason):
    client, _, _ = site
    response = client.post("/analyze", data={"url": url})
    assert response.status_code == 422
    assert reason in response.text


def test_cross_site_form_posts_are_refused(site):
    client, _, _ = site
    for headers in ({"origin": "https://elsewhere.example"}, {"sec-fetch-site": "cross-site"}, {"origin": "null"}):
        assert client.post("/analyze", data={"text": PASTED}, headers=headers).status_code == 403


def test_request_bodies_over_the_limit_are_refused(tmp_path):
    path = tmp_path / "small.db"
    build_corpus(path)
    with TestClient(create_app(str(path), max_body_bytes=10_000)) as client:
        assert client.post("/analyze", data={"text": "x" * 20_000}).status_code == 413


def test_serve_command_binds_loopback_and_answers(tmp_path):
    path = tmp_path / "served.db"
    stories = build_corpus(path)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from readouts.web.command import serve; serve()", "--db", str(path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        response = _wait_for(f"http://127.0.0.1:{port}/api/stories/{stories['talks']}")
        assert response.json()["schema"] == "readouts.ledger/1"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
