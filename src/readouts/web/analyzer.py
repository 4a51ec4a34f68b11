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


def analyze_input(text: str, url: str, *, allow_private_urls: bool, max_chars: int | None = None) -> Analysis:
    """Pasted text wins over a URL when both are given; an article over ``max_chars`` characters
    (pasted, or as read from the page) is refused."""
    from readouts import analyze_text
    from readouts.ingest import Limits, read_sources
    from readouts.pipeline import build_ledger, clean_all

    if text.strip():
        if max_chars is not None and len(text) > max_chars:
            return Analysis(None, too_long(len(text), max_chars))
        return Analysis(analyze_text(text, id="pasted"))
    url = url.strip()
    if not url:
        return Analysis(None, "Paste an article's text or give its URL.")
    problem = url_problem(url)
    if problem:
        return Analysis(None, problem)
    articles, failures = clean_all(read_sources([url], limits=Limits(allow_private=allow_private_urls)))
    longest = max((len(a.text) for a in articles), default=0)
    if max_chars is not None and longest > max_chars:
        return Analysis(None, too_long(longest, max_chars))
    ledger = build_ledger(articles, failures)
    if not ledger.articles:
        return Analysis(ledger, _failure_text(ledger.failures) or "Nothing could be read at that URL.")
    return Analysis(ledger)


def too_long(chars: int, max_chars: int) -> str:
    return (f"That article is {chars:,} characters long; this page analyzes at most {max_chars:,}. "
            "Analyze longer ones with `readouts analyze` or `readouts ingest`.")


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
