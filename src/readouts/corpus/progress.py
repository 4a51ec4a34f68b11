"""Shows how an ingest is going; reads counts of documents done, produces a progress bar with rate and ETA on a terminal.

The bar goes to standard error and only when it is a terminal, so logs and pipes
stay clean. The total is estimated up front where that is cheap (lines of a
corpus file, files in a directory) and left open otherwise (feeds, URLs, stdin).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".csv")


def estimate_total(sources: Sequence[str], feeds: Sequence[str] = ()) -> int | None:
    """Documents the sources hold, when cheap to count; None when any source cannot be counted up front."""
    if feeds:
        return None
    total = 0
    for source in sources:
        path = Path(source)
        if source == "-" or "://" in source or not path.exists():
            total += 1  # one document or one failure
        elif path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file())
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            total += _records(path)
        else:
            total += 1
    return total


def _records(path: Path) -> int:
    with path.open("rb") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines - 1 if path.suffix.lower() == ".csv" else lines
