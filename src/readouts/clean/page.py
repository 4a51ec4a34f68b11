"""Pulls the article out of an HTML page with trafilatura; reads HTML, produces main text and page metadata.

Paragraphs and headings become blank-line separated blocks, list items
become ``•`` bullet lines (the shape wire flashes have in scraped text), table
rows become `` | ``-joined lines. Comments, navigation and footers are left out.
Broken HTML is read as far as it goes; a page with no text at all is a NoTextError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree

from readouts.errors import NoTextError

BULLET = "• "
_BLOCK_TAGS = frozenset({"p", "head", "quote", "code", "div"})
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class HtmlText:
    text: str
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None


def html_to_text(html: str, source: str, url: str | None = None) -> HtmlText:
    """Main text and metadata of one page; raises NoTextError when nothing readable is in it."""
    document = _extract(html, url)
    text = _body_text(document.body) if document is not None and document.body is not None else ""
    if not text.strip():
        text = _all_text(html)
    if not text.strip():
        raise NoTextError(
            source,
            "no article text was found in the HTML",
            "check that the page holds the article itself, not a script that loads it",
        )
    if document is None:
        return HtmlText(text=text)
    return HtmlText(
        text=text,
        title=_clean(document.title),
        byline=_clean(document.author),
        published=_clean(document.date),
        outlet=_clean(document.sitename),
        url=_clean(document.url),
    )


def _extract(html: str, url: str | None):
    try:
        return trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=True, with_metadata=True, favor_recall=True
        )
    except (ValueError, TypeError, etree.LxmlError):  # badly broken markup: fall back to plain text
        return None


def _all_text(html: str) -> str:
    """Every visible text of a page, for pages too broken or too short for main-text extraction."""
    try:
        return trafilatura.html2txt(html) or ""
    except (ValueError, TypeError, etree.LxmlError):
        return ""


def _body_text(body: etree._Element) -> str:
    blocks = [block for block in (_block(child) for child in body) if block]
    return "\n\n".join(blocks)


def _block(element: etree._Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "list":
        return "\n".join(BULLET + line for line in _list_items(element))
    if tag == "table":
        return "\n".join(" | ".join(_inline(cell) for cell in row) for row in element.iter("row"))
    if tag in _BLOCK_TAGS or tag:
        return _inline(element)
    return ""


def _list_items(element: etree._Element) -> list[str]:
    items = []
    for item in element.iter("item"):
        # Text of the item itself, without nested lists (those come as their own items).
        parts = [item.text or ""]
        for child in item:
            if child.tag != "list":
                parts.append(_inline(child))
            parts.append(child.tail or "")
        line = _normalise("".join(parts))
        if line:
            items.append(line)
    return items


def _inline(element: etree._Element) -> str:
    """The text of one block, with <lb/> line breaks kept as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "\n".join(_normalise(line) for line in "".join(parts).split("\n")).strip()


def _normalise(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = _normalise(str(value))
    return text or None
