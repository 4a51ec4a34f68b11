"""Reads PolNeAR JSONL (text + gold attributions) and writes a spaCy DocBin of CONTENT/SOURCE/CUE entities.

Usage: python train/convert.py IN.jsonl OUT.spacy

Each gold attribution gives one SOURCE, one CUE and one CONTENT entity per content
fragment. PolNeAR spans barely overlap; where they do (nested attributions) the
longer span wins because a flat tagger cannot nest. Documents are cut at blank
lines that no gold span crosses, which shuffles better and loses no context the
tagger could see (its window is a few tokens wide).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

LABEL_PRIORITY = {"CONTENT": 0, "CUE": 1, "SOURCE": 2}


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


def chunk_bounds(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Cut points at blank lines that fall outside every span."""
    cuts, pos = [0], 0
    while (pos := text.find("\n\n", pos)) != -1:
        if all(not (s < pos < e) for s, e, _ in spans):
            cuts.append(pos)
        pos += 2
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def record_docs(nlp, record: dict):
    """spaCy Docs with gold entities for one record, one per chunk."""
    text = record["text"]
    spans = non_overlapping(gold_spans(record))
    for a, b in chunk_bounds(text, spans):
        doc = nlp.make_doc(text[a:b])
        ents = []
        for s, e, label in spans:
            if a <= s and e <= b:
                ent = doc.char_span(s - a, e - a, label=label, alignment_mode="expand")
                if ent is not None and (not ents or ent.start >= ents[-1].end):
                    ents.append(ent)
        doc.ents = ents
        yield doc


def convert(src: Path, dst: Path) -> int:
    nlp = spacy.blank("en")
    bin_ = DocBin(store_user_data=False)
    with src.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                for doc in record_docs(nlp, json.loads(line)):
                    bin_.add(doc)
    dst.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(dst)
    return len(bin_)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    print(f"{convert(Path(sys.argv[1]), Path(sys.argv[2]))} docs -> {sys.argv[2]}")
