"""Reports in every format on ledgers built by hand from the seed article's own sentences."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from readouts.errors import ConfigError
from readouts.model import Actor, Article, Channel, Claim, Failure, Ledger, Stance, Statement
from readouts.report import render

TITLE = "Putin Reveals What He Discussed With Trump In Two-Hour Long First Meeting"
TEXT = (
    f"{TITLE}\n\n"
    "Tyler Durden's picture\n\n"
    "Elaborating after the meeting, Secretary of State Rex Tillerson said Trump repeatedly pressed "
    "Putin on the matter over the course of their meeting (see below for details).\n\n"
    "Or as Interfax put it:\n\n"
    "  • TRUMP ACCEPTED PUTIN’S ASSURANCE OF NO ELECTION HACKING: LAVROV\n\n"
    "Pushback already from Trump administration: one official tells @NBCNews Lavrov’s "
    "“not accurate” w/this comment\n\n"
    "Leave a Reply\n"
)
TILLERSON_WORDS = "Trump repeatedly pressed Putin on the matter over the course of their meeting"
FLASH_WORDS = "TRUMP ACCEPTED PUTIN’S ASSURANCE OF NO ELECTION HACKING"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"


def span_of(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def statement(sid, article, text, speaker, speaker_words, cue, cue_words, words, kind, via=(), after=0):
    cue_span = span_of(text, cue_words, after) if cue_words else None
    return Statement(
        id=sid, article=article, speaker=speaker, speaker_text=speaker_words,
        speaker_span=span_of(text, speaker_words, after) if speaker_words else None,
        cue=cue, cue_span=cue_span, content=words, content_spans=(span_of(text, words, after),),
        kind=kind, via=via, rule="hand-built", confidence=0.9,
    )


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    article = Article(
        id="seed", text=TEXT, source="seed.txt", title=TITLE, outlet="ZeroHedge",
        boilerplate=(span_of(TEXT, "Tyler Durden's picture"), span_of(TEXT, "Leave a Reply")),
        warnings=("byline not found",),
    )
    actors = (
        Actor("a1", "Rex Tillerson", "person", "Secretary of State", "United States"),
        Actor("a2", "Sergey Lavrov", "person", "Foreign Minister", "Russia"),
        Actor("a3", "administration official", "anonymous", None, "United States"),
    )
    channels = (Channel("c1", "Interfax", "agency"), Channel("c2", "NBC News", "broadcaster"))
    flash_at = TEXT.index("  •")
    statements = (
        statement("s1", "seed", TEXT, "a1", "Rex Tillerson", "said", "said", TILLERSON_WORDS, "indirect"),
        statement("s2", "seed", TEXT, "a2", "LAVROV", ":", ":", FLASH_WORDS, "flash", ("c1",), flash_at),
        statement("s3", "seed", TEXT, "a3", "one official", "tells", "tells", "not accurate", "mixed",
                  ("c2",)),
    )
    claims = (
        Claim("k1", "Trump accepted Putin's assurance of no election hacking", "contested",
              (Stance("s2", "supports"), Stance("s3", "disputes")), sources=2),
        Claim("k2", "Trump pressed Putin on the election", "single-source", (Stance("s1", "supports"),), 1),
    )
    failures = (Failure("missing.txt", "R101", "[R101] missing.txt: no such file"),)
    return Ledger((article,), actors, channels, statements, claims, failures)


@pytest.fixture(scope="module")
def hostile_ledger() -> Ledger:
    text = f"Breaking {HOSTILE} news. {HOSTILE_IMG} The spokesman said “{HOSTILE} is fine” today."
    words = f"{HOSTILE} is fine"
    article = Article(id="evil", text=text, source="evil.txt", title=f"Title {HOSTILE}",
                      boilerplate=(span_of(text, "Breaking"),))
    actor = Actor("a1", f"Spokes{HOSTILE_IMG}man", "person")
    said = statement("s<1>", "evil", text, "a1", "The spokesman", "said", "said", words, "direct")
    return Ledger((article,), (actor,), (), (said,))


# json


def test_json_round_trips_with_contract_keys_in_order(ledger):
    data = json.loads(render(ledger, "json"))
    assert list(data)[:6] == ["schema", "articles", "actors", "channels", "statements", "claims"]
    assert data["schema"] == "readouts.ledger/1"
    article = data["articles"][0]
    assert list(article)[:10] == ["id", "source", "outlet", "title", "byline", "published", "language",
                                  "text", "boilerplate", "warnings"]
    assert article["text"] == TEXT
    first = data["statements"][0]
    assert list(first)[:4] == ["id", "article", "speaker", "speaker_text"]
    start, end = first["content_spans"][0]
    assert TEXT[start:end] == first["content"] == TILLERSON_WORDS
    assert data["claims"][0]["stances"] == [{"statement": "s2", "stance": "supports"},
                                            {"statement": "s3", "stance": "disputes"}]
    assert data["failures"][0]["code"] == "R101"
    assert data == json.loads(ledger.to_json())


def test_json_indent_option(ledger):
    assert "\n" not in render(ledger, "json", indent=None)


# text


def test_text_header_claims_speakers_statements_failures(ledger):
    out = render(ledger, "text", width=140)
    lines = out.splitlines()
    assert TITLE in lines[0] and "1 article · 3 speakers · 2 channels · 3 statements" in lines[0]
    order = [out.index(h) for h in ("ACCOUNTS DIFFER", "SPEAKERS", "STATEMENTS", "FAILURES", "WARNINGS")]
    assert order == sorted(order)
    differ = out[out.index("ACCOUNTS DIFFER"): out.index("SPEAKERS")]
    assert "Trump accepted Putin's assurance of no election hacking  2 independent sources" in differ
    assert re.search(r"supports\s+Sergey Lavrov · Foreign Minister · Russia\s+via Interfax", differ)
    assert re.search(r"disputes\s+administration official \(anonymous\) · United States\s+via NBC News", differ)
    speakers = out[out.index("SPEAKERS"): out.index("STATEMENTS")]
    assert re.search(r"Rex Tillerson\s+Secretary of State\s+United States\s+1", speakers)
    assert TILLERSON_WORDS in out
    assert "R101" in out and "missing.txt" in out and "byline not found" in out
    assert "CONFIRMED" not in out  # no corroborated claim in this ledger
    assert "\x1b[" not in out


def test_text_colour_only_when_asked(ledger):
    assert "\x1b[" in render(ledger, "text", color=True)


def test_text_without_claims_or_statements_says_so():
    empty = Ledger((Article(id="a", text="Nothing was said here.", source="a.txt"),))
    out = render(empty, "text")
    assert "ACCOUNTS DIFFER" not in out and "No attributed statements were found." in out
    assert "1 article · 0 speakers · 0 channels · 0 statements" in out


def test_text_does_not_interpret_rich_markup_from_data():
    text = 'He said "[bold red]not markup[/bold red]".'
    said = Statement("s1", "a", None, "He", (0, 2), "said", (3, 7), "[bold red]not markup[/bold red]",
                     (9, 40), "direct")
    out = render(Ledger((Article(id="a", text=text),), (), (), (said,)), "text", width=120)
    assert "[bold red]not markup[/bold red]" in out


# markdown


def test_markdown_sections_and_escaping(ledger, hostile_ledger):
    md = render(ledger, "md")
    assert md.startswith(f"# {TITLE}\n")
    order = [md.index(h) for h in ("## Accounts differ", "## Speakers", "## Statements", "## Failures",
                                   "## Articles")]
    assert order == sorted(order)
    assert "| Sergey Lavrov | Foreign Minister | Russia | 1 | Interfax |" in md
    assert "**disputes** administration official \\(anonymous\\) · United States via NBC News" in md
    assert TILLERSON_WORDS in md
    hostile = render(hostile_ledger, "md")
    assert not re.search(r"(?<!\\)[<>]", hostile)  # every angle bracket is backslash-escaped
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in hostile


# html


class TagChecker(HTMLParser):
    """Collects the text and checks every element closes in the order it opened."""

    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def parse(html: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    return checker


def test_html_is_one_standalone_document(ledger):
    html = render(ledger, "html")
    checker = parse(html)
    assert not checker.errors and not checker.stack
    tags = [t for t, _ in checker.tags]
    assert tags.count("html") == 1 and "script" not in tags and "link" not in tags
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    csp = next(a["content"] for t, a in checker.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    assert " style=" not in html  # the CSP only lets the one hashed stylesheet apply
    css = html[html.index("<style>") + len("<style>"): html.index("</style>")]
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp


def test_html_highlights_exact_words_with_statement_anchor(ledger):
    html = render(ledger, "html")
    for sid, words in (("s1", TILLERSON_WORDS), ("s2", FLASH_WORDS), ("s3", "not accurate")):
        match = re.search(rf'<mark class="content sp-\d+" id="{sid}"[^>]*>(.*?)</mark>', html, re.S)
        assert match, sid
        assert match.group(1).replace("&#39;", "'") == words
        assert f'href="#{sid}"' in html
    # the claim card links to its statements' highlighted words
    card = html[html.index('id="claim-k1"'): html.index("</article>", html.index('id="claim-k1"'))]
    assert "2 independent sources" in card
    assert 'href="#s2"' in card and 'href="#s3"' in card
    hover = re.search(r'<mark class="content[^"]*" id="s2" title="([^"]*)"', html).group(1)
    assert "Sergey Lavrov" in hover and ":" in hover and "via Interfax" in hover


def test_html_greys_boilerplate_and_marks_speakers_and_cues(ledger):
    html = render(ledger, "html")
    assert re.search(r'<span class="debris"[^>]*>Tyler Durden&#39;s picture</span>', html)
    assert re.search(r'<span class="debris"[^>]*>Leave a Reply</span>', html)
    assert re.search(r'<span class="speaker sp-\d+"[^>]*>Rex Tillerson</span>', html)
    assert re.search(r'<span class="cue"[^>]*>tells</span>', html)
    legend = html[html.index('class="legend"'):]
    assert "Rex Tillerson" in legend[: legend.index("</ul>")]


def test_html_text_survives_highlighting(ledger):
    html = render(ledger, "html")
    body = html[html.index('<div class="text">') + len('<div class="text">'):]
    body = body[: body.index("</div>")]
    plain = re.sub(r"<[^>]+>", "", body)
    import html as htmllib

    assert htmllib.unescape(plain) == TEXT


def test_html_escapes_hostile_article_text(hostile_ledger):
    html = render(hostile_ledger, "html")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    checker = parse(html)
    assert not checker.errors
    assert all(t not in ("script", "img") for t, _ in checker.tags)
    # an unsafe statement id still makes a working anchor
    assert 'id="s-1-"' in html and 'href="#s-1-"' in html


def test_overlapping_spans_nest_or_split():
    from readouts.report.highlight import Mark, mark_up

    text = "The minister said the talks were frank and useful today."
    marks = [
        Mark(4, 30, "content", tag="mark", classes="content", anchor="s1"),
        Mark(13, 45, "content", tag="mark", classes="content", anchor="s2"),
        Mark(13, 17, "cue", classes="cue"),
        Mark(0, 12, "debris", classes="debris"),
        Mark(50, 80, "debris", classes="debris"),
        Mark(20, 20, "cue", classes="cue"),
    ]
    out = str(mark_up(text, marks))
    checker = parse(out)
    assert not checker.errors and not checker.stack
    assert re.sub(r"<[^>]+>", "", out) == text
    assert out.count('id="s1"') == 1 and out.count('id="s2"') == 1
    # s1 crosses the debris end and s2 crosses s1's end: each is split, later parts marked as continued
    assert 'class="content cont"' in out
    assert out.index('id="s2"') < out.index("said")


def test_unknown_format_is_a_coded_error(ledger):
    with pytest.raises(ConfigError) as caught:
        render(ledger, "pdf")
    assert caught.value.code == "R400"


def test_text_can_leave_failures_out(ledger):
    out = render(ledger, "text", width=140, failures=False)
    assert "FAILURES" not in out and "missing.txt" not in out
    assert "byline not found" in out


def test_text_long_title_puts_counts_on_the_next_line(ledger):
    lines = render(ledger, "text", width=80).splitlines()
    assert lines[0] == TITLE
    assert lines[1] == "1 article · 3 speakers · 2 channels · 3 statements"
