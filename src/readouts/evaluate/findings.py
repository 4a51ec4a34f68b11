"""Reads multi-outlet events JSONL (or saved ledgers) and gold findings JSONL, produces findings metrics, error counts and a report.

Each event's articles are analyzed as one story; its *cards* are the claims whose status is
``contested`` or ``corroborated`` (what a reader sees under "accounts differ" and "confirmed by
several sources"). The metrics follow the reference findings scorer's definitions exactly, so the
numbers printed here agree with it on the same ledgers:

- a predicted statement matches a gold statement when both are in the same article and some content
  span overlaps the gold span by at least ``overlap`` of the shorter of the two;
- a card matches the gold finding of its event with which it shares the most (member, gold
  statement) pairs, provided those pairs cover at least two different gold speakers; ties go to the
  finding listed first; the match is strict when the card's status equals the gold status;
- precision is matched cards / cards, recall matched gold findings / gold findings (strict: with the
  gold status), ``duplicates`` the extra cards on an already matched finding; stance accuracy is
  over the first pair of each gold statement in strictly matched cards, in three classes (supports;
  disputes or denies; hedges or discusses); statement recall is the share of gold statements some
  predicted statement matches, card or not, and speaker accuracy the share of those where a matching
  statement's speaker (its actor's name, or its speaker text when it has no actor) shares a name
  word with the gold speaker.

On top, :func:`score_event` sorts what went wrong, so that work on the claims stage can be aimed:

- ``missed``: gold findings no card matched; ``missed_grouping`` of them have predicted statements
  matching gold statements of two or more of their gold speakers (the statements were found but not
  put in one card), ``missed_extraction`` do not, ``missed_no_ledger`` belong to events without a
  ledger;
- ``wrong_status``: matched cards whose status is not the gold status;
- ``unmatched_cards``: cards that match no gold finding;
- ``non_source`` (of ``members``, every member of every card): members whose statement has no
  speaker actor, or an actor of kind ``unknown``: nobody the story can count as a source;
  ``non_source_unmatched`` of them also match no gold statement of any finding of the event (pure
  noise);
- ``double_counted`` (of cards): cards where two different predicted speakers (actor id, else
  speaker text) have members matching statements of one gold speaker: one source counted as two. (A
  card whose matched members have fewer distinct gold speakers than distinct predicted speakers is
  always such a card, since each of those members has a gold speaker.)
- ``off_proposition`` (of ``matched_members``, the members of matched cards): members matching no
  gold statement of the card's finding; ``off_proposition_other`` match a gold statement of another
  finding of the event, ``off_proposition_none`` match none.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readouts.errors import CorpusLineError, InputError
from readouts.model import Failure, RawDocument

Record = dict[str, Any]
Span = tuple[int, int]
Hit = tuple[int, int]  # (finding index, statement index) of a gold statement
Progress = Callable[[int], None]

CARD_STATUSES = ("contested", "corroborated")
# Words that say what someone is, not who: they never make two speakers one.
GENERIC = frozenset(
    """a an the of for and in on at to by from with mr mrs ms dr sen rep gov president senator
    representative official officials spokesman spokeswoman spokesperson anonymous unnamed source sources
    aide aides campaign office department house white state""".split()
)
NAME_WORD = re.compile(r"[a-z0-9']+")
# Disputing and denying are one side, hedging and discussing another: the gold does not split them finer.
STANCE_CLASS = {"supports": "for", "disputes": "against", "denies": "against",
                "hedges": "neutral", "discusses": "neutral"}
# The counts summed over events, in the order the reference scorer's rows carry them.
SUMMED = ("cards", "matched", "matched_strict", "duplicates", "gold", "found", "found_strict",
          "stance_pairs", "stance_right", "missing_ledger", "gold_statements", "statements_found",
          "speaker_right")
ERRORS = ("missed", "missed_extraction", "missed_grouping", "missed_no_ledger", "wrong_status",
          "unmatched_cards", "members", "non_source", "non_source_unmatched", "double_counted",
          "matched_members", "off_proposition", "off_proposition_other", "off_proposition_none")


def read_jsonl(path: str | Path) -> Iterator[tuple[str, Record]]:
    """Each record of a JSONL file with where it is (``file:line``); a broken line is a coded error."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise CorpusLineError(f"{path}:{number}", f"not JSON ({exc})") from exc
            if not isinstance(record, dict):
                raise CorpusLineError(f"{path}:{number}", "not a JSON object")
            yield f"{path}:{number}", record


