"""Evaluation against gold data: attribution scoring with error analysis."""

from readouts.evaluate.scoring import diagnose, load_records, score

__all__ = ["diagnose", "load_records", "score"]
