"""Loads the shipped stance models (JSON metadata + .npz weights, no pickle); produces class probabilities.

Two linear models live in ``data/models/stance/``: ``headline`` (a short text
against a claim; trained on Emergent: for / against / observing) and ``body``
(a long text; trained on FNC-1: agree / disagree / discuss / unrelated).
``train/stance/train.py`` writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from readouts.claims.features import N_HASHED, dense_features, dense_names, hashed_features
from readouts.errors import ModelMissingError

MODEL_DIR = "data/models/stance"


@dataclass(frozen=True)
class LinearModel:
    """A multinomial logistic regression over scaled dense features and hashed n-grams."""

    classes: tuple[str, ...]
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    dense_coef: np.ndarray  # (classes, dense)
    hashed_coef: np.ndarray  # (classes, N_HASHED)
    intercept: np.ndarray  # (classes,)

    def probabilities(self, claim: str, text: str) -> dict[str, float]:
        dense = (dense_features(claim, text) - self.dense_mean) / self.dense_scale
        scores = self.dense_coef @ dense + self.intercept
        for column, value in hashed_features(text, claim).items():
            scores = scores + self.hashed_coef[:, column] * value
        scores = np.exp(scores - scores.max())
        scores = scores / scores.sum()
        return dict(zip(self.classes, (float(p) for p in scores)))


@lru_cache(maxsize=None)
def load_model(name: str) -> LinearModel:
    """The shipped model ``name`` (``headline`` or ``body``), read once per process."""
    folder = resources.files("readouts").joinpath(MODEL_DIR)
    try:
        meta = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        with folder.joinpath(f"{name}.npz").open("rb") as handle:
            arrays = np.load(handle, allow_pickle=False)
            weights = {key: arrays[key] for key in arrays.files}
    except FileNotFoundError as exc:
        raise ModelMissingError(
            f"{MODEL_DIR}/{name}", "the stance model is missing", "run train/stance/train.py"
        ) from exc
    if meta["hashed_columns"] != N_HASHED or meta.get("dense_names") != dense_names():
        raise ModelMissingError(
            f"{MODEL_DIR}/{name}", "the stance model was trained with other features", "retrain it"
        )
    return LinearModel(
        classes=tuple(meta["classes"]),
        dense_mean=np.asarray(meta["dense_mean"], dtype=np.float32),
        dense_scale=np.asarray(meta["dense_scale"], dtype=np.float32),
        dense_coef=weights["dense_coef"],
        hashed_coef=weights["hashed_coef"].astype(np.float32),
        intercept=weights["intercept"],
    )
