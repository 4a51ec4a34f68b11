"""Findings by proposition and by source: who takes part, who is independent, what is grouped, which stance."""

from __future__ import annotations

import numpy

from readouts.claims import group_claims
from readouts.claims.draft import summarize
from readouts.claims.members import can_take_part, members_of
from readouts.claims.sides import party_of
from readouts.model import Actor, Article, Statement

STORY_A = (
    "City Council Splits Over Harbor Bridge Tolls\n\n"
    "Mayor Elena Ruiz said the new harbor bridge will open to traffic on March 3 without tolls. "
    "\"Nobody will pay to cross this bridge,\" Ruiz told reporters at City Hall.\n\n"
    "Councilman Dale Porter, a Republican, said the bridge cannot open without tolls because the "
    "construction loan must be repaid. Ruiz's spokesman, Ben Ortiz, said the mayor stands by her pledge.\n\n"
    "The cover of the council's budget report showed the bridge at sunset.\n\n"
    "Separately, the harbor authority said ferry service to the north pier will resume in April after repairs."
)
STORY_B = (
    "Harbor Bridge To Open Toll-Free, Mayor Says\n\n"
    "\"Nobody will pay to cross this bridge,\" Mayor Elena Ruiz said on Tuesday.\n\n"
    "Porter denied that the bridge could open toll-free.\n\n"
    "Do residents support the bridge?"
)

ACTORS = [
    Actor("elena-ruiz", "Elena Ruiz", role="Mayor", aliases=("Ruiz",)),
    Actor("dale-porter", "Dale Porter", role="Councilman", aliases=("Porter",)),
    Actor("ben-ortiz", "Ben Ortiz", role="Spokesperson", principal="elena-ruiz"),
    Actor("harbor-authority", "harbor authority", kind="organization"),
    Actor("cover", "cover", kind="unknown"),
    Actor("someone", "Elena Ruis", role="Mayor"),  # the same mayor, split by a misspelling in one outlet
]


def _statement(sid, article, text, speaker, content, act="assert", kind="indirect"):
    start = text.index(content)
    return Statement(sid, article, speaker, speaker, None, "said", None, content, ((start, start + len(content)),),
                     kind, act=act)


def _story():
    statements = [
        _statement("a1", "a", STORY_A, "elena-ruiz", "the new harbor bridge will open to traffic on March 3 without tolls"),
        _statement("a2", "a", STORY_A, "elena-ruiz", "Nobody will pay to cross this bridge", kind="direct"),
        _statement("a3", "a", STORY_A, "dale-porter",
                   "the bridge cannot open without tolls because the construction loan must be repaid"),
        _statement("a4", "a", STORY_A, "ben-ortiz", "the mayor stands by her pledge"),
        _statement("a5", "a", STORY_A, "cover", "showed the bridge at sunset"),
        _statement("a6", "a", STORY_A, "harbor-authority",
                   "ferry service to the north pier will resume in April after repairs"),
        _statement("b1", "b", STORY_B, "someone", "Nobody will pay to cross this bridge", kind="direct"),
        _statement("b2", "b", STORY_B, "dale-porter", "that the bridge could open toll-free", act="deny"),
    ]
    articles = [Article("a", STORY_A), Article("b", STORY_B)]
    return statements, ACTORS, [], articles


def test_a_non_source_takes_no_part():
    statements, actors, _, articles = _story()
    by_id = {a.id: a for a in actors}
    cover = next(s for s in statements if s.id == "a5")
    assert not can_take_part(cover, by_id["cover"])  # an object is no source
    question = Statement("q", "b", "elena-ruiz", None, None, "", None, "Do residents support the bridge?",
                         ((0, 1),), "direct")
    assert not can_take_part(question, by_id["elena-ruiz"])
    lead_in = Statement("l", "a", "dale-porter", None, None, "", None, "Pushback already from the council:",
                        ((0, 1),), "indirect")
    assert not can_take_part(lead_in, by_id["dale-porter"])
    phrase = Statement("p", "a", "dale-porter", None, None, "", None, "The matter", ((0, 1),), "indirect")
    assert not can_take_part(phrase, by_id["dale-porter"])
    topic = Statement("t", "a", "dale-porter", None, None, "also spoke about", None, "the repayment schedule of the loan",
                      ((0, 1),), "indirect")
    assert not can_take_part(topic, by_id["dale-porter"])  # a subject talked about is no claim
    in_cards = {s.statement for c in group_claims(statements, actors, [], articles) for s in c.stances}
    assert "a5" not in in_cards


