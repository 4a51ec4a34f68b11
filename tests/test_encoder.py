"""The encoder tagger: windows over long texts, the adapter folded into the pinned base encoder, the build cache."""

from __future__ import annotations

import json

import numpy
import pytest

from readouts.errors import ModelMissingError
from readouts.extract import encoder, encoder_model
from readouts.extract.encoder import windows


@pytest.mark.parametrize("n", [1, 5, 126, 127, 300, 1000])
def test_windows_cover_every_piece_and_stay_in_bounds(n):
    spans = windows(n, 126, 96)
    covered = numpy.zeros(n, int)
    for a, b in spans:
        assert 0 <= a < b <= n and b - a <= 126
        covered[a:b] += 1
    assert covered.min() >= 1 and spans[-1][1] == n


def test_windows_of_nothing():
    assert windows(0, 126, 96) == []


def test_low_rank_update_is_b_times_a_transposed():
    rng = numpy.random.default_rng(0)
    adapter = {"lora_scale": numpy.array(2.0), "layers": numpy.array(1)}
    raw = {}
    for matrix in encoder_model.LAYER_MATRICES:
        width_out = 1536 if matrix == "intermediate.dense" else 384
        width_in = 1536 if matrix == "output.dense" else 384
        raw[f"encoder.layer.0.{matrix}.A"] = rng.normal(size=(4, width_in))
        raw[f"encoder.layer.0.{matrix}.B"] = rng.normal(size=(width_out, 4))
        for factor in "AB":
            adapter.update(encoder_model.pack_factor(f"encoder.layer.0.{matrix}.{factor}", raw[f"encoder.layer.0.{matrix}.{factor}"]))
    deltas = encoder_model.matrix_deltas(adapter)
    name = "encoder.layer.0.intermediate.dense"
    assert deltas[name].shape == (384, 1536)  # [in, out], as the ONNX graph multiplies
    expected = (raw[f"{name}.B"] @ raw[f"{name}.A"]).T * 2.0
    assert numpy.abs(deltas[name] - expected).max() < 0.02 * numpy.abs(expected).max()  # int8 factors


def test_packed_factor_keeps_each_row_within_its_int8_step():
    value = numpy.random.default_rng(1).normal(size=(8, 384)).astype(numpy.float32)
    packed = encoder_model.pack_factor("f", value)
    assert packed["f.q"].dtype == numpy.int8
    restored = encoder_model.unpack_factor(packed, "f")
    step = numpy.abs(value).max(axis=1, keepdims=True) / 127
    assert (numpy.abs(restored - value) <= step / 2 + 1e-6).all()


def _unchanged_factors(layer: int, units: int = 1536) -> dict[str, numpy.ndarray]:
    """Rank-2 factors of one layer whose update is zero (B is zero), for ``units`` feed-forward units."""
    factors = {}
    for matrix in encoder_model.LAYER_MATRICES:
        width_out = units if matrix == "intermediate.dense" else 384
        width_in = units if matrix == "output.dense" else 384
        stem = f"encoder.layer.{layer}.{matrix}"
        factors.update(encoder_model.pack_factor(f"{stem}.A", numpy.ones((2, width_in))))
        factors.update(encoder_model.pack_factor(f"{stem}.B", numpy.zeros((width_out, 2))))
    return factors


def _zero_adapter(folder, labels):
    """An adapter that changes nothing in the encoder, with a head that reads hidden unit 0."""
    adapter = {"lora_scale": numpy.array(2.0), "layers": numpy.array(6), "rank": numpy.array(2)}
    for layer in range(6):
        adapter.update(_unchanged_factors(layer))
    head = numpy.zeros((len(labels), 384), numpy.float32)
    head[0, 0] = 1.0
    adapter["head.weight"], adapter["head.bias"] = head, numpy.zeros(len(labels), numpy.float32)
    numpy.savez(folder / "adapter.npz", **adapter)
    (folder / "meta.json").write_text(json.dumps({"labels": labels, "window": 30, "stride": 20}))
    (folder / "tokenizer.json").write_bytes((encoder.model_path() / "tokenizer.json").read_bytes())


