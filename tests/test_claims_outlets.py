"""The outlet comparison of a multi-article story: hand-built two-outlet ledgers, then a real BASIL event."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from readouts.model import Actor, Article, Claim, Ledger, Stance, Statement
from readouts.report import render
from readouts.report.outlets import outlet_name
from readouts.report.view import build_view

WIRE = "The minister said the talks would resume on Monday. A union leader said the strike would go on."
DAILY = "Talks will resume on Monday, the minister said. An adviser said the budget was balanced <b>today</b>."


def said(sid: str, article: str, text: str, speaker: str, words: str) -> Statement:
    start = text.index(words)
    return Statement(id=sid, article=article, speaker=speaker, speaker_text=None, speaker_span=None,
                     cue="said", cue_span=None, content=words,
                     content_spans=((start, start + len(words)),), kind="indirect", rule="hand-built")


def two_outlet_ledger(daily_outlet: str | None = "Daily <Two>") -> Ledger:
    articles = (
        Article(id="w", text=WIRE, source="stories/wire.txt", outlet="Wire One"),
        Article(id="d", text=DAILY, source="stories/daily.txt", outlet=daily_outlet),
    )
    actors = (
        Actor("minister", "Ana Ruiz", role="Minister", affiliation="Spain"),
        Actor("union", "union leader", kind="anonymous"),
        Actor("adviser", "adviser", kind="anonymous"),
    )
    statements = (
        said("s1", "w", WIRE, "minister", "the talks would resume on Monday"),
        said("s2", "w", WIRE, "union", "the strike would go on"),
        said("s3", "d", DAILY, "minister", "Talks will resume on Monday"),
        said("s4", "d", DAILY, "adviser", "the budget was balanced <b>today</b>"),
        said("s5", "d", DAILY, "adviser", "the budget was balanced"),
    )
    claims = (
        Claim("c1", "The talks resume on Monday", "single-source",
              (Stance("s1", "supports"), Stance("s3", "supports")), sources=1),
        Claim("c2", "The budget was balanced", "single-source",
              (Stance("s4", "supports"), Stance("s5", "supports")), sources=1),
    )
    return Ledger(articles, actors, (), statements, claims)


def test_each_outlet_lists_whom_it_quotes_and_what_only_it_carries():
    comparison = build_view(two_outlet_ledger()).outlets
    assert comparison is not None
    wire, daily = comparison.outlets
    assert (wire.name, daily.name) == ("Wire One", "Daily <Two>")
    assert (wire.statements, daily.statements) == (2, 3)
    assert [(q.speaker.name, q.count, q.only_here) for q in wire.speakers] == [
        ("Ana Ruiz", 1, False), ("union leader", 1, True)]
    assert [(q.speaker.name, q.count, q.only_here) for q in daily.speakers] == [
        ("adviser", 2, True), ("Ana Ruiz", 1, False)]
    assert [c.id for c in daily.only_here] == ["c2"] and not wire.only_here
    assert (comparison.shared, comparison.single) == (1, 1)


def test_articles_without_an_outlet_are_named_by_title_then_file_or_site():
    assert outlet_name(Article(id="a", text="x", source="/tmp/x/fox.txt", title="Beck at CPAC")) == "Beck at CPAC"
    assert outlet_name(Article(id="a", text="x", source="/tmp/x/fox.txt")) == "fox.txt"
    assert outlet_name(Article(id="a", text="x", source="https://example.org/news/1")) == "example.org"
    comparison = build_view(two_outlet_ledger(daily_outlet=None)).outlets
    assert comparison is not None and comparison.outlets[1].name == "daily.txt"


def test_one_outlet_gets_no_comparison():
    ledger = two_outlet_ledger(daily_outlet="Wire One")
    assert build_view(ledger).outlets is None
    assert "OUTLETS" not in render(ledger, "text")
    assert "Outlets compared" not in render(ledger, "md") + render(ledger, "html")


def test_text_report_puts_the_comparison_after_the_claims():
    out = render(two_outlet_ledger(), "text", width=120)
    assert out.index("OUTLETS COMPARED") < out.index("SPEAKERS")
    section = out[out.index("OUTLETS COMPARED"): out.index("SPEAKERS")]
    assert "2 outlets · 1 claim carried by several outlets · 1 by one outlet only" in section
    assert re.search(r"union leader \(anonymous\)\s+1\s+only here", section)
    assert re.search(r"only in Daily <Two>:\s+single-source\s+The budget was balanced", section)


def test_markdown_and_html_escape_outlet_names():
    md = render(two_outlet_ledger(), "md")
    section = md[md.index("## Outlets compared"): md.index("## Speakers")]
    assert "### Daily \\<Two\\>" in section and "| adviser \\(anonymous\\) | 2 | yes |" in section
    html = render(two_outlet_ledger(), "html")
    assert '<section id="outlets">' in html and "Daily &lt;Two&gt;" in html and "<Two>" not in html
    assert html.index('id="outlets"') < html.index('id="speakers"')


@pytest.fixture(scope="module")
def basil_event(shared_dir, tmp_path_factory):
    """The three articles of one BASIL event as the JSONL corpus ``readouts analyze`` reads."""
    rows = [json.loads(line) for line in (shared_dir / "data" / "events_basil_dev.jsonl").open(encoding="utf-8")]
    first = rows[0]["event_id"]
    path = tmp_path_factory.mktemp("basil") / "event.jsonl"
    path.write_text("".join(
        json.dumps({"id": r["article_id"], "text": r["text"], "outlet": r["outlet"], "title": r["title"]}) + "\n"
        for r in rows if r["event_id"] == first), encoding="utf-8")
    return path


def test_a_basil_event_compares_its_three_outlets(basil_event):
    from readouts import analyze

    ledger = analyze(str(basil_event))
    comparison = build_view(ledger).outlets
    outlets = {a.id: a.outlet for a in ledger.articles}
    assert comparison is not None and len(comparison.outlets) == 3
    assert sum(o.statements for o in comparison.outlets) == len(ledger.statements)
    speakers_by_outlet = {name: Counter(s.speaker for s in ledger.statements if outlets[s.article] == name)
                          for name in set(outlets.values())}
    for outlet in comparison.outlets:
        for quoted in outlet.speakers:
            others = [n for n, c in speakers_by_outlet.items() if n != outlet.name and c[quoted.speaker.key]]
            assert quoted.only_here == (not others)
            assert quoted.count == speakers_by_outlet[outlet.name][quoted.speaker.key]
        for claim in outlet.only_here:
            assert {outlets[st.statement.article] for st in claim.stances} == {outlet.name}
    text = render(ledger, "text")
    assert all(f"  {o.name}  " in text for o in comparison.outlets)
