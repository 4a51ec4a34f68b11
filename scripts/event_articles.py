"""Reads the shared events JSONL (one event, three outlets), produces each event's articles as RawDocuments."""

from __future__ import annotations

from pathlib import Path

from readouts.evaluate.findings import read_events
from readouts.model import RawDocument

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "events_basil_dev.jsonl"


def events(path: Path = DEFAULT) -> list[list[RawDocument]]:
    """Each event's articles as the raw documents a JSONL corpus line becomes (``read_events`` without the ids)."""
    return list(read_events(path).values())
