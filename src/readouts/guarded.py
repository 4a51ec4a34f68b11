"""Runs a batched model over several texts; reads the texts, produces one result per text or the exception that text raised.

spaCy's and the tagger's ``pipe`` read a whole batch at once, so one text they cannot take
(a parser error, a tagger error) would end the batch for every text in it. The batch is tried
whole first (the fast path); when it fails, each text is run on its own, so the one bad text
gets its own failure and its neighbours their results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

R = TypeVar("R")


def pipe_each(pipe: Callable[[Sequence[str]], Iterable[R]], texts: Sequence[str]) -> list[R | Exception]:
    """``list(pipe(texts))``, or on failure each text's own result or exception, in order."""
    try:
        return list(pipe(texts))
    except Exception:  # noqa: BLE001 - which text failed is found below, one at a time
        pass
    results: list[R | Exception] = []
    for text in texts:
        try:
            results.extend(list(pipe([text]))[:1])
        except Exception as exc:  # noqa: BLE001 - becomes that document's coded failure
            results.append(exc)
    return results
