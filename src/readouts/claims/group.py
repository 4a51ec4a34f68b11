"""Groups a story's statements by proposition; reads Statements, Actors and Articles, produces Claims.

How a story's statements become claims:

1. Only statements from real sources with propositional content take part
   (``members.py``); each gets an independence key, so one speaker, their
   relays and whoever speaks for them count once.
2. Statements about statements ("Lavrov's comment is not accurate") are set
   aside (``references.py``) and later join the claim of what they answer.
3. Every pair of the others is scored for speaking to one proposition by the
   pair model (``pairs.py``: MiniLM sentence vectors, overlap, position), and
   average-linkage clustering merges groups while their mean pair probability
   stays above the model's threshold. A relayed copy (``same_as``) always joins
   its original.
4. A group voiced by two or more independent sources becomes a claim
   (``draft.py``: anchor, stances, status, summary); so does one speaker's
   account relayed by two or more channels, as ``single-source``.
5. The card judge (``confidence.py``) reads each multi-source card as a whole:
   a card unlikely to be a finding is left out, and a corroborated card it
   finds contested gets the dispute the stance reading missed.

Cards are ordered contested first, then by the sides taking part and by independent sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy

from readouts.claims.cluster import average_linkage
from readouts.claims.confidence import CardJudge, PairTable, StoryView, card_features, view_of
from readouts.claims.draft import Draft, draft_claim
from readouts.claims.members import Member, members_of
from readouts.claims.pairs import PairInputs, feature_names, pair_inputs
from readouts.claims.references import references
from readouts.claims.sides import party_of
from readouts.claims.text import terms
from readouts.model import Actor, Article, Channel, Claim, Statement

STATUS_ORDER = {"contested": 0, "corroborated": 1, "single-source": 2}
ALL_PAIRS_UP_TO = 400  # members; above this only each member's nearest neighbours are scored
NEIGHBOURS = 40
COMMON_NAME_SHARE = 0.25  # a name in this share of the statements is the story's setting, not a claim
MIN_SHARED_TERMS = 2  # one shared word is chance ("long" in "two-hour long" and "long-term")


class PairScorer(Protocol):
    threshold: float

    def scores(self, inputs: PairInputs) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Per pair: the probability of one proposition, and the nine head outputs."""
        ...


@dataclass
class Story:
    """A story's members ready for grouping: who takes part, who refers to whom, the pairs to score."""

    members: list[Member]
    referring: dict[str, list[str]]  # statement id -> candidate targets, nearest first
    clustered: list[Member]
    inputs: PairInputs
    parties: dict[str, str | None]  # statement id -> the party the story puts its speaker on


def group_claims(
    statements: Sequence[Statement],
    actors: Sequence[Actor],
    channels: Sequence[Channel],
    articles: Sequence[Article],
    *,
    scorer: PairScorer | None = None,
    judge: CardJudge | None = None,
) -> list[Claim]:
    """The story's claims, contested first, with ids ``c1, c2, ...``."""
    del channels  # channels reach the grouping through each statement's ``via``
    story = prepare(statements, actors, articles)
    if story is None:
        return []
    if scorer is None:
        from readouts.claims.pairs import load_pair_model

        scorer = load_pair_model()
    if judge is None:
        from readouts.claims.confidence import load_card_judge

        judge = load_card_judge()
    probabilities, heads = scorer.scores(story.inputs)
    return claims_of(story, probabilities, scorer.threshold, heads, judge)