@pytest.fixture
def zero_tagger(tmp_path, monkeypatch):
    """A tagger built from the zero adapter, its cache in ``tmp_path / "cache"``."""
    monkeypatch.setenv("READOUTS_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "model"
    folder.mkdir()
    _zero_adapter(folder, ["O", "B-CONTENT", "I-CONTENT"])
    return encoder.EncoderTagger(folder)


def test_zero_adapter_reproduces_the_base_encoder(zero_tagger, tmp_path):
    import onnxruntime

    tagger = zero_tagger
    ids = tagger.tokenizer.encode("The minister said the talks would resume.", add_special_tokens=False).ids
    scores = tagger.scores(ids)

    base = onnxruntime.InferenceSession(str(encoder_model.base_model_path()))
    row = numpy.array([[tagger.cls, *ids, tagger.sep]], numpy.int64)
    hidden = base.run(None, {"input_ids": row, "attention_mask": numpy.ones_like(row), "token_type_ids": numpy.zeros_like(row)})[0]
    unit0 = hidden[0, 1:-1, 0]
    assert numpy.corrcoef(scores[:, 0], unit0)[0, 1] > 0.98  # int8 products, same encoder
    built = sorted((tmp_path / "cache" / "readouts").glob("attribution-tagger-*.onnx"))
    assert [p.name.rsplit("-", 1)[1] for p in built] == ["float32.onnx", "int8.onnx"]  # both, to choose between
    stamps = [p.stat().st_mtime_ns for p in built]
    encoder.EncoderTagger(tmp_path / "model")  # a second load reads the cache
    assert [p.stat().st_mtime_ns for p in built] == stamps


def test_fused_graph_computes_what_the_pinned_file_computes(tmp_path, monkeypatch):
    import onnxruntime

    monkeypatch.setenv("READOUTS_CACHE", str(tmp_path))
    rows = numpy.array([[101, 1996, 2704, 2056, 1996, 7566, 2052, 13746, 1012, 102],
                        [101, 2002, 2056, 102, 0, 0, 0, 0, 0, 0]], numpy.int64)
    mask = (rows > 0).astype(numpy.int64)
    feed = {"input_ids": rows, "attention_mask": mask, "token_type_ids": numpy.zeros_like(rows)}
    pinned = onnxruntime.InferenceSession(str(encoder_model.base_model_path())).run(None, feed)[0]
    real = mask.astype(bool)  # padded positions carry no meaning
    for precision, correlation in (("float32", 0.999), ("int8", 0.98)):  # tanh GELU; int8 products
        ours = onnxruntime.InferenceSession(str(encoder_model.built_base_model(precision))).run(None, feed)[0]
        assert numpy.corrcoef(ours[real].ravel(), pinned[real].ravel())[0, 1] > correlation
        if precision == "float32":
            assert numpy.abs(ours[real] - pinned[real]).max() < 0.1


def test_a_graph_keeps_only_the_layers_asked_for():
    from readouts.extract.encoder_graph import encoder_graph

    params = encoder_model.base_weights(encoder_model.base_model_path())
    model = encoder_graph(params, heads=12, layers=3, head=(numpy.zeros((384, 7), numpy.float32), numpy.zeros(7, numpy.float32)))
    ops = [node.op_type for node in model.graph.node]
    assert ops.count("Attention") == 3 and ops.count("SkipLayerNormalization") == 6
    assert [o.name for o in model.graph.output] == ["scores"]


def _one_layer_adapter(path, units: int, bias, kept=None) -> None:
    """A one-layer adapter whose matrices stay the base's, with ``units`` feed-forward units."""
    adapter = {"lora_scale": numpy.array(2.0), "layers": numpy.array(1), **_unchanged_factors(0, units)}
    adapter["encoder.layer.0.intermediate.dense.bias"] = bias.astype(numpy.float32)
    if kept is not None:
        adapter["encoder.layer.0.intermediate.kept"] = kept.astype(numpy.int16)
    head = numpy.random.default_rng(2).normal(size=(5, 384)).astype(numpy.float32)
    adapter["head.weight"], adapter["head.bias"] = head, numpy.zeros(5, numpy.float32)
    numpy.savez(path, **adapter)


def test_a_pruned_tagger_computes_what_the_full_one_does_with_the_dropped_units_silenced(tmp_path):
    import onnxruntime

    base = encoder_model.base_model_path()
    bias = encoder_model.base_weights(base)["encoder.layer.0.intermediate.dense.bias"]
    kept = numpy.arange(0, 1536, 2)
    silenced = bias.copy()
    silenced[1::2] = -1000.0  # GELU of a large negative number is zero: the odd units add nothing
    _one_layer_adapter(tmp_path / "full.npz", 1536, silenced)
    _one_layer_adapter(tmp_path / "pruned.npz", 768, bias[kept], kept)
    pruned = encoder_model.tagger_graph(base, tmp_path / "pruned.npz")
    shapes = {i.name: tuple(i.dims) for i in pruned.graph.initializer}
    assert shapes["encoder.layer.0.intermediate.dense.weight"] == (384, 768)
    assert shapes["encoder.layer.0.output.dense.weight"] == (768, 384)
    rows = numpy.array([[101, 1996, 2704, 2056, 1996, 7566, 2052, 13746, 1012, 102]], numpy.int64)
    feed = {"input_ids": rows, "attention_mask": numpy.ones_like(rows), "token_type_ids": numpy.zeros_like(rows)}
    scores = [onnxruntime.InferenceSession(graph.SerializeToString()).run(None, feed)[0]
              for graph in (encoder_model.tagger_graph(base, tmp_path / "full.npz"), pruned)]
    assert numpy.abs(scores[0] - scores[1]).max() < 1e-3 * numpy.abs(scores[0]).max()


def test_long_text_is_tagged_through_overlapping_windows(zero_tagger):
    tagger = zero_tagger
    text = " ".join(f"Sentence {i} says the talks resume." for i in range(40))
    ids = tagger.tokenizer.encode(text, add_special_tokens=False).ids
    assert len(ids) > 200
    scores = tagger.scores(ids)
    assert scores.shape == (len(ids), 3) and numpy.isfinite(scores).all()
    for span in tagger(text).ents:
        assert 0 <= span.start_char < span.end_char <= len(text)


@pytest.mark.parametrize("precision", [None, "float32"])
def test_missing_adapter_is_a_coded_error(tmp_path, precision):
    with pytest.raises(ModelMissingError, match="R401"):
        encoder.EncoderTagger(tmp_path, precision=precision)


def test_a_chosen_precision_builds_only_that_model(tmp_path, monkeypatch):
    monkeypatch.setenv("READOUTS_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "model"
    folder.mkdir()
    _zero_adapter(folder, ["O", "B-CONTENT", "I-CONTENT"])
    assert encoder.EncoderTagger(folder, precision="float32").precision == "float32"
    built = [p.name.rsplit("-", 1)[1] for p in (tmp_path / "cache" / "readouts").glob("attribution-tagger-*.onnx")]
    assert built == ["float32.onnx"]


def test_base_file_must_match_its_pinned_hash(monkeypatch):
    monkeypatch.setattr(encoder_model, "BASE_SHA256", "0" * 64)
    with pytest.raises(ModelMissingError, match="pinned version"):
        encoder_model.base_model_path()


def test_shipped_model_files_are_small():
    files = [p for p in encoder.model_path().rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"adapter.npz", "meta.json", "tokenizer.json"}
    assert all(p.stat().st_size < 5_000_000 for p in files)


def _log_scores(rows):
    return numpy.log(numpy.array(rows, float))


def test_decoder_bridges_one_doubtful_piece_inside_a_span():
    decoder = encoder.BioDecoder(["O", "B-CONTENT", "I-CONTENT"], 1.0, 1.0)
    scores = _log_scores([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.5, 0.1, 0.4],
                          [0.1, 0.1, 0.8], [0.9, 0.05, 0.05]])
    assert scores.argmax(axis=1).tolist() == [0, 1, 2, 0, 2, 0]  # argmax: a fragment, then an I after O
    assert decoder.best_path(scores) == [0, 1, 2, 2, 2, 0]


def test_decoder_never_continues_a_span_it_did_not_open():
    decoder = encoder.BioDecoder(["O", "B-CUE", "I-CUE", "B-SOURCE", "I-SOURCE"], 0.0, 0.0)
    scores = _log_scores([[0.2, 0.05, 0.7, 0.03, 0.02], [0.1, 0.05, 0.05, 0.1, 0.7]])
    path = decoder.best_path(scores)
    labels = ["O", "B-CUE", "I-CUE", "B-SOURCE", "I-SOURCE"]
    assert labels[path[0]] != "I-CUE"
    assert not (labels[path[1]] == "I-SOURCE" and not labels[path[0]].endswith("SOURCE"))
