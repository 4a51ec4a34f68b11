"""The compiled attribute map sets exactly what spaCy's attribute ruler sets, on real articles and on hand-made patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from readouts.attribute_map import AttributeMap, compile_patterns, compile_ruler
from readouts.nlp import PIPELINE, load_nlp

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ottawa-trade-talks.txt"


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(PIPELINE, exclude=["ner"])


def test_the_pipeline_runs_the_compiled_map():
    assert isinstance(load_nlp(("ner",)).get_pipe("attribute_ruler"), AttributeMap)


def test_same_annotations_as_spacy_on_the_shipped_example(stock):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert _annotations(load_nlp(("ner",))(text)) == _annotations(stock(text))


def test_same_annotations_as_spacy_on_the_seed(stock, seed_text):
    assert _annotations(load_nlp(("ner",))(seed_text)) == _annotations(stock(seed_text))


def test_contractions_and_spaces_take_the_exceptions(stock):
    text = "I'm sure he's not doin' nothin' wrong, y'know.\n\nThey've said it isn't so."
    ours = load_nlp(("ner",))(text)
    assert _annotations(ours) == _annotations(stock(text))
    assert [t.lemma_ for t in ours if t.lower_ in ("'m", "'s", "doin'", "n't")] == ["be", "be", "do", "not"]


def test_hand_made_patterns_in_order_later_ones_winning(stock):
    patterns = [
        {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}},
        {"patterns": [[{"LOWER": {"IN": ["ottawa", "canada"]}}]], "attrs": {"POS": "X", "LEMMA": "place"}},
        {"patterns": [[{"LOWER": {"REGEX": "^tal"}}, {"LOWER": "resumed"}]], "attrs": {"LEMMA": "TALK"}, "index": 0},
        {"patterns": [[{"LOWER": "resumed"}]], "attrs": {"MORPH": "Tense=Past"}, "index": -1},
        {"patterns": [[{"DEP": {"NOT_IN": ["nsubj", "punct"]}, "IS_SPACE": False, "LOWER": "in"}]], "attrs": {"TAG": "IN2"}},
    ]
    text = "Talks resumed in Ottawa on Monday, Canada said."
    theirs = stock.make_doc(text)
    ours = stock.make_doc(text)
    for doc in (theirs, ours):
        for name in ("tok2vec", "tagger", "parser"):
            stock.get_pipe(name)(doc)
    ruler = AttributeRuler(stock.vocab)
    ruler.add_patterns(patterns)
    ruler(theirs)
    compiled = compile_patterns(stock.vocab, patterns)
    assert compiled is not None
    compiled(ours)
    assert _annotations(ours) == _annotations(theirs)
    assert ours[0].lemma_ == "TALK" and ours[3].pos_ == "X" and ours[2].tag_ == "IN2"


def test_a_pattern_outside_the_compiled_form_keeps_spacys_ruler(stock):
    ruler = AttributeRuler(stock.vocab)
    ruler.add_patterns([{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}])
    assert compile_ruler(ruler) is None


def test_an_empty_text_passes_through():
    assert len(load_nlp(("ner",))("")) == 0
