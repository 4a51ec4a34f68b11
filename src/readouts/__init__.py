"""Readouts: who said what, through whom, and where the accounts disagree."""

from readouts.model import (
    Actor,
    Article,
    Attribution,
    Channel,
    Claim,
    Failure,
    Ledger,
    RawDocument,
    Stance,
    Statement,
)
from readouts.pipeline import analyze, analyze_documents, analyze_text

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Attribution",
    "Channel",
    "Claim",
    "Failure",
    "Ledger",
    "RawDocument",
    "Stance",
    "Statement",
    "analyze",
    "analyze_documents",
    "analyze_text",
]
