"""Reads the shared events JSONL (one event, three outlets), produces each event's articles as RawDocuments."""

from __future__ import annotations

import json
from pathlib import Path

from readouts.model import RawDocument

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "events_basil_dev.jsonl"


def events(path: Path = DEFAULT) -> list[list[RawDocument]]:
    """Each event's articles as the raw documents a JSONL corpus line becomes."""
    grouped: dict[str, list[RawDocument]] = {}
    for line in path.open(encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            grouped.setdefault(row["event_id"], []).append(
                RawDocument(id=row["article_id"], source=row["article_id"], text=row["text"],
                            title=row["title"] or None, outlet=row["outlet"])
            )
    return list(grouped.values())
