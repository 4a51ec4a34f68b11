"""The conventions every ``readouts`` command shares; reads click options, produces log settings, env var names and output streams.

- ``-o -`` means standard output wherever a command writes a file.
- ``-v``/``-vv``/``-q`` set the level of the standard ``logging`` messages on standard error.
- ``-f/--format json`` is how a command is asked for JSON; ``--json`` is its deprecated, hidden
  spelling on the commands that had it.
- Every option can be set through an environment variable, ``READOUTS_<COMMAND>_<OPTION>``
  (``READOUTS_DB`` for every ``--db``), listed in ``--help``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

import click

from readouts.cores import available_cores

ENV_PREFIX = "READOUTS"
STDOUT = "-"
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
# Libraries that log every request or step at INFO; -vv (DEBUG) lets them through.
CHATTY_LIBRARIES = ("httpx", "httpcore", "urllib3", "trafilatura", "htmldate", "courlan", "filelock")


def log_level(verbose: int, quiet: bool) -> int:
    """WARNING by default, INFO with -v, DEBUG with -vv, ERROR with -q."""
    if quiet:
        return logging.ERROR
    return {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (click's test runner swaps it)."""

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, value: IO[str]) -> None:  # StreamHandler.__init__ assigns one; ignored
        pass


_handler: logging.Handler | None = None


def configure_logging(verbose: int, quiet: bool) -> None:
    """The root logger at the chosen level, with one handler of ours (others are left alone)."""
    global _handler
    level = log_level(verbose, quiet)
    root = logging.getLogger()
    if _handler is None:
        _handler = _StderrHandler()
        _handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(_handler)
    root.setLevel(level)
    for name in CHATTY_LIBRARIES:  # quiet at -v, everything at -vv; otherwise the root's level
        logging.getLogger(name).setLevel(logging.WARNING if level == logging.INFO else logging.NOTSET)


def note(message: str) -> None:
    """A summary line on standard error (what was written, how many failed), left out with -q."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.find_root().params.get("quiet"):
        click.echo(message, err=True)


def verbosity_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("-q", "--quiet", is_flag=True, help="Only errors on standard error.")(func)
    return click.option("-v", "--verbose", count=True,
                        help="Log what is happening on standard error (-vv: debug detail).")(func)


def processes_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-p", "--processes", "processes_wanted", type=click.IntRange(min=1), default=None, metavar="N",
        help="Worker processes for the spaCy pipeline (default: every core this process may use).",
    )(func)


def processes(value: int | None) -> int:
    return available_cores() if value is None else value


def format_options(choices: tuple[str, ...], help: str, default: str = "text") -> Callable[..., Any]:
    """``-f/--format`` plus the deprecated ``--json`` flag, which means ``--format json``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option("--json", "as_json", is_flag=True, hidden=True,
                            deprecated="use --format json", help="Same as --format json.")(func)
        return click.option("-f", "--format", "fmt", type=click.Choice(choices), default=default,
                            show_default=True, help=help)(func)

    return decorate


def chosen_format(fmt: str, as_json: bool) -> str:
    return "json" if as_json else fmt


def output_option(help: str, required: bool = False) -> Callable[..., Any]:
    return click.option(
        "-o", "--output", required=required, metavar="FILE|-",
        type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
        help=f"{help} (- for standard output).",
    )


def to_stdout(output: Path | None) -> bool:
    return output is None or str(output) == STDOUT


@contextmanager
def open_output(output: Path) -> Iterator[IO[str]]:
    """The file to write, or standard output for ``-``; file errors as click's usage errors."""
    if to_stdout(output):
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        handle = output.open("w", encoding="utf-8")
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from exc
    with handle:
        yield handle


def name_envvars(command: click.Command, prefix: str = ENV_PREFIX) -> None:
    """Give every option of ``command`` and its subcommands an environment variable shown in ``--help``.

    Named after the command path and the option's long name (``READOUTS_ANALYZE_FORMAT``), not
    click's ``auto_envvar_prefix``, which would use the Python parameter name (``..._FMT``)."""
    for param in command.params:
        if not isinstance(param, click.Option) or param.is_eager or param.hidden:
            continue
        if not param.envvar:
            longest = max(param.opts, key=len).lstrip("-")
            param.envvar = f"{prefix}_{longest}".upper().replace("-", "_")
        param.show_envvar = True
    for name, sub in getattr(command, "commands", {}).items():
        name_envvars(sub, f"{prefix}_{name}".upper().replace("-", "_"))
