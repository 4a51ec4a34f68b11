"""Keeps document ids unique within one read; reads candidate ids, produces unique ones."""

from __future__ import annotations


class IdRegistry:
    """The ids handed out so far in one ``read_sources`` call."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._seen

    def add(self, doc_id: str) -> None:
        self._seen.add(doc_id)

    def claim(self, *candidates: str) -> str:
        """The first candidate not yet used; else the last one with a counter (``a.txt#2``)."""
        for candidate in candidates:
            if candidate not in self._seen:
                self._seen.add(candidate)
                return candidate
        base, number = candidates[-1], 2
        while f"{base}#{number}" in self._seen:
            number += 1
        self._seen.add(f"{base}#{number}")
        return f"{base}#{number}"
