"""Stories in the corpus database; reads stored articles and statements, produces story assignments and story ledgers.

``StoredStoryIndex`` answers the grouping's questions (which stories have an
article near this day, how many articles use each word) from the
``story_members`` and ``story_terms`` tables, so grouping goes on across runs
without reloading the corpus. ``story_ledger`` reads one story back as model
objects (ids are row ids: ``s12``, ``a3``, ``c5``) for claim grouping, and
``replace_story_claims`` stores the claims found for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from readouts.corpus.stories import StoryFeatures, parse_day, window
from readouts.model import Actor, Article, Channel, Claim, Ledger, Statement
from readouts.store.database import Database

UNDATED_CANDIDATES = 300  # undated articles are compared with (and as) the most recent members only
_CHUNK = 500


class StoredStoryIndex:
    """The grouping's view of the stored stories; story keys are story row ids as text.

    Meant to live for one transaction (one batch): it remembers the member features
    and term counts it has read or written, so the batch's later articles do not
    read and parse them again. Outside a transaction the counts could go stale.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.documents = int(db.value("SELECT COUNT(*) AS n FROM story_members") or 0)
        self._members: dict[int, StoryFeatures] = {}  # article row -> features (member rows never change)
        self._frequencies: dict[str, int] = {}  # term -> articles using it, as of now in this transaction

    def candidates(self, day, window_days: int) -> dict[str, list[StoryFeatures]]:
        """Members published within the window of ``day``, and the most recent undated members."""
        rows = self.db.rows(
            "SELECT article_id, story_id FROM story_members WHERE day IS NULL"
            " ORDER BY article_id DESC LIMIT ?", (UNDATED_CANDIDATES,),
        )
        if day is not None:
            first, last = window(day, window_days)
            rows += self.db.rows(
                "SELECT article_id, story_id FROM story_members WHERE day BETWEEN ? AND ?"
                " ORDER BY article_id", (first, last),
            )
        else:
            rows += self.db.rows(
                "SELECT article_id, story_id FROM story_members WHERE day IS NOT NULL"
                " ORDER BY article_id DESC LIMIT ?", (UNDATED_CANDIDATES,),
            )
        self._load_members([row["article_id"] for row in rows if row["article_id"] not in self._members])
        found: dict[str, list[StoryFeatures]] = {}
        for row in rows:
            found.setdefault(str(row["story_id"]), []).append(self._members[row["article_id"]])
        return found

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        wanted = set(terms)
        missing = sorted(wanted.difference(self._frequencies))
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start:start + _CHUNK]
            self._frequencies.update(dict.fromkeys(chunk, 0))  # a term not stored yet is used by no article
            marks = ", ".join("?" * len(chunk))
            for row in self.db.rows(f"SELECT term, documents FROM story_terms WHERE term IN ({marks})", chunk):
                self._frequencies[row["term"]] = int(row["documents"])
        return {term: self._frequencies[term] for term in wanted if self._frequencies[term]}

    def record(self, article_row: int, story_id: int, features: StoryFeatures) -> None:
        """Keeps this article's features so later articles can join its story."""
        stored = _stored_form(features)
        self.db.execute(
            "INSERT INTO story_members (article_id, story_id, day, terms, names) VALUES (?, ?, ?, ?, ?)",
            (article_row, story_id, stored["day"], stored["terms"], stored["names"]),
        )
        terms = sorted(features.terms)
        self.db.execute_many(
            "INSERT INTO story_terms (term, documents) VALUES (?, 1)"
            " ON CONFLICT (term) DO UPDATE SET documents = story_terms.documents + 1",
            [(term,) for term in terms],
        )
        for term in terms:
            if term in self._frequencies:
                self._frequencies[term] += 1
        self._members[article_row] = _features(stored)
        self.documents += 1

    def _load_members(self, article_rows: list[int]) -> None:
        for start in range(0, len(article_rows), _CHUNK):
            chunk = article_rows[start:start + _CHUNK]
            for row in self.db.rows(
                f"SELECT article_id, day, terms, names FROM story_members WHERE article_id IN"
                f" ({', '.join('?' * len(chunk))})", chunk,
            ):
                self._members[row["article_id"]] = _features(row)


def _stored_form(features: StoryFeatures) -> dict:
    """The features as a ``story_members`` row holds them, so a member read back equals one just written."""
    return {"day": features.day.isoformat() if features.day else None,
            "terms": json.dumps(features.terms, sort_keys=True), "names": json.dumps(sorted(features.names))}


def _features(row) -> StoryFeatures:
    return StoryFeatures(json.loads(row["terms"]), frozenset(json.loads(row["names"])), parse_day(row["day"]))


