"""Scores predicted attributions against gold JSONL records; produces the metric dict and error counts.

The metrics follow the public attribution scorer's definitions exactly
(token sets of ``\\w+`` words, one-to-one greedy pairing by Dice overlap,
lenient and strict source rules) so that numbers printed here agree with it;
on top, :func:`diagnose` sorts every miss into an error type and a cue class
so that work on the extractor can be aimed.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

WORD = re.compile(r"\w+")
OPEN_QUOTES, CLOSE_QUOTES, TOGGLE_QUOTES = "\u201c\u00ab\u201e", "\u201d\u00bb", '"'
KINDS = ("direct", "indirect", "mixed")
Record = dict[str, Any]


def load_records(path: str | Path) -> dict[str, Record]:
    """JSONL records keyed by doc_id."""
    with open(path, encoding="utf-8") as fh:
        return {rec["doc_id"]: rec for rec in map(json.loads, filter(str.strip, fh))}


class _Text:
    """Word-token index of one gold text."""

    def __init__(self, text: str) -> None:
        self.text = text
        words = list(WORD.finditer(text))
        self.starts = [m.start() for m in words]
        self.ends = [m.end() for m in words]
        self._quoted: list[bool] | None = None

    def tokens(self, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
        found: set[int] = set()
        for start, end in spans:
            i = bisect.bisect_right(self.ends, start)
            while i < len(self.starts) and self.starts[i] < end:
                found.add(i)
                i += 1
        return frozenset(found)

    def find(self, string: str | None, near: int | None = None) -> tuple[int, int] | None:
        words = WORD.findall(string or "")
        if not words:
            return None
        pattern = re.compile(r"\W*".join(map(re.escape, words)), re.IGNORECASE)
        hits = [m.span() for m in pattern.finditer(self.text)]
        if not hits:
            return None
        return hits[0] if near is None else min(hits, key=lambda h: abs(h[0] - near))

    def kind(self, spans: list[tuple[int, int]]) -> str:
        """direct / indirect / mixed from quotation marks around and inside the spans."""
        quoted = self._quote_mask()
        toks = [i for span in spans for i in self.tokens([span])]
        inside = sum(quoted[self.starts[i]] for i in toks)
        marks = set(OPEN_QUOTES + CLOSE_QUOTES + TOGGLE_QUOTES)
        anchored = any(
            set(self.text[max(0, s - 2) : s + 1] + self.text[max(0, e - 1) : e + 2]) & marks
            for s, e in spans
        )
        if toks and inside == len(toks):
            return "direct" if anchored else "indirect"
        return "indirect" if inside == 0 else "mixed"

    def _quote_mask(self) -> list[bool]:
        if self._quoted is None:
            mask, inside = [], False
            for ch in self.text:
                if ch == "\n" or ch in CLOSE_QUOTES:
                    inside = False
                elif ch in OPEN_QUOTES:
                    inside = True
                elif ch in TOGGLE_QUOTES:
                    inside = not inside
                mask.append(inside and ch not in OPEN_QUOTES + TOGGLE_QUOTES)
            self._quoted = mask
        return self._quoted


def _norm(s: str | None) -> str:
    words = WORD.findall((s or "").lower())
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _spans(att: Record, role: str, text: _Text, near: int | None = None) -> list[tuple[int, int]]:
    if role == "content" and att.get("content_spans"):
        return [tuple(x) for x in att["content_spans"]]
    if att.get(role + "_span"):
        return [tuple(att[role + "_span"])]
    hit = text.find(att.get(role), near)
    return [hit] if hit else []


def _overlaps(a: frozenset, b: frozenset, t: float) -> bool:
    shared = len(a & b)
    return bool(a) and bool(b) and shared >= t * len(a) and shared >= t * len(b)


def _role_correct(gold, pred, strict: bool, t: float) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if gold[0] == pred[0] or (gold[1] and gold[1] == pred[1]):
        return True
    if strict:
        return False
    if _overlaps(gold[1], pred[1], t):
        return True
    g, p = f" {gold[0]} ", f" {pred[0]} "
    return bool(gold[0]) and bool(pred[0]) and (g in p or p in g)


def _prepare(atts: list[Record], text: _Text) -> list[Record]:
    items = []
    for att in atts:
        spans = _spans(att, "content", text)
        near = spans[0][0] if spans else None
        item: Record = {"tok": text.tokens(spans), "att": att}
        item["kind"] = att.get("kind") if att.get("kind") in KINDS else text.kind(spans)
        for role in ("source", "cue"):
            if not att.get(role) and not att.get(role + "_span"):
                item[role] = None
                continue
            role_spans = _spans(att, role, text, near)
            surface = " ".join(text.text[s:e] for s, e in role_spans) if role_spans else att.get(role)
            item[role] = (_norm(surface), text.tokens(role_spans))
        items.append(item)
    return items


def _pair(gold: list[Record], pred: list[Record], ok) -> list[tuple[Record, Record]]:
    candidates = [
        (2 * len(g["tok"] & p["tok"]) / (len(g["tok"]) + len(p["tok"])), i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(pred)
        if ok(g["tok"], p["tok"])
    ]
    used_gold, used_pred, pairs = set(), set(), []
    for _, i, j in sorted(candidates, key=lambda x: (-x[0], x[1], x[2])):
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((gold[i], pred[j]))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _documents(gold_docs: dict[str, Record], pred_docs: dict[str, Record]) -> Iterator[tuple]:
    for doc_id, gold_rec in gold_docs.items():
        text = _Text(gold_rec["text"])
        pred_rec = pred_docs.get(doc_id, {})
        yield doc_id, text, _prepare(gold_rec["attributions"], text), _prepare(
            pred_rec.get("attributions", []), text
        )


def score(gold_docs: dict[str, Record], pred_docs: dict[str, Record], t: float = 0.5) -> Record:
    """The same metrics, keys and values as the reference scorer's ``--json`` output."""
    c: Counter = Counter()
    for doc_id, text, gold, pred in _documents(gold_docs, pred_docs):
        if "text" in pred_docs.get(doc_id, {}) and pred_docs[doc_id]["text"] != text.text:
            c["pred_text_differs"] += 1
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        c["pred_unlocated"] += sum(not p["tok"] for p in pred)
        for k in KINDS:
            c["gold_" + k] += sum(x["kind"] == k for x in gold)
            c["pred_" + k] += sum(x["kind"] == k for x in pred)
        for g, p in _pair(gold, pred, lambda a, b: a == b and bool(a)):
            c["exact"] += 1
            c["e2e_exact_strict"] += _role_correct(g["source"], p["source"], True, t)
        for g, p in _pair(gold, pred, lambda a, b: _overlaps(a, b, t)):
            strict = _role_correct(g["source"], p["source"], True, t)
            lenient = _role_correct(g["source"], p["source"], False, t)
            for k in ("all", g["kind"]):
                c["ovl_gold_" + k] += 1
                c["src_strict_" + k] += strict
                c["src_lenient_" + k] += lenient
            c["ovl_pred_" + p["kind"]] += 1
            c["cue"] += _role_correct(g["cue"], p["cue"], False, t)
            c["e2e_overlap_lenient"] += lenient
    return {
        "overlap_threshold": t,
        "content_exact": _prf(c["exact"], c["pred"], c["gold"]),
        "content_overlap": _prf(c["ovl_gold_all"], c["pred"], c["gold"]),
        "content_overlap_by_kind": {
            k: {"recall": _ratio(c["ovl_gold_" + k], c["gold_" + k]),
                "precision": _ratio(c["ovl_pred_" + k], c["pred_" + k]),
                "n_gold": c["gold_" + k], "n_pred": c["pred_" + k]}
            for k in KINDS
        },
        "source_accuracy": {
            k: {"n_matched": c["ovl_gold_" + k],
                "strict": _ratio(c["src_strict_" + k], c["ovl_gold_" + k]),
                "lenient": _ratio(c["src_lenient_" + k], c["ovl_gold_" + k])}
            for k in ("all",) + KINDS
        },
        "cue_accuracy": _ratio(c["cue"], c["ovl_gold_all"]),
        "end2end_overlap_lenient": _prf(c["e2e_overlap_lenient"], c["pred"], c["gold"]),
        "end2end_exact_strict": _prf(c["e2e_exact_strict"], c["pred"], c["gold"]),
        "pred_content_not_located": c["pred_unlocated"],
        "pred_docs_with_different_text": c["pred_text_differs"],
        "docs": {"gold": len(gold_docs), "pred_matched": len(set(pred_docs) & set(gold_docs)),
                 "pred_unknown": len(set(pred_docs) - set(gold_docs))},
    }


