"""Reads article texts and produces the tagger's CONTENT / SOURCE / CUE character spans (fine-tuned MiniLM on onnxruntime).

The text is cut into WordPiece windows that overlap; each piece takes the mean of
its label scores over the windows that hold it, so a piece near one window's edge
is also judged from inside the next. Labels are BIO over three span types, read
by a Viterbi pass that allows only well-formed sequences and charges a fixed
price for opening and for leaving a span: piece-by-piece argmax breaks long
quotes into fragments (``of the``, ``rank``, ``file Democrats``), which the
linker then reports as statements of their own (polnear dev, merged extractor with the
rank-16 adapter: content overlap F1 0.685 with argmax, 0.756 with this decoding).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy

from readouts.cores import available_cores
from readouts.extract.encoder_model import built_model, read_meta, tagger_name
from readouts.extract.precision import chosen_precision

MODEL_SUBDIR = "models/attribution"
# Windows per onnxruntime call; shorter windows cost less attention, overlap keeps context.
BATCH_WINDOWS = 16
# Log-probability charged for starting a span and for leaving one (measured on polnear dev).
OPEN_PRICE, CLOSE_PRICE = 1.0, 1.0


@dataclass(frozen=True)
class TaggedSpan:
    """One tagged span, named like spaCy's entity attributes so the linker reads either."""

    start_char: int
    end_char: int
    label_: str


@dataclass
class TaggedText:
    """The tagger's spans over one text (character offsets into it)."""

    ents: list[TaggedSpan] = field(default_factory=list)


class EncoderTagger:
    """Tags texts with the fine-tuned encoder; ``pipe`` mirrors ``Language.pipe``."""

    def __init__(self, model_dir: Path, threads: int = 1, precision: str | None = None) -> None:
        """``precision`` is "int8" or "float32"; by default the one this CPU runs faster (``precision.py``)."""
        import onnxruntime
        from tokenizers import Tokenizer

        name = tagger_name(model_dir)  # raises the coded error when the adapter is missing
        self.precision = precision or chosen_precision(name, lambda p: built_model(model_dir, p))
        meta = read_meta(model_dir)
        self.labels: list[str] = meta["labels"]
        self.window, self.stride = int(meta["window"]), int(meta["stride"])
        self.decoder = BioDecoder(self.labels, OPEN_PRICE, CLOSE_PRICE)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls, self.sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(built_model(model_dir, self.precision)), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, text: str) -> TaggedText:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[TaggedText]:
        del batch_size  # windows are batched per text; kept for Language.pipe's signature
        for text in texts:
            encoding = self.tokenizer.encode(text, add_special_tokens=False)
            path = self.decoder.best_path(self.scores(encoding.ids)) if encoding.ids else []
            yield TaggedText(self._spans(text, encoding.offsets, path))

    def scores(self, ids: list[int]) -> numpy.ndarray:
        """Label scores per WordPiece, averaged over the windows that hold it."""
        total = numpy.zeros((len(ids), len(self.labels)), numpy.float32)
        count = numpy.zeros((len(ids), 1), numpy.float32)
        spans = windows(len(ids), self.window, self.stride)
        for first in range(0, len(spans), BATCH_WINDOWS):
            batch = spans[first : first + BATCH_WINDOWS]
            scores = self._encode([[self.cls, *ids[a:b], self.sep] for a, b in batch])
            for (a, b), rows in zip(batch, scores):
                total[a:b] += rows[1 : 1 + b - a]
                count[a:b] += 1
        return total / numpy.maximum(count, 1)

    def _encode(self, rows: list[list[int]]) -> numpy.ndarray:
        width = max(len(r) for r in rows)
        ids = numpy.zeros((len(rows), width), numpy.int64)
        mask = numpy.zeros_like(ids)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": numpy.zeros_like(ids)}
        return self.session.run(None, feed)[0]

    def _spans(self, text: str, offsets, labels) -> list[TaggedSpan]:
        found: list[list] = []
        current = None
        for (start, end), label in zip(offsets, labels):
            name = self.labels[label]
            if name == "O":
                current = None
                continue
            prefix, kind = name.split("-", 1)
            if current is not None and current[2] == kind and prefix == "I":
                current[1] = end
            else:
                current = [start, end, kind]
                found.append(current)
        return [TaggedSpan(s, e, kind) for s, e, kind in found if text[s:e].strip()]


class BioDecoder:
    """The best well-formed BIO sequence under per-piece log-probabilities and span prices."""

    def __init__(self, labels: list[str], open_price: float, close_price: float) -> None:
        kinds = [label.split("-", 1)[-1] if label != "O" else None for label in labels]
        inside = [label.startswith("I-") for label in labels]
        begins = [label.startswith("B-") for label in labels]
        n = len(labels)
        self.transitions = numpy.zeros((n, n))
        for i in range(n):
            for j in range(n):
                if inside[j] and (kinds[i] != kinds[j] or kinds[i] is None):
                    self.transitions[i, j] = -numpy.inf  # I-x only continues x
                else:
                    self.transitions[i, j] = -open_price * begins[j] - close_price * (kinds[i] is not None and kinds[j] is None)
        self.start = numpy.where(inside, -numpy.inf, 0.0)

    def best_path(self, scores: numpy.ndarray) -> list[int]:
        logp = scores - scores.max(axis=1, keepdims=True)
        logp -= numpy.log(numpy.exp(logp).sum(axis=1, keepdims=True))
        best = logp[0] + self.start
        back = numpy.zeros(logp.shape, numpy.int64)
        for t in range(1, len(logp)):
            candidates = best[:, None] + self.transitions
            back[t] = candidates.argmax(axis=0)
            best = candidates.max(axis=0) + logp[t]
        path = [int(best.argmax())]
        for t in range(len(logp) - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        return path[::-1]


def windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """[start, end) windows of ``size`` pieces every ``stride`` pieces; the last one ends at ``n``."""
    if n == 0:
        return []
    starts = list(range(0, max(1, n - size) + 1, stride))
    if starts[-1] + size < n:
        starts.append(n - size)
    return [(s, min(n, s + size)) for s in starts]


def model_path() -> Path:
    return Path(str(resources.files("readouts.data").joinpath(MODEL_SUBDIR)))


@lru_cache(maxsize=1)
def load_tagger() -> EncoderTagger:
    """The attribution tagger, built and loaded once per process: one thread inside a worker
    process (the pool already keeps every core busy), both cores otherwise."""
    return EncoderTagger(model_path(), threads=session_threads())


def session_threads() -> int:
    """Threads for an onnxruntime session: one inside a worker process (the pool keeps every core
    busy), two otherwise."""
    return 1 if multiprocessing.parent_process() is not None else min(2, available_cores())
