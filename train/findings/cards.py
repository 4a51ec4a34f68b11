"""Reads cross-validated pair scores of the BASIL events and their findings gold; produces the card judge.

The judge (``readouts.claims.confidence``) is trained on the cards the pipeline drafts from
held-out pair scores, so it learns what a card built by a pair model that never saw its event
looks like: label *shown* is whether the card matches a gold finding (the reference scorer's
rule), label *contested* the status of that finding. The contested regression also learns from
each gold finding's own group of statements, drafted as the pipeline would, since matched cards
alone are few. Both regressions are cross-validated on the same event folds as the pair model,
and the thresholds chosen by the held-out strict F1 of the whole pipeline.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping

import numpy

from readouts.claims.confidence import FEATURES, card_features, judge_from
from readouts.claims.draft import draft_claim
from readouts.claims.group import (Card, Story, affinity_of, drafted_cards, judged, ordered_claims, story_view,
                                   sub_affinity)
from readouts.evaluate.findings import overlaps, score, score_event
from readouts.model import Claim

SHOWN_THRESHOLDS = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
# Below 0.7 a promoted dispute is wrong often enough to cost member stance accuracy more than the
# status gains (cross-validated: 0.62 at 0.6 against 0.65 at 0.7). 1.01: never promote.
CONTESTED_THRESHOLDS = (0.7, 0.8, 1.01)
C = 0.3  # inverse regularization of both regressions, for 30-odd features on a few hundred cards


@dataclasses.dataclass
class Examples:
    """Card rows of every event: features, shown label, contested label (None when unmatched)."""

    events: list[str]
    features: numpy.ndarray
    shown: numpy.ndarray
    contested: list[bool | None]


def card_examples(stories: Mapping[str, Story | None], ledgers, gold_by_event, probabilities, heads,
                  threshold: float) -> tuple[dict[str, tuple[list[Card], object]], Examples]:
    """Every event's drafted cards at ``threshold`` and their labels against the gold."""
    drafted, events, rows, shown, contested = {}, [], [], [], []
    for event, story in stories.items():
        if story is None or event not in gold_by_event:
            continue
        cards, view = drafted_cards(story, probabilities[event], threshold, heads[event])
        drafted[event] = (cards, view)
        multi = [c for c in cards if c.features is not None]
        claims = [dataclasses.replace(c.draft.claim, id=f"d{k}") for k, c in enumerate(multi)]
        ledger = dataclasses.replace(ledgers[event], claims=tuple(claims)).to_dict()
        findings = gold_by_event[event]["findings"]
        matches = {m.card: m.finding for m in score_event(gold_by_event[event], ledger).cards}
        for claim, card in zip(claims, multi):
            finding = matches.get(claim.id)
            events.append(event)
            rows.append(card.features)
            shown.append(finding is not None)
            contested.append(None if finding is None else findings[finding]["status"] == "contested")
    return drafted, Examples(events, numpy.vstack(rows), numpy.asarray(shown, float), contested)


def gold_groups(stories, gold_by_event, probabilities, heads) -> Examples:
    """Each gold finding's own statements among the members, drafted as a card, labelled by its status."""
    events, rows, contested = [], [], []
    for event, story in stories.items():
        if story is None or event not in gold_by_event:
            continue
        view = story_view(story, heads[event])
        affinity = affinity_of(story, probabilities[event])
        for finding in gold_by_event[event]["findings"]:
            rows_in = [i for i, m in enumerate(story.clustered) if _hits(m.statement, finding)]
            group = [story.clustered[i] for i in rows_in]
            if len({m.source for m in group}) < 2:
                continue
            sub = sub_affinity(affinity, rows_in)
            draft = draft_claim(group, sub, None, story.parties)
            events.append(event)
            rows.append(card_features(view, group, list(rows_in), sub, draft))
            contested.append(finding["status"] == "contested")
    return Examples(events, numpy.vstack(rows), numpy.ones(len(rows)), contested)


def _hits(statement, finding) -> bool:
    return any(g["article"] == statement.article and any(overlaps(sp, tuple(g["span"]), 0.5)
                                                          for sp in statement.content_spans)
               for g in finding["statements"])


def fit_judge(cards: Examples, groups: Examples, keep_cards, keep_groups) -> dict:
    """Scaling and both regressions fitted on the chosen rows; returns the judge's JSON form (thresholds unset)."""
    from sklearn.linear_model import LogisticRegression

    x = cards.features[keep_cards]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    shown = LogisticRegression(C=C, max_iter=2000).fit((x - mean) / scale, cards.shown[keep_cards])
    labelled = [k for k in numpy.flatnonzero(keep_cards) if cards.contested[k] is not None]
    cx = numpy.vstack([cards.features[labelled], groups.features[keep_groups]])
    cy = [cards.contested[k] for k in labelled] + [groups.contested[k] for k in numpy.flatnonzero(keep_groups)]
    contested = LogisticRegression(C=C, max_iter=2000).fit((cx - mean) / scale, cy)
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "shown": {"coef": shown.coef_[0].tolist(), "bias": float(shown.intercept_[0]), "threshold": 0.0},
            "contested": {"coef": contested.coef_[0].tolist(), "bias": float(contested.intercept_[0]),
                          "threshold": 1.01}}


def with_thresholds(meta: dict, shown: float, contested: float) -> dict:
    return {**meta, "shown": {**meta["shown"], "threshold": shown},
            "contested": {**meta["contested"], "threshold": contested}}


def cross_validate_judge(drafted, cards: Examples, groups: Examples, ledgers, gold, fold_of: Mapping[str, int],
                         folds: int) -> dict[tuple[float, float], dict]:
    """Held-out findings metrics of the whole pipeline per (shown, contested) threshold pair."""
    metas = {}
    for fold in range(folds):
        keep_cards = numpy.asarray([fold_of[e] != fold for e in cards.events])
        keep_groups = numpy.asarray([fold_of[e] != fold for e in groups.events])
        metas[fold] = fit_judge(cards, groups, keep_cards, keep_groups)
    results = {}
    for shown, contested in itertools.product(SHOWN_THRESHOLDS, CONTESTED_THRESHOLDS):
        predicted = {}
        for event, ledger in ledgers.items():
            claims: list[Claim] = []
            if event in drafted:
                judge = judge_from(with_thresholds(metas[fold_of[event]], shown, contested))
                found, view = drafted[event]
                claims = ordered_claims(judged(found, view, judge))
            predicted[event] = dataclasses.replace(ledger, claims=tuple(claims)).to_dict()
        results[(shown, contested)] = score(gold, predicted).summary
    return results
