"""Reads a spaCy lemmatizer and produces a pipeline component that gives every token the same lemma, worked out once per word form.

Why not spaCy's own component as it loads: its table of known words per part of speech is
a list (20,993 nouns, 57,528 verbs ...), searched from the start for every form a rule
makes, about 0.2 ms a token that reaches the rules; and its cache keeps only the forms that
reach the end of the rules, so the others are worked out again at every token. Together a
sixth of the whole parse of an article. Here the known words are sets (the rules only ask
whether a form is one), and a lemma, which depends on nothing but the token's text, part of
speech and morphology (spaCy's own cache key), is worked out once per such triple; the lemma
column of the Doc is set at once.
"""

from __future__ import annotations

import numpy

FACTORY = "readouts_lemma_cache"
# Distinct (text, part of speech, morphology) triples kept; a corpus's vocabulary stays far
# below this, and past it the table starts afresh rather than grow without bound.
MAX_FORMS = 500_000


class LemmaCache:
    """Sets lemmas as ``lemmatizer`` does (callable like a pipeline component)."""

    def __init__(self, lemmatizer) -> None:
        lemmatizer.lookups = _with_word_sets(lemmatizer.lookups)
        self.lemmatizer = lemmatizer
        self.vocab = lemmatizer.vocab
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].copy()
        keep_set = not self.lemmatizer.overwrite  # spaCy keeps a lemma an earlier component set
        if len(self.lemmas) > MAX_FORMS:
            self.lemmas.clear()
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma and keep_set:
                continue
            key = (orth, pos, morph)
            found = self.lemmas.get(key)
            if found is None:
                found = self.lemmas[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.astype(numpy.uint64)[:, None])
        return doc


def _with_word_sets(lookups):
    """The same lookup tables, with each list of known words (``lemma_index``) as a set."""
    from spacy.lookups import Lookups

    out = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            table = {key: frozenset(words) for key, words in table.items()}
        out.add_table(name, table)
    return out


def use_lemma_cache(nlp) -> None:
    """Put a :class:`LemmaCache` around the pipeline's lemmatizer, under the same name."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    nlp.add_pipe(FACTORY, name="lemmatizer_cached", after="lemmatizer")
    nlp.remove_pipe("lemmatizer")
    nlp.rename_pipe("lemmatizer_cached", "lemmatizer")


def _register() -> None:
    from spacy.language import Language

    @Language.factory(FACTORY)
    def make_lemma_cache(nlp, name: str):
        return LemmaCache(nlp.get_pipe("lemmatizer"))


_register()
