"""Stance of a text toward a claim: cue rules over the shipped models, and the pairs-file round trip."""

from __future__ import annotations

import json

import numpy as np

from readouts.claims import predict_stance, stance_file
from readouts.claims.model import load_model
from readouts.errors import CorpusLineError

CLAIM = "Trump accepted Putin's assurance of no election hacking"


def test_not_accurate_disputes_the_claim():
    assert predict_stance(CLAIM, "Lavrov's comment is \u201cnot accurate") == "disputes"


def test_not_clear_hedges_although_it_carries_a_negation():
    text = "It is not clear U.S. or Russia will ever come to a resolution on the question about election interference"
    assert predict_stance(CLAIM, text) == "hedges"


def test_restating_the_claim_supports_it():
    assert predict_stance(CLAIM, "TRUMP ACCEPTED PUTIN\u2019S ASSURANCE OF NO ELECTION HACKING") == "supports"


def test_a_denial_headline_denies():
    claim = "A 50-foot crab was photographed in the U.K."
    assert predict_stance(claim, "Council denies giant crab photo was taken off Whitstable") == "denies"


def test_long_unrelated_body_is_unrelated():
    body = " ".join(
        ["The city council approved a new budget for road repairs and school buses on Tuesday."] * 12
    )
    assert predict_stance(CLAIM, body) == "unrelated"


def test_models_load_without_pickle():
    for name in ("headline", "body"):
        model = load_model(name)
        assert model.hashed_coef.dtype == np.float32
        assert len(model.classes) == model.hashed_coef.shape[0] == model.intercept.shape[0]


def test_stance_file_round_trip(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        json.dumps({"id": "a", "claim": CLAIM, "text": "Lavrov's comment is not accurate"}) + "\n\n"
        + json.dumps({"id": "b", "claim": CLAIM, "text": "Trump accepted Putin's assurance"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "pred.jsonl"
    assert stance_file(pairs, out).labelled == 2
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["label"] == "disputes"


def test_stance_file_names_the_broken_line(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"id": "a", "claim": "x", "text": "y"}\n{"id": "b", "claim": 3}\n', encoding="utf-8")
    run = stance_file(pairs, tmp_path / "out.jsonl")
    assert run.labelled == 1
    assert [f.code for f in run.failures] == [CorpusLineError.code]
    assert "pairs.jsonl:2" in run.failures[0].source
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_stance_command_writes_labels(tmp_path):
    import json as _json

    from click.testing import CliRunner

    from readouts.cli import main

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        _json.dumps({"id": "1", "claim": "The ceasefire in southern Syria holds",
                     "text": "Officials deny that the ceasefire in southern Syria is holding"}) + "\n"
        + _json.dumps({"id": "2", "claim": "The ceasefire in southern Syria holds",
                       "text": "Apple shares rose on Monday"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "labels.jsonl"
    result = CliRunner().invoke(main, ["stance", str(pairs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    labels = [_json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert labels == [{"id": "1", "label": "denies"}, {"id": "2", "label": "unrelated"}]


def test_claim_words_are_masked_so_negations_generalise():
    from readouts.claims.features import CLAIM_MARK, masked_words

    assert masked_words("The Batmobile was stolen", "Batmobile NOT stolen, police say") == [
        CLAIM_MARK, "not", CLAIM_MARK, "police", "say"]


def test_headlines_that_credit_someone_are_recognised():
    from readouts.claims.features import credits_someone

    assert credits_someone("Tesla chooses Nevada for battery factory: Sources")
    assert credits_someone("Small meteorite strikes Nicaragua, government says")
    assert credits_someone("ADVISORY-Islamist rebel leader killed in U.S. strike - Somali government")
    assert not credits_someone("Apple will shut down Beats Music")


def test_a_negation_beside_the_claim_words_is_counted():
    from readouts.claims.features import dense_features, dense_names

    claim = "The Batmobile was stolen"
    negated = dict(zip(dense_names(), dense_features(claim, "Batmobile was NOT stolen")))
    text = "Batmobile stolen in Detroit; police have no suspects yet"
    elsewhere = dict(zip(dense_names(), dense_features(claim, text)))
    assert negated["negation_near_claim"] > 0
    assert elsewhere["negation_near_claim"] == 0


def test_attribution_turns_support_into_reporting():
    claim = "Tesla is building its gigafactory in Nevada"
    assert predict_stance(claim, "Tesla picks Nevada for gigafactory") == "supports"
    assert predict_stance(claim, "Tesla picks Nevada for gigafactory, sources say") in ("discusses", "hedges")
    assert predict_stance(claim, "Tesla is not building a gigafactory in Nevada") in ("disputes", "denies")


def test_models_match_the_feature_layout():
    from readouts.claims.features import dense_names

    for name in ("headline", "body"):
        assert load_model(name).dense_coef.shape[1] == len(dense_names())
