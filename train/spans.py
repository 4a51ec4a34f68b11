"""Reads PolNeAR records and produces the tagger's training examples: WordPiece windows with BIO labels.

Each gold attribution gives one SOURCE, one CUE and one CONTENT span per content
fragment. PolNeAR spans barely overlap; where they do (nested attributions) the
longer span wins because a flat tagger cannot nest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from readouts.extract.encoder import windows

LABEL_PRIORITY = {"CONTENT": 0, "CUE": 1, "SOURCE": 2}
LABELS = ["O"] + [f"{prefix}-{kind}" for kind in LABEL_PRIORITY for prefix in "BI"]
IGNORE = -100  # the loss skips [CLS], [SEP] and padding


def records(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def gold_spans(record: dict) -> list[tuple[int, int, str]]:
    """(start, end, label) for every content fragment, cue and source of one record."""
    spans = []
    for att in record["attributions"]:
        for start, end in att.get("content_spans") or [att["content_span"]]:
            spans.append((start, end, "CONTENT"))
        if att.get("cue_span"):
            spans.append((*att["cue_span"], "CUE"))
        if att.get("source_span"):
            spans.append((*att["source_span"], "SOURCE"))
    return [_strip(record["text"], s, e, label) for s, e, label in spans if e > s]


def _strip(text: str, start: int, end: int, label: str) -> tuple[int, int, str]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, label


def non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest spans first, content before cue before source; drop anything that overlaps a kept span."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda x: (-(x[1] - x[0]), LABEL_PRIORITY[x[2]])):
        if span[1] > span[0] and all(span[1] <= k[0] or k[1] <= span[0] for k in kept):
            kept.append(span)
    return sorted(kept)


def bio(offsets: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[int]:
    """One label index per WordPiece: B on a span's first piece, I inside, O elsewhere."""
    labels, j = [0] * len(offsets), 0
    for i, (start, _) in enumerate(offsets):
        while j < len(spans) and spans[j][1] <= start:
            j += 1
        if j < len(spans) and spans[j][0] <= start < spans[j][1]:
            first = i == 0 or not spans[j][0] <= offsets[i - 1][0] < spans[j][1]
            labels[i] = LABELS.index(("B-" if first else "I-") + spans[j][2])
    return labels


def examples(path: Path, tokenizer, size: int, stride: int) -> list[tuple[list[int], list[int]]]:
    """(piece ids with [CLS]/[SEP], labels) for every window of every record."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    out = []
    for record in records(path):
        encoding = tokenizer.encode(record["text"], add_special_tokens=False)
        labels = bio(encoding.offsets, non_overlapping(gold_spans(record)))
        for a, b in windows(len(encoding.ids), size, stride):
            out.append(([cls, *encoding.ids[a:b], sep], [IGNORE, *labels[a:b], IGNORE]))
    return out
