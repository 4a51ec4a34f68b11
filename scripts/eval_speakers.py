"""Reads BASIL events (three outlets each), runs each through ``analyze_documents``; prints speaker-actor noise per story.

    .venv/bin/python scripts/eval_speakers.py [--data ../shared/data/events_basil_dev.jsonl] [--events N] [--list]

Columns, per story (one event, its three articles in one ledger):

- ``actors``: actors in the ledger;
- ``single``: actor names of one word that the parser never tags as part of a
  PERSON in the story's text; ``single_junk`` is the part of those that is not a
  named body either (not in an ORG/GPE/NORP/FAC/LOC entity): ``who``, ``article``;
- ``dates``: names containing a weekday or a month (``Friday``, ``BuzzFeed Thursday``);
- ``pronouns``: names that are a pronoun (``I``, ``who``, ``they``);
- ``split``: non-anonymous actors whose surname (last word, generational suffix
  dropped) is shared with another actor of the same story: likely one person split;
  ``split_people`` counts only the actors of kind person among those (groups such as
  ``Senate Democrats`` / ``Democrats`` share a last word without being one person).

The parse used to judge names is a separate NER pass, so the measure does not
trust the resolver's own ``kind``.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from readouts import analyze_documents
from readouts.model import Actor
from readouts.nlp import load_nlp

from event_articles import DEFAULT, events
DAYS_MONTHS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "april", "june", "july", "august", "september", "october",
    "november", "december",  # "May" and "March" are surnames too often to count
}
PRONOUNS = {
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them",
    "who", "whom", "which", "that", "this", "these", "those", "whose",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
BODY_LABELS = {"ORG", "GPE", "NORP", "FAC", "LOC"}
COLUMNS = ("actors", "single", "single_junk", "dates", "pronouns", "split", "split_people")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(name: str) -> list[str]:
    return [w for w in re.findall(r"[\w][\w.'\-]*", fold(name))]


def entity_words(texts: list[str]) -> tuple[set[str], set[str]]:
    """Words inside PERSON entities and words inside named-body entities, folded."""
    nlp = load_nlp(disable=("parser", "lemmatizer"))
    people: set[str] = set()
    bodies: set[str] = set()
    for doc in nlp.pipe(texts):
        for ent in doc.ents:
            target = people if ent.label_ == "PERSON" else bodies if ent.label_ in BODY_LABELS else None
            if target is not None:
                target.update(re.sub(r"'s?$", "", w) for w in words(ent.text))
    return people, bodies


def surname(name: str) -> str | None:
    found = [w.strip(".") for w in words(name)]
    found = [re.sub(r"'s?$", "", w) for w in found if w.strip(".") not in SUFFIXES]
    return found[-1] if found and name[:1].isupper() else None


def flags(actors: list[Actor], people: set[str], bodies: set[str]) -> dict[str, list[str]]:
    """Names behind each column."""
    found: dict[str, list[str]] = {c: [] for c in COLUMNS}
    by_surname: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        found["actors"].append(actor.name)
        ws = words(actor.name)
        if len(ws) == 1 and ws[0] not in people:
            found["single"].append(actor.name)
            if ws[0] not in bodies:
                found["single_junk"].append(actor.name)
        if DAYS_MONTHS & set(ws):
            found["dates"].append(actor.name)
        if ws and all(w in PRONOUNS for w in ws):
            found["pronouns"].append(actor.name)
        last = surname(actor.name) if actor.kind != "anonymous" else None
        if last:
            by_surname[last].append(actor)
    shared = [group for group in by_surname.values() if len(group) > 1]
    found["split"] = [a.name for group in shared for a in group]
    persons = [[a for a in group if a.kind == "person"] for group in shared]
    found["split_people"] = [a.name for group in persons if len(group) > 1 for a in group]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--events", type=int, default=None, help="only the first N events")
    parser.add_argument("--list", action="store_true", help="print the names behind each count")
    args = parser.parse_args()
    totals = dict.fromkeys(COLUMNS, 0)
    print("story     " + " ".join(f"{c:>11}" for c in COLUMNS))
    for documents in events(args.data)[: args.events]:
        ledger = analyze_documents(documents)
        people, bodies = entity_words([a.text for a in ledger.articles])
        found = flags(list(ledger.actors), people, bodies)
        story = documents[0].id.removeprefix("basil-")[:8]
        print(f"{story:<9} " + " ".join(f"{len(found[c]):>11}" for c in COLUMNS), flush=True)
        if args.list:
            for column in COLUMNS[1:]:
                if found[column]:
                    print(f"    {column}: {' | '.join(found[column])}")
        for column in COLUMNS:
            totals[column] += len(found[column])
    print("total     " + " ".join(f"{totals[c]:>11}" for c in COLUMNS))


if __name__ == "__main__":
    main()
