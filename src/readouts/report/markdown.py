"""Reads a Ledger, produces the Markdown report in the terminal report's order, every data string escaped.

Article text and everything else that comes from the data is escaped so a
``*`` or a ``<script>`` in an article stays text in any Markdown viewer.
"""

from __future__ import annotations

import re
from typing import Any

from readouts.model import Ledger
from readouts.report import view as v
from readouts.report.outlets import OUTLETS_COMPARED, OutletView

# ASCII punctuation that can start or end Markdown/HTML syntax inline (CommonMark escapes all of them).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")
# At the start of a line these make a list item, a heading or a quote.
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def escape_md(text: str) -> str:
    """Text that Markdown shows as written, on one line."""
    one_line = " ".join(text.split())
    return _LINE_START.sub(r"\1\\\2", _SPECIAL.sub(r"\\\1", one_line))


def escape_md_block(text: str) -> str:
    """A multi-line text escaped line by line, paragraphs kept, line breaks kept as hard breaks."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    rendered = []
    for paragraph in paragraphs:
        lines = [escape_md(line) for line in paragraph.splitlines() if line.strip()]
        rendered.append("  \n".join(lines))
    return "\n\n".join(p for p in rendered if p)


def render_markdown(ledger: Ledger, full_text: bool = True, **_: Any) -> str:
    report = v.build_view(ledger)
    parts = [f"# {escape_md(report.title)}", "", escape_md(report.counts), ""]
    parts += _claims_section(v.ACCOUNTS_DIFFER, report.contested)
    parts += _claims_section(v.CONFIRMED, report.corroborated)
    if report.single_source:
        parts += [f"_{v.plural(report.single_source, 'claim')} with a single source._", ""]
    parts += _outlets_section(report)
    parts += _speakers_section(report)
    parts += _statements_section(report)
    parts += _failures_section(report)
    parts += _warnings_section(report)
    if full_text:
        parts += _articles_section(ledger)
    return "\n".join(parts).rstrip() + "\n"


def _title(title: str) -> str:
    return f"## {title.capitalize()}"


def _statement_line(s: v.StatementView, lead: str) -> str:
    via = f" via {escape_md(s.via_label)}" if s.via else ""
    return f"- {lead}{escape_md(s.speaker.long_label)}{via}: “{escape_md(s.content)}”"


def _claims_section(title: str, claims: tuple[v.ClaimView, ...]) -> list[str]:
    if not claims:
        return []
    lines = [_title(title), ""]
    for claim in claims:
        lines += [f"### {escape_md(claim.summary)}", ""]
        if claim.sources:
            lines += [f"_{v.plural(claim.sources, 'independent source')}_", ""]
        lines += [_statement_line(st.statement, f"**{st.stance}** ") for st in claim.stances]
        lines.append("")
    return lines


def _outlets_section(report: v.ReportView) -> list[str]:
    if not report.outlets:
        return []
    lines = [_title(OUTLETS_COMPARED), "", f"_{escape_md(report.outlets.counts)}_", ""]
    for outlet in report.outlets.outlets:
        lines += _outlet_lines(outlet)
    return lines


def _outlet_lines(outlet: OutletView) -> list[str]:
    lines = [f"### {escape_md(outlet.name)}", "", f"_{escape_md(outlet.counts)}_", ""]
    if outlet.speakers:
        lines += ["| Quotes | Statements | Quoted by no other outlet |", "|---|---:|---|"]
        for quoted in outlet.speakers:
            only = "yes" if quoted.only_here else ""
            lines.append(f"| {escape_md(quoted.speaker.long_label)} | {quoted.count} | {only} |")
        lines.append("")
    if outlet.more_speakers:
        lines += [f"_+ {v.plural(outlet.more_speakers, 'more speaker')}_", ""]
    if outlet.only_here:
        lines += [f"Only in {escape_md(outlet.name)}:", ""]
        lines += [f"- **{claim.status}** {escape_md(claim.summary)}" for claim in outlet.only_here]
        lines.append("")
    return lines


def _speakers_section(report: v.ReportView) -> list[str]:
    if not report.speakers:
        return []
    lines = [_title(v.SPEAKERS), "", "| Speaker | Role | Side | Statements | Via |", "|---|---|---|---:|---|"]
    for s in report.speakers:
        cells = [s.label, s.role or "", s.side or "", str(s.count), ", ".join(s.channels)]
        lines.append("| " + " | ".join(escape_md(c) for c in cells) + " |")
    return lines + [""]


def _statements_section(report: v.ReportView) -> list[str]:
    lines = [_title(v.STATEMENTS), ""]
    if not report.by_speaker:
        return lines + [f"_{v.NO_STATEMENTS}_", ""]
    for group in report.by_speaker:
        lines += [f"### {escape_md(group.speaker.long_label)} ({group.speaker.count})", ""]
        for s in group.statements:
            via = f" — via {escape_md(s.via_label)}" if s.via else ""
            lines.append(f"- _{escape_md(s.cue)}_ ({s.kind}): “{escape_md(s.content)}”{via}")
        lines.append("")
    return lines


def _failures_section(report: v.ReportView) -> list[str]:
    if not report.failures:
        return []
    lines = [_title(v.FAILURES), ""]
    for f in report.failures:
        lines.append(f"- `{f.code}` {escape_md(f.source)}: {escape_md(v.failure_reason(f))}")
    return lines + [""]


def _warnings_section(report: v.ReportView) -> list[str]:
    if not report.warnings:
        return []
    lines = [_title(v.WARNINGS), ""]
    lines += [f"- {escape_md(article)}: {escape_md(w)}" for article, w in report.warnings]
    return lines + [""]


def _articles_section(ledger: Ledger) -> list[str]:
    if not ledger.articles:
        return []
    lines = [_title(v.ARTICLES), ""]
    for article in ledger.articles:
        meta = [m for m in (article.outlet, article.byline, article.published, article.source) if m]
        lines += [f"### {escape_md(v.article_label(article))}", ""]
        if meta:
            lines += [escape_md(" · ".join(meta)), ""]
        lines += [escape_md_block(article.text), ""]
    return lines
