"""Evaluation against gold data: attribution and findings scoring with error analysis."""

from readouts.evaluate.scoring import diagnose, load_records, score

__all__ = ["diagnose", "load_records", "score"]