def read_events(path: str | Path) -> dict[str, list[RawDocument]]:
    """Each event's articles, in file order, as the raw documents a JSONL corpus line becomes.

    A line is ``{"event_id", "article_id", "outlet", "title", "text"}`` (``published`` optional).
    """
    grouped: dict[str, list[RawDocument]] = {}
    for where, row in read_jsonl(path):
        try:
            event, article = str(row["event_id"]), str(row["article_id"])
            document = RawDocument(id=article, source=article, text=row["text"], title=row.get("title") or None,
                                   outlet=row.get("outlet") or None, published=row.get("published") or None)
        except KeyError as exc:
            raise CorpusLineError(where, f"no {exc.args[0]!r} field") from exc
        grouped.setdefault(event, []).append(document)
    return grouped


def load_gold(path: str | Path) -> list[Record]:
    """Gold events: ``{"event", "articles", "findings": [{"summary", "status", "statements"}]}``."""
    return [record for _, record in read_jsonl(path)]


def load_ledger(path: Path) -> Record | None:
    """A saved ledger's JSON, or None when it is missing or unreadable (the event then scores as empty)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def ledger_path(directory: Path, event: str) -> Path:
    """Where an event's ledger lives; an id that is not a plain file name is refused, never followed."""
    if not event or Path(event).name != event or event.startswith("."):
        raise InputError(event, "event id is not usable as a file name", "give the events ids without / or a leading dot")
    return directory / f"{event}.json"


def analyze_events(
    events: Mapping[str, Sequence[RawDocument]], *, save: Path | None = None, progress: Progress | None = None
) -> tuple[dict[str, Record], list[Failure]]:
    """Each event analyzed as one story: its ledger JSON by event id, and the articles that failed."""
    from readouts.pipeline import analyze_documents

    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
    ledgers: dict[str, Record] = {}
    failures: list[Failure] = []
    for event, documents in events.items():
        ledger = analyze_documents(documents)
        failures.extend(ledger.failures)
        text = ledger.to_json()
        if save is not None:
            ledger_path(save, event).write_text(text, encoding="utf-8")
        # Score the JSON itself, so the numbers are those of the file the reference scorer reads.
        ledgers[event] = json.loads(text)
        if progress:
            progress(1)
    return ledgers, failures


def overlaps(a: Span, b: Span, need: float) -> bool:
    """Spans overlap by at least ``need`` of the shorter one (an empty span overlaps nothing)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter > 0 and shorter > 0 and inter / shorter >= need


def name_words(name: str) -> set[str]:
    """The words of a speaker's name that identify someone: no titles, descriptors or short words."""
    name = name.split("(")[0]  # "official (anonymous)": the parenthesis says how, not who
    return {w for w in NAME_WORD.findall(name.lower()) if len(w) > 2 and w not in GENERIC}


def _content_spans(statement: Record) -> list[Span]:
    return [(int(s), int(e)) for s, e in statement.get("content_spans") or []]


def _gold_speaker(gold_statement: Record) -> str:
    return gold_statement["speaker"].strip().lower()


class _Event:
    """One gold event beside its ledger, with every predicted statement's gold hits worked out once."""

    def __init__(self, gold: Record, ledger: Record, need: float) -> None:
        self.findings: list[Record] = gold["findings"]
        self.actors: dict[str, Record] = {a["id"]: a for a in ledger.get("actors", [])}
        self.statement_list: list[Record] = ledger.get("statements", [])
        self.statements: dict[str, Record] = {s["id"]: s for s in self.statement_list}
        self.cards = [c for c in ledger.get("claims", []) if c.get("status") in CARD_STATUSES]
        self.need = need
        self._hits: dict[int, list[Hit]] = {}  # by the statement record's identity

    def gold_statement(self, hit: Hit) -> Record:
        return self.findings[hit[0]]["statements"][hit[1]]

    def hits(self, statement: Record) -> list[Hit]:
        """The gold statements (any finding) this predicted statement matches, in gold order."""
        key = id(statement)
        if key not in self._hits:
            spans = _content_spans(statement)
            self._hits[key] = [
                (fi, si)
                for fi, finding in enumerate(self.findings)
                for si, gs in enumerate(finding["statements"])
                if gs["article"] == statement.get("article")
                and any(overlaps(sp, tuple(gs["span"]), self.need) for sp in spans)
            ]
        return self._hits[key]

    def members(self, card: Record) -> list[tuple[Record, str | None]]:
        """The card's (statement, stance) members; members naming no statement of the ledger are left out."""
        found = ((self.statements.get(m.get("statement")), m.get("stance")) for m in card.get("stances", []))
        return [(st, stance) for st, stance in found if st is not None]


