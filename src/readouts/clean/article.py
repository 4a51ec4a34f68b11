"""Turns one RawDocument into an Article; reads a RawDocument, produces an Article with debris spans, language and warnings.

Plain text and Markdown are kept exactly as given (line endings included) so
every offset holds against the original file; debris is listed in
``boilerplate``, never cut out. HTML is reduced to its main text first.
Fields the RawDocument already has win over what the page says about itself.
"""

from __future__ import annotations

import re

from readouts.clean.debris import find_debris, split_lines
from readouts.clean.language import ENGLISH, identify_language, language_warning
from readouts.clean.page import HtmlText, html_to_text
from readouts.errors import EmptyInputError, TooLongError
from readouts.nlp import MAX_ARTICLE_CHARS
from readouts.model import Article, RawDocument

MAX_TITLE_CHARS = 200
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_TITLE_END = tuple(".,;:!?\"”")


def clean(raw: RawDocument) -> Article:
    """The Article of ``raw``; raises an InputError subclass naming ``raw.source``."""
    page = html_to_text(raw.html, raw.source, raw.url) if raw.html is not None else None
    text = page.text if page is not None else (raw.text or "")
    if not text.strip():
        raise EmptyInputError(raw.source, "the document holds no text", "give a document that holds an article")
    if len(text) > MAX_ARTICLE_CHARS:
        raise TooLongError(raw.source, f"the article is {len(text):,} characters long; at most "
                           f"{MAX_ARTICLE_CHARS:,} are analyzed", "split it into its articles")
    debris = find_debris(text)
    language = identify_language(text)
    warnings = list(raw.warnings)
    if language != ENGLISH:
        warnings.append(language_warning(language))
    page = page or HtmlText(text=text)
    return Article(
        id=raw.id,
        text=text,
        source=raw.source,
        url=raw.url or page.url,
        outlet=raw.outlet or page.outlet or debris.signature_channel,
        title=raw.title or page.title or _title_line(text, debris.spans),
        byline=raw.byline or page.byline,
        published=raw.published or page.published,
        language=language,
        boilerplate=debris.spans,
        warnings=tuple(warnings),
    )


def _title_line(text: str, debris: tuple[tuple[int, int], ...]) -> str | None:
    """The first line when it reads as a headline: short, not debris, no closing sentence punctuation."""
    first = next((line for line in split_lines(text) if line.text), None)
    if first is None or (first.start, first.end) in debris:
        return None
    title = _MARKDOWN_HEADING.sub("", first.text).strip()
    if not title or len(title) > MAX_TITLE_CHARS or title.endswith(_TITLE_END):
        return None
    return title
