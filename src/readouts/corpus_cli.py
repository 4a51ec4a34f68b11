"""Reads command-line arguments for the corpus database, produces stored articles, listings and exports."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from readouts.cli_options import chosen_format, format_options, note, output_option, to_stdout

DB_HELP = "Database: a SQLite file path or sqlite:///path (default readouts.db), or postgresql://user@host/db."
_DAY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
EXPORT_TABLES = ("articles", "statements", "statement_channels", "actors", "channels", "claims", "stances",
                 "stories", "errors")


def register(main: click.Group) -> None:
    """Adds the corpus commands to the ``readouts`` group."""
    for command in (ingest, errors, query, export):
        main.add_command(command)


def _db_option(func):
    return click.option("--db", "db", default=None, metavar="URL", envvar="READOUTS_DB", help=DB_HELP)(func)


@click.command()
@click.argument("sources", nargs=-1, metavar="[SOURCE...]")
@click.option("--feed", "feeds", multiple=True, metavar="URL|FILE",
              help="An RSS or Atom feed whose entries are ingested (repeatable).")
@_db_option
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True, metavar="N",
              help="Articles committed per transaction.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Local worker processes for the analysis (default: every core).")
@click.option("--executor", type=click.Choice(("local", "dask")), default="local", show_default=True,
              help="Where the analysis runs: local processes, or an existing Dask cluster.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", envvar="READOUTS_DASK_SCHEDULER",
              help="The Dask scheduler's address (with --executor dask).")
def ingest(sources, feeds, db, batch_size, workers, executor, scheduler) -> None:
    """Analyze SOURCE... and feeds and store articles, stories, speakers, channels, statements and claims.

    Re-ingesting an article changes nothing; a changed article becomes a new
    version; failures are recorded in the errors table and the run goes on. A
    run that was killed can be started again: what was committed stays,
    nothing is stored twice.

    \b
    Examples:
      readouts ingest articles/ --db corpus.db
      readouts ingest --feed https://example.com/rss.xml --feed saved-feed.xml
      readouts ingest corpus.jsonl --workers 2 --db postgresql://localhost/readouts
      readouts ingest corpus.jsonl --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from readouts.corpus import ingest as ingest_sources
    from readouts.corpus.progress import estimate_total
    from readouts.progress import RateProgress

    if not sources and not feeds:
        raise click.UsageError("give at least one SOURCE or --feed")
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler tcp://HOST:PORT")
    with RateProgress("Ingesting", estimate_total(sources, feeds)) as progress:
        summary = ingest_sources(list(sources), db=db, batch_size=batch_size, progress=progress,
                                 stdin=sys.stdin, feeds=list(feeds), workers=workers, executor=executor,
                                 scheduler=scheduler)
    rate = progress.rate()
    note(f"{summary.ingested} ingested, {summary.unchanged} unchanged, {summary.failed} failed"
         + (f" ({rate:.1f} documents/s)" if rate else ""))
    if summary.failed:
        click.echo("See `readouts errors` for what failed and why.", err=True)
        sys.exit(1)


@click.command()
@_db_option
@format_options(("text", "json"), "One line per error, or one JSON object per line.")
def errors(db: str | None, fmt: str, as_json: bool) -> None:
    """List the inputs that failed to ingest, with the reason.

    \b
    Examples:
      readouts errors --db corpus.db
      readouts errors --db corpus.db --format json
    """
    from readouts.store import open_store

    as_json = chosen_format(fmt, as_json) == "json"
    with open_store(db, must_exist=True) as store:
        for row in store.errors():
            if as_json:
                click.echo(json.dumps(row, default=str))
            else:
                click.echo(f"{row['code']}  {row['source']}  {row['reason']}  (x{row['occurrences']})")


def _day(ctx, param, value: str | None) -> str | None:
    """A date bound as the store compares it: ISO text from a year down to a day."""
    if value is not None and not _DAY.fullmatch(value.strip()):
        raise click.BadParameter(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", ctx=ctx, param=param)
    return value.strip() if value is not None else None


@click.command()
@_db_option
@click.option("--speaker", default=None, help="Speaker name or alias (Lavrov, Sergei Lavrov).")
@click.option("--channel", default=None, help="Channel name or alias (Interfax, AP).")
@click.option("--text", default=None, help="Words to search for in what was said.")
@click.option("--since", default=None, metavar="YYYY-MM-DD", callback=_day,
              help="Articles published on or after this day (or YYYY-MM, YYYY).")
@click.option("--until", default=None, metavar="YYYY-MM-DD", callback=_day,
              help="Articles published on or before this day, month or year (the whole of it).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Most rows to show.")
@format_options(("text", "json"), "One line per statement, or one JSON object per line.")
def query(db, speaker, channel, text, since, until, limit, fmt, as_json) -> None:
    """Search the stored statements by speaker, channel, words and date.

    \b
    Examples:
      readouts query --speaker Lavrov --text ceasefire
      readouts query --channel Interfax --since 2017-07-01 --format json
    """
    from readouts.store import open_store

    as_json = chosen_format(fmt, as_json) == "json"
    with open_store(db, must_exist=True) as store:
        rows = store.query_statements(speaker=speaker, channel=channel, text=text, since=since,
                                      until=until, limit=limit)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, default=str, ensure_ascii=False))
        else:
            via = f"  via {', '.join(row['via'])}" if row.get("via") else ""
            click.echo(f"{row.get('speaker') or 'unattributed'}: “{row.get('content', '')}”{via}")


@click.command()
@click.argument("table", type=click.Choice(EXPORT_TABLES))
@_db_option
@click.option("--format", "fmt", type=click.Choice(("csv", "jsonl", "parquet")), default="jsonl",
              show_default=True, help="Output format (parquet needs pyarrow).")
@output_option("Write to this file instead of standard output")
def export(table: str, db: str | None, fmt: str, output: Path | None) -> None:
    """Export one TABLE of the corpus database.

    \b
    Examples:
      readouts export articles --format jsonl
      readouts export statements --format csv -o statements.csv
    """
    from readouts.store import open_store

    if fmt == "parquet" and to_stdout(output):
        raise click.UsageError("parquet is binary: give --output FILE")
    with open_store(db, must_exist=True) as store:
        count = store.export(table, fmt, sys.stdout if to_stdout(output) else output)
    note(f"{count} rows of {table}")
