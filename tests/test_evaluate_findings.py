"""The findings scorer on a hand-checked event, its error types, the command, and agreement with the reference scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readouts.cli import main
from readouts.evaluate.findings import (
    evaluate_findings, format_report, ledger_path, name_words, read_events, score, score_event,
)


def gold_statement(article: str, start: int, speaker: str, stance: str = "supports") -> dict:
    return {"article": article, "speaker": speaker, "quote": "...", "span": [start, start + 40], "stance": stance}


# One event, four findings. f0 and f1 are found by cards; f2 has only one of its speakers' statements
# found; f3 has both found but no card holds them.
GOLD = {
    "event": "e1",
    "articles": ["a1", "a2"],
    "findings": [
        {"summary": "f0", "status": "corroborated", "statements": [
            gold_statement("a1", 0, "Jane Roe"), gold_statement("a2", 0, "John Doe"),
            gold_statement("a2", 100, "Jane Roe")]},
        {"summary": "f1", "status": "contested", "statements": [
            gold_statement("a1", 200, "Jane Roe"), gold_statement("a2", 200, "Mayor Smith", "disputes")]},
        {"summary": "f2", "status": "corroborated", "statements": [
            gold_statement("a1", 400, "Ann Lee"), gold_statement("a2", 400, "Bob Ray")]},
        {"summary": "f3", "status": "contested", "statements": [
            gold_statement("a1", 500, "Ann Lee"), gold_statement("a2", 500, "Bob Ray", "denies")]},
    ],
}


def actor(id: str, name: str, kind: str = "person") -> dict:
    return {"id": id, "name": name, "kind": kind, "role": None, "affiliation": None, "aliases": []}


def statement(id: str, article: str, start: int, end: int, speaker: str | None, speaker_text: str = "") -> dict:
    return {"id": id, "article": article, "speaker": speaker, "speaker_text": speaker_text,
            "content_spans": [[start, end]], "cue": "said", "kind": "indirect"}


def card(id: str, status: str, *members: tuple[str, str]) -> dict:
    return {"id": id, "summary": id, "status": status,
            "stances": [{"statement": s, "stance": stance} for s, stance in members]}


LEDGER = {
    "schema": "readouts.ledger/1",
    "actors": [actor("p1", "Jane Roe"), actor("p2", "John Doe"), actor("p3", "Roe"), actor("u1", "it", "unknown"),
               actor("p4", "City Hall", "organization"), actor("p5", "Ann Lee"), actor("p6", "Bob Ray")],
    "statements": [
        statement("s1", "a1", 0, 40, "p1"), statement("s2", "a2", 5, 40, "p2"),
        statement("s3", "a2", 100, 140, "p3"),  # Jane Roe again, split into a second actor
        statement("s4", "a1", 300, 340, "u1"),  # an unknown speaker, no gold statement
        statement("s5", "a1", 200, 240, "p1"), statement("s6", "a2", 200, 240, "p4"),
        statement("s7", "a1", 400, 440, "p5"),
        statement("s8", "a1", 500, 540, "p5"), statement("s9", "a2", 500, 540, "p6"),
        statement("s10", "a1", 600, 640, None, "the video"),  # no actor, no gold statement
        statement("s11", "a2", 205, 240, None),  # no actor, but a gold statement's words
    ],
    "claims": [
        # f0, strictly: three gold speakers' statements; s4 matches nothing, s5 belongs to f1
        card("c1", "corroborated", ("s1", "supports"), ("s2", "supports"), ("s3", "supports"),
             ("s4", "supports"), ("s5", "supports")),
        card("c2", "corroborated", ("s5", "supports"), ("s6", "disputes"), ("s11", "disputes")),  # f1, wrong status
        card("c3", "contested", ("s10", "discusses"), ("s4", "supports")),  # matches nothing
        card("c4", "corroborated", ("s1", "supports"), ("s2", "disputes")),  # f0 again: a duplicate
        card("c5", "single-source", ("s8", "supports"), ("s9", "denies")),  # not a card a reader sees
    ],
}


def test_metrics_on_hand_checked_event():
    summary = score([GOLD], {"e1": LEDGER}).summary
    assert summary == {
        "events": 1, "missing_ledgers": 0, "cards": 4, "gold_findings": 4,
        "precision": 0.75, "recall": 0.5, "f1": 0.6,
        "precision_strict": 0.5, "recall_strict": 0.25, "f1_strict": 0.333,
        "duplicates": 1,
        "stance_accuracy": 0.8, "stance_pairs": 5,  # c1: 3 of 3, c4: s2 disputes a supported statement
        "statement_recall": 0.889,  # all but f2's Bob Ray
        "speaker_accuracy": 0.875,  # "City Hall" is not "Mayor Smith"; "Roe" is "Jane Roe"
    }


def test_cards_match_the_finding_they_share_most_with():
    matches = score_event(GOLD, LEDGER).cards
    assert [(m.card, m.finding, m.strict) for m in matches] == [
        ("c1", 0, True), ("c2", 1, False), ("c3", None, False), ("c4", 0, True)]


def test_error_types():
    errors = score([GOLD], {"e1": LEDGER}).errors
    assert errors == {
        "missed": 2, "missed_extraction": 1, "missed_grouping": 1, "missed_no_ledger": 0,
        "wrong_status": 1, "unmatched_cards": 1,
        "members": 12, "non_source": 4, "non_source_unmatched": 3,  # s4 twice and s10; s11 matches f1
        "double_counted": 1,  # c1: p1 and p3 are both Jane Roe
        "matched_members": 10, "off_proposition": 2, "off_proposition_other": 1, "off_proposition_none": 1,
    }


def test_a_missing_ledger_scores_as_no_cards():
    other = {"event": "e2", "articles": ["b1"], "findings": GOLD["findings"][:1]}
    evaluation = score([GOLD, other], {"e1": LEDGER})
    assert evaluation.summary["missing_ledgers"] == 1 and evaluation.summary["gold_findings"] == 5
    assert evaluation.summary["recall"] == 0.4
    assert evaluation.errors["missed_no_ledger"] == 1 and evaluation.errors["missed"] == 3


def test_name_words_leave_out_titles_and_descriptors():
    assert name_words("Sen. Lindsey Graham") == {"lindsey", "graham"}
    assert name_words("White House official (anonymous)") == set()


def test_report_puts_the_reference_line_first():
    text = format_report(score([GOLD], {"e1": LEDGER}))
    first = text.splitlines()[0]
    assert first.startswith("findings: events 1, cards 4, gold 4, precision 0.750 / strict 0.500")
    assert "speaker right 0.875" in first
    for name in ("missed gold findings", "wrong status", "unmatched cards", "non-source members",
                 "one source counted twice", "off-proposition members"):
        assert name in text


def test_event_ids_that_are_not_file_names_are_refused(tmp_path):
    from readouts.errors import InputError

    assert ledger_path(tmp_path, "e1") == tmp_path / "e1.json"
    for bad in ("../e1", "a/b", ".hidden", ""):
        with pytest.raises(InputError):
            ledger_path(tmp_path, bad)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def saved(tmp_path) -> tuple[Path, Path]:
    """The gold of e1 and e2 as a file, and a directory holding e1's ledger only."""
    gold = write_jsonl(tmp_path / "gold.jsonl", [GOLD, {"event": "e2", "articles": [], "findings": []}])
    ledgers = tmp_path / "ledgers"
    ledgers.mkdir()
    (ledgers / "e1.json").write_text(json.dumps(LEDGER), encoding="utf-8")
    return gold, ledgers