def diagnose(gold_docs: dict[str, Record], pred_docs: dict[str, Record], t: float = 0.5) -> Record:
    """Error types and per-cue-class recall.

    Every gold statement is exactly one of: ``exact``, ``boundary`` (overlap
    match, other edges), ``wrong_source`` (overlap match, source wrong even
    leniently; counted on top of exact/boundary), ``partial`` (shares words
    with a prediction but under the overlap threshold) or ``missed`` (no
    prediction shares a word). Predictions sharing no word with any gold
    statement are ``spurious``.
    """
    errors: Counter = Counter()
    by_cue: dict[str, Counter] = {}
    for _doc_id, _text, gold, pred in _documents(gold_docs, pred_docs):
        matched = {id(g): p for g, p in _pair(gold, pred, lambda a, b: _overlaps(a, b, t))}
        for g in gold:
            cue_class = _cue_class(g)
            counts = by_cue.setdefault(cue_class, Counter())
            counts["gold"] += 1
            p = matched.get(id(g))
            if p is not None:
                counts["found"] += 1
                errors["exact" if p["tok"] == g["tok"] else "boundary"] += 1
                if not _role_correct(g["source"], p["source"], False, t):
                    errors["wrong_source"] += 1
            elif any(g["tok"] & q["tok"] for q in pred):
                errors["partial"] += 1
            else:
                errors["missed"] += 1
        errors["spurious"] += sum(1 for q in pred if not any(q["tok"] & g["tok"] for g in gold))
    classes = {
        cue: {"gold": n["gold"], "found": n["found"], "recall": _ratio(n["found"], n["gold"])}
        for cue, n in sorted(by_cue.items(), key=lambda kv: -kv[1]["gold"])
    }
    return {"errors": dict(errors), "cue_classes": classes}


def _cue_class(item: Record) -> str:
    """A gold cue's class: its last word, lowercased (``has said`` -> ``said``)."""
    cue = item["att"].get("cue") or ""
    words = WORD.findall(cue.lower())
    return words[-1] if words else "(none)"
