"""Reads trained head and network weights and produces the pair model as one int8 ONNX graph.

Inputs ``u``, ``v`` (content vectors of the two statements), ``cu``, ``cv`` (their sentences'
vectors), all (N, 384), and ``dense`` (N, D) features; outputs ``same`` (N, 1), the probability
that the two speak to one proposition, and ``heads`` (N, 9), the head outputs the card judge
reads. The graph holds the heads of ``heads.py``, the scaling of the features and the network,
so the runtime computes nothing of its own beyond ``dense``.
onnxruntime's dynamic quantization turns the matrix products to int8.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy

OPSET = 17
IR_VERSION = 9  # what onnxruntime 1.23 reads; onnx 1.23 would write 14


def build_graph(heads: dict[str, numpy.ndarray], mean, scale, layers: list[tuple[numpy.ndarray, numpy.ndarray]], dense: int):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inits, nodes = [], []

    def const(name: str, value) -> str:
        inits.append(numpy_helper.from_array(numpy.asarray(value, numpy.float32), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def pair(a: str, b: str, tag: str) -> str:
        product = node("Mul", [a, b], f"{tag}_mul")
        gap = node("Abs", [node("Sub", [a, b], f"{tag}_sub")], f"{tag}_abs")
        return node("Concat", [product, gap], f"{tag}_pair", axis=1)

    def linear(x: str, weight: str, bias: str, out: str) -> str:
        return node("Add", [node("MatMul", [x, weight], out + "_mm"), bias], out)

    content, sentence = pair("u", "v", "content"), pair("cu", "cv", "sentence")
    for name in ("nli_w", "nli_b", "sts_w", "sts_b", "persp_w", "persp_b"):
        const(name, heads[name])
    parts = [
        "dense",
        node("Softmax", [linear(content, "nli_w", "nli_b", "nli_content")], "nli_content_p", axis=1),
        node("Softmax", [linear(sentence, "nli_w", "nli_b", "nli_sentence")], "nli_sentence_p", axis=1),
        linear(content, "sts_w", "sts_b", "sts_content"),
        linear(sentence, "sts_w", "sts_b", "sts_sentence"),
        linear(content, "persp_w", "persp_b", "persp_content"),
    ]
    node("Concat", parts[1:], "heads", axis=1)
    x = node("Concat", parts, "features", axis=1)
    x = node("Div", [node("Sub", [x, const("mean", mean)], "centred"), const("scale", scale)], "scaled")
    for k, (weight, bias) in enumerate(layers):
        x = linear(x, const(f"w{k}", weight), const(f"b{k}", bias), f"layer{k}")
        if k < len(layers) - 1:
            x = node("Relu", [x], f"relu{k}")
    node("Sigmoid", [x], "same")
    vector = lambda name: helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", 384])  # noqa: E731
    graph = helper.make_graph(
        nodes, "readouts_pairs",
        [vector("u"), vector("v"), vector("cu"), vector("cv"),
         helper.make_tensor_value_info("dense", TensorProto.FLOAT, ["N", dense])],
        [helper.make_tensor_value_info("same", TensorProto.FLOAT, ["N", 1]),
         helper.make_tensor_value_info("heads", TensorProto.FLOAT, ["N", 9])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="readouts")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


def save_int8(model, target: Path) -> None:
    """Quantize the matrix products to int8 and write the model to ``target``."""
    import onnx

    from readouts.extract.encoder_model import quantize_int8

    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        onnx.save(model, str(float_path))
        quantize_int8(float_path, target)
