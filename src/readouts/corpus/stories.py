"""Groups articles about the same event into stories as they arrive; reads Articles, produces story assignments.

An article is described by the words of its title and lead (TF-IDF weighted, the
title counted twice), the names it mentions (capitalised words anywhere in the
text) and its day of publication. It joins the existing story it is most similar
to when that story has an article published within the time window and the
similarity reaches the threshold; otherwise it starts a story of its own.
Document frequencies grow with the corpus, so the grouping is incremental: no
pass over earlier articles is ever redone. Where candidate stories come from (a
memory index here, the store in production) is the ``StoryIndex``'s business.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from readouts.clean.dates import day_of, normalize_date
from readouts.model import Article
from readouts.resources import load_list

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class StorySettings:
    """How similar an article must be to join a story, and how far apart in time its articles may be."""

    threshold: float = 0.25  # tuned on events_basil_dev: ARI is above 0.9 from 0.15 to 0.25
    window_days: int = 3
    lead_words: int = 80
    name_weight: float = 0.25


@dataclass(frozen=True)
class StoryFeatures:
    """What the grouping looks at: lead words with counts, names mentioned, day of publication."""

    terms: dict[str, int]
    names: frozenset[str]
    day: date | None = None


class StoryIndex(Protocol):
    """Where candidate stories and document frequencies come from (memory here, the store in production)."""

    documents: int

    def candidates(self, day: date | None, window_days: int) -> dict[str, list[StoryFeatures]]: ...

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]: ...

    def add(self, story: str, features: StoryFeatures) -> None: ...


@dataclass
class MemoryStoryIndex:
    """Stories kept in memory: members' features, document frequencies, the number of articles seen."""

    members: dict[str, list[StoryFeatures]] = field(default_factory=dict)
    document_frequency: Counter = field(default_factory=Counter)
    documents: int = 0

    def candidates(self, day: date | None, window_days: int) -> dict[str, list[StoryFeatures]]:
        if day is None:
            return self.members
        return {key: features for key, features in self.members.items()
                if any(f.day is None or abs((f.day - day).days) <= window_days for f in features)}

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {term: self.document_frequency[term] for term in terms}

    def add(self, story: str, features: StoryFeatures) -> None:
        self.members.setdefault(story, []).append(features)
        self.document_frequency.update(features.terms.keys())
        self.documents += 1


def story_features(article: Article, settings: StorySettings = StorySettings()) -> StoryFeatures:
    """The title (twice) and the first ``lead_words`` words of the text, names from the whole text."""
    body = article.text
    if article.title and body.lstrip().startswith(article.title.strip()):
        body = body.lstrip()[len(article.title.strip()):]  # many scraped texts repeat the title first
    lead = _words(body)[: settings.lead_words]
    title = _words(article.title or "")
    terms = Counter(title * 2 + lead)
    return StoryFeatures(dict(terms), _names(article.text), parse_day(article.published))


def assign_story(index: StoryIndex, features: StoryFeatures, new_key: str,
                 settings: StorySettings = StorySettings()) -> str:
    """The key of the story this article joins (``new_key`` when it starts one); records it in ``index``."""
    best, score = best_story(index, features, settings)
    story = best if best is not None and score >= settings.threshold else new_key
    index.add(story, features)
    return story


def best_story(index: StoryIndex, features: StoryFeatures,
               settings: StorySettings = StorySettings()) -> tuple[str | None, float]:
    """The most similar candidate story and its similarity, or (None, 0.0)."""
    candidates = _comparable(index.candidates(features.day, settings.window_days), features)
    vocabulary = set(features.terms).union(*(m.terms for ms in candidates.values() for m in ms))
    idf = _idf_table(index.frequencies(vocabulary), index.documents + 1, vocabulary)
    vector = _weighted(features.terms, idf)
    best, best_score = None, 0.0
    for key, members in candidates.items():
        score = _similarity(vector, features.names, members, idf, settings)
        if score > best_score:
            best, best_score = key, score
    return best, best_score


def _comparable(candidates: dict[str, list[StoryFeatures]], features: StoryFeatures) -> dict[str, list[StoryFeatures]]:
    """The candidates sharing a term or a name with the article; any other story scores exactly 0 and
    can never be chosen, so leaving it out changes nothing but the cost (and the terms whose IDF is needed)."""
    terms, names = features.terms.keys(), features.names
    return {key: members for key, members in candidates.items()
            if any(not terms.isdisjoint(m.terms) or not names.isdisjoint(m.names) for m in members)}


def parse_day(published: str | None) -> date | None:
    """The calendar day of a publication date in any form ``clean.dates`` reads, else an ISO day inside it."""
    day = day_of(normalize_date(published))
    if day is not None:
        return day
    match = _DAY.search(published or "")
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def window(day: date, days: int) -> tuple[str, str]:
    """The first and last ISO day of the window around ``day``."""
    return (day - timedelta(days=days)).isoformat(), (day + timedelta(days=days)).isoformat()


def _similarity(vector, names, members, idf, settings: StorySettings) -> float:
    centroid: Counter = Counter()
    story_names: Counter = Counter()
    for member in members:
        centroid.update(_weighted(member.terms, idf))
        story_names.update(member.names)
    text_score = _cosine(vector, centroid)
    shared = {n for n, count in story_names.items() if count * 2 >= len(members)}  # names most members share
    name_score = len(names & shared) / max(1, min(len(names), len(shared))) if names and shared else 0.0
    return (text_score + settings.name_weight * name_score) / (1 + settings.name_weight)


def _idf_table(frequency: dict[str, int], documents: int, vocabulary: Iterable[str]) -> dict[str, float]:
    """Every term's IDF computed once: members share most of their terms, and one article's
    comparison weighs each of them once per member of every candidate story."""
    return {term: math.log((1 + documents) / (1 + frequency.get(term, 0))) + 1 for term in vocabulary}


def _weighted(terms: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    weighted = {term: (1 + math.log(count)) * idf[term] for term, count in terms.items()}
    norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
    return {term: w / norm for term, w in weighted.items()}


def _cosine(left: dict[str, float], right: dict[str, float]) -> float:
    if len(left) > len(right):
        left, right = right, left
    dot = sum(w * right.get(term, 0.0) for term, w in left.items())
    norm = math.sqrt(sum(w * w for w in right.values())) or 1.0
    return dot / norm


def _words(text: str) -> list[str]:
    stop = _stopwords()
    return [_stem(w) for w in (m.group(0).lower().strip("'-") for m in _WORD.finditer(text))
            if len(w) > 2 and w not in stop]


def _names(text: str) -> frozenset[str]:
    stop = _stopwords()
    return frozenset(m.group(0).lower() for m in _NAME.finditer(text) if m.group(0).lower() not in stop)


def _stem(word: str) -> str:
    # Plural and possessive endings only: enough to meet "Senate's" and "Senate", "talks" and "talk".
    for suffix in ("'s", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | frozenset(load_list("story_stopwords.txt"))


def group_articles(articles: Iterable[Article], settings: StorySettings = StorySettings()) -> dict[str, str]:
    """Article id -> story key for articles in arrival order, with a fresh in-memory index."""
    index = MemoryStoryIndex()
    return {a.id: assign_story(index, story_features(a, settings), a.id, settings) for a in articles}
