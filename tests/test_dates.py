"""Publication dates: normalized at ingest, filled in for databases stored before, used by searches and stories."""

from __future__ import annotations

from datetime import date

import pytest

from readouts.clean.dates import day_of, normalize_date
from readouts.corpus.stories import parse_day
from readouts.model import Article, Ledger
from readouts.store import browse, open_store
from readouts.store.database import connect
from readouts.store.migrations_postgresql import MIGRATIONS as PG_STEPS
from readouts.store.migrations_sqlite import MIGRATIONS as SQLITE_STEPS
from readouts.store.schema import CURRENT_VERSION
from test_store import lavrov_ledger


@pytest.mark.parametrize(("given", "expected"), [
    ("2017-07-08", "2017-07-08"),
    ("2017-07-08T10:00:00", "2017-07-08T10:00:00Z"),
    ("2017-07-08T10:00:00+03:00", "2017-07-08T07:00:00Z"),
    ("2017-07-08T10:00:00Z", "2017-07-08T10:00:00Z"),
    ("Sat, 08 Jul 2017 12:00:00 GMT", "2017-07-08T12:00:00Z"),
    ("July 8, 2017", "2017-07-08"),
    ("2017-07-08 10:00 EDT", "2017-07-08T14:00:00Z"),
    ("8 lipca 2017", "2017-07-08"),
    ("8 juillet 2017", "2017-07-08"),
    ("Jul 2017", "2017-07"),
    ("2017", "2017"),
    ("2017-07", "2017-07"),
])
def test_dates_are_normalized_to_iso_at_the_precision_given(given, expected):
    assert normalize_date(given) == expected


@pytest.mark.parametrize("given", [None, "", "   ", "not a date", "2 hours ago", "yesterday", "x" * 500, "2017-13", "2017-02-30"])
def test_text_without_an_absolute_date_gives_none(given):
    assert normalize_date(given) is None


def test_day_of_a_normalized_date():
    assert day_of("2017-07-08T10:00:00Z") == date(2017, 7, 8)
    assert day_of("2017-07") is None
    assert day_of(None) is None


def test_stories_read_days_from_non_iso_dates():
    assert parse_day("Sat, 08 Jul 2017 12:00:00 GMT") == date(2017, 7, 8)
    assert parse_day("July 9, 2017") == date(2017, 7, 9)
    assert parse_day("Published on 2017-07-10 by staff") == date(2017, 7, 10)


@pytest.fixture
def url(db_url):
    return db_url


def dated(article_id: str, published: str, text: str) -> Ledger:
    ledger = lavrov_ledger(article_id=article_id, url=f"https://example.com/{article_id}", published=published,
                           text=text)
    return ledger


def texts(suffix: str) -> str:
    return ('Sergey Lavrov said Trump accepted Putin\'s assurance. "The ceasefire starts on July 9," '
            f"Lavrov told Interfax news agency. {suffix}")


def test_since_and_until_compare_dates_not_text(url):
    with open_store(url) as store:
        store.add_ledger(dated("old", "Sat, 08 Jul 2017 12:00:00 GMT", texts("One.")), story="s")
        store.add_ledger(dated("new", "March 3, 2031", texts("Two.")), story="s")
        store.add_ledger(dated("undated", "sometime", texts("Three.")), story="s")
        assert {r["article"] for r in store.query_statements(since="2030-01-01")} == {"new"}
        assert {r["article"] for r in store.query_statements(until="2017-07-08")} == {"old"}
        assert {r["article"] for r in store.query_statements(since="2017-07", until="2017")} == {"old"}
        rows = store.query_statements()
        assert [r["published_at"] for r in rows if r["article"] == "old"][0] == "2017-07-08T12:00:00Z"
        assert [r["published"] for r in rows if r["article"] == "old"][0] == "Sat, 08 Jul 2017 12:00:00 GMT"


def test_the_story_list_shows_the_earliest_publication_date(url):
    with open_store(url) as store:
        store.add_ledger(dated("later", "July 10, 2017", texts("One.")), story="s")
        store.add_ledger(dated("first", "Sat, 08 Jul 2017 12:00:00 GMT", texts("Two.")), story="s")
        listed = browse.list_stories(store.db).items
        assert [s["published"] for s in listed] == ["2017-07-08T12:00:00Z"]
        found = browse.search_statements(store.db, browse.StatementFilter(since="2017-07-09"))
        assert {r["published_at"] for r in found.items} == {"2017-07-10"}


def test_a_database_stored_before_gets_its_dates_filled_in(url):
    db = connect(url)
    steps = SQLITE_STEPS if db.dialect == "sqlite" else PG_STEPS
    with db.transaction():
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        for number, step in enumerate(steps[:3], start=1):
            db.script(step)
            db.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, 'then')", (number,))
        db.execute("INSERT INTO stories (id, story_key, created_at) VALUES (1, 's', 'then')")
        for row, (key, published) in enumerate((("a", "July 8, 2017"), ("b", None), ("c", "no date here")), 1):
            db.execute(
                "INSERT INTO articles (id, article_key, input_id, published, story_id, current_version, first_seen,"
                " last_seen) VALUES (?, ?, ?, ?, 1, 1, 'then', 'then')", (row, key, key, published))
            db.execute("INSERT INTO story_members (article_id, story_id, day, terms, names) VALUES (?, 1, NULL,"
                       " '{}', '[]')", (row,))
    db.close()
    with open_store(url) as store:
        assert store.stats()["schema_version"] == CURRENT_VERSION
        rows = store.db.rows("SELECT input_id, published, published_at FROM articles ORDER BY input_id")
    assert [(r["input_id"], r["published_at"]) for r in rows] == [("a", "2017-07-08"), ("b", None), ("c", None)]
    assert rows[0]["published"] == "July 8, 2017"
    with open_store(url) as store:
        days = store.db.rows("SELECT article_id, day FROM story_members ORDER BY article_id")
    assert [d["day"] for d in days] == ["2017-07-08", None, None]  # story grouping sees the day now


def test_a_changed_version_updates_the_normalized_date(url):
    with open_store(url) as store:
        store.add_ledger(dated("x", "July 8, 2017", texts("One.")))
        store.add_ledger(dated("x", "July 9, 2017", texts("One, corrected.")))
        assert store.db.value("SELECT published_at FROM articles") == "2017-07-09"


def test_an_article_without_a_date_is_stored_undated(url):
    with open_store(url) as store:
        store.add_ledger(Ledger(articles=(Article(id="n", text="Nothing dated here."),)))
        assert store.db.value("SELECT published_at FROM articles") is None


def test_query_refuses_a_date_bound_it_cannot_compare(tmp_path):
    from click.testing import CliRunner

    from readouts.cli import main

    db = tmp_path / "corpus.db"
    open_store(db).close()
    refused = CliRunner().invoke(main, ["query", "--db", str(db), "--since", "last week"])
    assert refused.exit_code == 2 and "YYYY-MM-DD" in refused.output
    assert CliRunner().invoke(main, ["query", "--db", str(db), "--since", "2030-01"]).exit_code == 0
