"""Reads polnear TRAIN (gold cue spans) and writes the cue lexicon ``data/cues.tsv``.

For every (lemma, part of speech) the parser gives, counts how often the word heads a gold
cue and how often it occurs at all; the ratio is the cue's precision on train. Speech acts
already written by hand in the existing ``cues.tsv`` are kept; new cues default to ``assert``.
Never run this on dev: dev is for tuning thresholds only.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from readouts.nlp import load_nlp

DATA = Path(__file__).resolve().parents[1] / "src" / "readouts" / "data" / "cues.tsv"
HEADER = "cue\tpos\tact\tcount\tprecision"


def cue_heads(doc, spans):
    """The syntactic root token of each gold cue span."""
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            yield span.root


def count(train: Path, n_process: int):
    records = [json.loads(line) for line in train.open(encoding="utf-8") if line.strip()]
    as_cue, total = collections.Counter(), collections.Counter()
    nlp = load_nlp(disable=("ner",))
    texts = ((r["text"], r) for r in records)
    for doc, rec in nlp.pipe(texts, as_tuples=True, n_process=n_process, batch_size=8):
        spans = [tuple(a["cue_span"]) for a in rec["attributions"] if a.get("cue_span")]
        for tok in cue_heads(doc, spans):
            as_cue[(tok.lemma_.lower(), tok.pos_)] += 1
        for tok in doc:
            total[(tok.lemma_.lower(), tok.pos_)] += 1
    return as_cue, total


def existing_acts() -> dict[tuple[str, str], str]:
    if not DATA.exists():
        return {}
    rows = [ln.split("\t") for ln in DATA.read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#") and not ln.startswith("cue\t")]
    return {(r[0], r[1]): r[2] for r in rows if len(r) >= 3}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--n-process", type=int, default=2)
    args = ap.parse_args()
    as_cue, total = count(args.train, args.n_process)
    acts = existing_acts()
    keep = [(k, n) for k, n in as_cue.most_common()
            if n >= args.min_count and k[1] in ("VERB", "NOUN", "ADJ", "ADP", "AUX", "PUNCT")]
    lines = ["# Cue lexicon learned from polnear train by scripts/learn_cues.py (acts edited by hand).",
             "# cue: lemma; pos: spaCy coarse tag; act: speech act; count: times it headed a gold cue;",
             "# precision: count / occurrences of that lemma with that tag in train.", HEADER]
    for (lemma, pos), n in keep:
        act = acts.get((lemma, pos), "assert")
        lines.append(f"{lemma}\t{pos}\t{act}\t{n}\t{n / total[(lemma, pos)]:.3f}")
    DATA.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(keep)} cues written to {DATA}")


if __name__ == "__main__":
    main()
