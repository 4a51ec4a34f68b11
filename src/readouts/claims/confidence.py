"""Judges drafted cards; reads a group's members, pair scores and draft, produces whether the card is shown and its status.

The pair model decides which statements belong together one pair at a time; a
card is a whole group, and some things only show there: how many sources and
outlets speak, whether they stand on two sides of the story, whether the
sentences around them set one account against another ("critics say", "fired
back"), how prominent the speakers are. Two logistic regressions over those
features, trained on BASIL's findings gold (``train/findings/cards.py``), say
how likely the card is a finding careful readers would mark, and how likely it
is contested. A card below the shown threshold is left out (its statements stay
in the ledger); a corroborated card the judge finds contested gets the dispute
the stance reading missed, from the source most at odds with the anchor.

Thirty-three weights each are evaluated here in numpy: an onnxruntime session would
cost more to open than the arithmetic it replaces.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy

from readouts.claims.draft import Draft, contest, cue_stance
from readouts.claims.members import Member
from readouts.claims.text import cue_positions, words
from readouts.errors import ModelMissingError

MODEL_PATH = "data/models/findings/cards.json"
CONTRADICTION, ENTAILMENT = 0, 1  # columns of the pair model's content NLI head (sklearn's class order)
PERSPECTIVE_DISPUTES = 8  # column of the Perspectrum head (a logit: higher disputes)
CUES = ("denies", "disputes", "hedges", "discusses")
FEATURES = (
    "sources", "members", "articles", "parties", "affiliations", "two_parties", "two_affiliations",
    *(f"{cue}_sources" for cue in CUES),
    "conflict_in_sentences", "conflict_in_contents", "negated", "denial_acts", "other_acts",
    "contradiction_max", "contradiction_mean", "perspective_max", "perspective_mean",
    "entailment_max", "entailment_mean",
    "anonymous", "documents", "organizations",
    "speaker_share", "top_speaker_share", "story_share", "earliest", "words", "direct",
    "affinity", "drafted_contested",
)


@dataclass(frozen=True)
class PairTable:
    """The pair model's head outputs for a story's scored pairs, by member indexes ``(i, j)``, ``i < j``."""

    index: dict[tuple[int, int], int]
    heads: numpy.ndarray  # (pairs, 9)

    def of(self, i: int, j: int) -> numpy.ndarray | None:
        k = self.index.get((min(i, j), max(i, j)))
        return None if k is None else self.heads[k]


@dataclass(frozen=True)
class StoryView:
    """What the judge needs of the story around a group, worked out once per story."""

    clustered: Sequence[Member]
    parties: dict[str, str | None]
    pairs: PairTable
    statements_by_source: Counter[str]
    article_ends: dict[str, int]  # where each article's last statement ends: positions are read against it


def view_of(clustered: Sequence[Member], parties: dict[str, str | None], pairs: PairTable) -> StoryView:
    ends: dict[str, int] = {}
    for m in clustered:
        ends[m.statement.article] = max(ends.get(m.statement.article, 1), _span(m)[1])
    return StoryView(clustered, parties, pairs, Counter(m.source for m in clustered), ends)


def card_features(view: StoryView, group: list[Member], rows: list[int | None], affinity: numpy.ndarray,
                  draft: Draft) -> numpy.ndarray:
    """The :data:`FEATURES` of one drafted card; ``rows[k]`` is member ``k``'s index in the clustering
    (None for a statement about a statement) and ``affinity`` the group's pair scores."""
    n = len(group)
    sources = {m.source for m in group}
    parties = {view.parties.get(m.statement.id) for m in group} - {None}
    affiliations = {m.actor.affiliation for m in group} - {None, ""}
    cues = [cue_stance(m.statement) for m in group]
    cue_sources = [len({m.source for m, c in zip(group, cues) if c == cue}) for cue in CUES]
    acts = [m.statement.act for m in group]
    heads = _cross_source_heads(view, group, rows)
    other_source = numpy.asarray([[a.source != b.source for b in group] for a in group])
    cross = affinity[other_source]
    return numpy.asarray([
        len(sources), n, len({m.statement.article for m in group}), len(parties), len(affiliations),
        len(parties) >= 2, len(affiliations) >= 2, *cue_sources,
        _share(group, lambda m: bool(cue_positions(words(m.setting), "conflict"))),
        _share(group, lambda m: bool(cue_positions(words(m.statement.content), "conflict"))),
        _share(group, lambda m: bool(cue_positions(words(m.statement.content), "negate"))),
        sum(a in ("deny", "reject") for a in acts), sum(a != "assert" for a in acts),
        *_stats(heads[:, CONTRADICTION]), *_stats(heads[:, PERSPECTIVE_DISPUTES]), *_stats(heads[:, ENTAILMENT]),
        _share(group, lambda m: m.actor.kind == "anonymous"), _share(group, lambda m: m.actor.kind == "document"),
        _share(group, lambda m: m.actor.kind == "organization"),
        *_prominence(view, group),
        float(cross.mean()) if cross.size else 0.0, draft.claim.status == "contested",
    ], numpy.float64)


