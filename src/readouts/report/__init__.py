"""Reads a Ledger, produces a report as a string: ``text`` (terminal), ``json`` (the contract), ``md``, ``html`` or ``csv``.

Every format shows findings first (contested, then corroborated claims), then
speakers, statements grouped by speaker, failures and warnings; HTML adds each
article's text with the statements highlighted; CSV is one row per statement.
"""

from __future__ import annotations

from typing import Any

from readouts.errors import ConfigError
from readouts.model import Ledger

FORMATS = ("text", "json", "md", "html", "csv")


def render(ledger: Ledger, fmt: str, **opts: Any) -> str:
    """The ledger as ``fmt``; options: json ``indent``, text ``width``/``color``, md ``full_text``."""
    if fmt == "text":
        from readouts.report.text import render_text as renderer
    elif fmt == "json":
        from readouts.report.json_report import render_json as renderer
    elif fmt in ("md", "markdown"):
        from readouts.report.markdown import render_markdown as renderer
    elif fmt == "html":
        from readouts.report.html import render_html as renderer
    elif fmt == "csv":
        from readouts.report.csv_report import render_csv as renderer
    else:
        raise ConfigError(fmt, "unknown report format", f"use one of {', '.join(FORMATS)}")
    return renderer(ledger, **opts)


__all__ = ["FORMATS", "render"]