@dataclass(frozen=True)
class CardMatch:
    card: str | None
    finding: int | None  # index of the matched gold finding in its event, None when unmatched
    strict: bool = False
    pairs: tuple[tuple[int, str | None], ...] = ()  # (gold statement index, member stance)


def match_card(event: _Event, card: Record) -> CardMatch:
    """The finding sharing the most pairs with the card, among those covering two or more gold speakers."""
    members = event.members(card)
    best: tuple[int, list[tuple[int, str | None]]] | None = None
    for fi, finding in enumerate(event.findings):
        pairs = [(si, stance) for st, stance in members for gfi, si in event.hits(st) if gfi == fi]
        speakers = {_gold_speaker(finding["statements"][si]) for si, _ in pairs}
        # Strictly more pairs to replace: on a tie the finding listed first keeps the card.
        if len(speakers) >= 2 and (best is None or len(pairs) > len(best[1])):
            best = (fi, pairs)
    if best is None:
        return CardMatch(card.get("id"), None)
    fi, pairs = best
    return CardMatch(card.get("id"), fi, card.get("status") == event.findings[fi]["status"], tuple(pairs))


@dataclass(frozen=True)
class EventScore:
    event: str
    counts: Counter[str]
    cards: tuple[CardMatch, ...] = ()

    def to_dict(self) -> Record:
        return {"event": self.event, **{k: self.counts[k] for k in SUMMED + ERRORS},
                "card_matches": [{"card": m.card, "finding": m.finding, "strict": m.strict} for m in self.cards]}


def score_event(gold: Record, ledger: Record | None, need: float = 0.5) -> EventScore:
    """Metric counts and error counts of one event; a missing ledger scores as no cards at all."""
    counts: Counter[str] = Counter(gold=len(gold["findings"]))
    if ledger is None:
        counts.update(missing_ledger=1, missed=len(gold["findings"]), missed_no_ledger=len(gold["findings"]))
        return EventScore(gold["event"], counts)
    event = _Event(gold, ledger, need)
    _statement_level(event, counts)
    matches = tuple(match_card(event, card) for card in event.cards)
    counts["cards"] = len(matches)
    _card_metrics(event, matches, counts)
    _diagnose(event, matches, counts)
    return EventScore(gold["event"], counts, matches)


def _statement_level(event: _Event, counts: Counter[str]) -> None:
    """Gold statements some predicted statement matches, and those where one of them has the right speaker."""
    hits_of: dict[Hit, list[Record]] = {}
    for st in event.statement_list:
        for hit in event.hits(st):
            hits_of.setdefault(hit, []).append(st)
    for fi, finding in enumerate(event.findings):
        for si, gs in enumerate(finding["statements"]):
            counts["gold_statements"] += 1
            hits = hits_of.get((fi, si), [])
            if hits:
                counts["statements_found"] += 1
                want = name_words(gs["speaker"])
                counts["speaker_right"] += any(want & _speaker_words(event, st) for st in hits)


def _speaker_words(event: _Event, statement: Record) -> set[str]:
    # The resolved actor's name when there is one: its speaker text is then only a mention of it.
    actor = event.actors.get(statement.get("speaker"))
    return name_words(actor["name"]) if actor else name_words(statement.get("speaker_text") or "")


def _card_metrics(event: _Event, matches: Sequence[CardMatch], counts: Counter[str]) -> None:
    found: set[int] = set()
    found_strict: set[int] = set()
    for match in matches:
        if match.finding is None:
            continue
        counts["duplicates"] += match.finding in found
        counts["matched"] += 1
        found.add(match.finding)
        if not match.strict:
            continue
        counts["matched_strict"] += 1
        found_strict.add(match.finding)
        golds = event.findings[match.finding]["statements"]
        seen: set[int] = set()
        for si, stance in match.pairs:
            if si in seen:  # a gold statement several members match is judged on its first member
                continue
            seen.add(si)
            counts["stance_pairs"] += 1
            counts["stance_right"] += STANCE_CLASS.get(stance or "") == STANCE_CLASS.get(golds[si]["stance"])
    counts["found"] = len(found)
    counts["found_strict"] = len(found_strict)


