"""The tagger's weights ship as float16 and come back as float32 arrays close to the originals."""

from __future__ import annotations

import numpy
import srsly

from readouts.extract.model_files import pack, unpack


def test_pack_halves_weights_and_unpack_restores_float32(tmp_path):
    model = tmp_path / "model"
    (model / "tok2vec").mkdir(parents=True)
    weights = numpy.random.default_rng(0).normal(size=(500, 96)).astype(numpy.float32)
    original = {"params": [{"E": weights, "rows": numpy.arange(3)}], "nodes": ["embed"]}
    (model / "tok2vec" / "model").write_bytes(srsly.msgpack_dumps(original))
    (model / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    full_size = (model / "tok2vec" / "model").stat().st_size

    pack(model)
    assert not (model / "tok2vec" / "model").exists()
    assert (model / "tok2vec" / "model.f16").stat().st_size < full_size * 0.55

    restored_dir = unpack(model, tmp_path / "restored")
    restored = srsly.msgpack_loads((restored_dir / "tok2vec" / "model").read_bytes())
    embed = restored["params"][0]["E"]
    assert embed.dtype == numpy.float32
    assert numpy.allclose(embed, weights, atol=2e-3)
    assert restored["params"][0]["rows"].tolist() == [0, 1, 2]
    assert (restored_dir / "config.cfg").read_text(encoding="utf-8") == "[nlp]\n"
    assert not list(restored_dir.rglob("*.f16"))


def test_shipped_tagger_is_packed():
    from readouts.extract.learned import model_path

    path = model_path()
    assert (path / "tok2vec" / "model.f16").is_file()
    assert all(p.stat().st_size < 5_000_000 for p in path.rglob("*") if p.is_file())