def prepare(statements: Sequence[Statement], actors: Sequence[Actor], articles: Sequence[Article]) -> Story | None:
    """Members, references and pair inputs of a story; None when fewer than two statements can take part."""
    members = members_of(statements, actors, articles)
    if len(members) < 2:
        return None
    referring = references(members, actors)
    clustered = [m for m in members if m.statement.id not in referring]
    from readouts.claims.encoder import load_encoder

    encoder = load_encoder()
    # One call for contents and sentences: a text that is both is embedded once.
    vectors = encoder([m.meaning for m in clustered] + [m.setting for m in clustered])
    content, sentence = vectors[: len(clustered)], vectors[len(clustered) :]
    text_by_article = {a.id: a.text for a in articles}
    memo: dict = {}  # keyed by id() of texts that stay alive in text_by_article meanwhile
    parties = {m.statement.id: party_of(m, text_by_article.get(m.statement.article, ""), memo) for m in members}
    inputs = pair_inputs(clustered, content, sentence, _candidates(content), _common_names(clustered, actors))
    return Story(members, referring, clustered, inputs, parties)


def _common_names(members: list[Member], actors: Sequence[Actor]) -> frozenset[str]:
    """Terms of people's names that a good share of the statements use: in a summit story every
    statement names both leaders, and sharing "Putin" says nothing; a name few statements use
    ("Obama" in a story about his birth certificate) is part of what they assert."""
    names = {t for a in actors if a.kind == "person" for name in (a.name, *a.aliases) for t in terms(name)}
    counts = Counter(t for m in members for t in set(terms(m.meaning)) & names)
    return frozenset(t for t, n in counts.items() if n >= COMMON_NAME_SHARE * len(members))


