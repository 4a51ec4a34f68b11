"""Identity keys for the corpus; reads names, URLs and texts, produces the keys that make rows unique.

Articles are keyed by their canonical URL (courlan normalisation, scheme and
``www.`` folded) or, without a usable URL, by a hash of their text. Actors and
channels are keyed by a normalised name in which common transliteration variants
(``Sergey``/``Sergei``, ``Zelensky``/``Zelenskyy``) fold to one spelling; the
folding rules are data (``data/transliteration.tsv``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from readouts.ingest.urls import canonical_url
from readouts.resources import load_table

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """SHA-256 of the text as given: any change in the text is a new version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()



def article_key(url: str | None, text: str) -> str:
    """``url:host/path?query`` for articles with a URL, else ``sha256:<text hash>``."""
    canonical = canonical_url(url)
    if canonical is None:
        return "sha256:" + content_hash(text)
    parts = urlsplit(canonical)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"url:{host}{path}{query}"


def plain_name(name: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: ``Lavrov's`` -> ``lavrov s``."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_like = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", ascii_like.casefold())).strip()


def name_key(name: str) -> str:
    """The transliteration-aware key of a person or organisation name."""
    return " ".join(_fold_token(token) for token in plain_name(name).split())


def channel_key(name: str) -> str:
    """Channels are matched on their plain name (no transliteration: ``Interfax`` is spelled one way)."""
    return plain_name(name)


def _fold_token(token: str) -> str:
    for pattern, replacement in _folding_rules():
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=1)
def _folding_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(row["pattern"]), row["replacement"]) for row in load_table("transliteration.tsv")
    )
