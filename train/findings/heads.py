"""Reads the sentence-pair sets in ../shared/data/pairs and produces linear heads over MiniLM pair vectors (NLI, STS, Perspectrum).

A pair of unit vectors ``u, v`` is described as ``[u * v, |u - v|]`` (768 numbers), the usual
features of a sentence-pair head on a frozen encoder. Three heads learn from them:
NLI (entailment / neutral / contradiction: MNLI, SNLI and CommitmentBank lines; RTE and FEVER
have two labels and are left out), STS-B similarity (ridge regression on score / 5) and
Perspectrum (does a perspective support or dispute a claim). Embeddings are cached in the
work folder, so a second run skips the encoder.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy

THREE_WAY = ("contradiction", "entailment", "neutral")  # sklearn's sorted class order
THREE_WAY_SETS = ("mnli", "snli", "cb")  # RTE and FEVER only say entailment or not


def pair_vectors(u: numpy.ndarray, v: numpy.ndarray) -> numpy.ndarray:
    return numpy.concatenate([u * v, numpy.abs(u - v)], axis=1)


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _embedded(name: str, left: list[str], right: list[str], encoder, work: Path) -> tuple[numpy.ndarray, numpy.ndarray]:
    cache = work / f"pairs-{name}.npz"
    if cache.is_file():
        with numpy.load(cache) as npz:
            return npz["u"], npz["v"]
    print(f"embedding {name}: {len(left)} pairs", flush=True)
    u, v = encoder(left), encoder(right)
    numpy.savez(cache, u=u, v=v)
    return u, v


def fit_heads(pairs_dir: Path, encoder, work: Path) -> dict[str, numpy.ndarray]:
    """The three heads as arrays: ``nli_w`` (768, 3), ``nli_b``, ``sts_w`` (768, 1), ``sts_b``, ``persp_w``, ``persp_b``."""
    from sklearn.linear_model import LogisticRegression, Ridge

    nli = [r for r in _read(pairs_dir / "nli.jsonl") if r["source"].startswith(THREE_WAY_SETS)]
    u, v = _embedded("nli", [r["premise"] for r in nli], [r["hypothesis"] for r in nli], encoder, work)
    head = LogisticRegression(C=1.0, max_iter=400).fit(pair_vectors(u, v), [r["label"] for r in nli])
    assert tuple(head.classes_) == THREE_WAY
    print(f"NLI head: {len(nli)} pairs, training accuracy {head.score(pair_vectors(u, v), [r['label'] for r in nli]):.3f}")
    out = {"nli_w": head.coef_.T.astype(numpy.float32), "nli_b": head.intercept_.astype(numpy.float32)}

    sts = _read(pairs_dir / "sts.jsonl")
    u, v = _embedded("sts", [r["a"] for r in sts], [r["b"] for r in sts], encoder, work)
    target = numpy.asarray([r["score"] / 5.0 for r in sts])
    ridge = Ridge(alpha=1.0).fit(pair_vectors(u, v), target)
    print(f"STS head: {len(sts)} pairs, training R^2 {ridge.score(pair_vectors(u, v), target):.3f}")
    out |= {"sts_w": ridge.coef_.reshape(-1, 1).astype(numpy.float32),
            "sts_b": numpy.asarray([ridge.intercept_], numpy.float32)}

    persp = _read(pairs_dir / "perspectrum.jsonl")
    u, v = _embedded("perspectrum", [r["claim"] for r in persp], [r["text"] for r in persp], encoder, work)
    disputes = [r["label"] == "disputes" for r in persp]
    logistic = LogisticRegression(C=1.0, max_iter=400).fit(pair_vectors(u, v), disputes)
    print(f"Perspectrum head: {len(persp)} pairs, training accuracy {logistic.score(pair_vectors(u, v), disputes):.3f}")
    out |= {"persp_w": logistic.coef_.T.astype(numpy.float32), "persp_b": logistic.intercept_.astype(numpy.float32)}
    return out


def head_features(heads: dict[str, numpy.ndarray], u, v, cu, cv) -> numpy.ndarray:
    """The nine head outputs the pair network reads, exactly as the exported graph computes them."""
    content, sentence = pair_vectors(u, v), pair_vectors(cu, cv)
    return numpy.hstack([
        _softmax(content @ heads["nli_w"] + heads["nli_b"]),
        _softmax(sentence @ heads["nli_w"] + heads["nli_b"]),
        content @ heads["sts_w"] + heads["sts_b"],
        sentence @ heads["sts_w"] + heads["sts_b"],
        content @ heads["persp_w"] + heads["persp_b"],
    ]).astype(numpy.float32)


def _softmax(x: numpy.ndarray) -> numpy.ndarray:
    e = numpy.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
