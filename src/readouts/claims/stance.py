"""Labels the stance of a text toward a claim; reads (claim, text) strings or pairs JSONL, produces labels.

Labels: supports, disputes, denies, hedges, discusses, unrelated. A small
trained linear model decides the broad side (for / against / observing, or
unrelated for a long body); cue lexicons then name the act: an "against" text
with a denial cue *denies*, an "observing" text with a hedging cue *hedges*,
a text that says the truth is not known ("not clear") *hedges*, and a short
text that calls something false or "not accurate" *disputes* whatever the
model thought.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from readouts.claims.model import LinearModel, load_model
from readouts.claims.text import cue_positions, terms, words
from readouts.errors import CorpusLineError, NotFoundError
from readouts.model import Failure

LABELS = ("supports", "disputes", "denies", "hedges", "discusses", "unrelated")
BODY_MIN_WORDS = 60  # longer texts are article bodies, not headlines or quotes
FROM_MODEL = {
    "for": "supports",
    "agree": "supports",
    "against": "disputes",
    "disagree": "disputes",
    "observing": "discusses",
    "discuss": "discusses",
    "unrelated": "unrelated",
}


def model_for(text: str) -> LinearModel:
    return load_model("body" if len(words(text)) >= BODY_MIN_WORDS else "headline")


def predict_stance(claim: str, text: str) -> str:
    """The stance of ``text`` toward ``claim``: one of :data:`LABELS`."""
    tokens = words(text)
    if not tokens or _off_topic(claim, text, tokens):
        return "unrelated"
    return decide_stance(claim, text, model_for(text))


def _off_topic(claim: str, text: str, tokens: list[str]) -> bool:
    """No shared term and no word that answers someone (``not accurate``, ``denied``): the
    headline model never saw unrelated pairs, so this rule says it instead."""
    if set(terms(claim)) & set(terms(text)):
        return False
    return not any(cue_positions(tokens, kind) for kind in ("refute", "deny", "hedge", "uncertain"))


def decide_stance(claim: str, text: str, model: LinearModel) -> str:
    """Model side refined by cue rules; split out so evaluation can pass fold models."""
    probabilities = model.probabilities(claim, text)
    label = FROM_MODEL[max(probabilities, key=probabilities.get)]
    if label == "unrelated":
        return label
    return refine(label, words(text), is_short=model.classes != ("agree", "disagree", "discuss", "unrelated"))


def refine(label: str, tokens: list[str], is_short: bool = True) -> str:
    """Name the act behind a side: refutation and denial cues, hedging cues."""
    if is_short and cue_positions(tokens, "uncertain"):
        return "hedges"  # a body may quote doubt in passing; a headline or quote that doubts hedges
    refutes = cue_positions(tokens, "refute")
    denies = cue_positions(tokens, "deny")
    hedges = cue_positions(tokens, "hedge")
    if is_short and refutes and label == "supports" and not hedges:
        label = "disputes"
    if label == "disputes" and denies and not refutes:
        return "denies"
    if label == "discusses" and hedges:
        return "hedges"
    return label


@dataclass(frozen=True)
class StanceRun:
    """Pairs labelled, and the lines that could not be read (each named with file and line)."""

    labelled: int
    failures: tuple[Failure, ...] = ()


def stance_file(pairs_path: str | Path, out_path: str | Path | IO[str]) -> StanceRun:
    """Label every ``{"id","claim","text"}`` line of ``pairs_path``; writes ``{"id","label"}`` lines
    to ``out_path`` (a path, or an open text stream such as standard output).

    A broken line is recorded as a failure naming the file and line; the rest goes on.
    """
    pairs_path = Path(pairs_path)
    if not pairs_path.is_file():
        raise NotFoundError(str(pairs_path), "no such pairs file", "give a JSONL file of id/claim/text")
    count, failures = 0, []
    opened = None if hasattr(out_path, "write") else Path(out_path).open("w", encoding="utf-8")
    with pairs_path.open(encoding="utf-8") as source, opened or nullcontext(out_path) as out:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                pair = _read_pair(line, f"{pairs_path}:{number}")
            except CorpusLineError as exc:
                failures.append(Failure(exc.source, exc.code, str(exc)))
                continue
            label = predict_stance(pair["claim"], pair["text"])
            out.write(json.dumps({"id": pair["id"], "label": label}) + "\n")
            count += 1
    return StanceRun(count, tuple(failures))


def _read_pair(line: str, where: str) -> dict:
    try:
        pair = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusLineError(where, f"not JSON ({exc.msg})", "one JSON object per line") from exc
    if not isinstance(pair, dict) or not all(isinstance(pair.get(k), str) for k in ("claim", "text")):
        raise CorpusLineError(where, "needs string fields claim and text", 'write {"id","claim","text"}')
    pair.setdefault("id", where)
    return pair
