"""Reports of the seed article as the pipeline reads it: every statement reachable, the text intact."""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser

import pytest

import readouts
from readouts.report import render


class Checker(HTMLParser):
    """Checks that elements nest and collects the ids and the article text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.errors.append(tag)


@pytest.fixture(scope="module")
def ledger(seed_text):
    return readouts.analyze_text(seed_text, id="seed")


@pytest.fixture(scope="module")
def page(ledger):
    return render(ledger, "html")


def test_seed_html_nests_and_ids_are_unique(page):
    checker = Checker()
    checker.feed(page)
    assert not checker.errors and not checker.stack
    assert len(checker.ids) == len(set(checker.ids))


def test_seed_html_keeps_the_article_text_exactly(page, seed_text):
    body = page[page.index('<div class="text">') + len('<div class="text">'):]
    body = body[: body.index("</div>")]
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", body)) == seed_text


def test_every_seed_statement_links_to_its_words(ledger, page, seed_text):
    assert ledger.statements
    for statement in ledger.statements:
        start = min(a for a, _ in statement.content_spans)
        anchor = re.search(rf'<mark class="content [^"]*" id="{re.escape(statement.id)}"[^>]*>', page)
        assert anchor, statement.id
        assert f'href="#{statement.id}"' in page
        # the text right after the anchor's opening tag is where the statement's words begin
        following = htmllib.unescape(re.sub(r"<[^>]+>", "", page[anchor.end(): anchor.end() + 400]))
        assert seed_text[start:].startswith(following[:20]), statement.id


def test_seed_debris_is_greyed(page):
    for debris in ("Leave a Reply", "Your email address will not be published."):
        assert re.search(rf'<span class="debris"[^>]*>{re.escape(debris)}', page)


def test_seed_text_and_markdown_list_every_named_speaker(ledger):
    text = render(ledger, "text", width=160)
    markdown = render(ledger, "md")
    for name in ("Sergey Lavrov", "Rex Tillerson", "Vladimir Putin", "Donald Trump"):
        assert name in text and name in markdown
