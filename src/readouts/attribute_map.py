"""Reads a spaCy ``AttributeRuler``'s patterns and produces a pipeline component that sets the same token attributes by whole-column lookups.

Why not spaCy's own component: the English pipeline's ruler holds 179 patterns (the tag
map, then exceptions such as ``'s`` after a pronoun), and spaCy's ``Matcher`` tries every
one at every token, calling back into Python for each ``IN`` and ``REGEX`` test. On a
1,000-word article that took about 30 ms, as long as the parser. Its patterns are single
tokens or short fixed sequences over a few attributes, so each one is a comparison of whole
attribute columns (numpy), and applying them in their order, later ones winning, gives the
annotations the ruler gives. A pattern outside that form (an ``OP`` or another key) makes
:func:`compile_ruler` return None, and the pipeline keeps spaCy's ruler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy

# Token attributes a compiled pattern may test, and those an entry may set.
TESTED = ("ORTH", "LOWER", "TAG", "POS", "DEP", "IS_SPACE", "IS_PUNCT")
SET = ("POS", "TAG", "MORPH", "LEMMA", "DEP")
PREDICATES = ("IN", "NOT_IN", "REGEX")
FACTORY = "readouts_attribute_map"


@dataclass(frozen=True)
class _Entry:
    sequences: list[list[dict]]  # alternative token sequences
    index: int  # which token of a match takes the attributes
    attrs: dict[str, str]


@dataclass(frozen=True)
class _Lookup:
    key: str
    table: dict[int, dict[str, int]]  # tested value's hash -> attribute settings, merged in order


def _steps(entries: list[_Entry], values: list[dict[str, int]], vocab) -> list:
    """Entries in order; each run of one-token, one exact test on the same attribute becomes one lookup."""
    steps: list = []
    for entry, settings in zip(entries, values):
        simple = len(entry.sequences) == 1 and len(entry.sequences[0]) == 1 and len(entry.sequences[0][0]) == 1
        (key, test), = entry.sequences[0][0].items() if simple else ((None, None),)
        if not simple or isinstance(test, dict) or key.startswith("IS_"):
            steps.append((entry, settings))
            continue
        if not (steps and isinstance(steps[-1], _Lookup) and steps[-1].key == key):
            steps.append(_Lookup(key, {}))
        merged = steps[-1].table.setdefault(vocab.strings[test], {})
        merged.update(settings)
    return steps


class AttributeMap:
    """Applies compiled attribute-ruler entries to a Doc (callable like a pipeline component)."""

    def __init__(self, vocab, entries: list[_Entry]) -> None:
        self.vocab = vocab
        self.entries = entries
        self.tested = sorted({key for e in entries for seq in e.sequences for spec in seq for key in spec})
        self.set = sorted({key for e in entries for key in e.attrs})
        self.steps = _steps(entries, [{k: self._value(k, v) for k, v in e.attrs.items()} for e in entries], vocab)
        self._regex_hits: dict[tuple[str, int], bool] = {}  # (pattern, string hash): searched once per process

    def __call__(self, doc):
        if not len(doc):
            return doc
        columns = dict(zip(self.tested, doc.to_array(self.tested).T))
        out = doc.to_array(self.set)
        col = {key: i for i, key in enumerate(self.set)}
        for step in self.steps:
            if isinstance(step, _Lookup):
                self._look_up(step, columns[step.key], out, col)
                continue
            entry, values = step
            where = self._targets(doc, entry, columns)
            for key, value in values.items():
                out[where, col[key]] = value
        doc.from_array(self.set, out)
        return doc

    def _look_up(self, step: _Lookup, column: numpy.ndarray, out: numpy.ndarray, col: dict[str, int]) -> None:
        """A run of one-token, one-test entries on one attribute, applied as one table lookup."""
        present, inverse = numpy.unique(column, return_inverse=True)
        for i, value in enumerate(present):
            for key, setting in step.table.get(int(value), {}).items():
                out[inverse == i, col[key]] = setting

    def _targets(self, doc, entry: _Entry, columns) -> numpy.ndarray:
        """Indices of the tokens this entry sets: each match's ``index``-th token."""
        n = len(doc)
        hit = numpy.zeros(n, bool)
        for sequence in entry.sequences:
            length = len(sequence)
            if length > n:
                continue
            starts = numpy.ones(n - length + 1, bool)
            for offset, spec in enumerate(sequence):
                for key, test in spec.items():
                    starts &= self._test(doc, columns[key], key, test)[offset : n - length + 1 + offset]
            index = entry.index if entry.index >= 0 else length + entry.index
            hit[numpy.flatnonzero(starts) + index] = True
        return numpy.flatnonzero(hit)

    def _test(self, doc, column: numpy.ndarray, key: str, test) -> numpy.ndarray:
        if key.startswith("IS_"):
            return column == int(bool(test))
        if not isinstance(test, dict):
            return column == self.vocab.strings[test]
        (op, value), = test.items()
        if op == "REGEX":
            chosen = [h for h in numpy.unique(column) if self._regex_hit(doc, value, int(h))]
            return numpy.isin(column, numpy.array(chosen, numpy.uint64))
        keys = numpy.array([self.vocab.strings[v] for v in value], numpy.uint64)
        inside = numpy.isin(column, keys)
        return inside if op == "IN" else ~inside

    def _regex_hit(self, doc, pattern: str, string: int) -> bool:
        known = self._regex_hits.get((pattern, string))
        if known is None:
            known = self._regex_hits[(pattern, string)] = bool(re.search(pattern, doc.vocab.strings[string]))
        return known

    def _value(self, key: str, value: str) -> int:
        from spacy.parts_of_speech import IDS

        if key == "POS":
            return IDS[value]
        if key == "MORPH":
            return self.vocab.morphology.add(value)
        return self.vocab.strings.add(value)


def compile_ruler(ruler) -> AttributeMap | None:
    """The ruler's patterns as an :class:`AttributeMap`, or None if one is outside its form."""
    return compile_patterns(ruler.vocab, ruler.patterns)


def compile_patterns(vocab, patterns: list[dict]) -> AttributeMap | None:
    """``AttributeRuler.patterns``-style entries as an :class:`AttributeMap` (None if one is outside its form)."""
    entries = []
    for pattern in patterns:
        if not set(pattern["attrs"]) <= set(SET) or not all(_compilable(seq) for seq in pattern["patterns"]):
            return None
        entries.append(_Entry(pattern["patterns"], int(pattern.get("index", 0)), dict(pattern["attrs"])))
    return AttributeMap(vocab, entries)


def _compilable(sequence: list[dict]) -> bool:
    for spec in sequence:
        for key, test in spec.items():
            if key not in TESTED:
                return False
            if isinstance(test, dict) and (len(test) != 1 or next(iter(test)) not in PREDICATES):
                return False
            if key.startswith("IS_") and not isinstance(test, bool):
                return False
    return bool(sequence)


def _register() -> None:
    from spacy.language import Language

    @Language.factory(FACTORY, default_config={"patterns": []})
    def make_attribute_map(nlp, name: str, patterns: list[dict]):
        compiled = compile_patterns(nlp.vocab, patterns)
        if compiled is None:
            raise ValueError(f"{FACTORY}: a pattern is outside the compiled form; keep spaCy's attribute_ruler")
        return compiled


_register()