def story_ledger(db: Database, story_id: int) -> Ledger:
    """The current versions of a story's articles with their statements, speakers and channels."""
    article_rows = db.rows(
        "SELECT a.id, a.input_id, a.source, a.url, a.outlet, a.title, a.byline, a.published, a.language,"
        " v.id AS version_id, v.text FROM articles a"
        " JOIN article_versions v ON v.article_id = a.id AND v.version = a.current_version"
        " WHERE a.story_id = ? ORDER BY a.id", (story_id,),
    )
    articles = tuple(Article(id=f"r{r['id']}", text=r["text"], source=r["source"] or "", url=r["url"],
                             outlet=r["outlet"], title=r["title"], byline=r["byline"],
                             published=r["published"], language=r["language"]) for r in article_rows)
    versions = {r["version_id"]: f"r{r['id']}" for r in article_rows}
    statement_rows = _rows_in(db, "SELECT * FROM statements WHERE article_version_id IN ({})", list(versions))
    via = _channels_of(db, [r["id"] for r in statement_rows])
    statements = tuple(_statement(r, versions[r["article_version_id"]], via.get(r["id"], ())) for r in statement_rows)
    speakers = sorted({r["speaker_id"] for r in statement_rows if r["speaker_id"] is not None})
    present = set(speakers)
    actors = tuple(_actor(r, present) for r in _rows_in(db, "SELECT * FROM actors WHERE id IN ({})", speakers))
    channel_ids = sorted({c for chain in via.values() for c in chain})
    channels = tuple(Channel(f"c{r['id']}", r["name"], r["kind"]) for r in _rows_in(
        db, "SELECT * FROM channels WHERE id IN ({})", [int(c[1:]) for c in channel_ids]))
    return Ledger(articles=articles, actors=actors, channels=channels, statements=statements)


def replace_story_claims(db: Database, story_id: int, claims: Sequence[Claim]) -> int:
    """The story's claims and stances become ``claims`` (statement ids ``s<row>``); returns how many were stored."""
    old = [r["id"] for r in db.rows("SELECT id FROM claims WHERE story_id = ?", (story_id,))]
    if old:
        marks = ", ".join("?" * len(old))
        db.execute(f"DELETE FROM stances WHERE claim_id IN ({marks})", old)
        db.execute(f"DELETE FROM claims WHERE id IN ({marks})", old)
    stored = 0
    for claim in claims:
        stances = [(_row(s.statement), s.stance) for s in claim.stances if _row(s.statement) is not None]
        members = sorted({row for row, _ in stances})
        if not members:
            continue
        key = hashlib.sha256(f"{story_id}\n{claim.summary}\n{members}".encode("utf-8")).hexdigest()
        row = db.value(
            "INSERT INTO claims (claim_key, story_id, summary, status, sources) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (claim_key) DO NOTHING RETURNING id",
            (key, story_id, claim.summary, claim.status, claim.sources),
        )
        if row is None:
            continue  # the same proposition twice in one answer: the first stands
        db.execute_many(
            "INSERT INTO stances (claim_id, statement_id, stance) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(row, statement, stance) for statement, stance in stances],
        )
        stored += 1
    return stored


def _row(statement_id: str) -> int | None:
    """The row id in a story ledger's statement id (``s12`` -> 12); None for anything else."""
    return int(statement_id[1:]) if statement_id[:1] == "s" and statement_id[1:].isdigit() else None


def _rows_in(db: Database, sql: str, ids: list[int]) -> list[dict]:
    found = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        found.extend(db.rows(sql.format(", ".join("?" * len(chunk))) + " ORDER BY id", chunk))
    return found


def _channels_of(db: Database, statement_ids: list[int]) -> dict[int, tuple[str, ...]]:
    chains: dict[int, list[str]] = {}
    for start in range(0, len(statement_ids), _CHUNK):
        chunk = statement_ids[start:start + _CHUNK]
        for row in db.rows(
            f"SELECT statement_id, channel_id FROM statement_channels WHERE statement_id IN"
            f" ({', '.join('?' * len(chunk))}) ORDER BY statement_id, position", chunk,
        ):
            chains.setdefault(row["statement_id"], []).append(f"c{row['channel_id']}")
    return {k: tuple(v) for k, v in chains.items()}


def _statement(row, article: str, via: tuple[str, ...]) -> Statement:
    return Statement(
        id=f"s{row['id']}", article=article, speaker=f"a{row['speaker_id']}" if row["speaker_id"] else None,
        speaker_text=row["speaker_text"], speaker_span=_pair(row["speaker_start"], row["speaker_end"]),
        cue=row["cue"], cue_span=_pair(row["cue_start"], row["cue_end"]), content=row["content"],
        content_spans=tuple(tuple(s) for s in json.loads(row["content_spans"])), kind=row["kind"],
        act=row["act"], via=via, topics=tuple(json.loads(row["topics"])), confidence=row["confidence"],
        rule=row["rule"], same_as=f"s{row['same_as_id']}" if row["same_as_id"] else None,
    )


def _actor(row, present: set[int]) -> Actor:
    """The stored actor; its principal only when that one is in the same ledger, so no id dangles."""
    principal = row["principal_id"]
    return Actor(f"a{row['id']}", row["name"], row["kind"], row["role"], row["affiliation"],
                 descriptor=row["descriptor"], principal=f"a{principal}" if principal in present else None)


def _pair(start, end):
    return (start, end) if start is not None and end is not None else None
