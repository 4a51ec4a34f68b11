"""The built-in attribution scorer agrees with the reference scorer and sorts errors by type."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from readouts.evaluate import diagnose, load_records, score
from readouts.evaluate.attributions import Evaluation, format_report

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
GOLD, PRED = FIXTURES / "gold.jsonl", FIXTURES / "pred.jsonl"


def test_metrics_on_hand_checked_fixture():
    metrics = score(load_records(GOLD), load_records(PRED))
    assert metrics["content_exact"]["tp"] == 2
    assert metrics["content_overlap"]["tp"] == 3
    assert metrics["end2end_overlap_lenient"]["tp"] == 2
    assert metrics["source_accuracy"]["direct"]["lenient"] == 0.0


def test_error_types():
    errors = diagnose(load_records(GOLD), load_records(PRED))["errors"]
    assert errors == {"exact": 2, "boundary": 1, "missed": 1, "wrong_source": 1, "spurious": 1}


def test_cue_classes_count_recall():
    classes = diagnose(load_records(GOLD), load_records(PRED))["cue_classes"]
    assert classes["warned"] == {"gold": 1, "found": 0, "recall": 0.0}
    assert classes["said"]["found"] == 1


def test_agrees_with_reference_scorer(shared_dir):
    reference = shared_dir / "tools" / "score_attributions.py"
    out = subprocess.run(
        [sys.executable, str(reference), "--json", str(GOLD), str(PRED)],
        check=True, capture_output=True, text=True,
    )
    assert json.loads(out.stdout) == score(load_records(GOLD), load_records(PRED))


def test_report_lists_metrics_and_errors():
    gold, pred = load_records(GOLD), load_records(PRED)
    text = format_report(Evaluation(score(gold, pred), diagnose(gold, pred), 1, 0.0))
    assert "content overlap>=0.5" in text and "0.750" in text
    assert "missed 1" in text and "spurious 1" in text


def test_cli_scores_given_predictions():
    from click.testing import CliRunner

    from readouts.cli import main

    result = CliRunner().invoke(main, ["eval", "attributions", str(GOLD), "--predictions", str(PRED), "--format", "json"])
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    assert numbers["metrics"]["content_overlap"]["f1"] == 0.75
    assert numbers["diagnosis"]["errors"]["spurious"] == 1
