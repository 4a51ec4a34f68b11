"""Reads a Ledger, produces its ``readouts.ledger/1`` JSON, keys in the order the contract lists them.

Fields the model grows beyond the contract follow the contract's own keys, so a
reader that walks the keys in order sees the documented ones first.
"""

from __future__ import annotations

import json
from typing import Any

from readouts.model import Ledger

# The order of keys in the readouts.ledger/1 contract (DESIGN.md); extra fields come after.
CONTRACT_ORDER: dict[str, tuple[str, ...]] = {
    "articles": ("id", "source", "outlet", "title", "byline", "published", "language",
                 "text", "boilerplate", "warnings"),
    "actors": ("id", "name", "kind", "role", "affiliation", "aliases"),
    "channels": ("id", "name", "kind", "aliases"),
    "statements": ("id", "article", "speaker", "speaker_text", "speaker_span", "cue", "cue_span",
                   "content", "content_spans", "kind", "act", "via", "topics", "confidence", "rule"),
    "claims": ("id", "summary", "status", "stances"),
}
TOP_LEVEL = ("schema", "articles", "actors", "channels", "statements", "claims", "failures")


def ledger_data(ledger: Ledger) -> dict[str, Any]:
    """The contract as plain data with the contract's key order."""
    data = ledger.to_dict()
    ordered = {key: data[key] for key in TOP_LEVEL if key in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    for section, keys in CONTRACT_ORDER.items():
        ordered[section] = [_ordered_record(record, keys) for record in ordered.get(section, [])]
    return ordered


def render_json(ledger: Ledger, indent: int | None = 2, **_: Any) -> str:
    return json.dumps(ledger_data(ledger), indent=indent, ensure_ascii=False)


def _ordered_record(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    ordered = {k: record[k] for k in keys if k in record}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    return ordered
