"""Reads BERT parameters (numpy arrays named as in ``transformers.BertModel``) and produces an ONNX encoder of onnxruntime's fused transformer operators.

Why the graph is written here and not taken from the pinned file: that file was exported
from PyTorch with attention spelled out as some twenty small operators (masking through
``Where`` and ``IsNaN``, the heads split by ``Transpose``), and onnxruntime's own optimizer
does not recognise the pattern, so its matrix products took only about a third of the
int8 run time. The same network written with the fused operators (``EmbedLayerNormalization``,
``Attention``, ``BiasGelu``, ``SkipLayerNormalization``) computes the same numbers, and
onnxruntime's dynamic quantization turns them into their int8 forms (``QAttention``,
``QEmbedLayerNormalization``, ``MatMulInteger``). Writing it also lets a model keep only
its first layers.
"""

from __future__ import annotations

import numpy

MS_DOMAIN = "com.microsoft"
OPSET = 17
GELU_OP = "FastGelu"
# The newest file format every supported onnxruntime reads (onnx writes a newer one by default).
IR_VERSION = 9
LAYER_NORM_EPS = 1e-12
# The graph's inputs are those of the exported file, so every caller feeds it alike.
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
HIDDEN_OUTPUT, SCORES_OUTPUT = "last_hidden_state", "scores"


def layer_count(params: dict[str, numpy.ndarray]) -> int:
    """How many encoder layers ``params`` holds."""
    layers = {int(k.split(".")[2]) for k in params if k.startswith("encoder.layer.")}
    return max(layers) + 1 if layers else 0


def encoder_graph(
    params: dict[str, numpy.ndarray],
    *,
    heads: int,
    layers: int | None = None,
    head: tuple[numpy.ndarray, numpy.ndarray] | None = None,
):
    """The encoder as an ``onnx.ModelProto``: the first ``layers`` layers of ``params`` (all when
    None), ending in ``last_hidden_state``, or, with ``head = (weight [hidden, labels], bias)``,
    in per-piece ``scores``."""
    import onnx
    from onnx import TensorProto, helper

    builder = _Builder()
    for name in INPUTS:
        builder.cast_to_int32(name)
    hidden, mask_index = builder.embeddings(params)
    for index in range(layer_count(params) if layers is None else layers):
        hidden = builder.layer(params, f"encoder.layer.{index}.", hidden, mask_index, heads)
    output = HIDDEN_OUTPUT
    if head is not None:
        weight, bias = head
        scores = builder.node("MatMul", [hidden, builder.const("head.weight", weight)])
        builder.node("Add", [scores, builder.const("head.bias", bias)], output=SCORES_OUTPUT)
        output = SCORES_OUTPUT
    else:
        builder.node("Identity", [hidden], output=HIDDEN_OUTPUT)
    graph = helper.make_graph(
        builder.nodes,
        "readouts-encoder",
        [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"]) for name in INPUTS],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", "sequence", None])],
        builder.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="readouts", ir_version=IR_VERSION)
    onnx.checker.check_model(model)
    return model


class _Builder:
    """Collects nodes and initializers; each node's output is named after its position."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.initializers: list = []

    def node(self, op: str, inputs: list[str], *, outputs: int = 1, output: str | None = None,
             domain: str = "", **attributes) -> str:
        from onnx import helper

        names = [output or f"n{len(self.nodes)}_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, domain=domain or None, **attributes))
        return names[0] if outputs == 1 else names

    def const(self, name: str, array: numpy.ndarray) -> str:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(numpy.ascontiguousarray(array, numpy.float32), name))
        return name

    def cast_to_int32(self, name: str) -> None:
        from onnx import TensorProto

        self.node("Cast", [name], output=f"{name}_int32", to=TensorProto.INT32)

    def embeddings(self, params) -> tuple[str, str]:
        e = "embeddings."
        inputs = [
            "input_ids_int32",
            "token_type_ids_int32",
            self.const(e + "word", params[e + "word_embeddings.weight"]),
            self.const(e + "position", params[e + "position_embeddings.weight"]),
            self.const(e + "token_type", params[e + "token_type_embeddings.weight"]),
            self.const(e + "norm.weight", params[e + "LayerNorm.weight"]),
            self.const(e + "norm.bias", params[e + "LayerNorm.bias"]),
            "attention_mask_int32",
        ]
        return self.node("EmbedLayerNormalization", inputs, outputs=2, domain=MS_DOMAIN, epsilon=LAYER_NORM_EPS)

    def layer(self, params, prefix: str, hidden: str, mask_index: str, heads: int) -> str:
        """One encoder layer: self-attention, then the feed-forward block, each with its residual norm."""
        attention = prefix + "attention."
        parts = [params[f"{attention}self.{p}.weight"].T for p in ("query", "key", "value")]
        biases = [params[f"{attention}self.{p}.bias"] for p in ("query", "key", "value")]
        qkv = self.const(prefix + "qkv.weight", numpy.concatenate(parts, axis=1))
        qkv_bias = self.const(prefix + "qkv.bias", numpy.concatenate(biases))
        mixed = self.node("Attention", [hidden, qkv, qkv_bias, mask_index], domain=MS_DOMAIN, num_heads=heads)
        hidden = self._dense_norm(params, attention + "output.", mixed, hidden)
        inner = self.node("MatMul", [hidden, self._weight(params, prefix + "intermediate.dense")])
        inner = self.node(GELU_OP, [inner, self.const(prefix + "intermediate.dense.bias",
                                                         params[prefix + "intermediate.dense.bias"])],
                          domain=MS_DOMAIN)
        return self._dense_norm(params, prefix + "output.", inner, hidden)

    def _dense_norm(self, params, prefix: str, value: str, residual: str) -> str:
        """``LayerNorm(value @ W + b + residual)`` as one MatMul and one SkipLayerNormalization."""
        projected = self.node("MatMul", [value, self._weight(params, prefix + "dense")])
        inputs = [projected, residual,
                  self.const(prefix + "norm.weight", params[prefix + "LayerNorm.weight"]),
                  self.const(prefix + "norm.bias", params[prefix + "LayerNorm.bias"]),
                  self.const(prefix + "dense.bias", params[prefix + "dense.bias"])]
        return self.node("SkipLayerNormalization", inputs, domain=MS_DOMAIN, epsilon=LAYER_NORM_EPS)

    def _weight(self, params, name: str) -> str:
        return self.const(name + ".weight", params[name + ".weight"].T)  # [out, in] -> [in, out]
