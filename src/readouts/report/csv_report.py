"""Reads a Ledger, produces its statements as CSV: one row per statement with its speaker, channels and claims.

The columns follow the report's view (``report.view``): the speaker as the report
names them, the channels without the article's own outlet, the quote without its
quotation marks, and every claim the statement takes a stance on.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from readouts.model import Ledger
from readouts.report import view as v

COLUMNS = ("statement", "article", "outlet", "published", "speaker", "role", "side", "anonymous", "cue",
           "kind", "act", "content", "via", "claims", "confidence")


def render_csv(ledger: Ledger, **_: Any) -> str:
    report = v.build_view(ledger)
    articles = {a.id: a for a in ledger.articles}
    stances = _stances_by_statement(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in report.statements:
        article = articles.get(s.article)
        writer.writerow((
            s.id, s.article, article.outlet if article else "", article.published if article else "",
            s.speaker.name, s.speaker.role or "", s.speaker.side or "", "yes" if s.speaker.anonymous else "",
            s.cue, s.kind, s.act, s.content, " > ".join(s.via), "; ".join(stances.get(s.id, ())),
            f"{s.confidence:.2f}",
        ))
    return out.getvalue()


def _stances_by_statement(report: v.ReportView) -> dict[str, list[str]]:
    """``supports: <claim summary>`` for each claim card a statement appears on."""
    found: dict[str, list[str]] = {}
    for claim in (*report.contested, *report.corroborated):
        for stance in claim.stances:
            found.setdefault(stance.statement.id, []).append(f"{stance.stance}: {claim.summary}")
    return found