def _share(group: list[Member], test) -> float:
    return sum(bool(test(m)) for m in group) / len(group)


def _stats(values: numpy.ndarray) -> tuple[float, float]:
    return (float(values.max()), float(values.mean())) if values.size else (0.0, 0.0)


def _cross_source_heads(view: StoryView, group: list[Member], rows: list[int | None]) -> numpy.ndarray:
    found = [
        view.pairs.of(rows[a], rows[b])
        for a in range(len(group)) for b in range(a + 1, len(group))
        if group[a].source != group[b].source and rows[a] is not None and rows[b] is not None
    ]
    found = [h for h in found if h is not None]
    return numpy.vstack(found) if found else numpy.zeros((0, 9))


def _prominence(view: StoryView, group: list[Member]) -> list[float]:
    """How much of the story the group's speakers carry, and how early and how long its statements are."""
    counts, ends = view.statements_by_source, view.article_ends
    total = max(1, len(view.clustered))
    return [
        float(numpy.mean([counts[m.source] / total for m in group])),
        max(counts[m.source] for m in group) / total,
        len(group) / total,
        min(_span(m)[0] / ends.get(m.statement.article, 1) for m in group),
        float(numpy.mean([len(m.statement.content.split()) for m in group])),
        _share(group, lambda m: m.statement.kind == "direct"),
    ]


def _span(member: Member) -> tuple[int, int]:
    spans = member.statement.content_spans
    return (spans[0][0], spans[-1][1]) if spans else (0, 1)


@dataclass(frozen=True)
class Logistic:
    coef: numpy.ndarray
    bias: float
    threshold: float

    def probability(self, scaled: numpy.ndarray) -> float:
        return float(1.0 / (1.0 + numpy.exp(-(scaled @ self.coef + self.bias))))


@dataclass(frozen=True)
class CardJudge:
    """Feature scaling and the two regressions: is the card shown, is it contested."""

    mean: numpy.ndarray
    scale: numpy.ndarray
    shown: Logistic
    contested: Logistic

    def judge(self, draft: Draft, features: numpy.ndarray, view: StoryView, group: list[Member],
              rows: list[int | None]) -> Draft | None:
        """The card as shown, or None when it is left out."""
        scaled = (features - self.mean) / self.scale
        if self.shown.probability(scaled) < self.shown.threshold:
            return None
        if draft.claim.status == "corroborated" and self.contested.probability(scaled) >= self.contested.threshold:
            source = _most_at_odds(draft, view, group, rows)
            if source is not None:
                return contest(draft, group, source)
        return draft


def _most_at_odds(draft: Draft, view: StoryView, group: list[Member], rows: list[int | None]) -> str | None:
    """The source, other than the anchor's, on another party than the anchor's speaker, else the
    one whose statements the NLI head reads as most contradicting the anchor."""
    at = next(k for k, m in enumerate(group) if m.statement.id == draft.anchor)
    anchor = group[at]
    anchor_party = view.parties.get(anchor.statement.id)

    def odds(k: int) -> tuple[bool, float]:
        party = view.parties.get(group[k].statement.id)
        heads = view.pairs.of(rows[at], rows[k]) if rows[at] is not None and rows[k] is not None else None
        return (bool(anchor_party and party and party != anchor_party),
                float(heads[CONTRADICTION]) if heads is not None else 0.0)

    others = [k for k, m in enumerate(group) if m.source != anchor.source]
    if not others:
        return None
    return group[max(others, key=odds)].source


def judge_from(meta: dict) -> CardJudge:
    if meta.get("features") != list(FEATURES):
        raise ModelMissingError(MODEL_PATH, "the card judge was trained with other features", "run `make train-findings`")

    def logistic(part: dict) -> Logistic:
        return Logistic(numpy.asarray(part["coef"]), float(part["bias"]), float(part["threshold"]))

    return CardJudge(numpy.asarray(meta["mean"]), numpy.asarray(meta["scale"]),
                     logistic(meta["shown"]), logistic(meta["contested"]))


@lru_cache(maxsize=1)
def load_card_judge() -> CardJudge:
    """The shipped card judge, read once per process; a coded error when missing or stale."""
    try:
        meta = json.loads(resources.files("readouts").joinpath(MODEL_PATH).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelMissingError(MODEL_PATH, "the findings card judge is missing", "run `make train-findings`") from exc
    return judge_from(meta)
