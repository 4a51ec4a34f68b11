"""Identifies the language of an article offline; reads text, produces an ISO 639-1 code and a coded warning.

The classifier is py3langid (the langid.py model: 97 languages, shipped inside the
package, nothing downloaded), given the text outside quotation marks when that is
long enough. Its answer is taken only when it is sure enough and the text is long
enough to tell; otherwise the text is read as English, the one language statements
are extracted from.
"""

from __future__ import annotations

import re
from functools import lru_cache

from readouts.errors import UnsupportedLanguageError

ENGLISH = "en"
SAMPLE_CHARS = 20_000  # the opening of an article says which language it is in
MIN_LETTERS = 10  # fewer letters than this cannot be told apart: "OK", a name, a dateline
MIN_CONFIDENCE = 0.5  # below this the classifier is guessing; English news quoting other languages lands here
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Quoted words: English news quotes other languages (« c'est déjà fait »), so the narration decides.
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^”“]*[”“]|\"[^\"]*\"")


def identify_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language; English when there is too little text or no clear answer."""
    sample = text[:SAMPLE_CHARS]
    narration = _QUOTED.sub(" ", sample)
    if len(_LETTER.findall(narration)) >= MIN_LETTERS:
        sample = narration
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return ENGLISH
    code, confidence = _identifier().classify(sample)
    return code if confidence >= MIN_CONFIDENCE else ENGLISH


def language_name(code: str) -> str:
    """The English name of a language code (``pl`` -> Polish), from Babel's CLDR data."""
    from babel import Locale

    return Locale("en").languages.get(code) or "an unidentified language"


def language_warning(code: str) -> str:
    """The coded warning an article in another language carries instead of statements."""
    return (
        f"[{UnsupportedLanguageError.code}] The text is in {language_name(code)} ({code}); statements are "
        "only extracted from English text, so none were extracted from this article."
    )


@lru_cache(maxsize=1)
def _identifier():
    # Loaded once per process (about a second): the model is a compressed table inside the package.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