def test_a_reprinted_quote_is_one_source():
    statements, actors, _, articles = _story()
    source = {m.statement.id: m.source for m in members_of(statements, actors, articles)}
    assert source["a2"] == source["b1"]  # word for word, though put to a split actor in the other outlet


def test_a_spokesperson_counts_with_the_principal():
    statements, actors, _, articles = _story()
    source = {m.statement.id: m.source for m in members_of(statements, actors, articles)}
    assert source["a4"] == source["a1"]
    assert source["a3"] != source["a1"]


def test_the_toll_dispute_is_contested_and_a_denial_disputes():
    statements, actors, _, articles = _story()
    claims = group_claims(statements, actors, [], articles)
    assert claims and claims[0].status == "contested"
    tolls = claims[0]
    stances = {s.statement: s.stance for s in tolls.stances}
    assert stances.get("a1") == "supports" or stances.get("a2") == "supports"
    assert stances.get("b2") == "denies"  # Porter's denial is a dispute of the toll-free opening
    # Ruiz, her spokesman and the misspelled reprint are one source; Porter is the other.
    assert tolls.sources == 2


def test_same_topic_statements_about_other_propositions_are_not_grouped():
    statements, actors, _, articles = _story()
    claims = group_claims(statements, actors, [], articles)
    # The ferry's return is harbor news too, but no one agrees or disagrees with it about tolls.
    assert all("a6" not in {s.statement for s in c.stances} for c in claims)


def test_party_is_read_from_the_mention_or_next_to_the_name():
    statements, actors, _, articles = _story()
    members = {m.statement.id: m for m in members_of(statements, actors, articles)}
    assert party_of(members["a3"], STORY_A) == "Republican"
    assert party_of(members["a1"], STORY_A) is None
    text = "Sen. Maria Lind, D-Minn., and Sen. Paul Krantz, R-Iowa, disagreed."
    lind = members["a1"].__class__(members["a1"].statement, Actor("lind", "Maria Lind"), "x", "")
    assert party_of(lind, text) == "Democratic"
    both = members["a1"].__class__(members["a1"].statement, Actor("x", "Republicans and Democrats", kind="group"), "x", "")
    assert party_of(both, "") is None


def test_summary_states_the_proposition_as_a_sentence():
    assert summarize("that the bridge will open in March") == "The bridge will open in March."
    assert summarize("“NO TOLLS ON THE HARBOR BRIDGE, MAYOR SAYS”") == "No tolls on the harbor bridge, mayor says."


# Pinned just below `readouts eval findings ... --limit 20` with the shipped pair model and card judge
# (strict precision 0.522, recall 0.258; BENCHMARKS.md);
# the shipped network saw these events in training, so this guards against regressions, it does not
# measure generalization (the cross-validated numbers in BENCHMARKS.md do).
FLOOR = {"precision_strict": 0.50, "recall_strict": 0.25, "statement_recall": 0.93}


def test_findings_floor_on_basil(shared_dir):
    from readouts.evaluate.findings import evaluate_findings

    data = shared_dir / "data"
    summary = evaluate_findings(data / "findings_basil_dev.jsonl", events=data / "events_basil_dev.jsonl",
                                limit=20).summary
    for metric, floor in FLOOR.items():
        assert summary[metric] >= floor, (metric, summary[metric])


def _contested_cards_hold(claims, members):
    source = {m.statement.id: m.source for m in members}
    for claim in claims:
        if claim.status != "contested":
            continue
        backing = {source[s.statement] for s in claim.stances if s.stance == "supports"}
        opposing = {source[s.statement] for s in claim.stances if s.stance in ("disputes", "denies")}
        assert backing and opposing - backing, claim


