"""The conventions every command shares: -o -, -v/-q, --format json, READOUTS_* variables, cores, paths, time left."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import readouts
from readouts.cli import main
from readouts.cli_options import log_level
from readouts.cores import available_cores
from readouts.progress import RateProgress, format_time_left

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ottawa-trade-talks.txt"


def commands(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, path + (name,))
        else:
            yield path + (name,), command


def test_dash_output_writes_the_report_to_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["analyze", str(EXAMPLE), "--format", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["statements"]
    assert not (tmp_path / "-").exists()
    assert "Wrote" not in result.stderr


def test_dash_output_for_the_line_writing_commands(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "p1", "claim": "Taxes rose.", "text": "The minister denied that taxes rose."})
                     + "\n", encoding="utf-8")
    stance = CliRunner().invoke(main, ["stance", str(pairs), "-o", "-"])
    assert stance.exit_code == 0, stance.output
    assert json.loads(stance.stdout.splitlines()[0])["id"] == "p1"

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"doc_id": "d1", "text": EXAMPLE.read_text(encoding="utf-8")}) + "\n",
                      encoding="utf-8")
    extract = CliRunner().invoke(main, ["extract", str(corpus), "-o", "-", "--processes", "1"])
    assert extract.exit_code == 0, extract.output
    assert json.loads(extract.stdout.splitlines()[0])["doc_id"] == "d1"
    assert "1 document" in extract.stderr


def test_log_levels():
    assert log_level(0, False) == logging.WARNING
    assert log_level(1, False) == logging.INFO
    assert log_level(2, False) == logging.DEBUG
    assert log_level(2, True) == logging.ERROR


def test_verbose_logs_the_steps_and_quiet_keeps_summaries_away(tmp_path):
    out = tmp_path / "report.md"
    verbose = CliRunner().invoke(main, ["-v", "analyze", str(EXAMPLE), "--format", "md", "-o", str(out)])
    assert verbose.exit_code == 0, verbose.output
    assert "INFO readouts.pipeline: analyzing 1 source" in verbose.stderr
    assert "Wrote" in verbose.stderr

    quiet = CliRunner().invoke(main, ["-q", "analyze", str(EXAMPLE), "--format", "md", "-o", str(out)])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    assert out.read_text(encoding="utf-8").startswith("#")

    default = CliRunner().invoke(main, ["analyze", str(EXAMPLE), "--format", "md", "-o", str(out)])
    assert "INFO" not in default.stderr and "Wrote" in default.stderr
    logging.getLogger().setLevel(logging.WARNING)


def test_modules_log_under_their_own_names():
    for path in (ROOT / "src" / "readouts").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "logging.basicConfig" not in text, path
        if "log = logging.getLogger(" in text:
            assert "log = logging.getLogger(__name__)" in text, path


def test_every_option_has_a_readouts_variable_shown_in_help():
    runner = CliRunner()
    for path, command in commands():
        result = runner.invoke(main, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, result.output
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.envvar and param.envvar.startswith("READOUTS_"), (path, param.name)
                assert f"env var: {param.envvar}" in result.output, (path, param.name)
    assert {p.envvar for p in main.params if not p.is_eager} == {"READOUTS_VERBOSE", "READOUTS_QUIET"}


def test_a_variable_sets_its_option(tmp_path):
    db = tmp_path / "corpus.db"
    ingested = CliRunner().invoke(main, ["ingest", str(EXAMPLE), "--workers", "1"], env={"READOUTS_DB": str(db)})
    assert ingested.exit_code == 0, ingested.output
    found = CliRunner().invoke(main, ["query", "--limit", "2"],
                               env={"READOUTS_DB": str(db), "READOUTS_QUERY_FORMAT": "json"})
    assert found.exit_code == 0, found.output
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(rows) == 2 and all("content" in row for row in rows)


def test_json_is_spelled_format_json_and_the_old_flag_still_works(tmp_path):
    from readouts.store import open_store

    db = str(tmp_path / "empty.db")
    with open_store(db):  # a corpus with nothing in it yet: read-only commands refuse a missing file
        pass
    for path, command in commands():
        if any(p.name == "as_json" for p in command.params):
            names = {opt for p in command.params if not getattr(p, "hidden", False) for opt in p.opts}
            assert "--format" in names, path
    old = CliRunner().invoke(main, ["errors", "--db", db, "--json"])
    assert old.exit_code == 0, old.output
    assert "deprecated" in old.stderr and "--format json" in old.stderr
    help_text = CliRunner().invoke(main, ["errors", "--help"]).output
    assert "--json" not in help_text


def test_processes_default_to_every_core_this_process_may_use():
    cores = available_cores()
    assert cores >= 1
    if hasattr(os, "sched_getaffinity"):
        assert cores == len(os.sched_getaffinity(0))
    for path in (("extract",), ("eval", "attributions")):
        help_text = CliRunner().invoke(main, [*path, "--help"], terminal_width=200).output
        assert "default: every core this process may use" in help_text


def test_analyze_accepts_paths():
    one = readouts.analyze(EXAMPLE)
    assert len(one.articles) == 1 and one.statements and not one.failures
    listed = readouts.analyze([EXAMPLE, str(EXAMPLE)])
    assert len(listed.articles) + len(listed.failures) == 2


def test_a_missing_extra_names_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # what find_spec reports for an absent module
    result = CliRunner().invoke(main, ["serve", "--port", "8765"])
    assert result.exit_code == 1
    assert "[R402] readouts serve" in result.stderr
    assert 'pip install "readouts[web]"' in result.stderr


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def burst(progress: RateProgress, clock: Clock, at: float, items: int) -> None:
    """A finished chunk: its items reported one by one, a millisecond apart."""
    for index in range(items):
        clock.now = at + index / 1000
        progress(1)


def test_time_left_counts_down_while_chunks_are_pending():
    clock = Clock()
    progress = RateProgress("Extracting", total=80, clock=clock)
    assert progress.seconds_left() is None  # nothing finished: no estimate yet
    burst(progress, clock, 10.0, 8)  # the first chunk after ten seconds: 0.8 a second so far, 72 to go
    assert progress.seconds_left() == pytest.approx(90.0, abs=0.2)
    clock.now = 12.0  # the next chunks are still being worked on
    assert progress.seconds_left() == pytest.approx(88.0, abs=0.2)
    burst(progress, clock, 14.0, 8)  # 8 more 4 s later: 2 a second once started, 64 to go
    assert progress.seconds_left() == pytest.approx(32.0, abs=0.2)
    clock.now = 30.0
    assert progress.seconds_left() == pytest.approx(16.0, abs=0.2)
    clock.now = 500.0
    assert progress.seconds_left() == 0.0
    burst(progress, clock, 501.0, 64)
    assert progress.seconds_left() == 0.0


def test_time_left_is_unknown_without_a_total():
    clock = Clock()
    progress = RateProgress("Analyzing", clock=clock)
    clock.now = 5.0
    progress(3)
    assert progress.seconds_left() is None
    assert format_time_left(None) == "-:--:--"
    assert format_time_left(3725.4) == "1:02:05"


class TerminalStream:
    """A stream that says it is a terminal, as standard error is when a person runs a command."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_quiet_hides_the_progress_bar():
    root = logging.getLogger()
    level = root.level
    try:
        root.setLevel(logging.WARNING)
        with RateProgress("Extracting", total=4, stream=TerminalStream()) as shown:
            assert shown._bar is not None
        root.setLevel(logging.ERROR)  # what -q sets
        with RateProgress("Extracting", total=4, stream=TerminalStream()) as hidden:
            hidden(4)
            assert hidden._bar is None
    finally:
        root.setLevel(level)
