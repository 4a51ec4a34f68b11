"""Reads the int8 and float32 builds of one encoder and produces the precision this CPU runs faster (measured once per machine, cached).

int8 matrix products are fast where the CPU has integer dot-product instructions (AVX-512 VNNI,
AVX-VNNI, ARM's dot product); on a CPU with AVX2 alone they run no faster than float32, and
int8 then only adds the cost of quantizing each activation. Rather than guess from CPU flags,
both builds are timed on the same batch once, and the choice is kept in the cache folder
under a key of the CPU's model and flags, so a cloned cache on another machine is measured
again. ``READOUTS_PRECISION=int8`` or ``float32`` sets it by hand.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy

from readouts.errors import ConfigError
from readouts.extract.encoder_model import PRECISIONS, cache_dir

PRECISION_ENV = "READOUTS_PRECISION"
# A trial batch: 8 windows of 128 pieces, the shape the tagger runs; the best of a few runs.
TRIAL_SHAPE, TRIAL_RUNS = (8, 128), 3
log = logging.getLogger(__name__)


def chosen_precision(model: str, build: Callable[[str], Path]) -> str:
    """``"int8"`` or ``"float32"`` for ``model``; ``build(precision)`` gives that build's file."""
    asked = os.environ.get(PRECISION_ENV, "auto").strip().lower() or "auto"
    if asked in PRECISIONS:
        return asked
    if asked != "auto":
        raise ConfigError(PRECISION_ENV, f"{asked!r} is not a precision",
                          f"set it to one of {', '.join(PRECISIONS)} or auto, or unset it")
    record = cache_dir() / f"precision-{model}-{cpu_key()}.json"
    try:
        choice = json.loads(record.read_text(encoding="utf-8"))["choice"]
        if choice in PRECISIONS:
            return choice
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not measured on this machine yet, or an unreadable record: measure
    seconds = {precision: trial_seconds(build(precision)) for precision in PRECISIONS}
    choice = min(seconds, key=seconds.__getitem__)
    log.info("%s: %s runs faster on this CPU (%s)", model, choice,
             ", ".join(f"{p} {s * 1000:.0f} ms" for p, s in seconds.items()))
    _write(record, {"choice": choice, "seconds": seconds, "cpu": cpu_name()})
    return choice


def trial_seconds(path: Path) -> float:
    """The best time of a few runs of the trial batch through ``path`` on one thread."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    ids = numpy.random.default_rng(0).integers(1000, 20000, TRIAL_SHAPE)
    feed = {"input_ids": ids, "attention_mask": numpy.ones_like(ids), "token_type_ids": numpy.zeros_like(ids)}
    session.run(None, feed)  # the first run allocates
    best = float("inf")
    for _ in range(TRIAL_RUNS):
        started = time.perf_counter()
        session.run(None, feed)
        best = min(best, time.perf_counter() - started)
    return best


def cpu_name() -> str:
    return _cpuinfo().get("model name") or platform.processor() or platform.machine()


def cpu_flags() -> set[str]:
    """The CPU's instruction-set flags as /proc/cpuinfo lists them (empty where there is none)."""
    info = _cpuinfo()
    return set(info.get("flags", info.get("Features", "")).split())


def cpu_key() -> str:
    """A short key for this CPU: its model name and instruction-set flags."""
    info = _cpuinfo()
    text = "|".join([platform.machine(), cpu_name(), info.get("flags", info.get("Features", ""))])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _cpuinfo() -> dict[str, str]:
    """The first processor's fields of /proc/cpuinfo (empty where there is none)."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").split("\n\n")[0]
    except OSError:
        return {}
    fields = (line.split(":", 1) for line in lines.splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in fields}


def _write(record: Path, value: dict) -> None:
    with tempfile.NamedTemporaryFile("w", dir=record.parent, delete=False, suffix=".tmp", encoding="utf-8") as out:
        json.dump(value, out)
    os.replace(out.name, record)
