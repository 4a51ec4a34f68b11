"""Trains the two stance models from the shared stance data; reads JSONL pairs, writes JSON + .npz weights.

    .venv/bin/python train/stance/train.py [--data ../shared/data] [--out src/readouts/data/models/stance]

``headline`` is fit on stance_emergent_dev.jsonl (for / against / observing),
``body`` on stance_fnc1_dev.jsonl (agree / disagree / discuss / unrelated).
Deterministic (liblinear-free lbfgs, fixed data order); about a minute on one CPU.
Needs scikit-learn at training time only; the shipped weights load with numpy.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from readouts.claims.features import N_HASHED, dense_features, dense_names, hashed_features
from readouts.claims.model import LinearModel

ROOT = Path(__file__).resolve().parents[2]
SETS = {"headline": ("stance_emergent_dev.jsonl", 3.0), "body": ("stance_fnc1_dev.jsonl", 1.0)}


def load_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def featurize(rows: list[dict]) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Dense features and hashed n-grams of every row."""
    dense = np.vstack([dense_features(r["claim"], r["text"]) for r in rows])
    data, cols, indptr = [], [], [0]
    for row in rows:
        hashed = hashed_features(row["text"], row["claim"])
        cols.extend(hashed)
        data.extend(hashed.values())
        indptr.append(len(cols))
    hashed_matrix = sparse.csr_matrix((data, cols, indptr), shape=(len(rows), N_HASHED), dtype=np.float32)
    return dense, hashed_matrix


def fit(
    dense: np.ndarray, hashed: sparse.csr_matrix, labels: list[str], c: float, balanced: bool = True
) -> LinearModel:
    """A balanced multinomial logistic regression, returned as the numpy model the package runs."""
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0) + 1e-6
    features = sparse.hstack([sparse.csr_matrix((dense - mean) / scale), hashed]).tocsr()
    classifier = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000)
    classifier.fit(features, labels)
    coef = classifier.coef_.astype(np.float32)
    width = dense.shape[1]
    return LinearModel(
        classes=tuple(str(c) for c in classifier.classes_),
        dense_mean=mean.astype(np.float32),
        dense_scale=scale.astype(np.float32),
        dense_coef=coef[:, :width],
        hashed_coef=coef[:, width:],
        intercept=classifier.intercept_.astype(np.float32),
    )


def save(model: LinearModel, name: str, out_dir: Path, source: str, c: float) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = {
        "name": name,
        "trained_on": source,
        "classes": list(model.classes),
        "dense_names": dense_names(),
        "dense_mean": [round(float(v), 6) for v in model.dense_mean],
        "dense_scale": [round(float(v), 6) for v in model.dense_scale],
        "hashed_columns": N_HASHED,
        "C": c,
    }
    (out_dir / f"{name}.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    # float16 halves the file; the rounding moves no prediction we measured.
    np.savez_compressed(
        out_dir / f"{name}.npz",
        dense_coef=model.dense_coef,
        hashed_coef=model.hashed_coef.astype(np.float16),
        intercept=model.intercept,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "readouts" / "data" / "models" / "stance")
    args = parser.parse_args()
    for name, (filename, c) in SETS.items():
        rows = load_rows(args.data / filename)
        dense, hashed = featurize(rows)
        model = fit(dense, hashed, [r["label"] for r in rows], c)
        save(model, name, args.out, filename, c)
        print(f"{name}: {len(rows)} rows from {filename} -> {args.out / name}.npz")


if __name__ == "__main__":
    main()