def test_cli_scores_saved_ledgers(saved):
    gold, ledgers = saved
    result = CliRunner().invoke(main, ["eval", "findings", str(gold), "--ledgers", str(ledgers), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["cards"] == 4 and data["summary"]["missing_ledgers"] == 1
    assert data["errors"]["double_counted"] == 1
    assert [e["event"] for e in data["events"]] == ["e1", "e2"]


def test_cli_usage_errors_and_help(saved, tmp_path):
    gold, ledgers = saved
    runner = CliRunner()
    assert runner.invoke(main, ["eval", "findings", str(gold)]).exit_code == 2
    assert runner.invoke(main, ["eval", "findings", str(gold), "--ledgers", str(ledgers),
                                "--save", str(tmp_path / "out")]).exit_code == 2
    result = runner.invoke(main, ["eval", "findings", "--help"])
    for option in ("--events", "--ledgers", "--save", "--limit", "--overlap", "--format", "Examples"):
        assert option in result.output


EVENTS = [
    {"event_id": "x1", "article_id": "x1-fox", "outlet": "Fox News", "title": "Talks",
     "text": "Talks\n\nSecretary of State Rex Tillerson said the ceasefire in Syria would take effect on Sunday.\n"},
    {"event_id": "x2", "article_id": "x2-nyt", "outlet": "New York Times", "title": "",
     "text": "Budget\n\nThe mayor said taxes would rise next year.\n"},
    {"event_id": "x1", "article_id": "x1-nyt", "outlet": "New York Times", "title": "Ceasefire",
     "text": "Ceasefire\n\nForeign Minister Sergey Lavrov said the ceasefire in Syria would take effect on Sunday.\n"},
]


def test_read_events_groups_articles_by_event(tmp_path):
    events = read_events(write_jsonl(tmp_path / "events.jsonl", EVENTS))
    assert list(events) == ["x1", "x2"]
    assert [d.id for d in events["x1"]] == ["x1-fox", "x1-nyt"]
    assert events["x1"][1].outlet == "New York Times" and events["x2"][0].title is None


def test_events_script_reads_through_the_library(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    try:
        from event_articles import events
    finally:
        sys.path.pop(0)
    grouped = events(write_jsonl(tmp_path / "events.jsonl", EVENTS))
    assert [[d.id for d in docs] for docs in grouped] == [["x1-fox", "x1-nyt"], ["x2-nyt"]]


def content_span(record: dict, words: str = "the ceasefire in Syria would take effect on Sunday") -> list[int]:
    start = record["text"].index(words)
    return [start, start + len(words)]


def test_analyzing_saves_the_ledgers_it_scores(tmp_path):
    events = write_jsonl(tmp_path / "events.jsonl", EVENTS)
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"event": "x1", "articles": ["x1-fox", "x1-nyt"], "findings": [
        {"summary": "ceasefire", "status": "corroborated", "statements": [
            {"article": "x1-fox", "speaker": "Rex Tillerson", "quote": "", "span": content_span(EVENTS[0]),
             "stance": "supports"},
            {"article": "x1-nyt", "speaker": "Sergey Lavrov", "quote": "", "span": content_span(EVENTS[2]),
             "stance": "supports"}]}]}])
    analyzed = evaluate_findings(gold, events=events, save=tmp_path / "pred")
    assert [p.name for p in (tmp_path / "pred").iterdir()] == ["x1.json"]  # x2 has no gold: not analyzed
    assert json.loads((tmp_path / "pred" / "x1.json").read_text())["schema"] == "readouts.ledger/1"
    assert analyzed.summary["events"] == 1 and analyzed.seconds > 0
    assert analyzed.summary["statement_recall"] == 1.0  # both reported statements are extracted
    rescored = evaluate_findings(gold, ledgers=tmp_path / "pred")
    assert rescored.summary == analyzed.summary and rescored.errors == analyzed.errors


