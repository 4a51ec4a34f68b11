"""Tests of the web's read queries (store/browse.py) on hand-built stories; also builds those stories for the other web tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from readouts.model import Actor, Article, Channel, Claim, Ledger, Stance, Statement
from readouts.report.json_report import CONTRACT_ORDER
from readouts.store import open_store
from readouts.store import browse
from readouts.store.browse import StatementFilter
from readouts.store.sandbox import BACKENDS, scratch_url, unavailable

TALKS = (
    "Moscow and Washington gave different accounts of the talks on Friday.\n"
    "Russian Foreign Minister Sergey Lavrov said the president accepted the assurances, according to Interfax.\n"
    "\"That is not accurate,\" a US administration official told NBC News.\n"
    "Secretary of State Rex Tillerson said both sides agreed a ceasefire in southern Syria.\n"
    "Lavrov confirmed the ceasefire would start on Sunday.\n"
)
HOSTILE_SCRIPT = "<script>alert('script ran')</script>"
HOSTILE_IMAGE = "<img src=x onerror=alert('image ran')>"
HOSTILE = (
    f"Hostile markup in an article {HOSTILE_IMAGE} must stay text.\n"
    f"The spokesman said the page was \"{HOSTILE_SCRIPT}\" all along.\n"
)


def _span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def _statement(sid, article, text, speaker, speaker_words, cue, content, via=(), act="assert"):
    content_span = _span(text, content)
    return Statement(
        id=sid, article=article.id, speaker=speaker, speaker_text=speaker_words,
        speaker_span=_span(text, speaker_words) if speaker_words else None, cue=cue,
        cue_span=_span(text, cue, content_span[0] - 40 if cue != "told" else 0),
        content=content, content_spans=(content_span,), kind="indirect", act=act, via=via,
        confidence=0.8, rule="hand",
    )


def talks_ledger() -> Ledger:
    """Two accounts of one meeting: a contested claim and a corroborated one."""
    article = Article(id="talks", text=TALKS, source="talks.txt", outlet="Wire Digest", title="Accounts of the talks",
                      published="2017-07-08", boilerplate=((0, 8),), warnings=("hand-built for tests",))
    lavrov = Actor("sergey-lavrov", "Sergey Lavrov", "person", "Foreign Minister", "Russia", ("Lavrov",))
    official = Actor("us-official", "administration official", "anonymous", None, "United States")
    tillerson = Actor("rex-tillerson", "Rex Tillerson", "person", "Secretary of State", "United States")
    interfax = Channel("interfax", "Interfax", "agency", ("IFX",))
    nbc = Channel("nbc-news", "NBC News", "broadcaster")
    statements = (
        _statement("s1", article, TALKS, "sergey-lavrov", "Sergey Lavrov", "said",
                   "the president accepted the assurances", via=("interfax",)),
        _statement("s2", article, TALKS, "us-official", "a US administration official", "told",
                   "That is not accurate", via=("nbc-news",), act="deny"),
        _statement("s3", article, TALKS, "rex-tillerson", "Rex Tillerson", "said",
                   "both sides agreed a ceasefire in southern Syria"),
        _statement("s4", article, TALKS, "sergey-lavrov", "Lavrov", "confirmed",
                   "the ceasefire would start on Sunday", act="confirm"),
    )
    claims = (
        Claim("c1", "The president accepted the assurances", "contested",
              (Stance("s1", "supports"), Stance("s2", "disputes")), 2),
        Claim("c2", "A ceasefire in southern Syria", "corroborated",
              (Stance("s3", "supports"), Stance("s4", "supports")), 2),
    )
    return Ledger((article,), (lavrov, official, tillerson), (interfax, nbc), statements, claims)


def hostile_ledger() -> Ledger:
    """An article whose text and statement hold markup that must never run."""
    article = Article(id="hostile", text=HOSTILE, source="hostile.txt", title=f"Hostile {HOSTILE_SCRIPT}",
                      published="2018-01-02")
    spokesman = Actor("spokesman", f"Spokesman {HOSTILE_IMAGE}", "person", None, None)
    statement = _statement("s1", article, HOSTILE, "spokesman", "The spokesman", "said",
                           f"the page was \"{HOSTILE_SCRIPT}\" all along")
    return Ledger((article,), (spokesman,), (), (statement,), ())


def build_corpus(path: Path | str) -> dict[str, int]:
    """A database holding the two hand-built stories; returns their story ids."""
    with open_store(path) as store:
        store.add_ledger(talks_ledger(), story="talks")
        store.add_ledger(hostile_ledger(), story="hostile")
        ids = {r["story_key"]: r["id"] for r in store.db.rows("SELECT id, story_key FROM stories")}
    return {"talks": ids["talks"], "hostile": ids["hostile"]}


@pytest.fixture(params=BACKENDS)
def corpus(request, tmp_path):
    """The hand-built stories on SQLite, and on PostgreSQL when a test server is configured."""
    reason = unavailable(request.param)
    if reason:
        pytest.skip(reason)
    with scratch_url(request.param, tmp_path) as url:
        stories = build_corpus(url)
        store = open_store(url)
        yield store, stories
        store.close()


def test_story_ledger_round_trips_the_hand_built_story(corpus):
    store, stories = corpus
    original = talks_ledger()
    rebuilt = browse.story_ledger(store.db, stories["talks"])
    assert rebuilt.articles[0].text == original.articles[0].text
    assert rebuilt.articles[0].boilerplate == original.articles[0].boilerplate
    assert rebuilt.articles[0].warnings == original.articles[0].warnings
    assert [s.content for s in rebuilt.statements] == [s.content for s in original.statements]
    for statement in rebuilt.statements:
        (start, end), = statement.content_spans
        assert rebuilt.articles[0].text[start:end] == statement.content
    speakers = [rebuilt.actor(s.speaker).name for s in rebuilt.statements]
    assert speakers == ["Sergey Lavrov", "administration official", "Rex Tillerson", "Sergey Lavrov"]
    assert [[rebuilt.channel(c).name for c in s.via] for s in rebuilt.statements][:2] == [["Interfax"], ["NBC News"]]
    by_id = {s.id: s for s in rebuilt.statements}
    contested = next(c for c in rebuilt.claims if c.status == "contested")
    assert [(by_id[s.statement].content, s.stance) for s in contested.stances] == [
        ("the president accepted the assurances", "supports"), ("That is not accurate", "disputes")]


def test_story_ledger_keeps_the_contract_keys(corpus):
    store, stories = corpus
    data = browse.story_ledger(store.db, stories["talks"]).to_dict()
    assert data["schema"] == "readouts.ledger/1"
    for section, keys in CONTRACT_ORDER.items():
        for record in data[section]:
            assert set(keys) <= set(record), section


def test_unknown_story_is_none(corpus):
    store, _ = corpus
    assert browse.story_ledger(store.db, 999_999) is None


def test_story_list_counts_statements_speakers_and_contested_claims(corpus):
    store, stories = corpus
    page = browse.list_stories(store.db)
    assert page.total == 2
    assert [r["id"] for r in page.items] == [stories["hostile"], stories["talks"]]  # newest first
    talks = page.items[1]
    assert (talks["statements"], talks["speakers"], talks["contested"], talks["articles"]) == (4, 3, 1, 1)


def test_search_filters_words_speaker_channel_and_dates(corpus):
    store, _ = corpus
    found = browse.search_statements(store.db, StatementFilter(text="ceasefire"))
    assert {r["speaker"] for r in found.items} == {"Rex Tillerson", "Sergey Lavrov"}
    lavrov = next(r["speaker_id"] for r in found.items if r["speaker"] == "Sergey Lavrov")
    assert browse.search_statements(store.db, StatementFilter(speaker=lavrov)).total == 2
    interfax = browse.search_statements(store.db, StatementFilter(text="assurances")).items[0]["via"][0]
    assert interfax["name"] == "Interfax"
    assert browse.search_statements(store.db, StatementFilter(channel=interfax["id"])).total == 1
    assert browse.search_statements(store.db, StatementFilter(until="2017-07-08")).total == 4
    assert browse.search_statements(store.db, StatementFilter(since="2018")).total == 1
    # FTS syntax in user text is taken as words, not operators.
    assert browse.search_statements(store.db, StatementFilter(text='NEAR( "AND * ) OR')).total == 0


def test_speaker_channels_and_claims(corpus):
    store, _ = corpus
    official = store.db.value("SELECT id FROM actors WHERE name = 'administration official'")
    assert browse.actor_row(store.db, official)["statements"] == 1
    assert [c["name"] for c in browse.actor_channels(store.db, official)] == ["NBC News"]
    assert [(k["summary"], k["stance"]) for k in browse.actor_claims(store.db, official)] == [
        ("The president accepted the assurances", "disputes")]
    assert browse.actor_row(store.db, 999_999) is None
