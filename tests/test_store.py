"""The corpus database on hand-built ledgers, against SQLite always and PostgreSQL when READOUTS_TEST_PG_URL is set."""

from __future__ import annotations

import importlib.util
import io
import json

import pytest

from readouts.model import Actor, Article, Channel, Claim, Failure, Ledger, Stance, Statement
from readouts.store import open_store
from readouts.store.errors import ExportError
from readouts.store.sandbox import BACKENDS, scratch_url, unavailable
from readouts.store.schema import CURRENT_VERSION

LAVROV_TEXT = (
    'Sergey Lavrov said Trump accepted Putin\'s assurance. "The ceasefire starts on July 9," '
    "Lavrov told Interfax news agency."
)
CEASEFIRE = "The ceasefire starts on July 9,"
OFFICIAL_TEXT = 'An administration official said Lavrov\'s comment is "not accurate", according to NBC News.'


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    reason = unavailable(request.param)
    if reason:
        pytest.skip(reason)
    with scratch_url(request.param, tmp_path) as url:
        opened = open_store(url)
        yield opened
        opened.close()


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return (start, start + len(part))


def statement(sid, article, text, speaker, speaker_text, cue, content, kind="indirect", via=()):
    return Statement(
        id=sid, article=article, speaker=speaker, speaker_text=speaker_text,
        speaker_span=span_of(text, speaker_text), cue=cue, cue_span=span_of(text, cue),
        content=content, content_spans=(span_of(text, content),), kind=kind, via=via, confidence=0.9, rule="test",
    )


def lavrov_ledger(text=LAVROV_TEXT, url="https://www.example.com/news/putin-trump?utm_source=rss",
                  article_id="lavrov-1", name="Sergey Lavrov", published="2017-07-08T10:00:00",
                  quote=CEASEFIRE):
    article = Article(id=article_id, text=text, url=url, outlet="Example News", title="Putin meets Trump",
                      published=published)
    lavrov = Actor("lavrov", name, role="Foreign Minister", affiliation="Russia", aliases=("Lavrov",))
    interfax = Channel("interfax", "Interfax", "agency", aliases=("IFX",))
    statements = (
        statement("s1", article_id, text, "lavrov", name, "said", "Trump accepted Putin's assurance"),
        statement("s2", article_id, text, "lavrov", "Lavrov", "told", quote,
                  kind="direct", via=("interfax",)),
    )
    claim = Claim("c1", "Trump accepted Putin's assurance", "single-source", (Stance("s1", "supports"),), 1)
    return Ledger(articles=(article,), actors=(lavrov,), channels=(interfax,), statements=statements,
                  claims=(claim,))


def official_ledger(article_id="official-1", url="https://other.example.org/story/1"):
    article = Article(id=article_id, text=OFFICIAL_TEXT, url=url, outlet="Other", published="2017-07-09")
    official = Actor("official", "administration official", kind="anonymous", affiliation="United States")
    nbc = Channel("nbc", "NBC News", "broadcaster", aliases=("@NBCNews",))
    said = statement("s1", article_id, OFFICIAL_TEXT, "official", "An administration official", "said",
                     "Lavrov's comment is \"not accurate\"", kind="mixed", via=("nbc",))
    return Ledger(articles=(article,), actors=(official,), channels=(nbc,), statements=(said,))


def test_a_new_ledger_is_stored_whole(store):
    result = store.add_ledger(lavrov_ledger())
    assert result.new == ("lavrov-1",) and result.ingested == 1
    assert (result.statements, result.actors, result.channels, result.claims) == (2, 1, 1, 1)
    tables = store.stats()["tables"]
    assert tables["articles"] == 1 and tables["article_versions"] == 1
    assert tables["statements"] == 2 and tables["statement_channels"] == 1 and tables["stances"] == 1


def test_adding_the_same_ledger_again_changes_nothing(store):
    store.add_ledger(lavrov_ledger())
    before = store.stats()["tables"]
    again = store.add_ledger(lavrov_ledger())
    assert again.unchanged == ("lavrov-1",) and again.ingested == 0 and again.statements == 0
    assert store.stats()["tables"] == before


def test_the_same_url_with_tracking_parameters_is_the_same_article(store):
    store.add_ledger(lavrov_ledger())
    again = store.add_ledger(lavrov_ledger(url="http://example.com/news/putin-trump/#comments", article_id="copy"))
    assert again.unchanged == ("copy",)
    assert store.stats()["tables"]["articles"] == 1


