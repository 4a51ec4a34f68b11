"""Scores pairs of a story's statements for speaking to one proposition; reads members and their vectors, produces pair probabilities.

Each pair is described by how close the two contents and their sentences are
in MiniLM's sentence space, by word overlap against the story's own
vocabulary, by where the two sit (same article, how far apart, how high each
ranks among the other's neighbours) and by what each statement is (source kind,
quote kind, length). The shipped model (``data/models/findings/pairs.onnx``,
written by ``train/findings/train.py``) adds heads trained on sentence-pair
sets (NLI, STS, Perspectrum) over the two vectors and a small network trained
on the BASIL findings gold that turns it all into one probability.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy

from readouts.claims.cluster import tfidf_matrix
from readouts.claims.members import SOURCE_KINDS, Member
from readouts.claims.text import terms, words
from readouts.errors import ModelMissingError

MODEL_DIR = "data/models/findings"
STATEMENT_KINDS = ("direct", "indirect", "mixed", "flash")
ACTOR_KINDS = tuple(sorted(SOURCE_KINDS))
PAIR_NAMES = ("cosine", "sentence_cosine", "cross_cosine", "tfidf_cosine", "shared_terms", "same_source",
              "same_article", "distance", "rank_low", "rank_high")
MEMBER_NAMES = (*(f"actor_{k}" for k in ACTOR_KINDS), *(f"kind_{k}" for k in STATEMENT_KINDS),
                "words", "confidence", "not_assert", "relayed")


def feature_names() -> list[str]:
    """Dense feature columns in order: pair features, then the two members' sum and product."""
    return [*PAIR_NAMES, *(f"sum_{n}" for n in MEMBER_NAMES), *(f"both_{n}" for n in MEMBER_NAMES)]


@dataclass(frozen=True)
class PairInputs:
    """What the pair model reads for pairs ``(left[k], right[k])`` of a story's members."""

    left: numpy.ndarray  # member indexes
    right: numpy.ndarray
    content: numpy.ndarray  # (members, 384) content vectors
    sentence: numpy.ndarray  # (members, 384) sentence vectors
    dense: numpy.ndarray  # (pairs, len(feature_names()))


def pair_inputs(
    members: list[Member],
    content: numpy.ndarray,
    sentence: numpy.ndarray,
    pairs: tuple[numpy.ndarray, numpy.ndarray] | None = None,
    names: frozenset[str] = frozenset(),
) -> PairInputs:
    """The given pairs of members (default: every pair ``i < j``) with their dense features.

    ``names`` are the terms of the story's people's names: shared terms leave them out, since
    who a statement is about is not what it says of them (every statement of a summit story
    names both leaders)."""
    n = len(members)
    left, right = pairs if pairs is not None else numpy.triu_indices(n, k=1)
    cosine = content @ content.T
    sentence_cosine = sentence @ sentence.T
    cross = (content @ sentence.T + sentence @ content.T) / 2
    term_lists = [terms(m.meaning) for m in members]
    tfidf = tfidf_matrix(term_lists)
    term_sets = [set(t) - names for t in term_lists]
    rank = _neighbour_ranks(cosine)
    per_member = numpy.asarray([_member_features(m) for m in members], numpy.float32).reshape(n, len(MEMBER_NAMES))
    rows = []
    for i, j in zip(left.tolist(), right.tolist()):
        a, b = members[i].statement, members[j].statement
        same_article = a.article == b.article
        distance = abs(_start(a) - _start(b)) if same_article else 0
        rows.append([
            cosine[i, j], sentence_cosine[i, j], cross[i, j], float(tfidf[i] @ tfidf[j]),
            math.log1p(len(term_sets[i] & term_sets[j])), float(members[i].source == members[j].source),
            float(same_article), math.log1p(distance), math.log1p(min(rank[i, j], rank[j, i])),
            math.log1p(max(rank[i, j], rank[j, i])),
        ])
    pair = numpy.asarray(rows, numpy.float32).reshape(len(rows), len(PAIR_NAMES))
    dense = numpy.hstack([pair, per_member[left] + per_member[right], per_member[left] * per_member[right]])
    return PairInputs(left, right, content, sentence, dense.astype(numpy.float32))


def _neighbour_ranks(similarity: numpy.ndarray) -> numpy.ndarray:
    """``rank[i, j]``: how many members are closer to ``i`` than ``j`` is."""
    order = numpy.argsort(-similarity, axis=1, kind="stable")
    rank = numpy.empty_like(order)
    rows = numpy.arange(similarity.shape[0])[:, None]
    rank[rows, order] = numpy.arange(similarity.shape[0])[None, :]
    return rank


def _member_features(member: Member) -> list[float]:
    statement = member.statement
    return [
        *(float(member.actor.kind == k) for k in ACTOR_KINDS),
        *(float(statement.kind == k) for k in STATEMENT_KINDS),
        math.log1p(len(words(statement.content))),
        float(statement.confidence),
        float(statement.act != "assert"),
        float(bool(statement.via)),
    ]


def _start(statement) -> int:
    return min((s for s, _ in statement.content_spans), default=0)


class PairModel:
    """The shipped pair model on onnxruntime: probability that two statements speak to one proposition."""

    def __init__(self, model_bytes: bytes, meta: dict) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        self.meta = meta
        self.threshold = float(meta["threshold"])

    def scores(self, inputs: PairInputs) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Per pair: the probability that the two speak to one proposition, and the graph's nine head
        outputs (NLI on contents and on sentences, STS on both, Perspectrum on contents)."""
        if len(inputs.left) == 0:
            return numpy.zeros(0, numpy.float32), numpy.zeros((0, 9), numpy.float32)
        feed = {
            "u": inputs.content[inputs.left], "v": inputs.content[inputs.right],
            "cu": inputs.sentence[inputs.left], "cv": inputs.sentence[inputs.right],
            "dense": inputs.dense,
        }
        same, heads = self.session.run(["same", "heads"], feed)
        return same.reshape(-1), heads


@lru_cache(maxsize=1)
def load_pair_model() -> PairModel:
    """The shipped pair model, read once per process; a coded error when missing or stale."""
    folder = resources.files("readouts").joinpath(MODEL_DIR)
    try:
        meta = json.loads(folder.joinpath("pairs.json").read_text(encoding="utf-8"))
        model_bytes = folder.joinpath("pairs.onnx").read_bytes()
    except FileNotFoundError as exc:
        raise ModelMissingError(f"{MODEL_DIR}/pairs.onnx", "the findings pair model is missing",
                                "run `make train-findings`") from exc
    if meta.get("features") != feature_names():
        raise ModelMissingError(f"{MODEL_DIR}/pairs.onnx", "the pair model was trained with other features",
                                "run `make train-findings`")
    return PairModel(model_bytes, meta)
