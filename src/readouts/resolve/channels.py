"""Reads channel mentions, bullet blocks under ``courtesy of X:`` lines and outlets; produces Channels and via chains.

A mention is matched to ``channels.tsv`` by name, alias, wire code or @handle.
A line that names a channel and ends with a colon lends it to the bullet and
capitals flash lines under it until the next ordinary paragraph, unless a
bullet ends with its own wire code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from readouts.model import Article, Attribution, Channel, ChannelMention
from readouts.resolve.cast import slug
from readouts.resolve.lexicon import ChannelEntry, channels, fold, press_nouns

_BULLET = re.compile(r"^\s*[\u2022*\-\u2013\u00b7\u25aa\u25ba>]\s+\S")
_WIRE_CODE = re.compile(r"[:\-\u2013\u2014]\s*([A-Z][A-Z.]{1,9})\s*$")
_FLASH_UPPER_SHARE = 0.8


@dataclass
class ChannelBook:
    """The channels of one story, keyed by canonical name."""

    kinds: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, kind: str, surface: str | None = None) -> str:
        self.kinds.setdefault(name, kind)
        seen = self.aliases.setdefault(name, [])
        if surface and surface != name and surface not in seen:
            seen.append(surface)
        return name

    def channels(self, used: set[str]) -> tuple[list[Channel], dict[str, str]]:
        ids: dict[str, str] = {}
        out: list[Channel] = []
        for name, kind in self.kinds.items():
            if name not in used:
                continue
            base = slug(name) or "channel"
            channel_id, n = base, 2
            while channel_id in ids.values():
                channel_id, n = f"{base}-{n}", n + 1
            ids[name] = channel_id
            out.append(Channel(channel_id, name, kind, tuple(self.aliases[name])))  # type: ignore[arg-type]
        return out, ids


def _strip_the(text: str) -> str:
    return re.sub(r"^the\s+", "", text.strip(), flags=re.I)


@lru_cache(maxsize=None)
def _by_name() -> dict[str, ChannelEntry]:
    index: dict[str, ChannelEntry] = {}
    for entry in channels():
        for form in (entry.name, *entry.aliases):
            index.setdefault(fold(_strip_the(form)), entry)
    return index


@lru_cache(maxsize=None)
def _by_code() -> dict[str, ChannelEntry]:
    return {code: entry for entry in channels() for code in entry.codes}


@lru_cache(maxsize=None)
def _by_handle() -> dict[str, ChannelEntry]:
    return {fold(h): entry for entry in channels() for h in entry.handles}


@lru_cache(maxsize=None)
def _named_inside() -> list[tuple[re.Pattern, ChannelEntry]]:
    """Names and aliases as case-sensitive whole words, longest first."""
    forms = [(form, entry) for entry in channels() for form in (entry.name, *entry.aliases)]
    forms.sort(key=lambda item: -len(item[0]))
    return [(re.compile(r"(?<![\w@])" + re.escape(form) + r"(?!\w)"), entry) for form, entry in forms]


def channel_entry_named(text: str) -> ChannelEntry | None:
    """The table row a whole phrase names (``The Post``, ``Interfax news agency``), if any."""
    return _by_name().get(fold(_strip_the(text)))


def channels_named_in(text: str) -> list[tuple[int, ChannelEntry]]:
    """Every table channel named inside a longer text, with where it starts."""
    found: list[tuple[int, ChannelEntry]] = []
    taken: list[tuple[int, int]] = []
    for pattern, entry in _named_inside():
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                found.append((m.start(), entry))
    return sorted(found, key=lambda item: item[0])


def match_mention(book: ChannelBook, mention: ChannelMention) -> str | None:
    """Canonical channel name for a local mention, registered in the book."""
    text = mention.text.strip().rstrip(":,.")
    if not text:
        return None
    if text.startswith("@") or mention.how == "handle":
        handle = text.lstrip("@")
        entry = _by_handle().get(fold(handle))
        if entry:
            return book.add(entry.name, entry.kind, text)
        return book.add("@" + handle, "social")
    entry = (_by_code().get(text) if text.isupper() else None) or channel_entry_named(text)
    if entry is None:
        inside = channels_named_in(text)
        entry = inside[0][1] if inside else None
    if entry is not None:
        return book.add(entry.name, entry.kind, text)
    press = press_nouns().get(fold(text))
    if press:
        return book.add(press, "press", text)
    return book.add(_strip_the(text), "unknown", text)


def outlet_channel(book: ChannelBook, outlet: str | None) -> str | None:
    if not outlet:
        return None
    entry = channel_entry_named(outlet)
    if entry:
        return book.add(entry.name, entry.kind, outlet)
    return book.add(outlet, "outlet")


# -- bullets under a channel line ----------------------------------------------------------
@dataclass(frozen=True)
class BulletLine:
    start: int
    end: int
    inherited: ChannelEntry | None
    code: ChannelEntry | None


def bullet_lines(text: str) -> list[BulletLine]:
    """Bullet and capitals flash lines, with the channel their block lends them and their own wire code."""
    lines: list[BulletLine] = []
    active: ChannelEntry | None = None
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if not any(c.isalpha() for c in stripped):
            active = None  # a rule such as "* * *" closes the block
        elif _is_bullet(stripped):
            lines.append(BulletLine(start, start + len(line), active, _wire_code(stripped)))
        elif stripped.endswith(":"):
            named = channels_named_in(stripped)
            # a lead-in without a channel ("And the punchline:") keeps the block going
            active = named[-1][1] if named else active
        else:
            active = None
    return lines


def _is_bullet(line: str) -> bool:
    if _BULLET.match(line):
        return True
    letters = [c for c in line if c.isalpha()]
    words = line.split()
    return len(words) >= 3 and sum(c.isupper() for c in letters) >= _FLASH_UPPER_SHARE * len(letters)


def _wire_code(line: str) -> ChannelEntry | None:
    match = _WIRE_CODE.search(line)
    return _by_code().get(match.group(1).rstrip(".")) if match else None


# -- via chains ---------------------------------------------------------------------------------
def via_names(
    book: ChannelBook, att: Attribution, article: Article | None, bullets: list[BulletLine]
) -> list[str]:
    """Channel names for one statement: nearest mention first, the bullet's block next, the outlet last."""
    names = [match_mention(book, m) for m in _nearest_first(att)]
    bullet = _bullet_of(att, bullets)
    if bullet is not None:
        if bullet.code is not None:
            names.append(book.add(bullet.code.name, bullet.code.kind))
        elif bullet.inherited is not None and not att.channels:
            names.append(book.add(bullet.inherited.name, bullet.inherited.kind))
    names.append(outlet_channel(book, article.outlet if article else None))
    return list(dict.fromkeys(n for n in names if n))


def _nearest_first(att: Attribution) -> list[ChannelMention]:
    """Mentions by distance from the cue (or speaker): ``X told TASS, according to Reuters``."""
    anchor = att.cue_span or att.speaker_span or att.content_spans[0]

    def distance(m: ChannelMention) -> int:
        if m.span is None:
            return 10**9
        start, end = m.span
        return max(0, start - anchor[1], anchor[0] - end)

    return sorted(att.channels, key=distance)


def _bullet_of(att: Attribution, bullets: list[BulletLine]) -> BulletLine | None:
    at = att.start
    return next((b for b in bullets if b.start <= at < b.end), None)
