"""Counts the languages identified in English news corpora; reads ../shared/data JSONL files, prints counts and misses.

Every article in these corpora is English, so anything else is a wrong identification.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from readouts.clean.language import identify_language

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPORA = ("events_basil_dev.jsonl", "polnear.dev.jsonl", "polnear.train.jsonl")


def main() -> int:
    if not DATA.is_dir():
        print(f"{DATA} is missing", file=sys.stderr)
        return 1
    for name in CORPORA:
        counts: Counter[str] = Counter()
        for line in (DATA / name).open(encoding="utf-8"):
            text = json.loads(line).get("text") or ""
            if text.strip():
                counts[identify_language(text)] += 1
        print(f"{name}: {sum(counts.values())} articles, identified {dict(counts.most_common())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
