"""Runs extraction over a gold JSONL file and scores it; produces metrics, error counts and a text report."""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from readouts.evaluate.scoring import diagnose, load_records, score


@dataclass(frozen=True)
class Evaluation:
    metrics: dict[str, Any]
    diagnosis: dict[str, Any]
    documents: int
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    def to_json(self) -> str:
        return json.dumps(
            {"metrics": self.metrics, "diagnosis": self.diagnosis, "documents": self.documents,
             "seconds": round(self.seconds, 2), "articles_per_second": round(self.articles_per_second, 2)},
            indent=1,
        )


def evaluate_attributions(
    gold_path: str | Path,
    *,
    predictions: str | Path | None = None,
    n_process: int = 2,
    overlap: float = 0.5,
    progress: Callable[[int], None] | None = None,
) -> Evaluation:
    """Extract from every gold text (unless ``predictions`` are given) and score against the gold."""
    gold = load_records(gold_path)
    seconds = 0.0
    if predictions is None:
        from readouts.extract.bulk import extract_corpus

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "pred.jsonl"
            started = time.perf_counter()
            extract_corpus(Path(gold_path), out, n_process=n_process, progress=progress)
            seconds = time.perf_counter() - started
            pred = load_records(out)
    else:
        pred = load_records(predictions)
    return Evaluation(score(gold, pred, overlap), diagnose(gold, pred, overlap), len(gold), seconds)


def format_report(evaluation: Evaluation, *, top_cues: int = 15) -> str:
    """The reference scorer's table, then error types and the most frequent cue classes."""
    m = evaluation.metrics
    lines = [f"docs: {m['docs']['gold']} gold, {m['docs']['pred_matched']} predicted"]
    lines.append(f"{'':34} {'P':>6} {'R':>6} {'F1':>6} {'n_gold':>7} {'n_pred':>7}")
    rows = (
        ("content exact", "content_exact"),
        (f"content overlap>={m['overlap_threshold']:g}", "content_overlap"),
        ("end2end overlap+source lenient", "end2end_overlap_lenient"),
        ("end2end exact+source strict", "end2end_exact_strict"),
    )
    for name, key in rows:
        r = m[key]
        lines.append(f"{name:34} {_f(r['p'])} {_f(r['r'])} {_f(r['f1'])} {r['n_gold']:7d} {r['n_pred']:7d}")
    for kind, r in m["content_overlap_by_kind"].items():
        label = f"  content overlap, {kind}"
        lines.append(f"{label:34} {_f(r['precision'])} {_f(r['recall'])} {'':6} {r['n_gold']:7d} {r['n_pred']:7d}")
    lines.append("source accuracy on overlap-matched contents:   strict lenient  n_matched")
    for kind, r in m["source_accuracy"].items():
        lines.append(f"  {kind:45} {_f(r['strict'])} {_f(r['lenient'])} {r['n_matched']:8d}")
    lines.append(f"cue accuracy on overlap-matched contents: {_f(m['cue_accuracy']).strip()}")
    errors = evaluation.diagnosis["errors"]
    lines.append("")
    lines.append("errors: " + ", ".join(f"{k} {errors.get(k, 0)}" for k in
                                        ("exact", "boundary", "partial", "missed", "wrong_source", "spurious")))
    lines.append(f"cue classes (top {top_cues} by gold count): gold  found  recall")
    for cue, r in list(evaluation.diagnosis["cue_classes"].items())[:top_cues]:
        lines.append(f"  {cue:30} {r['gold']:5d} {r['found']:6d} {_f(r['recall'])}")
    if evaluation.seconds:
        lines.append(f"speed: {evaluation.articles_per_second:.2f} articles/s "
                     f"({evaluation.documents} in {evaluation.seconds:.1f} s)")
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "  -   " if x is None else f"{x:6.3f}"
