"""Size, time and address limits for reading inputs; reads nothing, produces the ``Limits`` settings."""

from __future__ import annotations

from dataclasses import dataclass

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one input may cost: bytes per article, fetch time, redirects, private addresses.

    ``allow_private=False`` refuses URLs whose host resolves to a loopback,
    private, link-local or otherwise non-public address; a server that fetches
    on behalf of others (the web UI) must use it.
    """

    max_bytes: int = 10 * MEGABYTE
    timeout: float = 20.0
    max_redirects: int = 5
    allow_private: bool = True
