"""Tests of the web UI in a real browser (Debian's chromium through Playwright) against a uvicorn server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from test_web_store import HOSTILE_IMAGE, HOSTILE_SCRIPT, build_corpus

CHROMIUM = Path("/usr/bin/chromium")
# The README's picture is only rewritten on request, so a test run leaves the work tree clean.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "screenshot-story.png"
UPDATE_SCREENSHOT = os.environ.get("READOUTS_UPDATE_SCREENSHOT") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
PASTED = (
    "Ministers disagreed about the harbour plan on Tuesday.\n"
    "\"The harbour will reopen in May,\" Transport Minister Anna Berg told reporters.\n"
    "Mayor Tom Hill said the harbour would stay closed until autumn.\n"
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: run scripts/ci_browser.sh (apt-get install chromium)"
)


class Server:
    """uvicorn serving the app in a thread of this process, on a free loopback port."""

    def __init__(self, app) -> None:
        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc_info) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The hand-built stories, served."""
    from readouts.web import create_app

    path = tmp_path_factory.mktemp("browser") / "web.db"
    stories = build_corpus(path)
    with Server(create_app(str(path))) as base:
        yield base, stories


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory, shared_dir):
    """The seed article ingested through the whole pipeline into a corpus of its own, served."""
    from readouts.corpus import ingest
    from readouts.store import open_store
    from readouts.web import create_app

    path = tmp_path_factory.mktemp("seed") / "seed.db"
    ingest([str(shared_dir / "seed" / "putin-trump-first-meeting.txt")], db=str(path))
    with open_store(path) as store:
        story = store.db.value("SELECT story_id FROM articles WHERE input_id LIKE '%putin-trump%'")
    with Server(create_app(str(path))) as base:
        yield base, story


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def test_clicking_a_conflict_card_lights_up_its_words(site, page):
    base, stories = site
    page.goto(f"{base}/stories/{stories['talks']}")
    card = page.locator("#contested .card").first
    assert page.locator("mark.lit").count() == 0
    card.locator("h3").click()  # the card's heading: its speaker links lead elsewhere
    lit = page.locator("mark.lit")
    assert sorted(lit.all_inner_texts()) == ["That is not accurate", "the president accepted the assurances"]
    assert card.get_attribute("aria-pressed") == "true"
    assert lit.first.is_visible() and _in_viewport(page, lit.first)
    page.locator("#corroborated .card h3").first.click()
    assert sorted(page.locator("mark.lit").all_inner_texts()) == [
        "both sides agreed a ceasefire in southern Syria", "the ceasefire would start on Sunday"]


def test_seed_story_page_highlights_speakers_and_is_photographed(seed_site, page, tmp_path):
    base, seed_story = seed_site
    screenshot = DOCS_SCREENSHOT if UPDATE_SCREENSHOT else tmp_path / "screenshot-story.png"
    page.goto(f"{base}/stories/{seed_story}")
    assert "Putin" in page.locator("h1").inner_text()
    speakers = page.locator("#speakers tbody tr").all_inner_texts()
    assert any("Sergey Lavrov" in row for row in speakers) and any("Rex Tillerson" in row for row in speakers)
    assert page.locator("#articles mark.content").count() >= 20
    conflict = page.locator("#contested .card").first
    conflict.locator("h3").click()
    lit = page.locator("#articles mark.lit")
    assert lit.count() >= 2 and _in_viewport(page, lit.first)
    assert set(lit.all_inner_texts()) <= set(page.locator("#articles mark.content").all_inner_texts())
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000


def test_search_with_a_speaker_filter(site, page):
    base, _ = site
    page.goto(f"{base}/search")
    page.fill("input[name=q]", "ceasefire")
    page.click("button[type=submit]")
    page.wait_for_url("**/search?*")
    assert page.locator("#result-count").inner_text().startswith("2 statements")
    page.select_option("select[name=speaker]", label="Rex Tillerson (1)")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    results = page.locator(".results li").all_inner_texts()
    assert len(results) == 1 and "both sides agreed a ceasefire in southern Syria" in results[0]


def test_analyze_a_pasted_article(site, page):
    base, _ = site
    page.goto(f"{base}/analyze")
    page.fill("textarea[name=text]", PASTED)
    page.click("button[type=submit]")
    page.wait_for_selector("#ledger")
    speakers = " ".join(page.locator("#ledger #speakers tbody tr").all_inner_texts())
    assert "Anna Berg" in speakers and "Tom Hill" in speakers
    marked = page.locator("#ledger mark.content").all_inner_texts()
    assert any("harbour will reopen in May" in m for m in marked)
    assert page.locator("textarea[name=text]").input_value() == PASTED


def test_hostile_markup_renders_as_text(site, page):
    base, stories = site
    page.goto(f"{base}/stories/{stories['hostile']}")
    page.wait_for_load_state("load")
    text = page.locator("#articles .text").inner_text()
    assert HOSTILE_SCRIPT in text and HOSTILE_IMAGE in text
    assert page.locator("#articles .text img, #articles .text script").count() == 0
    assert HOSTILE_SCRIPT in page.locator("h1").inner_text()
    page.wait_for_timeout(300)
    assert page.dialogs == []


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height



def test_the_interactive_api_docs_render_offline_under_the_policy(site, page):
    from readouts.web.docs import swagger_ui_files

    if swagger_ui_files() is None:
        pytest.skip("swagger-ui-bundle-v2 is not installed")
    base, _ = site
    violations, elsewhere = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith((base, "data:")) else None)
    page.goto(f"{base}/api/docs")
    page.locator(".opblock").first.wait_for(timeout=15000)
    assert page.locator(".opblock").count() >= 8
    assert "/api/statements" in page.locator("#swagger-ui").inner_text()
    assert violations == [] and elsewhere == []


LONG_WORD = "x" * 100_000


@pytest.fixture(scope="module")
def long_word_site(tmp_path_factory):
    """A story whose one statement is a single 100,000-character word, said through a channel."""
    from test_web_store import _statement

    from readouts.model import Actor, Article, Channel, Ledger
    from readouts.store import open_store
    from readouts.web import create_app

    text = f"Speaking at the city hall on Tuesday, Mayor Tom Hill said {LONG_WORD}, according to Interfax.\n"
    article = Article(id="long-word", text=text, source="long-word.txt", title="A long word")
    statement = _statement("s1", article, text, "tom-hill", "Mayor Tom Hill", "said", LONG_WORD, via=("interfax",))
    ledger = Ledger((article,), (Actor("tom-hill", "Tom Hill", "person", "Mayor", None),),
                    (Channel("interfax", "Interfax", "agency"),), (statement,), ())
    path = tmp_path_factory.mktemp("long-word") / "web.db"
    with open_store(path) as store:
        store.add_ledger(ledger, story="long-word")
        ids = {
            "story": store.db.value("SELECT id FROM stories WHERE story_key = 'long-word'"),
            "speaker": store.db.value("SELECT id FROM actors WHERE name = 'Tom Hill'"),
            "channel": store.db.value("SELECT id FROM channels WHERE name = 'Interfax'"),
        }
    with Server(create_app(str(path))) as base:
        yield base, ids


def test_a_very_long_word_wraps_on_every_page_that_shows_statements(long_word_site, page):
    base, ids = long_word_site
    for path in (f"/stories/{ids['story']}", f"/speakers/{ids['speaker']}", f"/channels/{ids['channel']}",
                 f"/search?speaker={ids['speaker']}"):
        page.goto(f"{base}{path}")
        assert page.locator(f"text={LONG_WORD[:50]}").count() >= 1, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the window"