def _diagnose(event: _Event, matches: Sequence[CardMatch], counts: Counter[str]) -> None:
    matched = {m.finding for m in matches if m.finding is not None}
    for fi, finding in enumerate(event.findings):
        if fi not in matched:
            counts["missed"] += 1
            counts["missed_grouping" if _found_speakers(event, fi) >= 2 else "missed_extraction"] += 1
    for card, match in zip(event.cards, matches):
        members = [st for st, _ in event.members(card)]
        if match.finding is None:
            counts["unmatched_cards"] += 1
        elif not match.strict:
            counts["wrong_status"] += 1
        counts["double_counted"] += _double_counted(event, members)
        for st in members:
            counts["members"] += 1
            if _no_source(event, st):
                counts["non_source"] += 1
                counts["non_source_unmatched"] += not event.hits(st)
            if match.finding is not None:
                counts["matched_members"] += 1
                _off_proposition(event, st, match.finding, counts)


def _found_speakers(event: _Event, finding: int) -> int:
    """How many of a finding's gold speakers have a statement some predicted statement matches."""
    return len({_gold_speaker(event.gold_statement(hit))
                for st in event.statement_list for hit in event.hits(st) if hit[0] == finding})


def _no_source(event: _Event, statement: Record) -> bool:
    actor = event.actors.get(statement.get("speaker"))
    return actor is None or actor.get("kind") == "unknown"


def _predicted_speaker(event: _Event, statement: Record) -> str | None:
    if statement.get("speaker") in event.actors:
        return "actor:" + statement["speaker"]
    text = (statement.get("speaker_text") or "").strip().lower()
    return "text:" + text if text else None


def _double_counted(event: _Event, members: Sequence[Record]) -> bool:
    """Two different predicted speakers whose members match statements of one gold speaker."""
    speakers_of: dict[str, set[str]] = {}
    for st in members:
        predicted = _predicted_speaker(event, st)
        if predicted is None:
            continue
        for hit in event.hits(st):
            speakers_of.setdefault(_gold_speaker(event.gold_statement(hit)), set()).add(predicted)
    return any(len(predicted) >= 2 for predicted in speakers_of.values())


def _off_proposition(event: _Event, statement: Record, finding: int, counts: Counter[str]) -> None:
    hit_findings = {fi for fi, _ in event.hits(statement)}
    if finding in hit_findings:
        return
    counts["off_proposition"] += 1
    counts["off_proposition_other" if hit_findings else "off_proposition_none"] += 1


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summarize(rows: Sequence[EventScore]) -> Record:
    """The reference scorer's summary: the same keys, values and rounding."""
    t: Counter[str] = sum((r.counts for r in rows), Counter())
    p, r = _ratio(t["matched"], t["cards"]), _ratio(t["found"], t["gold"])
    ps, rs = _ratio(t["matched_strict"], t["cards"]), _ratio(t["found_strict"], t["gold"])
    return {"events": len(rows), "missing_ledgers": t["missing_ledger"], "cards": t["cards"],
            "gold_findings": t["gold"], "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(_f1(p, r), 3), "precision_strict": round(ps, 3), "recall_strict": round(rs, 3),
            "f1_strict": round(_f1(ps, rs), 3), "duplicates": t["duplicates"],
            "stance_accuracy": round(_ratio(t["stance_right"], t["stance_pairs"]), 3),
            "stance_pairs": t["stance_pairs"],
            "statement_recall": round(_ratio(t["statements_found"], t["gold_statements"]), 3),
            "speaker_accuracy": round(_ratio(t["speaker_right"], t["statements_found"]), 3)}


