"""Reads a spaCy lemmatizer and produces a pipeline component that gives every token the same lemma, worked out once per word form.

Why not spaCy's own component: its rule lemmatizer caches only the forms that reach the
end of its rules, and most tokens leave early (a singular noun, a verb in its base form,
an adjective in the positive are their own lemma), so it redoes the part-of-speech and
morphology tests at every token: about a fifth of the whole parse of an article. A lemma
depends on nothing but the token's text, part of speech and morphology (spaCy's own cache
key), so this component asks the lemmatizer once per such triple and reads the rest from
a table, setting the lemma column of the Doc at once.
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
