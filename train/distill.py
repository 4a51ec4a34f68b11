"""Reads a trained tagger (adapter folder) and training windows; produces its label scores on them and a student started from its first layers.

Distillation: a tagger of fewer layers learns from the gold labels and, at once, from the
scores the full tagger gives the same windows (its float32 build, the most accurate), so it
also learns how sure the full tagger was. The student starts from the full tagger's
low-rank updates, biases and norms of the layers it keeps.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy

from readouts.extract.encoder_model import built_model, unpack_factor

# Windows per onnxruntime run while scoring the training windows.
SCORE_BATCH = 32


def teacher_scores(teacher_dir: Path, examples, threads: int) -> list[numpy.ndarray]:
    """The teacher's label scores (float16, one [pieces, labels] array per window), kept beside the
    teacher under a key of its adapter and the windows, so a second run reads them."""
    digest = hashlib.sha256((teacher_dir / "adapter.npz").read_bytes())
    for ids, _ in examples:
        digest.update(numpy.asarray(ids, numpy.int32).tobytes())
    cached = teacher_dir / f"scores-{digest.hexdigest()[:16]}.npz"
    if cached.is_file():
        with numpy.load(cached) as npz:
            return numpy.split(npz["scores"], numpy.cumsum(npz["lengths"])[:-1])
    scores = _scored(teacher_dir, examples, threads)
    numpy.savez(cached, scores=numpy.concatenate(scores), lengths=numpy.array([len(s) for s in scores]))
    return scores


def _scored(teacher_dir: Path, examples, threads: int) -> list[numpy.ndarray]:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    session = onnxruntime.InferenceSession(str(built_model(teacher_dir, "float32")), options,
                                           providers=["CPUExecutionProvider"])
    started, out = time.time(), []
    for first in range(0, len(examples), SCORE_BATCH):
        chunk = [ids for ids, _ in examples[first : first + SCORE_BATCH]]
        width = max(len(ids) for ids in chunk)
        ids = numpy.zeros((len(chunk), width), numpy.int64)
        mask = numpy.zeros_like(ids)
        for row, piece_ids in enumerate(chunk):
            ids[row, : len(piece_ids)], mask[row, : len(piece_ids)] = piece_ids, 1
        scores = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": numpy.zeros_like(ids)})[0]
        out += [scores[row, : len(piece_ids)].astype(numpy.float16) for row, piece_ids in enumerate(chunk)]
    print(f"teacher scored {len(examples)} windows in {time.time() - started:.0f}s", flush=True)
    return out


def start_from_teacher(model, teacher_dir: Path) -> None:
    """Copy the teacher's trained parts for the layers the student keeps (its classifier too)."""
    import torch

    with numpy.load(teacher_dir / "adapter.npz") as npz:
        adapter = {k: npz[k] for k in npz.files}
    if any(k.endswith(".intermediate.kept") for k in adapter):
        # Its feed-forward factors are cut to the units it kept, so they would not fit and be skipped.
        raise SystemExit(f"{teacher_dir} holds a pruned tagger: distil from an unpruned one (make train-four)")
    with torch.no_grad():
        for name, param in model.named_parameters():
            if not param.requires_grad:
                continue
            key = name[len("bert."):].replace(".base.", ".") if name.startswith("bert.") else name
            if key.endswith((".A", ".B")) and f"{key}.q" in adapter:
                value = unpack_factor(adapter, key)
            elif key in adapter:
                value = adapter[key].astype(numpy.float32)
            else:
                continue
            if tuple(value.shape) == tuple(param.shape):
                param.copy_(torch.from_numpy(numpy.ascontiguousarray(value)))
            elif key.endswith((".A", ".B")) and _fits_in(value.shape, param.shape):
                _copy_into_rank(param, value, torch)


def _fits_in(teacher: tuple[int, ...], student: tuple[int, ...]) -> bool:
    """A teacher factor of lower rank than the student's: same shape but for its rank axis."""
    differ = [t < s for t, s in zip(teacher, student) if t != s]
    return len(teacher) == len(student) == 2 and differ == [True]


def _copy_into_rank(param, value: numpy.ndarray, torch) -> None:
    """The teacher's rank-r factor into the first r components of the student's larger one (A is
    [rank, in], B is [out, rank]): B's other columns stay zero, so the student starts computing
    exactly what the teacher's first layers do and has spare rank to learn what the dropped ones did."""
    rows, cols = value.shape
    param[:rows, :cols] = torch.from_numpy(numpy.ascontiguousarray(value))


def distilled_loss(logits, labels, teacher, weight: float, temperature: float):
    """``(1 - weight)`` x cross-entropy on the gold labels + ``weight`` x T² x KL(teacher ‖ student)
    at temperature T, over the pieces that carry a label."""
    import torch

    keep = labels.flatten() != -100
    student = logits.flatten(0, 1)[keep]
    gold = torch.nn.functional.cross_entropy(student, labels.flatten()[keep])
    if teacher is None or weight == 0:
        return gold
    target = torch.nn.functional.log_softmax(teacher.flatten(0, 1)[keep].float() / temperature, dim=-1)
    soft = torch.nn.functional.kl_div(torch.nn.functional.log_softmax(student / temperature, dim=-1), target,
                                      log_target=True, reduction="batchmean")
    return (1 - weight) * gold + weight * temperature**2 * soft
