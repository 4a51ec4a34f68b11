"""Reads a Ledger, produces one standalone HTML report: findings, speakers, statements, highlighted articles.

No scripts and no external resources: the page carries its CSS inline, pinned
by hash in a Content-Security-Policy that forbids everything else. Every
string from the data goes through Jinja2's autoescape or markupsafe.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from readouts.model import Article, Ledger, Statement
from readouts.report import view as v
from readouts.report.highlight import Mark, mark_up

DEBRIS_TITLE = "boilerplate: not part of the article"


@dataclass(frozen=True)
class ArticleView:
    anchor: str
    title: str
    meta: str
    body: Markup
    warnings: tuple[str, ...]


def render_html(ledger: Ledger, **_: Any) -> str:
    report = v.build_view(ledger)
    css = _stylesheet()
    template = _environment().get_template("report.html.j2")
    by_article: dict[str, list[Statement]] = {}
    for statement in ledger.statements:
        by_article.setdefault(statement.article, []).append(statement)
    shown = {s.id: s for s in report.statements}
    return template.render(
        report=report,
        css=Markup(css),
        csp=content_security_policy(css),
        articles=[_article_view(a, by_article.get(a.id, []), shown) for a in ledger.articles],
        reason=v.failure_reason,
    )


def content_security_policy(css: str) -> str:
    """Nothing may load or run; only the inline stylesheet with exactly this content may apply."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; "
        f"style-src 'sha256-{digest}'; "
        "img-src 'none'; script-src 'none'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("readouts.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return _environment().loader.get_source(_environment(), "report.css")[0]  # type: ignore[union-attr]


def _article_view(
    article: Article, statements: list[Statement], shown: dict[str, v.StatementView]
) -> ArticleView:
    meta = " · ".join(m for m in (article.outlet, article.byline, article.published, article.source) if m)
    return ArticleView(
        anchor=f"article-{v.anchor_for(article.id)}",
        title=v.article_label(article),
        meta=meta,
        body=mark_up(article.text, article_marks(article, statements, shown)),
        warnings=article.warnings,
    )


def article_marks(
    article: Article, statements: list[Statement], shown: dict[str, v.StatementView]
) -> list[Mark]:
    """Debris, then each statement's words, speaker mention and cue, for :func:`mark_up`."""
    marks = [Mark(a, b, "debris", classes="debris", title=DEBRIS_TITLE) for a, b in article.boilerplate]
    for statement in statements:
        marks += _statement_marks(statement, shown[statement.id])
    return marks


def _statement_marks(statement: Statement, shown: v.StatementView) -> list[Mark]:
    """The content spans (the first carries the anchor), the speaker mention and the cue."""
    speaker = shown.speaker
    via = f" · via {shown.via_label}" if shown.via else ""
    hover = f"{speaker.long_label} · {shown.cue} · {shown.kind}{via}"
    data = (("statement", shown.anchor),)
    marks = []
    for i, (start, end) in enumerate(sorted(statement.content_spans)):
        marks.append(
            Mark(start, end, "content", tag="mark", classes=f"content {speaker.colour}",
                 title=hover, anchor=shown.anchor if i == 0 else None, data=data)
        )
    if statement.speaker_span:
        start, end = statement.speaker_span
        marks.append(Mark(start, end, "speaker", classes=f"speaker {speaker.colour}",
                          title=f"speaker: {speaker.long_label}", data=data))
    if statement.cue_span:
        start, end = statement.cue_span
        marks.append(Mark(start, end, "cue", classes="cue", title=f"cue: {shown.cue}{via}", data=data))
    return marks
