"""Reads command-line arguments, produces reports and prediction files by calling the library; nothing more.

Exit status: 0 when every input worked, 1 when any input failed (the rest is
still processed), 2 for usage errors, 130 when interrupted. A ReadoutsError
is shown as its one-line coded message, never as a traceback.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from readouts import __version__
from readouts.cli_options import (
    chosen_format, configure_logging, format_options, name_envvars, note, open_output, output_option,
    processes, processes_option, to_stdout, verbosity_options,
)
from readouts.errors import ReadoutsError
from readouts.model import Failure, Ledger
from readouts.progress import RateProgress

FORMATS = ("text", "json", "md", "html")
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
# The progress bar only appears once this many articles have gone by: short runs stay quiet.
PROGRESS_AFTER = 5
REPORT_FORMATS = ("text", "json")
log = logging.getLogger(__name__)


class ReadoutsGroup(click.Group):
    """A group that turns Ctrl-C into exit 130 and coded errors into one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()
        except ReadoutsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_FAILED)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _stop_on_sigterm()
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:  # pressed while click itself was parsing
            _interrupted()


def _stop_on_sigterm() -> None:
    """SIGTERM stops a command as Ctrl-C does: workers ended, the open batch rolled back, exit 130."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _interrupted() -> None:
    click.echo("\nInterrupted.", err=True)
    sys.exit(EXIT_INTERRUPTED)


@click.group(
    cls=ReadoutsGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="readouts")
@verbosity_options
def main(verbose: int, quiet: bool) -> None:
    """Who said what, through whom, and where the accounts disagree.

    Every option can also be set through the environment variable shown in
    its command's --help; -o - writes to standard output.

    \b
    Examples:
      readouts analyze story.txt
      readouts analyze story.html other.txt --format html -o report.html
      readouts -v extract corpus.jsonl -o predictions.jsonl --processes 2
    """
    configure_logging(verbose, quiet)


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="Report format: terminal text, the readouts.ledger/1 JSON, Markdown, a standalone HTML page or CSV"
         " (one row per statement).",
)
@output_option("Write the report to this file instead of standard output")
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=None, metavar="N",
    help="Refuse any single input larger than N bytes (default: 10 MiB).",
)
def analyze(sources: tuple[str, ...], fmt: str, output: Path | None, max_bytes: int | None) -> None:
    """Build the ledger of one story from SOURCE... and print its report.

    A SOURCE is a text or HTML file, a folder, a .jsonl/.csv corpus, an http(s)
    URL, or - for standard input. Inputs that cannot be read are listed on
    standard error at the end; the others are still analyzed.

    \b
    Examples:
      readouts analyze examples/ottawa-trade-talks.txt
      readouts analyze story.txt --format html -o story.html
      readouts analyze stories/ --format json -o ledger.json
      cat story.txt | readouts analyze - --format md
    """
    with RateProgress("Analyzing articles", show_after=PROGRESS_AFTER) as progress:
        ledger = _analyze(sources, progress, max_bytes)
    _write(_render(ledger, fmt, to_terminal=to_stdout(output)), output)
    if not to_stdout(output):
        note(f"Wrote {output} ({_summary(ledger)}).")
    _report_failures(ledger.failures, inputs=len(ledger.articles) + len(ledger.failures))
    if ledger.failures:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="CORPUS.jsonl")
@output_option("Where to write the predictions, one JSON record per document", required=True)
@processes_option
def extract(corpus: Path, output: Path, processes_wanted: int | None) -> None:
    """Extract attributions from every document of CORPUS.jsonl into predictions.

    The output has one record per input line, in the format the reference
    attribution scorer reads. Broken lines are reported and skipped; the
    exit status is then 1.

    \b
    Examples:
      readouts extract dev.jsonl -o predictions.jsonl
      readouts extract dev.jsonl -o predictions.jsonl --processes 1
      readouts extract dev.jsonl -o - | head -1
    """
    from readouts.extract.bulk import extract_corpus

    total = _count_lines(corpus)
    n_process = processes(processes_wanted)
    log.info("extracting %d documents of %s with %d processes", total, corpus, n_process)
    with RateProgress("Extracting", total) as progress, open_output(output) as stream:
        result = extract_corpus(corpus, stream, n_process=n_process, progress=progress)
    failed = len(result.failures)
    _report_failures(result.failures, inputs=result.documents + failed, summary=False)
    from readouts.report.view import plural

    rate = result.documents / result.seconds if result.seconds else 0.0
    note(
        f"{plural(result.documents, 'document')}, {plural(result.attributions, 'attribution')}, "
        f"{failed} failed, {result.seconds:.1f} s ({rate:.1f} documents/s) -> {output}"
    )
    if failed:
        sys.exit(EXIT_FAILED)



@main.command()
@click.argument("pairs", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="PAIRS.jsonl")
@output_option("Where to write one {\"id\", \"label\"} line per pair", required=True)
def stance(pairs: Path, output: Path) -> None:
    """Label the stance of each text toward its claim.

    Reads {"id", "claim", "text"} lines and writes {"id", "label"} lines with
    label one of supports, disputes, denies, hedges, discusses, unrelated.

    \b
    Examples:
      readouts stance pairs.jsonl -o labels.jsonl
    """
    from readouts.claims.stance import stance_file

    with open_output(output) as stream:
        run = stance_file(pairs, stream)
    _report_failures(run.failures, inputs=run.labelled + len(run.failures), summary=False)
    note(f"{run.labelled} pairs labelled, {len(run.failures)} failed -> {output}")
    if run.failures:
        sys.exit(EXIT_FAILED)

@main.group(name="eval")
def eval_group() -> None:
    """Measure Readouts against gold data.

    \b
    Examples:
      readouts eval attributions gold.jsonl
      readouts eval attributions gold.jsonl --predictions pred.jsonl --format json
      readouts eval findings findings.jsonl --events events.jsonl --save pred/
      readouts eval findings findings.jsonl --ledgers pred/ --format json
    """


@eval_group.command(name="attributions")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="GOLD.jsonl")
@click.option(
    "--predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="Score these predictions instead of extracting from the gold texts.",
)
@processes_option
@click.option(
    "--overlap", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
    help="Share of words two contents must have in common to count as an overlap match.",
)
@format_options(REPORT_FORMATS, "Print the report as text, or every number as JSON.")
def eval_attributions(
    gold: Path, predictions: Path | None, processes_wanted: int | None, overlap: float, fmt: str, as_json: bool,
) -> None:
    """Extract from each gold text and score against GOLD.jsonl.

    Prints the reference attribution metrics (content exact and overlap P/R/F1
    by kind, source and cue accuracy, end-to-end), then error types (missed,
    partial, boundary, wrong source, spurious) and recall per cue class.
    """
    from readouts.evaluate.attributions import evaluate_attributions, format_report

    with RateProgress("Extracting", _count_lines(gold)) as progress:
        evaluation = evaluate_attributions(
            gold, predictions=predictions, n_process=processes(processes_wanted), overlap=overlap,
            progress=progress,
        )
    click.echo(evaluation.to_json() if chosen_format(fmt, as_json) == "json" else format_report(evaluation))


@eval_group.command(name="findings")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="GOLD.jsonl")
@click.option(
    "--events", "events", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    metavar="EVENTS.jsonl",
    help="Analyze each event of this file ({\"event_id\", \"article_id\", \"outlet\", \"title\", \"text\"} lines) as one story.",
)
@click.option(
    "--ledgers", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, metavar="DIR",
    help="Score the saved ledgers DIR/<event>.json instead of analyzing the events.",
)
@click.option(
    "--save", type=click.Path(file_okay=False, writable=True, path_type=Path), default=None, metavar="DIR",
    help="Write each analyzed event's ledger JSON to DIR/<event>.json (what the reference scorer reads).",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, metavar="N",
    help="Only the first N events, and only their gold (a quick run).",
)
@click.option(
    "--overlap", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
    help="Share of the shorter span a predicted and a gold statement must overlap to match.",
)
@format_options(REPORT_FORMATS, "Print the report as text, or every number as JSON, per event too.")
def eval_findings(
    gold: Path, events: Path | None, ledgers: Path | None, save: Path | None, limit: int | None,
    overlap: float, fmt: str, as_json: bool,
) -> None:
    """Analyze each multi-outlet event as one story and score its findings against GOLD.jsonl.

    A finding is a contested or corroborated claim. Prints the reference
    findings metrics (precision, recall and F1, strict with the gold status,
    duplicates, member stance accuracy, gold statements found, speaker right),
    then error types: missed gold findings, wrong status, unmatched cards,
    non-source members, one source counted twice, off-proposition members.

    \b
    Examples:
      readouts eval findings findings.jsonl --events events.jsonl
      readouts eval findings findings.jsonl --events events.jsonl --limit 3
      readouts eval findings findings.jsonl --events events.jsonl --save pred/
      readouts eval findings findings.jsonl --ledgers pred/ --format json
    """
    from readouts.evaluate.findings import evaluate_findings, format_report

    if (events is None) == (ledgers is None):
        raise click.UsageError("give --events EVENTS.jsonl to analyze, or --ledgers DIR to score saved ledgers")
    if save is not None and ledgers is not None:
        raise click.UsageError("--save writes analyzed ledgers; it does not go with --ledgers")
    # The bar starts with the first event done, by when the library has said how many there are.
    with RateProgress("Analyzing events", show_after=1) as progress:

        def set_total(total: int) -> None:
            progress.total = total

        evaluation = evaluate_findings(
            gold, events=events, ledgers=ledgers, save=save, limit=limit, overlap=overlap,
            progress=progress, on_total=set_total,
        )
    click.echo(evaluation.to_json() if chosen_format(fmt, as_json) == "json" else format_report(evaluation))
    if events is not None:
        rate = evaluation.summary["events"] / evaluation.seconds if evaluation.seconds else 0.0
        where = f" -> {save}" if save is not None else ""
        note(f"{evaluation.summary['events']} events analyzed in {evaluation.seconds:.1f} s "
             f"({rate:.2f} events/s){where}")
    _report_failures(evaluation.failures, inputs=evaluation.summary["events"], summary=False)
    if evaluation.failures:
        sys.exit(EXIT_FAILED)


def _analyze(sources: Sequence[str], progress: Callable[[int], None], max_bytes: int | None) -> Ledger:
    """``readouts.analyze`` with the size cap the user gave, if any."""
    import readouts

    from readouts.ingest import Limits

    limits = Limits() if max_bytes is None else Limits(max_bytes=max_bytes)
    return readouts.analyze(list(sources), stdin=sys.stdin, limits=limits, progress=progress)


def _render(ledger: Ledger, fmt: str, to_terminal: bool) -> str:
    """The report; terminal text is fitted to the window and coloured only on a real terminal."""
    from readouts.report import render

    if fmt == "text" and to_terminal:
        # failures go to standard error at the end, so the terminal report leaves them out
        return render(ledger, "text", width=_width(), color=_is_terminal(sys.stdout), failures=False)
    return render(ledger, fmt)


def _width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


def _write(report: str, output: Path | None) -> None:
    if to_stdout(output):
        click.echo(report, nl=not report.endswith("\n"))
        return
    with open_output(output) as stream:
        stream.write(report)


def _summary(ledger: Ledger) -> str:
    from readouts.report.view import plural

    return f"{plural(len(ledger.articles), 'article')}, {plural(len(ledger.statements), 'statement')}"


def _report_failures(failures: Sequence[Failure], inputs: int, summary: bool = True) -> None:
    """One line per failure (code, input, reason) on standard error, then how many failed."""
    from readouts.report.view import failure_reason

    for failure in failures:
        click.echo(f"{failure.code}  {failure.source}  {failure_reason(failure)}", err=True)
    if failures and summary:
        click.echo(f"{len(failures)} of {inputs} inputs failed.", err=True)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _register_more() -> None:
    from readouts.corpus_cli import register
    from readouts.web.command import serve

    register(main)
    main.add_command(serve)
    name_envvars(main)


_register_more()

if __name__ == "__main__":  # pragma: no cover
    main()
