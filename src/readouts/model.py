"""The nouns of a ledger as frozen dataclasses; reads nothing, produces the shared types.

Every stage talks to the next through these types. An :class:`Article` owns its
``text``; everything else points into it with end-exclusive character offsets
(Python ``str`` indices). No I/O and no NLP imports here.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Span = tuple[int, int]

SCHEMA = "readouts.ledger/1"

Kind = Literal["direct", "indirect", "mixed", "flash"]
ActorKind = Literal["person", "organization", "group", "anonymous", "document", "unknown"]
ChannelKind = Literal["agency", "broadcaster", "newspaper", "outlet", "social", "press", "unknown"]
StanceLabel = Literal["supports", "disputes", "denies", "hedges", "discusses"]
ClaimStatus = Literal["contested", "corroborated", "single-source"]


@dataclass(frozen=True)
class RawDocument:
    """One input document as read, before cleaning: either ``text`` or ``html`` is set."""

    id: str
    source: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    byline: str | None = None
    warnings: tuple[str, ...] = ()  # what reading noticed, e.g. a file that was not UTF-8


@dataclass(frozen=True)
class Failure:
    """A record of an input that could not be processed; nothing is dropped silently."""

    source: str
    code: str
    reason: str


_SCAN_UP_TO = 16  # debris spans checked one by one; more are looked up in a sorted index


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    source: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = "en"
    boilerplate: tuple[Span, ...] = ()
    warnings: tuple[str, ...] = ()

    def in_boilerplate(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps any debris span."""
        if len(self.boilerplate) <= _SCAN_UP_TO:
            return any(s < end and start < e for s, e in self.boilerplate)
        # A long article has many debris spans and this is asked per name and per statement:
        # spans sorted by start, kept on the instance, and only those that can reach ``start`` tried.
        index = self.__dict__.get("_debris_index")
        if index is None:
            spans = sorted(self.boilerplate)
            index = ([s for s, _ in spans], spans, max(e - s for s, e in spans))
            object.__setattr__(self, "_debris_index", index)
        starts, spans, longest = index
        lo = bisect.bisect_left(starts, start - longest)
        hi = bisect.bisect_left(starts, end)
        return any(s < end and start < e for s, e in spans[lo:hi])


@dataclass(frozen=True)
class ChannelMention:
    """A channel named near a statement, before resolution.

    ``how`` says what pointed at it: ``according_to``, ``as_reported_by``,
    ``courtesy_of``, ``told``, ``handle``, ``wire_code``, ``header`` or ``byline``.
    """

    text: str
    span: Span | None
    how: str


@dataclass(frozen=True)
class Attribution:
    """One attributed statement as extracted: the speaker is still only a mention."""

    article: str
    speaker_text: str | None
    speaker_span: Span | None
    cue: str
    cue_span: Span | None
    content_spans: tuple[Span, ...]
    kind: Kind
    act: str = "assert"
    channels: tuple[ChannelMention, ...] = ()
    rule: str = ""
    confidence: float = 0.5
    display: str | None = None  # readable content when the original is not (flash capitals)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content_spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content_spans)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: ActorKind = "person"
    role: str | None = None
    affiliation: str | None = None
    aliases: tuple[str, ...] = ()
    descriptor: str | None = None
    # id of the actor this one speaks for (a spokesperson's, lawyer's, aide's, office's or
    # campaign's principal): the two are one source, not two independent ones
    principal: str | None = None


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    kind: ChannelKind = "unknown"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    id: str
    article: str
    speaker: str | None
    speaker_text: str | None
    speaker_span: Span | None
    cue: str
    cue_span: Span | None
    content: str
    content_spans: tuple[Span, ...]
    kind: Kind
    act: str = "assert"
    via: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    confidence: float = 0.5
    rule: str = ""
    same_as: str | None = None


@dataclass(frozen=True)
class Stance:
    statement: str
    stance: StanceLabel


@dataclass(frozen=True)
class Claim:
    id: str
    summary: str
    status: ClaimStatus
    stances: tuple[Stance, ...] = ()
    sources: int = 0


@dataclass(frozen=True)
class Ledger:
    """All of the above for one story (one or more articles)."""

    articles: tuple[Article, ...] = ()
    actors: tuple[Actor, ...] = ()
    channels: tuple[Channel, ...] = ()
    statements: tuple[Statement, ...] = ()
    claims: tuple[Claim, ...] = ()
    failures: tuple[Failure, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The ``readouts.ledger/1`` contract as plain Python data (tuples become lists)."""
        return _listify(
            {
                "schema": SCHEMA,
                "articles": [asdict(a) for a in self.articles],
                "actors": [asdict(a) for a in self.actors],
                "channels": [asdict(c) for c in self.channels],
                "statements": [asdict(s) for s in self.statements],
                "claims": [asdict(c) for c in self.claims],
                "failures": [asdict(f) for f in self.failures],
            }
        )

    def to_json(self, indent: int | None = 2) -> str:
        from readouts.report import render

        return render(self, "json", indent=indent)

    def to_markdown(self) -> str:
        from readouts.report import render

        return render(self, "md")

    def to_html(self) -> str:
        from readouts.report import render

        return render(self, "html")

    def to_text(self, width: int = 100) -> str:
        from readouts.report import render

        return render(self, "text", width=width)

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def channel(self, channel_id: str) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    return value
