"""Cleans what ingest read: main text from HTML, debris spans, language, metadata; reads RawDocument, produces Article."""

from readouts.clean.article import clean
from readouts.clean.debris import find_debris
from readouts.clean.language import identify_language

__all__ = ["clean", "find_debris", "identify_language"]
