"""Analyzes what a visitor pasted or linked; reads text or an http(s) URL, produces a Ledger (stored only if allowed).

A URL is only ever fetched over http(s), and hosts that resolve to private or
loopback addresses are refused unless the server was started to allow them:
the server must not become a way into the network it runs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from readouts.model import Failure, Ledger
from readouts.store import Store

MAX_URL_CHARS = 2000


@dataclass(frozen=True)
class Analysis:
    ledger: Ledger | None
    problem: str | None = None  # why nothing was analyzed, in words for the page
    story_id: int | None = None  # where the ledger was stored, when storing is allowed


def analyze_input(text: str, url: str, *, allow_private_urls: bool) -> Analysis:
    """Pasted text wins over a URL when both are given."""
    from readouts import analyze, analyze_text
    from readouts.ingest import Limits

    if text.strip():
        return Analysis(analyze_text(text, id="pasted"))
    url = url.strip()
    if not url:
        return Analysis(None, "Paste an article's text or give its URL.")
    problem = url_problem(url)
    if problem:
        return Analysis(None, problem)
    ledger = analyze([url], limits=Limits(allow_private=allow_private_urls))
    if not ledger.articles:
        return Analysis(ledger, _failure_text(ledger.failures) or "Nothing could be read at that URL.")
    return Analysis(ledger)


def url_problem(url: str) -> str | None:
    """Why this URL is refused before any fetch, or None."""
    if len(url) > MAX_URL_CHARS:
        return f"That URL is longer than {MAX_URL_CHARS} characters."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "Only http:// and https:// URLs can be analyzed."
    if not parts.hostname:
        return "That URL names no host."
    return None


def store_analysis(store: Store, analysis: Analysis) -> Analysis:
    """Stores the ledger and returns where its first article's story is."""
    if analysis.ledger is None or not analysis.ledger.articles:
        return analysis
    store.add_ledger(analysis.ledger)
    from readouts.store.browse import article_story

    story = article_story(store.db, analysis.ledger.articles[0])
    return Analysis(analysis.ledger, analysis.problem, story)


def _failure_text(failures: tuple[Failure, ...]) -> str:
    return "; ".join(f.reason for f in failures)
