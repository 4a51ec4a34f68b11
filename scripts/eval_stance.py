"""Cross-validated stance and grouping scores; reads the shared stance JSONL, prints metrics.

    .venv/bin/python scripts/eval_stance.py [--data ../shared/data] [--folds 5] [--c 1.0]

Folds are split BY CLAIM (no claim in both a training and a test fold): each
fold model is trained with train/stance/train.py's recipe and the test rows go
through the same decision as ``predict_stance`` (model + cue rules). Our labels
map back to each data set's: supports->for/agree, disputes|denies->against/disagree,
hedges|discusses->observing/discuss (so the against/disagree F1 is the F1 of
our disputes+denies). Grouping: ``cluster_texts`` on every
Emergent headline without its claim, scored by adjusted Rand index.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, f1_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "train" / "stance"))

from train import SETS, featurize, fit, load_rows  # noqa: E402

from readouts.claims import cluster_texts  # noqa: E402
from readouts.claims.stance import decide_stance  # noqa: E402

TO_EMERGENT = {"supports": "for", "disputes": "against", "denies": "against", "hedges": "observing",
               "discusses": "observing", "unrelated": "observing"}
TO_FNC = {"supports": "agree", "disputes": "disagree", "denies": "disagree", "hedges": "discuss",
          "discusses": "discuss", "unrelated": "unrelated"}


def cross_validate(rows: list[dict], to_labels: dict[str, str], folds: int, c: float) -> list[str]:
    """Out-of-fold predictions (dataset labels) for every row; prints how often each of our labels came out."""
    dense, hashed = featurize(rows)
    labels = [r["label"] for r in rows]
    predicted = [""] * len(rows)
    ours: Counter[str] = Counter()
    splitter = GroupKFold(n_splits=folds)
    for train_idx, test_idx in splitter.split(dense, labels, groups=[r["claim"] for r in rows]):
        model = fit(dense[train_idx], hashed[train_idx], [labels[i] for i in train_idx], c)
        for i in test_idx:
            label = decide_stance(rows[i]["claim"], rows[i]["text"], model)
            ours[label] += 1
            predicted[i] = to_labels[label]
    print("  our labels: " + ", ".join(f"{k}={v}" for k, v in sorted(ours.items())))
    return predicted


def report(name: str, gold: list[str], predicted: list[str]) -> None:
    classes = sorted(set(gold))
    accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(gold)
    per_class = f1_score(gold, predicted, labels=classes, average=None)
    macro = f1_score(gold, predicted, labels=classes, average="macro")
    print(f"{name}: n={len(gold)} accuracy={accuracy:.3f} macro-F1={macro:.3f}")
    print("  per-class F1: " + ", ".join(f"{k}={v:.3f}" for k, v in zip(classes, per_class)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=None, help="default: the C train.py uses per data set")
    parser.add_argument("--only", choices=["emergent", "fnc", "cluster"], default=None)
    args = parser.parse_args()
    emergent = load_rows(args.data / "stance_emergent_dev.jsonl")
    if args.only in (None, "emergent"):
        report("emergent (CV by claim)", [r["label"] for r in emergent],
               cross_validate(emergent, TO_EMERGENT, args.folds, args.c or SETS["headline"][1]))
    if args.only in (None, "fnc"):
        fnc = load_rows(args.data / "stance_fnc1_dev.jsonl")
        report("fnc1 (CV by claim)", [r["label"] for r in fnc], cross_validate(fnc, TO_FNC, args.folds, args.c or SETS["body"][1]))
    if args.only in (None, "cluster"):
        started = time.perf_counter()
        clusters = cluster_texts([r["text"] for r in emergent])
        seconds = time.perf_counter() - started
        ari = adjusted_rand_score([r["claim"] for r in emergent], clusters)
        print(f"emergent headline grouping: n={len(emergent)} clusters={len(set(clusters))} "
              f"true={len({r['claim'] for r in emergent})} ARI={ari:.3f} ({seconds:.1f}s)")


if __name__ == "__main__":
    main()
