"""Loads the data tables shipped in ``readouts/data`` (TSV and plain lists); produces cached rows.

Lexicons, wire codes, outlet aliases, titles and debris patterns live in data
files so they can be edited without touching code. TSV files: ``#`` starts a
comment line, the first non-comment line names the columns.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

_PACKAGE = "readouts.data"


def data_text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV data file as dicts keyed by the header's column names."""
    lines = [ln for ln in data_text(name).splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append({k: v.strip() for k, v in zip(header, cells)})
    return tuple(rows)


@lru_cache(maxsize=None)
def load_list(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a plain list file."""
    return tuple(
        ln.strip() for ln in data_text(name).splitlines() if ln.strip() and not ln.startswith("#")
    )
