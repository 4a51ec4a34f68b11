"""Bulk extraction: JSONL in, scorer records out, broken lines recorded; a quality gate on polnear dev."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from readouts.extract.bulk import extract_corpus

# Floors 0.005 below what the six-layer tagger gave the extractor on polnear dev (content overlap
# F1 0.773, exact F1 0.609, end-to-end overlap + lenient source F1 0.691, source lenient 0.894):
# the most a faster tagger may give up. The shipped four-layer tagger measures 0.779, 0.616,
# 0.700 and 0.899 in int8 (0.775, 0.613, 0.696 in float32, what a CPU without VNNI runs).
MIN_OVERLAP_F1 = 0.768
MIN_EXACT_F1 = 0.604
MIN_END2END_F1 = 0.686
MIN_SOURCE_LENIENT = 0.889


def test_records_stream_in_scorer_format_and_broken_lines_are_failures(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"doc_id": "a", "text": "The mayor said the road would reopen on Monday."}) + "\n"
        + "{not json\n"
        + json.dumps({"doc_id": "b", "text": '"We will win," she said.'}) + "\n"
        + json.dumps({"doc_id": "c"}) + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    seen = []
    result = extract_corpus(corpus, out, n_process=1, progress=seen.append)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["doc_id"] for r in records] == ["a", "b"]
    assert result.documents == 2 and sum(seen) == 2 and result.seconds > 0
    assert [f.code for f in result.failures] == ["R106", "R106"]
    assert [f.source for f in result.failures] == [f"{corpus}:2", f"{corpus}:4"]
    mayor = records[0]["attributions"][0]
    assert mayor["source"] == "The mayor" and mayor["cue"] == "said" and mayor["kind"] == "indirect"
    text = "The mayor said the road would reopen on Monday."
    assert text[slice(*mayor["content_span"])] == "the road would reopen on Monday"
    assert records[1]["attributions"][0]["kind"] == "direct"
    assert result.attributions == sum(len(r["attributions"]) for r in records)


def test_quality_gate_on_polnear_dev(shared_dir, tmp_path):
    gold = shared_dir / "data" / "polnear.dev.jsonl"
    pred = tmp_path / "pred.jsonl"
    result = extract_corpus(gold, pred, n_process=2)
    assert result.documents == 84 and not result.failures
    scorer = shared_dir / "tools" / "score_attributions.py"
    run = subprocess.run([sys.executable, str(scorer), str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True)
    metrics = json.loads(run.stdout)
    assert metrics["content_overlap"]["f1"] >= MIN_OVERLAP_F1
    assert metrics["content_exact"]["f1"] >= MIN_EXACT_F1
    assert metrics["end2end_overlap_lenient"]["f1"] >= MIN_END2END_F1
    assert metrics["source_accuracy"]["all"]["lenient"] >= MIN_SOURCE_LENIENT


def test_a_subject_that_is_only_punctuation_does_not_stop_the_corpus(tmp_path):
    # A polnear train shape: the parser makes the `___` separator line a second subject of `replied`.
    text = "“Well, I wouldn’t phrase it exactly like that but it’s close to true,” replied Sanders.\n\n___.\n\n"
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"doc_id": "p", "text": text}) + "\n", encoding="utf-8")
    out = io.StringIO()
    result = extract_corpus(corpus, out, n_process=1)
    assert result.documents == 1 and not result.failures
    [att] = json.loads(out.getvalue())["attributions"]
    assert att["source"] == "Sanders" and "close to true" in att["content"]
