"""Canonical form of article URLs; reads a URL string, produces the courlan-normalised http(s) URL or None."""

from __future__ import annotations

from urllib.parse import urlsplit


def canonical_url(url: str | None) -> str | None:
    """The courlan-normalised http(s) URL (tracking parameters and fragment dropped), else None."""
    if not url or not url.strip():
        return None
    import courlan

    cleaned = courlan.clean_url(url.strip())
    if not cleaned:
        return None
    try:
        normalised = courlan.normalize_url(cleaned, strict=True, trailing_slash=False)
    except ValueError:
        return None
    parts = urlsplit(normalised)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in normalised:
        return None
    return normalised
