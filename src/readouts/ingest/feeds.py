"""Reads RSS and Atom feeds entry by entry; reads a feed URL or file, produces ``RawDocument`` or ``Failure`` per entry.

feedparser reads the feed. Entry links are canonicalised with courlan so the same
article under two tracking links is read once. An entry whose feed carries its
full text is taken from the feed; otherwise its page is fetched with
``fetch_url`` under the run's limits. A feed that is not a feed (an HTML page,
broken XML with nothing in it) is one Failure; an entry without a link and
without content, a duplicate, or a page that cannot be fetched is one Failure for
that entry, and the other entries go on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from readouts.errors import InputError, NotFoundError, ReadoutsError
from readouts.ingest.corpus import failure
from readouts.ingest.fetch import fetch_url
from readouts.ingest.files import too_large
from readouts.ingest.ids import IdRegistry
from readouts.ingest.limits import Limits
from readouts.model import Failure, RawDocument

FULL_TEXT_CHARS = 600  # feed content shorter than this is a teaser: the page is fetched instead
FEED_FIX = "give the URL or file of an RSS or Atom feed"
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)
_FEED_LINK = re.compile(
    rb"""<link[^>]+type=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE
)
_HREF = re.compile(rb"""href=["']([^"']+)["']""", re.IGNORECASE)

Item = RawDocument | Failure


class FeedError(InputError):
    """A feed cannot be read as RSS or Atom, or one of its entries is unusable."""

    code = "R109"


def read_feed(source: str, registry: IdRegistry, limits: Limits) -> Iterator[Item]:
    """Every entry of the feed at ``source`` (http(s) URL or file path), or the feed's one Failure."""
    try:
        data = _feed_bytes(source, limits)
        parsed = _parse(data, source)
    except ReadoutsError as exc:
        yield failure(source, exc)
        return
    outlet = parsed.feed.get("title") or None
    warning = _broken_xml_warning(parsed)
    for number, entry in enumerate(parsed.entries, start=1):
        label = f"{source} entry {number}"
        try:
            yield _entry_document(entry, label, outlet, warning, registry, limits)
        except ReadoutsError as exc:
            yield failure(label, exc)


def canonical_link(link: str | None) -> str | None:
    """The courlan-cleaned and normalised http(s) link (tracking parameters dropped), else None."""
    from readouts.ingest.urls import canonical_url

    return canonical_url(link)


def _same_page(link: str) -> str:
    """What makes two canonical links one page: ``www.`` and a trailing slash do not count."""
    parts = urlsplit(link)
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/') or '/'}{query}"


def _feed_bytes(source: str, limits: Limits) -> bytes:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", source):
        return _fetch_feed(source, limits)
    path = Path(source)
    if not path.is_file():
        raise NotFoundError(source, "no such feed file", "check the path")
    if path.stat().st_size > limits.max_bytes:
        raise too_large(source, path.stat().st_size, limits)
    return path.read_bytes()


def _fetch_feed(url: str, limits: Limits) -> bytes:
    """The feed's bytes, fetched with the same address, redirect, time and size checks as article pages."""
    from readouts.ingest.fetch import fetch_bytes

    return fetch_bytes(url, limits=limits)[0]


def _parse(data: bytes, source: str):
    import feedparser

    if _HTML_START.match(data[:2048]):
        raise FeedError(source, "this is an HTML page, not an RSS or Atom feed", _feed_fix(data))
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom elements"
        raise FeedError(source, f"not a readable feed ({reason})", FEED_FIX)
    return parsed


def _feed_fix(html: bytes) -> str:
    """Points at the feed the page advertises, when it does."""
    link = _FEED_LINK.search(html)
    href = _HREF.search(link.group(0)) if link else None
    if href:
        return f"the page names its feed: {href.group(1).decode('utf-8', 'replace')}"
    return FEED_FIX


def _broken_xml_warning(parsed) -> str | None:
    if not parsed.get("bozo"):
        return None
    return f"the feed's XML is not well-formed ({parsed.get('bozo_exception')}); its entries were read leniently"


def _entry_document(entry, label: str, outlet: str | None, warning: str | None,
                    registry: IdRegistry, limits: Limits) -> RawDocument:
    link = canonical_link(entry.get("link"))
    content = _full_content(entry)
    if link is None and content is None:
        raise FeedError(label, "the entry has neither a usable link nor its text", "fix the feed entry")
    key = _same_page(link) if link else entry.get("id") or entry.get("title") or label
    if key in registry or (entry.get("id") and f"feed-id:{entry.get('id')}" in registry):
        raise FeedError(label, f"duplicate entry: {key} was already read in this run", "nothing to do: it was read once")
    registry.add(key)
    if entry.get("id"):
        registry.add(f"feed-id:{entry.get('id')}")
    warnings = (warning,) if warning else ()
    metadata = dict(title=entry.get("title") or None, outlet=outlet, published=_published(entry),
                    byline=entry.get("author") or None)
    if content is not None:
        return RawDocument(id=link or key, source=label, html=content, url=link, warnings=warnings, **metadata)
    page = fetch_url(link, limits=limits)
    return replace(page, id=link, source=label, url=page.url or link, warnings=page.warnings + warnings,
                   **{k: v for k, v in metadata.items() if v})


def _full_content(entry) -> str | None:
    """The entry's own full text (``content:encoded`` or Atom ``content``), if it is more than a teaser."""
    for part in entry.get("content") or ():
        value = part.get("value") or ""
        if len(_strip_tags(value)) >= FULL_TEXT_CHARS:
            body = value if "<" in value else f"<p>{value}</p>"
            return f"<html><body><article>{body}</article></body></html>"  # a whole page for the HTML cleaner
    return None


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html).strip()


def _published(entry) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return entry.get("published") or entry.get("updated") or None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)
