"""The lemma cache gives every token the lemma spaCy's lemmatizer gives, asking it once per word form."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from readouts.lemma_cache import LemmaCache
from readouts.nlp import PIPELINE, load_nlp

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ottawa-trade-talks.txt"


@pytest.fixture(scope="module")
def stock():
    return spacy.load(PIPELINE, exclude=["ner"])


def _lemmas(doc):
    return [(t.text, t.pos_, t.lemma_) for t in doc]


def test_the_pipeline_runs_the_cache_in_the_lemmatizers_place():
    nlp = load_nlp(("ner",))
    assert isinstance(nlp.get_pipe("lemmatizer"), LemmaCache)
    assert nlp.pipe_names[-1] == "lemmatizer"


def test_same_lemmas_as_spacy_on_the_example_read_twice(stock):
    text = EXAMPLE.read_text(encoding="utf-8")
    nlp = load_nlp(("ner",))
    first, second = nlp(text), nlp(text)  # the second reading comes from the table
    assert _lemmas(first) == _lemmas(stock(text)) == _lemmas(second)


def test_each_form_is_worked_out_once_and_earlier_lemmas_are_kept(stock):
    cache = LemmaCache(stock.get_pipe("lemmatizer"))
    asked = []
    lemmatize = cache.lemmatizer.lemmatize
    cache.lemmatizer.lemmatize = lambda token: asked.append(token.text) or lemmatize(token)
    try:
        doc = stock.make_doc("Officials said talks went well. Officials said talks went well. I'm sure.")
        for name in ("tok2vec", "tagger", "parser", "attribute_ruler"):
            doc = stock.get_pipe(name)(doc)
        cache(doc)
    finally:
        del cache.lemmatizer.lemmatize
    assert asked.count("Officials") == 1 and asked.count("went") == 1
    assert "'m" not in asked  # the attribute ruler set its lemma; spaCy's lemmatizer keeps it too
    assert [t.lemma_ for t in doc if t.text in ("Officials", "went", "'m")] == ["official", "go", "official", "go", "be"]
