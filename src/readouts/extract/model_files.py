"""Packs and unpacks the trained tagger's weights; reads a spaCy model folder, produces a half-size one and back.

The tagger's tok2vec layer (en_core_web_sm's, fine-tuned) is 6 MB of float32
weights. The package ships it as float16 (half the size; the tagger's dev
scores do not move) under ``model.f16``, and the loader restores a float32
copy in a temporary folder for ``spacy.load``: spaCy's own loaders only read
float32 files.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy
import srsly

PACKED_SUFFIX = ".f16"
PACKED_PARTS = ("tok2vec/model",)


def pack(model_dir: Path) -> None:
    """Rewrite the large weight files of ``model_dir`` as float16 ``*.f16`` files."""
    for part in PACKED_PARTS:
        path = model_dir / part
        data = srsly.msgpack_loads(path.read_bytes())
        Path(str(path) + PACKED_SUFFIX).write_bytes(srsly.msgpack_dumps(_cast(data, numpy.float32, numpy.float16)))
        path.unlink()


def unpack(packed_dir: Path, target: Path) -> Path:
    """A loadable float32 copy of ``packed_dir`` at ``target``."""
    shutil.copytree(packed_dir, target, ignore=shutil.ignore_patterns(f"*{PACKED_SUFFIX}", "__pycache__"))
    for part in PACKED_PARTS:
        packed = Path(str(packed_dir / part) + PACKED_SUFFIX)
        if packed.is_file():
            data = srsly.msgpack_loads(packed.read_bytes())
            (target / part).write_bytes(srsly.msgpack_dumps(_cast(data, numpy.float16, numpy.float32)))
    return target


def _cast(value: Any, source: type, dest: type) -> Any:
    if isinstance(value, numpy.ndarray):
        return value.astype(dest) if value.dtype == source else value
    if isinstance(value, dict):
        return {k: _cast(v, source, dest) for k, v in value.items()}
    if isinstance(value, list):
        return [_cast(v, source, dest) for v in value]
    return value
