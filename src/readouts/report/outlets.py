"""Reads a Ledger of several outlets' articles, produces the outlet comparison every report format renders.

For each outlet (the article's outlet, else its title or source): how many
articles and statements it carries, whom it quotes and how often (marking the
speakers no other outlet quotes), and the claims that only this outlet's
articles speak to. A story from a single outlet gets no comparison.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit
from typing import TYPE_CHECKING

from readouts.model import Article, Ledger

if TYPE_CHECKING:
    from readouts.report.view import ClaimView, SpeakerView

OUTLETS_COMPARED = "OUTLETS COMPARED"
SPEAKERS_SHOWN = 8  # per outlet; the rest are counted, not listed


@dataclass(frozen=True)
class OutletSpeaker:
    speaker: SpeakerView
    count: int
    only_here: bool  # no other outlet quotes this speaker


@dataclass(frozen=True)
class OutletView:
    name: str
    articles: int
    statements: int
    speakers: tuple[OutletSpeaker, ...]
    more_speakers: int
    only_here: tuple[ClaimView, ...]  # claims no other outlet's articles speak to

    @property
    def counts(self) -> str:
        named = len(self.speakers) + self.more_speakers
        return " · ".join(
            [_plural(self.articles, "article"), _plural(self.statements, "statement"), _plural(named, "speaker")]
        )


@dataclass(frozen=True)
class OutletComparison:
    outlets: tuple[OutletView, ...]
    shared: int  # claims that two or more outlets speak to
    single: int  # claims that one outlet alone speaks to

    @property
    def counts(self) -> str:
        return " · ".join(
            [
                _plural(len(self.outlets), "outlet"),
                f"{_plural(self.shared, 'claim')} carried by several outlets",
                f"{self.single} by one outlet only",
            ]
        )


def outlet_name(article: Article) -> str:
    """The outlet an article stands for: its outlet, else its title, else where it came from."""
    return article.outlet or article.title or _short_source(article.source) or article.id


def _short_source(source: str) -> str:
    """A web address by its site, a file by its name: the folders say nothing about the outlet."""
    if "://" in source:
        return urlsplit(source).netloc or source
    return PurePath(source).name or source


def compare_outlets(
    ledger: Ledger, speakers: dict[str, SpeakerView], claims: list[ClaimView]
) -> OutletComparison | None:
    """The comparison, or None when the story's articles come from fewer than two outlets."""
    outlet_of = {a.id: outlet_name(a) for a in ledger.articles}
    names = list(dict.fromkeys(outlet_of.values()))
    if len(names) < 2:
        return None
    quoted: dict[str, Counter[str]] = {name: Counter() for name in names}
    said: Counter[str] = Counter()
    for statement in ledger.statements:
        name = outlet_of.get(statement.article)
        if name is None:
            continue
        said[name] += 1
        if statement.speaker:
            quoted[name][statement.speaker] += 1
    carriers = {c.id: {outlet_of.get(st.statement.article) for st in c.stances} - {None} for c in claims}
    articles = Counter(outlet_of.values())
    outlets = tuple(
        _outlet_view(name, articles[name], said[name], quoted, speakers,
                     [c for c in claims if carriers[c.id] == {name}])
        for name in names
    )
    single = sum(1 for c in claims if len(carriers[c.id]) == 1)
    shared = sum(1 for c in claims if len(carriers[c.id]) > 1)
    return OutletComparison(outlets=outlets, shared=shared, single=single)


def _outlet_view(
    name: str,
    articles: int,
    statements: int,
    quoted: dict[str, Counter[str]],
    speakers: dict[str, SpeakerView],
    only_here: list[ClaimView],
) -> OutletView:
    counts = quoted[name]
    elsewhere = {key for other, c in quoted.items() if other != name for key in c}
    ranked = sorted(counts, key=lambda key: (-counts[key], speakers[key].name.lower()))
    shown = tuple(
        OutletSpeaker(speakers[key], counts[key], key not in elsewhere) for key in ranked[:SPEAKERS_SHOWN]
    )
    return OutletView(
        name=name,
        articles=articles,
        statements=statements,
        speakers=shown,
        more_speakers=max(0, len(ranked) - SPEAKERS_SHOWN),
        only_here=tuple(only_here),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