def test_a_contested_card_has_a_support_and_a_dispute_from_different_sources():
    statements, actors, _, articles = _story()
    claims = group_claims(statements, actors, [], articles)
    assert any(c.status == "contested" for c in claims)
    _contested_cards_hold(claims, members_of(statements, actors, articles))


COUNCIL = (
    "Council Divided On Bridge Tolls\n\n"
    "Mayor Elena Ruiz, a Democrat, said the new harbor bridge will open without tolls.\n\n"
    "Councilman Dale Porter, a Republican, said the bridge cannot open without tolls because the loan "
    "must be repaid. Councilwoman Joan Hale, a Republican, said tolls are needed to repay the bridge loan."
)


def test_a_card_is_stated_as_the_claim_of_its_larger_side():
    from readouts.claims.draft import draft_claim

    actors = [Actor("ruiz", "Elena Ruiz", role="Mayor"), Actor("porter", "Dale Porter", role="Councilman"),
              Actor("hale", "Joan Hale", role="Councilwoman")]
    statements = [
        _statement("r", "c", COUNCIL, "ruiz", "the new harbor bridge will open without tolls"),
        _statement("p", "c", COUNCIL, "porter", "the bridge cannot open without tolls because the loan must be repaid"),
        _statement("h", "c", COUNCIL, "hale", "tolls are needed to repay the bridge loan"),
    ]
    members = members_of(statements, actors, [Article("c", COUNCIL)])
    parties = {m.statement.id: party_of(m, COUNCIL) for m in members}
    assert parties == {"r": "Democratic", "p": "Republican", "h": "Republican"}
    affinity = numpy.full((3, 3), 0.5)
    draft = draft_claim(members, affinity, None, parties)
    stances = {s.statement: s.stance for s in draft.claim.stances}
    assert draft.claim.status == "contested"
    # Two Republicans against one mayor: the card states their claim, and the mayor disputes it.
    assert stances == {"r": "disputes", "p": "supports", "h": "supports"}
    assert draft.anchor in ("p", "h")


def test_the_card_judge_decides_which_cards_are_shown():
    import json
    from importlib import resources

    from readouts.claims.confidence import MODEL_PATH, judge_from
    from readouts.claims.group import drafted_cards, prepare
    from readouts.claims.pairs import load_pair_model

    statements, actors, _, articles = _story()
    story = prepare(statements, actors, articles)
    scorer = load_pair_model()
    probabilities, heads = scorer.scores(story.inputs)
    cards, view = drafted_cards(story, probabilities, scorer.threshold, heads)
    card = next(c for c in cards if c.features is not None)
    meta = json.loads(resources.files("readouts").joinpath(MODEL_PATH).read_text(encoding="utf-8"))
    assert len(card.features) == len(meta["features"])

    def judge(shown: float, contested: float):
        return judge_from({**meta, "shown": {**meta["shown"], "threshold": shown},
                           "contested": {**meta["contested"], "threshold": contested}})

    assert judge(1.01, 1.01).judge(card.draft, card.features, view, card.group, card.rows) is None
    assert judge(0.0, 1.01).judge(card.draft, card.features, view, card.group, card.rows) is card.draft


def test_the_seed_shows_its_two_findings_and_not_its_pleasantries(seed_text):
    from readouts.pipeline import analyze_text

    ledger = analyze_text(seed_text)
    content = {s.id: s.content for s in ledger.statements}
    cards = [[content[m.statement].lower() for m in c.stances] for c in ledger.claims if c.status != "single-source"]
    assert any("assurance" in " ".join(card) and any("not accurate" in t for t in card) for card in cards)
    assert any(any("ceasefire" in t for t in card) and any("truce" in t for t in card) for card in cards)
    # "very, very good talks" is not corroborated by Tillerson's "Russians see it differently".
    assert not any(any("very good talks" in t for t in card) and any("differently" in t for t in card)
                   for card in cards)
    assert not any(any(t.startswith("pushback") for t in card) for card in cards)
