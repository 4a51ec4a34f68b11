"""The ``readouts serve`` command; reads command-line options, produces a running web server (uvicorn)."""

from __future__ import annotations

import click

from readouts.cli_options import note
from readouts.extras import require_extra

# The same default as readouts.web.app.MAX_BODY_BYTES, which this module cannot import before
# it knows that the web extra is installed (tests/test_packaging.py keeps the two equal).
MAX_BODY_BYTES = 2 * 1024 * 1024
from readouts.web.analysis_pool import ANALYZE_MAX_CHARS, ANALYZE_SECONDS, ANALYZE_WORKERS  # no web extra needed

SHUTDOWN_GRACE_SECONDS = 3


@click.command("serve")
@click.option("--db", "db_url", default=None, metavar="URL", envvar="READOUTS_DB",
              help="Corpus database: a path, sqlite:///file.db or postgresql://... (default: readouts.db).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 exposes the corpus to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Store what visitors analyze (read-only without it).")
@click.option("--allow-private-urls", is_flag=True,
              help="Let the analyzer fetch URLs on private or loopback addresses (never on a public server).")
@click.option("--max-body-bytes", type=click.IntRange(min=1), default=MAX_BODY_BYTES, show_default=True,
              help="Refuse request bodies larger than this.")
@click.option("--analyze-max-chars", type=click.IntRange(min=1), default=ANALYZE_MAX_CHARS, show_default=True,
              help="Longest article the analyze page takes, in characters.")
@click.option("--analyze-seconds", type=click.FloatRange(min=1), default=ANALYZE_SECONDS, show_default=True,
              help="Time limit of one analysis on the analyze page; past it the work is stopped.")
@click.option("--analyze-workers", type=click.IntRange(min=1), default=ANALYZE_WORKERS, show_default=True,
              help="Analyses the analyze page runs at once, each in a process of its own.")
def serve(db_url: str | None, host: str, port: int, allow_ingest: bool, allow_private_urls: bool,
          max_body_bytes: int, analyze_max_chars: int, analyze_seconds: float, analyze_workers: int) -> None:
    """Serve the corpus as web pages and a JSON API.

    \b
    Examples:
      readouts serve --db corpus.db
      readouts serve --db corpus.db --port 8080 --allow-ingest
    """
    require_extra("web", "readouts serve")
    import uvicorn

    from readouts.web.app import create_app

    # Only a server that may store what it analyzes starts on a database that is not there yet.
    app = create_app(db_url, allow_ingest=allow_ingest, allow_private_urls=allow_private_urls,
                     max_body_bytes=max_body_bytes, must_exist=not allow_ingest,
                     analyze_max_chars=analyze_max_chars, analyze_seconds=analyze_seconds,
                     analyze_workers=analyze_workers)
    note(f"Serving on http://{host}:{port}/ (Ctrl-C or SIGTERM stops)")
    # A request still running when the server is told to stop gets a few seconds, then is cancelled
    # (an analysis in flight is stopped with its worker process).
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS)
