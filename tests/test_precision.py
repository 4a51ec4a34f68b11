"""The encoder's precision: measured once per CPU and kept, or set by READOUTS_PRECISION."""

from __future__ import annotations

import json

import pytest

from readouts.errors import ConfigError
from readouts.extract import encoder_model, precision


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("READOUTS_CACHE", str(tmp_path))
    monkeypatch.delenv(precision.PRECISION_ENV, raising=False)
    return tmp_path / "readouts"


def test_both_builds_are_timed_once_then_the_choice_is_read(cache):
    asked = []

    def build(p):
        asked.append(p)
        return encoder_model.built_base_model(p)

    first = precision.chosen_precision("sentence-encoder", build)
    assert first in encoder_model.PRECISIONS and sorted(asked) == ["float32", "int8"]
    record = json.loads(next(cache.glob("precision-sentence-encoder-*.json")).read_text())
    assert record["choice"] == first and set(record["seconds"]) == {"float32", "int8"}
    assert record["choice"] == min(record["seconds"], key=record["seconds"].get)
    asked.clear()
    assert precision.chosen_precision("sentence-encoder", build) == first and asked == []


@pytest.mark.parametrize("value", ["int8", "float32", "FLOAT32"])
def test_the_environment_sets_it_without_measuring(cache, monkeypatch, value):
    monkeypatch.setenv(precision.PRECISION_ENV, value)
    assert precision.chosen_precision("any", lambda p: pytest.fail("measured")) == value.lower()


def test_an_unknown_precision_is_a_coded_error(cache, monkeypatch):
    monkeypatch.setenv(precision.PRECISION_ENV, "int4")
    with pytest.raises(ConfigError, match=r"R400.*READOUTS_PRECISION.*'int4'"):
        precision.chosen_precision("any", lambda p: pytest.fail("measured"))


def test_an_unreadable_record_is_measured_again(cache):
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"precision-sentence-encoder-{precision.cpu_key()}.json").write_text("{not json")
    assert precision.chosen_precision("sentence-encoder", encoder_model.built_base_model) in encoder_model.PRECISIONS

