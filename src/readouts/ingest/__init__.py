"""Reads user inputs (files, directories, JSONL/CSV corpora, stdin, http(s) URLs); produces RawDocument or Failure records."""

from readouts.ingest.fetch import fetch_url
from readouts.ingest.limits import Limits
from readouts.ingest.sources import read_sources

__all__ = ["Limits", "fetch_url", "read_sources"]
