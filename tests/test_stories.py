"""Story grouping: in memory, in the store across runs, claims regrouped per story, and the ARI on the events set."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from readouts.corpus import ingest_documents
from readouts.corpus.stories import MemoryStoryIndex, StorySettings, assign_story, group_articles, story_features
from readouts.model import Article, Claim, Ledger, RawDocument, Stance
from readouts.store import open_store

CEASEFIRE_TASS = (
    "Lavrov: Syria ceasefire to start on July 9\n\n"
    "Russian Foreign Minister Sergey Lavrov said a ceasefire in south-west Syria agreed with the United States "
    "and Jordan would start on July 9 at noon Damascus time, after talks between Putin and Trump in Hamburg."
)
CEASEFIRE_REUTERS = (
    "U.S., Russia and Jordan agree Syria ceasefire\n\n"
    "The United States, Russia and Jordan reached a deal for south-west Syria after Trump met Putin in Hamburg. "
    '"The ceasefire starts on July 9," Secretary of State Rex Tillerson told reporters.'
)
TRADE = (
    "Ottawa trade talks stall over steel quotas\n\n"
    "Canada's trade minister Luis Ortega said quotas on steel and aluminium would stay in place, and the "
    "negotiators in Ottawa adjourned without a date to resume the trade talks."
)
CEASEFIRE_LATER = (
    "Syria ceasefire holds a month on\n\n"
    "A month after Putin and Trump agreed it in Hamburg, the ceasefire in south-west Syria is holding, "
    "Jordan's foreign minister said, with Russia and the United States monitoring it from Amman."
)
EVENTS = Path(__file__).resolve().parents[1] / "scripts" / "story_eval.py"


def article(article_id: str, text: str, day: str) -> Article:
    return Article(id=article_id, text=text, title=text.split("\n")[0], published=day)


def test_the_same_event_groups_and_other_events_or_months_apart_do_not():
    stories = group_articles([
        article("tass", CEASEFIRE_TASS, "2017-07-07"),
        article("trade", TRADE, "2017-07-07"),
        article("reuters", CEASEFIRE_REUTERS, "2017-07-08"),
        article("later", CEASEFIRE_LATER, "2017-08-09"),
    ])
    assert stories["reuters"] == stories["tass"] == "tass"
    assert stories["trade"] == "trade" and stories["later"] == "later"


def test_a_stricter_threshold_splits_what_the_default_joins():
    index = MemoryStoryIndex()
    strict = StorySettings(threshold=0.95)
    assign_story(index, story_features(article("tass", CEASEFIRE_TASS, "2017-07-07")), "tass", strict)
    joined = assign_story(index, story_features(article("reuters", CEASEFIRE_REUTERS, "2017-07-07")), "reuters",
                          strict)
    assert joined == "reuters"


def test_features_skip_a_repeated_title_and_read_the_day():
    features = story_features(article("tass", CEASEFIRE_TASS, "2017-07-07T10:00:00Z"))
    assert features.day.isoformat() == "2017-07-07"
    assert features.terms["ceasefire"] == 3  # twice from the title, once from the lead (not the repeated title)
    assert "lavrov" in features.names and "said" not in features.terms


def raw(doc_id: str, text: str, day: str) -> RawDocument:
    return RawDocument(id=doc_id, source=doc_id, text=text, published=day)


def test_stored_stories_grow_across_runs_and_claims_are_grouped_per_story(db_url, nlp):
    seen: list[tuple[str, ...]] = []

    def ceasefire_claims(story: Ledger) -> list[Claim]:
        seen.append(tuple(sorted(a.title for a in story.articles)))
        about = [s for s in story.statements if "ceasefire" in s.content.lower()]
        return [Claim("c1", "a ceasefire in south-west Syria", "corroborated",
                      tuple(Stance(s.id, "supports") for s in about), len(about))] if about else []

    with open_store(db_url) as store:
        first = store.add_batch(_analysed([raw("tass", CEASEFIRE_TASS, "2017-07-07"),
                                           raw("trade", TRADE, "2017-07-07")]), group_claims=ceasefire_claims)
        assert first.ingested == 2 and len(first.stories) == 2
        second = store.add_batch(_analysed([raw("reuters", CEASEFIRE_REUTERS, "2017-07-08")]),
                                 group_claims=ceasefire_claims)
        stories = store.story_of_inputs()
        assert stories["reuters"] == stories["tass"] != stories["trade"]
        assert second.stories == (stories["tass"],)  # only the story that grew is regrouped
        assert seen[-1] == ("Lavrov: Syria ceasefire to start on July 9", "U.S., Russia and Jordan agree Syria ceasefire")
        claims = store.db.rows("SELECT id, story_id, sources FROM claims")
        assert len(claims) == 1 and claims[0]["story_id"] == stories["tass"]  # the first grouping was replaced
        stance_articles = store.db.rows(
            "SELECT DISTINCT a.input_id FROM stances st JOIN statements s ON s.id = st.statement_id"
            " JOIN article_versions v ON v.id = s.article_version_id JOIN articles a ON a.id = v.article_id")
        assert {r["input_id"] for r in stance_articles} == {"tass", "reuters"}
        again = store.add_batch(_analysed([raw("reuters", CEASEFIRE_REUTERS, "2017-07-08")]),
                                group_claims=ceasefire_claims)
        assert again.ingested == 0 and again.stories == ()


def test_repeated_statements_keep_their_same_as_link(db_url, nlp):
    text = ('"We will hold the ceasefire," Lavrov said. Later he repeated it: "We will hold the ceasefire," '
            "Lavrov said.")
    [ledger] = _analysed([raw("repeat", text, "2017-07-07")])
    repeats = [s for s in ledger.statements if s.same_as]
    assert repeats, "the resolver links the second quote to the first"
    with open_store(db_url) as store:
        store.add_batch([ledger])
        stored = store.story_ledger(store.story_of_inputs()["repeat"])
        linked = [s for s in stored.statements if s.same_as]
        assert len(linked) == len(repeats)
        assert all(s.same_as in {t.id for t in stored.statements} for s in linked)


def test_ingest_documents_reports_stories_through_the_pipeline(db_url, nlp):
    with open_store(db_url) as store:
        summary = ingest_documents([raw("tass", CEASEFIRE_TASS, "2017-07-07"), raw("trade", TRADE, "2017-07-07"),
                                    raw("reuters", CEASEFIRE_REUTERS, "2017-07-08")], store, batch_size=2)
        assert summary.ingested == 3
        stories = store.story_of_inputs()
        assert stories["tass"] == stories["reuters"] != stories["trade"]


def _analysed(documents):
    from readouts.corpus.analysis import analyze_items

    return analyze_items(documents)


def test_story_grouping_on_the_events_set_reaches_the_bar(shared_dir):
    spec = importlib.util.spec_from_file_location("story_eval", EVENTS)
    story_eval = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(story_eval)
    records = story_eval.read_events(shared_dir / "data" / "events_basil_dev.jsonl")
    stories = story_eval.in_memory(records, StorySettings())
    ari = story_eval.adjusted_rand_index([r["event_id"] for r in records], [stories[r["article_id"]] for r in records])
    assert ari >= 0.85, ari
    assert story_eval.adjusted_rand_index(["a", "a", "b"], ["x", "x", "y"]) == 1.0


def test_a_story_whose_claims_cannot_be_grouped_keeps_its_articles_and_records_why(tmp_path, nlp):
    from readouts.errors import ModelMissingError

    def broken_grouping(story: Ledger) -> list[Claim]:
        raise ModelMissingError("data/models/stance", "the stance model is missing", "retrain it")

    with open_store(str(tmp_path / "s.db")) as store:
        result = store.add_batch(_analysed([raw("tass", CEASEFIRE_TASS, "2017-07-07")]), group_claims=broken_grouping)
        assert result.ingested == 1 and result.errors == 1
        [error] = store.errors()
        assert error["code"] == "R401" and error["source"].startswith("story ")
        assert store.story_of_inputs()["tass"]


def test_one_batch_groups_as_batches_of_one_and_as_memory_do(db_url, nlp):
    """The writer's index remembers within a batch what it read and wrote: a later article of the same
    batch must still see the earlier ones (members and term counts) exactly as a new batch would."""
    from collections import Counter

    from readouts.corpus.analysis import analyze_for_store
    from readouts.store.stories import StoredStoryIndex

    documents = [raw("tass", CEASEFIRE_TASS, "2017-07-07"), raw("trade", TRADE, "2017-07-07"),
                 raw("reuters", CEASEFIRE_REUTERS, "2017-07-08"), raw("later", CEASEFIRE_LATER, "2017-08-09")]
    analysed = analyze_for_store(documents)
    with open_store(db_url) as store:
        store.add_batch([a.ledger for a in analysed], features=[a.features for a in analysed])
        together = store.story_of_inputs()
        all_features = [f for a in analysed for f in a.features.values()]
        counts = Counter(term for f in all_features for term in f.terms)
        assert StoredStoryIndex(store.db).frequencies(counts) == dict(counts)
    assert together["tass"] == together["reuters"] != together["trade"] != together["later"]
    memory = group_articles([a.ledger.articles[0] for a in analysed])
    assert _partition(together) == _partition(memory)


def test_features_travel_with_the_ledger_from_the_analysis(nlp):
    from readouts.corpus.analysis import analyze_for_store

    [done] = analyze_for_store([raw("tass", CEASEFIRE_TASS, "2017-07-07")])
    [stored_article] = done.ledger.articles
    assert done.features == {"tass": story_features(stored_article)}
    assert done.features["tass"].day.isoformat() == "2017-07-07"


def _partition(stories: dict) -> set[frozenset[str]]:
    groups: dict = {}
    for article_id, story in stories.items():
        groups.setdefault(story, set()).add(article_id)
    return {frozenset(g) for g in groups.values()}