def _candidates(content: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray] | None:
    """All pairs for an ordinary story; each member's nearest neighbours for a very large one."""
    n = content.shape[0]
    if n <= ALL_PAIRS_UP_TO:
        return None
    similarity = content @ content.T
    numpy.fill_diagonal(similarity, -numpy.inf)
    nearest = numpy.argpartition(-similarity, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
    pairs = {(min(i, j), max(i, j)) for i in range(n) for j in nearest[i].tolist()}
    left, right = zip(*sorted(pairs))
    return numpy.asarray(left), numpy.asarray(right)


@dataclass
class Card:
    """A drafted card with what the judge reads: its members, their rows in the clustering, its features."""

    draft: Draft
    group: list[Member]
    rows: list[int | None]
    features: numpy.ndarray | None  # None for a single-source card, which the judge does not see


def drafted_cards(story: Story, probabilities: numpy.ndarray, threshold: float,
                  heads: numpy.ndarray | None = None) -> tuple[list[Card], StoryView]:
    """Cluster by pair probability, attach references and draft every group worth a card."""
    affinity = affinity_of(story, probabilities)
    groups = _clusters(story.clustered, affinity, threshold)
    pointed = _attach_references(story, groups)
    index = {m.statement.id: i for i, m in enumerate(story.clustered)}
    view = story_view(story, heads)
    cards = []
    for group in groups:
        if not _worth_keeping(group):
            continue
        rows = [index.get(m.statement.id) for m in group]
        sub = sub_affinity(affinity, rows)
        draft = draft_claim(group, sub, pointed.get(id(group)), story.parties)
        multi = draft.claim.status != "single-source"
        cards.append(Card(draft, group, rows, card_features(view, group, rows, sub, draft) if multi else None))
    return cards, view


def story_view(story: Story, heads: numpy.ndarray | None) -> StoryView:
    """The story as the card judge reads it; without head outputs every head reads 0."""
    pairs = zip(story.inputs.left.tolist(), story.inputs.right.tolist())
    table = PairTable({pair: k for k, pair in enumerate(pairs)},
                      heads if heads is not None else numpy.zeros((len(story.inputs.left), 9)))
    return view_of(story.clustered, story.parties, table)


def claims_of(story: Story, probabilities: numpy.ndarray, threshold: float,
              heads: numpy.ndarray | None = None, judge: CardJudge | None = None) -> list[Claim]:
    """The story's cards as the judge shows them (all drafted cards without a judge), in order."""
    cards, view = drafted_cards(story, probabilities, threshold, heads)
    return ordered_claims(judged(cards, view, judge))


def judged(cards: list[Card], view: StoryView, judge: CardJudge | None) -> list[Draft]:
    drafts = []
    for card in cards:
        draft: Draft | None = card.draft
        if judge is not None and card.features is not None:
            draft = judge.judge(card.draft, card.features, view, card.group, card.rows)
        if draft is not None:
            drafts.append(draft)
    return drafts


def ordered_claims(drafts: list[Draft]) -> list[Claim]:
    """Contested first, then by the sides taking part and by independent sources; ids ``c1, c2, ...``."""
    drafts = sorted(drafts, key=lambda d: (STATUS_ORDER[d.claim.status], -d.sides, -d.claim.sources, d.first))
    return [
        Claim(id=f"c{i}", summary=d.claim.summary, status=d.claim.status, stances=d.claim.stances,
              sources=d.claim.sources)
        for i, d in enumerate(drafts, 1)
    ]


def affinity_of(story: Story, probabilities: numpy.ndarray) -> numpy.ndarray:
    """Square matrix of pair probabilities; a relayed copy and its original are certain."""
    n = len(story.clustered)
    affinity = numpy.zeros((n, n), numpy.float64)
    scores = numpy.maximum(probabilities, _word_links(story.inputs))
    affinity[story.inputs.left, story.inputs.right] = scores
    affinity[story.inputs.right, story.inputs.left] = scores
    index = {m.statement.id: i for i, m in enumerate(story.clustered)}
    for i, member in enumerate(story.clustered):
        original = index.get(member.statement.same_as or "")
        if original is not None:
            affinity[i, original] = affinity[original, i] = 1.0
    return affinity


def _word_links(inputs: PairInputs) -> numpy.ndarray:
    """TF-IDF cosine of two contents that share at least two content terms, else 0.

    The pair model learned BASIL's sense of a proposition; two statements that
    share the proposition's own words (with equivalents mapped: a "truce" is a
    "ceasefire") speak to it whatever the model thought of their sources."""
    names = feature_names()
    tfidf = inputs.dense[:, names.index("tfidf_cosine")]
    shared = numpy.expm1(inputs.dense[:, names.index("shared_terms")])
    return numpy.where(shared >= MIN_SHARED_TERMS - 1e-6, tfidf, 0.0)


def _clusters(members: list[Member], affinity: numpy.ndarray, threshold: float) -> list[list[Member]]:
    groups: dict[int, list[Member]] = {}
    for label, member in zip(average_linkage(affinity, threshold), members):
        groups.setdefault(label, []).append(member)
    return list(groups.values())


def _attach_references(story: Story, groups: list[list[Member]]) -> dict[int, str]:
    """Each statement about a statement joins the group of its most discussed target; returns group -> target."""
    by_id = {m.statement.id: m for m in story.members}
    group_of = {m.statement.id: g for g in groups for m in g}
    pointed: dict[int, str] = {}
    for referring, candidates in story.referring.items():
        best = max(
            ((len({m.source for m in group_of[t]}), -rank, t) for rank, t in enumerate(candidates) if t in group_of),
            default=None,
        )
        if best is None:
            continue
        group = group_of[best[2]]
        group.append(by_id[referring])
        pointed.setdefault(id(group), best[2])
    return pointed


def sub_affinity(affinity: numpy.ndarray, rows: list[int | None]) -> numpy.ndarray:
    """Pair scores among a group's members; a member outside the clustering (a reference) scores 0."""
    out = numpy.zeros((len(rows), len(rows)))
    for a, i in enumerate(rows):
        for b, j in enumerate(rows):
            if i is not None and j is not None and a != b:
                out[a, b] = affinity[i, j]
    return out


def _worth_keeping(group: list[Member]) -> bool:
    sources = {m.source for m in group}
    relays = {m.statement.via[0] for m in group if m.statement.via}
    return len(sources) >= 2 or (len(group) >= 2 and len(relays) >= 2)
