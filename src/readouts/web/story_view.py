"""Reads a Ledger, produces what a story page shows: claim cards, speakers and articles with highlighted statements.

It builds on the report's view (``report.view``) so the web page keeps the
report's order and speaker colours. Every highlighted element carries
``data-statement``; a claim card lists its statements in ``data-statements`` so
``/static/story.js`` can light up their words when the card is clicked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from readouts.model import Article, Ledger, Statement
from readouts.report import view as v
from readouts.report.highlight import mark_up
from readouts.report.html import article_marks

_STORED_ID = re.compile(r"^[a-z](\d+)$")  # ids a story ledger rebuilt from the database carries (a12, c3)


@dataclass(frozen=True)
class ArticleView:
    anchor: str
    title: str
    meta: str
    url: str | None
    body: Markup
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class StoryPage:
    report: v.ReportView
    articles: tuple[ArticleView, ...]
    linked: bool  # ids point at stored rows: speakers and channels get links


def story_page(ledger: Ledger, *, linked: bool) -> StoryPage:
    report = v.build_view(ledger)
    shown = {s.id: s for s in report.statements}
    by_article: dict[str, list[Statement]] = {}
    for statement in ledger.statements:
        by_article.setdefault(statement.article, []).append(statement)
    articles = tuple(_article_view(a, by_article.get(a.id, []), shown) for a in ledger.articles)
    return StoryPage(report, articles, linked)


def stored_row_id(ledger_id: str | None) -> int | None:
    """The database row behind a stored ledger id (``a12`` -> 12); None for pipeline ids such as ``rex-tillerson``."""
    found = _STORED_ID.match(ledger_id or "")
    return int(found.group(1)) if found else None


def claim_anchors(claim: v.ClaimView) -> str:
    """The statements a card points at, as the space-separated list story.js reads."""
    return " ".join(dict.fromkeys(st.statement.anchor for st in claim.stances))


def _article_view(article: Article, statements: list[Statement], shown: dict[str, v.StatementView]) -> ArticleView:
    marks = article_marks(article, statements, shown)
    meta = " · ".join(m for m in (article.outlet, article.byline, article.published) if m)
    return ArticleView(
        anchor=f"article-{v.anchor_for(article.id)}",
        title=v.article_label(article),
        meta=meta,
        url=article.url if (article.url or "").startswith(("http://", "https://")) else None,
        body=mark_up(article.text, marks),
        warnings=article.warnings,
    )
