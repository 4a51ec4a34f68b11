"""Reads an article's text and produces wire flash attributions (capitals lines) with readable text.

Shapes: ``SPEAKER: CLAIM``, ``CLAIM – SPEAKER``, ``CLAIM: SPEAKER``, ``SPEAKER SAYS CLAIM``,
each optionally bulleted and ended by an agency code (``: RTRS``, ``: IFX`` from channels.tsv),
which becomes a ``wire_code`` channel mention. Bullets, dashes and say-words are data
(``flash_marks.tsv``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from readouts.extract.lexicon import act_of, channels, flash_marks
from readouts.model import Article, Attribution, ChannelMention
from readouts.resources import load_list

Span = tuple[int, int]

MIN_LETTERS = 12  # shorter capital lines are headings, not flashes
MIN_UPPER_SHARE = 0.85
MAX_SPEAKER_WORDS = 4
WORD = re.compile(r"[^\W\d_][\w.’'&-]*")


@lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern]:
    marks = flash_marks()
    bullets = "|".join(re.escape(b) for b in marks["bullet"])
    dashes = "|".join(re.escape(d) for d in sorted(marks["dash"], key=len, reverse=True))
    says = "|".join(re.escape(s) for s in sorted(marks["say"], key=len, reverse=True))
    codes = "|".join(re.escape(c) for c in sorted(channels().codes, key=len, reverse=True))
    return {
        "bullet": re.compile(r"[ \t]*(?:(?:%s)[ \t]+)?" % bullets),
        "code": re.compile(r"\s*:\s*(%s)\s*$" % codes),
        "say": re.compile(r"\s(%s)\s" % says),
        "dash": re.compile(r"\s(%s)\s" % dashes),
        "colon": re.compile(r":\s"),
    }


def is_flash_line(line: str) -> bool:
    letters = sum(map(str.isalpha, line))  # map over str methods: this runs for every line of every article
    if letters < MIN_LETTERS:
        return False
    return sum(map(str.isupper, line)) / letters >= MIN_UPPER_SHARE


def flash_lines(text: str) -> list[Span]:
    """Spans of the lines of ``text`` that read as wire flashes."""
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        if is_flash_line(line):
            spans.append((pos, pos + len(line.rstrip())))
        pos += len(line)
    return spans


def find_flashes(article: Article) -> list[Attribution]:
    text = article.text
    lines = flash_lines(text)
    casing = _casing(text) if lines else {}  # how the article writes words matters only for a flash
    found = []
    for start, end in lines:
        att = _parse_line(article, start, end, casing)
        if att is not None:
            found.append(att)
    return found


def _short(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_SPEAKER_WORDS and not any(c.isdigit() for c in text)


def _parse_line(article: Article, start: int, end: int, casing: dict[str, str]) -> Attribution | None:
    text, pats = article.text, _patterns()
    body_start = pats["bullet"].match(text, start, end).end()
    body_end, mentions = end, []
    code = pats["code"].search(text, body_start, end)
    if code:
        body_end = code.start()
        mentions.append(ChannelMention(code.group(1), code.span(1), "wire_code"))
    parsed = _split(text, body_start, body_end)
    if parsed is None:
        return None
    speaker, cue, content, rule, cue_word = parsed
    content = _strip_repeated_speaker(text, content, speaker)
    display = readable(text[content[0]:content[1]], casing)
    return Attribution(
        article=article.id,
        speaker_text=text[speaker[0]:speaker[1]],
        speaker_span=speaker,
        cue=text[cue[0]:cue[1]],
        cue_span=cue,
        content_spans=(content,),
        kind="flash",
        act=act_of(cue_word),
        channels=tuple(mentions),
        rule=rule,
        confidence=0.9,
        display=display,
    )


def _split(text: str, start: int, end: int):
    """(speaker, cue, content, rule, cue word) spans of one flash body, or None without a speaker."""
    pats, body = _patterns(), text[start:end]
    say = pats["say"].search(body)
    if say and _short(body[: say.start()]):
        return ((start, start + say.start()), _abs(say.span(1), start), (start + say.end(), end),
                "flash_says", _lemma(say.group(1).split()[0]))
    colon = pats["colon"].search(body)
    if colon and _short(body[: colon.start()]):
        return ((start, start + colon.start()), (start + colon.start(), start + colon.start() + 1),
                (start + colon.end(), end), "flash_speaker_colon", "say")
    tail = _trailing_speaker(body)
    if tail:
        (cue_s, cue_e), speaker_s = tail
        content_end = start + len(body[:cue_s].rstrip())
        return ((start + speaker_s, end), (start + cue_s, start + cue_e), (start, content_end),
                "flash_trailing_speaker", "say")
    return None


def _trailing_speaker(body: str):
    """The last dash or colon followed by a short speaker: ``CLAIM – LAVROV``, ``CLAIM: TILLERSON``."""
    pats = _patterns()
    seps = [(m.start(1), m.end(1)) for m in pats["dash"].finditer(body)]
    seps += [(m.start(), m.start() + 1) for m in pats["colon"].finditer(body)]
    for cue_s, cue_e in sorted(seps, reverse=True):
        speaker = body[cue_e:].strip()
        if _short(speaker):
            return (cue_s, cue_e), len(body) - len(body[cue_e:].lstrip())
    return None


def _strip_repeated_speaker(text: str, content: Span, speaker: Span) -> Span:
    """``LAVROV: U.S. AIMS AT ... – LAVROV``: the trailing repeat of the speaker is not content."""
    tail = _trailing_speaker(text[content[0]:content[1]])
    if tail and text[content[0] + tail[1]:content[1]].strip() == text[speaker[0]:speaker[1]].strip():
        end = content[0] + tail[0][0]
        return content[0], len(text[:end].rstrip())
    return content


def _lemma(word: str) -> str:
    """DENIES -> deny, SAYS -> say, WARNS -> warn: the cue lexicon is keyed by lemma."""
    word = word.lower()
    for ending, base in (("ies", "y"), ("es", "e"), ("s", ""), ("id", "y")):
        if word.endswith(ending) and act_of(word[: -len(ending)] + base) != "assert":
            return word[: -len(ending)] + base
    return word[:-1] if word.endswith("s") else word


def _abs(span: Span, offset: int) -> Span:
    return span[0] + offset, span[1] + offset


def _casing(text: str) -> dict[str, str]:
    """Lowercased word -> how the article writes it outside capitals lines (Trump, U.S., NBC)."""
    lower_seen, forms = set(), {}
    for line in text.splitlines():
        if is_flash_line(line) or _title_case(line):
            continue
        for match in WORD.finditer(line):
            word = match.group() if _is_acronym(match.group()) else match.group().rstrip(".")
            key = word.lower()
            if word == key:
                lower_seen.add(key)
            elif not _opens_sentence(line, match.start()):  # "Or as Interfax put it" says nothing of "or"
                forms.setdefault(key, word)
    found = {k: v for k, v in forms.items() if k not in lower_seen or (v.isupper() and len(v) > 1)}
    return {**_known_casing(), **found}


@lru_cache(maxsize=1)
def _known_casing() -> dict[str, str]:
    """Proper nouns that keep their capital in a flash even when the article writes them nowhere else."""
    return {word.lower(): word for word in load_list("proper_nouns.txt")}


def _title_case(line: str) -> bool:
    words = WORD.findall(line)
    return len(words) > 2 and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _opens_sentence(line: str, pos: int) -> bool:
    before = line[:pos].rstrip(" \t“\"‘(•*-")
    return not before or before.endswith((".", "!", "?", ":"))


def readable(caps: str, casing: dict[str, str]) -> str:
    """Sentence case for a capitals flash, keeping names and acronyms the article writes that way."""
    out, first = [], True
    for piece in re.split(r"(\s+)", caps):
        out.append(_hyphenated_case(piece, casing, first) if piece.strip() else piece)
        if piece.strip():
            last = piece.strip().split("-")[-1]
            first = last.endswith((".", ";", "!", "?")) and not _is_acronym(last)
    return "".join(out)


def _is_acronym(word: str) -> bool:
    core = word.strip(",;:!?()")
    return bool(re.fullmatch(r"(?:[A-Z]\.){2,}[A-Z]?\.?", core)) or bool(re.fullmatch(r"[A-Z]\.[A-Z]+", core))


def _hyphenated_case(piece: str, casing: dict[str, str], first: bool) -> str:
    parts = piece.split("-")
    return "-".join(_word_case(p, casing, first and i == 0) for i, p in enumerate(parts))


def _word_case(piece: str, casing: dict[str, str], first: bool) -> str:
    match = WORD.search(piece)
    if not match:
        return piece
    word = match.group()
    base, suffix = re.match(r"(.*?)((?:[’']S)?)$", word).groups()
    if _is_acronym(base) or base.lower() not in casing and base.isupper() and "." in base:
        cased = base
    elif base.lower() in casing:
        cased = casing[base.lower()]
    else:
        cased = base.lower()
        if first:
            cased = cased[:1].upper() + cased[1:]
    if first and cased[:1].islower():
        cased = cased[:1].upper() + cased[1:]
    return piece[: match.start()] + cased + suffix.lower() + piece[match.end():]