@dataclass(frozen=True)
class FindingsEvaluation:
    summary: Record
    errors: dict[str, int]
    events: tuple[EventScore, ...]
    seconds: float = 0.0  # analysis time; 0 when existing ledgers were scored
    failures: tuple[Failure, ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps({"summary": self.summary, "errors": self.errors, "seconds": round(self.seconds, 2),
                           "failures": len(self.failures), "events": [e.to_dict() for e in self.events]},
                          indent=1)


def score(gold: Sequence[Record], ledgers: Mapping[str, Record | None], overlap: float = 0.5,
          *, seconds: float = 0.0, failures: Sequence[Failure] = ()) -> FindingsEvaluation:
    """Every gold event scored against its ledger (absent from ``ledgers``: scored as missing)."""
    rows = tuple(score_event(g, ledgers.get(g["event"]), overlap) for g in gold)
    totals: Counter[str] = sum((r.counts for r in rows), Counter())
    return FindingsEvaluation(summarize(rows), {k: totals[k] for k in ERRORS}, rows, seconds, tuple(failures))


def evaluate_findings(
    gold_path: str | Path,
    *,
    events: str | Path | None = None,
    ledgers: str | Path | None = None,
    save: str | Path | None = None,
    limit: int | None = None,
    overlap: float = 0.5,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> FindingsEvaluation:
    """Analyze the events of ``events`` (or read ``<event>.json`` from ``ledgers``) and score them.

    Only events the gold has are analyzed. ``limit`` keeps the first N events (of the events file,
    else of the gold) and scores the gold of those alone; without it every gold event is scored
    and one with no ledger counts as missing, as the reference scorer does. ``on_total`` is told
    how many events will be analyzed before the first starts (for a progress bar).
    """
    if events is not None and ledgers is not None:
        raise ValueError("give events or ledgers, not both")
    gold = load_gold(gold_path)
    if ledgers is not None:
        gold = gold[:limit]
        found = {g["event"]: load_ledger(ledger_path(Path(ledgers), g["event"])) for g in gold}
        return score(gold, found, overlap)
    if events is None:
        raise ValueError("give events to analyze or a directory of ledgers")
    wanted = {g["event"] for g in gold}
    chosen = {e: docs for e, docs in read_events(events).items() if e in wanted}
    if limit is not None:
        chosen = dict(list(chosen.items())[:limit])
        gold = [g for g in gold if g["event"] in chosen]
    if on_total:
        on_total(len(chosen))
    started = time.perf_counter()
    analyzed, failures = analyze_events(chosen, save=Path(save) if save else None, progress=progress)
    return score(gold, analyzed, overlap, seconds=time.perf_counter() - started, failures=failures)


def format_report(evaluation: FindingsEvaluation) -> str:
    """The reference scorer's line of metrics, then the error types with what each is counted out of."""
    s, e = evaluation.summary, evaluation.errors
    lines = [
        f"findings: events {s['events']}, cards {s['cards']}, gold {s['gold_findings']}, "
        f"precision {s['precision']:.3f} / strict {s['precision_strict']:.3f}, "
        f"recall {s['recall']:.3f} / strict {s['recall_strict']:.3f}, "
        f"F1 strict {s['f1_strict']:.3f}, duplicates {s['duplicates']}, "
        f"member stance accuracy {s['stance_accuracy']:.3f} (n={s['stance_pairs']}), "
        f"gold statements found {s['statement_recall']:.3f}, speaker right {s['speaker_accuracy']:.3f}"
        + (f", MISSING LEDGERS {s['missing_ledgers']}" if s["missing_ledgers"] else ""),
        "",
        "errors:",
        _error("missed gold findings", e["missed"], s["gold_findings"], "gold findings",
               f"statements of 2+ gold speakers found but in no one card {e['missed_grouping']}, "
               f"not found {e['missed_extraction']}"
               + (f", no ledger {e['missed_no_ledger']}" if e["missed_no_ledger"] else "")),
        _error("wrong status", e["wrong_status"], s["cards"] - e["unmatched_cards"], "matched cards",
               "matched, status differs from the gold"),
        _error("unmatched cards", e["unmatched_cards"], s["cards"], "cards", "match no gold finding"),
        _error("non-source members", e["non_source"], e["members"], "card members",
               f"no speaker actor or one of kind unknown; {e['non_source_unmatched']} of them match no gold statement"),
        _error("one source counted twice", e["double_counted"], s["cards"], "cards",
               "two predicted speakers match statements of one gold speaker"),
        _error("off-proposition members", e["off_proposition"], e["matched_members"], "members of matched cards",
               f"match no statement of the card's finding: another finding's {e['off_proposition_other']}, "
               f"no gold statement {e['off_proposition_none']}"),
    ]
    if evaluation.seconds:
        rate = s["events"] / evaluation.seconds
        lines.append(f"speed: {s['events']} events in {evaluation.seconds:.1f} s ({rate:.2f} events/s)")
    return "\n".join(lines)


def _error(name: str, count: int, out_of: int, unit: str, detail: str) -> str:
    return f"  {name:26} {count:5d} of {out_of:5d} {unit:25}  {detail}"