def test_a_changed_text_under_the_same_url_becomes_a_new_version(store):
    store.add_ledger(lavrov_ledger())
    edited = LAVROV_TEXT.replace("July 9", "July 10")
    result = store.add_ledger(lavrov_ledger(text=edited, quote=CEASEFIRE.replace("July 9", "July 10")))
    assert result.changed == ("lavrov-1",)
    tables = store.stats()["tables"]
    assert tables["articles"] == 1 and tables["article_versions"] == 2
    contents = [row["content"] for row in store.query_statements()]
    assert "The ceasefire starts on July 10," in contents
    assert "The ceasefire starts on July 9," not in contents  # searches read the current version only
    exported = io.StringIO()
    store.export("articles", "jsonl", exported)
    (line,) = exported.getvalue().splitlines()
    assert json.loads(line)["version"] == 2 and json.loads(line)["text"] == edited


def test_articles_without_url_are_keyed_by_their_text(store):
    first = lavrov_ledger(url=None)
    assert store.add_ledger(first).new == ("lavrov-1",)
    assert store.add_ledger(lavrov_ledger(url=None, article_id="again")).unchanged == ("again",)
    other = lavrov_ledger(url=None, text=LAVROV_TEXT + " More.", article_id="longer")
    assert store.add_ledger(other).new == ("longer",)


def test_transliteration_variants_and_aliases_are_one_actor(store):
    store.add_ledger(lavrov_ledger())
    sergei_text = LAVROV_TEXT.replace("Sergey", "Sergei")
    result = store.add_ledger(lavrov_ledger(text=sergei_text, url="https://b.example/2", article_id="b",
                                            name="Sergei Lavrov"))
    assert result.actors == 0
    surname_only = Ledger(
        articles=(Article(id="c", text="Lavrov said talks went well.", url="https://c.example/3"),),
        actors=(Actor("x", "Lavrov"),),
        statements=(statement("s1", "c", "Lavrov said talks went well.", "x", "Lavrov", "said", "talks went well"),),
    )
    assert store.add_ledger(surname_only).actors == 0
    speakers = {row["speaker"] for row in store.query_statements(speaker="Sergei Lavrov")}
    assert speakers == {"Sergey Lavrov"}
    assert len(store.query_statements(speaker="Sergei Lavrov")) == 5


def test_anonymous_sources_are_not_merged_across_articles(store):
    store.add_ledger(official_ledger())
    result = store.add_ledger(official_ledger(article_id="official-2", url="https://third.example/x"))
    assert result.actors == 1
    assert store.stats()["tables"]["actors"] == 2


def test_channels_are_matched_by_name_and_alias(store):
    store.add_ledger(lavrov_ledger())
    relay = lavrov_ledger(url="https://relay.example/1", article_id="relay")
    relay = Ledger(articles=relay.articles, actors=relay.actors, statements=relay.statements,
                   channels=(Channel("interfax", "IFX", "agency"),))
    assert store.add_ledger(relay).channels == 0
    via = [row["via"] for row in store.query_statements(channel="interfax")]
    assert via == [["Interfax"], ["Interfax"]]


def test_query_statements_filters_combine(store):
    store.add_ledger(lavrov_ledger())
    store.add_ledger(official_ledger())
    assert [r["article"] for r in store.query_statements(speaker="lavrov")] == ["lavrov-1", "lavrov-1"]
    by_channel = store.query_statements(channel="@NBCNews")
    assert [r["speaker"] for r in by_channel] == ["administration official"]
    assert [r["content"] for r in store.query_statements(text="ceasefires start")] == [
        "The ceasefire starts on July 9,"
    ]
    assert store.query_statements(text="ceasefire", speaker="administration official") == []
    assert [r["article"] for r in store.query_statements(since="2017-07-09")] == ["official-1"]
    assert len(store.query_statements(until="2017-07-08")) == 2  # the whole day named is included
    assert len(store.query_statements(limit=1)) == 1


def test_search_text_is_never_query_syntax(store):
    store.add_ledger(lavrov_ledger())
    for odd in ('"unbalanced', "NEAR(", "AND OR NOT", "ceasefire*)", "':&|!"):
        assert isinstance(store.query_statements(text=odd), list)
    assert len(store.query_statements(text='"ceasefire')) == 1


def test_a_failing_ledger_leaves_nothing_behind(store):
    broken = lavrov_ledger()
    bad = Statement(id="s9", article="lavrov-1", speaker=None, speaker_text=None, speaker_span=None,
                    cue="said", cue_span=None, content=None, content_spans=((0, 1),), kind="direct")
    broken = Ledger(articles=broken.articles, actors=broken.actors, channels=broken.channels,
                    statements=broken.statements + (bad,))
    with pytest.raises(Exception):
        store.add_ledger(broken)
    assert set(store.stats()["tables"].values()) == {0}
    assert store.add_ledger(lavrov_ledger()).new == ("lavrov-1",)