def run_reference(shared: Path, gold: Path, ledgers: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(shared / "tools" / "score_findings.py"), str(gold), str(ledgers), "--json"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


def test_agrees_with_reference_scorer_on_the_hand_checked_event(shared_dir, saved):
    gold, ledgers = saved
    assert run_reference(shared_dir, gold, ledgers) == evaluate_findings(gold, ledgers=ledgers).summary


def test_agrees_with_reference_scorer_on_three_events(shared_dir, tmp_path):
    data = shared_dir / "data"
    ours = evaluate_findings(data / "findings_basil_dev.jsonl", events=data / "events_basil_dev.jsonl",
                             save=tmp_path / "pred", limit=3)
    chosen = {p.stem for p in (tmp_path / "pred").iterdir()}
    assert len(chosen) == 3 and ours.summary["events"] == 3
    # The reference scores every event of its gold: give it the gold of these three alone.
    lines = (data / "findings_basil_dev.jsonl").read_text(encoding="utf-8").splitlines()
    gold = tmp_path / "gold3.jsonl"
    gold.write_text("".join(line + "\n" for line in lines if line.strip() and json.loads(line)["event"] in chosen),
                    encoding="utf-8")
    reference = run_reference(shared_dir, gold, tmp_path / "pred")
    assert reference == ours.summary
    assert reference["gold_findings"] > 0 and reference["missing_ledgers"] == 0