def test_errors_are_recorded_once_and_counted(store):
    store.record_error("feed.jsonl:3", "R106", "line 3 is not JSON", '{"id": 3, "text": ')
    store.record_error("feed.jsonl:3", "R106", "line 3 is not JSON", '{"id": 3, "text": ')
    ledger = Ledger(failures=(Failure("empty.txt", "R102", "the input is empty"),))
    assert store.add_ledger(ledger).errors == 1
    rows = store.errors()
    assert [(r["source"], r["code"], r["occurrences"]) for r in rows] == [
        ("feed.jsonl:3", "R106", 2), ("empty.txt", "R102", 1)
    ]
    assert rows[0]["input_excerpt"] == '{"id": 3, "text": '


def test_claims_keep_their_stances_once(store):
    store.add_ledger(lavrov_ledger())
    store.add_ledger(lavrov_ledger())
    exported = io.StringIO()
    assert store.export("stances", "jsonl", exported) == 1
    assert json.loads(exported.getvalue())["stance"] == "supports"


def test_export_articles_jsonl_has_one_line_per_article(store, tmp_path):
    store.add_ledger(lavrov_ledger())
    store.add_ledger(official_ledger())
    path = tmp_path / "articles.jsonl"
    assert store.export("articles", "jsonl", path) == 2
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["url"], r["outlet"]) for r in rows] == [
        ("lavrov-1", "https://www.example.com/news/putin-trump?utm_source=rss", "Example News"),
        ("official-1", "https://other.example.org/story/1", "Other"),
    ]
    assert rows[0]["story"] != rows[1]["story"] and all(r["story"] for r in rows)


def test_export_csv_and_bad_requests(store):
    store.add_ledger(lavrov_ledger())
    out = io.StringIO()
    assert store.export("statements", "csv", out) == 2
    header, *lines = out.getvalue().splitlines()
    assert "speaker" in header.split(",") and len(lines) == 2
    with pytest.raises(ExportError):
        store.export("sqlite_master", "csv", io.StringIO())
    with pytest.raises(ExportError):
        store.export("articles", "xml", io.StringIO())


def test_parquet_without_pyarrow_says_how_to_get_it(store, tmp_path):
    if importlib.util.find_spec("pyarrow") is not None:
        pytest.skip("pyarrow is installed here: Parquet export works")
    with pytest.raises(ExportError) as caught:
        store.export("articles", "parquet", tmp_path / "a.parquet")
    assert "pyarrow" in caught.value.fix


def test_reopening_keeps_data_and_schema_version(store):
    store.add_ledger(lavrov_ledger())
    reopened = open_store(store.url)
    try:
        assert reopened.stats()["schema_version"] == CURRENT_VERSION
        assert reopened.stats()["tables"]["articles"] == 1
    finally:
        reopened.close()


SPOKESMAN_TEXT = (
    "Senator Rosa Delgado said the permit would be denied. "
    "Carl Hooper, her spokesman, said the letter went out on Friday."
)


def spokesman_ledger(article_id="delgado-1", url="https://example.com/delgado"):
    article = Article(id=article_id, text=SPOKESMAN_TEXT, url=url, published="2019-03-01")
    delgado = Actor("rosa-delgado", "Rosa Delgado", role="Senator")
    hooper = Actor("carl-hooper", "Carl Hooper", principal="rosa-delgado")
    statements = (
        statement("s1", article_id, SPOKESMAN_TEXT, "rosa-delgado", "Senator Rosa Delgado", "said",
                  "the permit would be denied"),
        statement("s2", article_id, SPOKESMAN_TEXT, "carl-hooper", "Carl Hooper", "said",
                  "the letter went out on Friday"),
    )
    return Ledger(articles=(article,), actors=(delgado, hooper), statements=statements)


def test_a_spokesperson_row_points_at_the_principal_and_reads_back(store, tmp_path):
    store.add_ledger(spokesman_ledger())
    story = store.story_of_inputs()["delgado-1"]
    actors = {a.name: a for a in store.story_ledger(story).actors}
    assert actors["Carl Hooper"].principal == actors["Rosa Delgado"].id
    assert actors["Rosa Delgado"].principal is None
    out = tmp_path / "actors.jsonl"
    store.export("actors", "jsonl", out)
    rows = {r["name"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["Carl Hooper"]["principal_id"] == rows["Rosa Delgado"]["id"]
    assert rows["Rosa Delgado"]["principal_id"] is None


def test_a_principal_not_in_the_story_is_left_out_when_read_back(store):
    store.add_ledger(spokesman_ledger())
    alone = Ledger(
        articles=(Article(id="hooper-2", text="Carl Hooper said the vote was close.", url="https://b.example/2"),),
        actors=(Actor("hooper", "Carl Hooper"),),
        statements=(statement("s1", "hooper-2", "Carl Hooper said the vote was close.", "hooper", "Carl Hooper",
                              "said", "the vote was close"),),
    )
    store.add_ledger(alone, story="elsewhere")
    story = store.story_of_inputs()["hooper-2"]
    (hooper,) = store.story_ledger(story).actors
    assert hooper.name == "Carl Hooper" and hooper.principal is None
