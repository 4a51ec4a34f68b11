"""Reads a Ledger, produces the terminal report (rich, rendered to a string; colour only when asked).

All strings from the data go into rich ``Text`` objects, never into markup, so a
bracket in an article cannot restyle the report.
"""

from __future__ import annotations

from dataclasses import replace
from io import StringIO
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from readouts.model import Ledger
from readouts.report import view as v
from readouts.report.outlets import OUTLETS_COMPARED, OutletView

# Longest quote shown in a claim line; the full words are in the statements list below.
CLAIM_QUOTE_LIMIT = 160


def render_text(
    ledger: Ledger, width: int = 100, color: bool = False, failures: bool = True, **_: Any
) -> str:
    """The terminal report; ``failures=False`` leaves failures out for callers that list them elsewhere."""
    report = v.build_view(ledger)
    if not failures:
        report = replace(report, failures=())
    console = Console(
        file=StringIO(),
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
        no_color=not color,
        markup=False,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    for block in _blocks(report, width):
        console.print(block)
    rendered = console.file.getvalue()  # type: ignore[attr-defined]
    # Tables pad every cell to the column width; trailing blanks only get in the way of copying.
    return "\n".join(line.rstrip() for line in rendered.splitlines()) + "\n"



def _blocks(report: v.ReportView, width: int) -> list[RenderableType]:
    blocks: list[RenderableType] = [_header(report, width)]
    if report.contested:
        blocks += [_heading(v.ACCOUNTS_DIFFER), *(_claim(c) for c in report.contested)]
    if report.corroborated:
        blocks += [_heading(v.CONFIRMED), *(_claim(c) for c in report.corroborated)]
    if report.single_source:
        blocks.append(Text(f"{v.plural(report.single_source, 'claim')} with a single source.", style="dim"))
    if report.outlets:
        blocks += [_heading(OUTLETS_COMPARED), Text(f"  {report.outlets.counts}", style="dim")]
        blocks += [_outlet(o) for o in report.outlets.outlets]
    if report.speakers:
        blocks += [_heading(v.SPEAKERS), _speakers(report.speakers)]
    if report.by_speaker:
        blocks += [_heading(v.STATEMENTS), *(_speaker_statements(g) for g in report.by_speaker)]
    else:
        blocks.append(Text(v.NO_STATEMENTS, style="dim"))
    if report.failures:
        blocks += [_heading(v.FAILURES), _failures(report)]
    if report.warnings:
        blocks += [_heading(v.WARNINGS), _warnings(report)]
    return blocks


def _header(report: v.ReportView, width: int) -> Text:
    """Title and counts on one line when they fit; otherwise the counts go on the next line."""
    title = report.title if len(report.title) <= width else report.title[: width - 1].rstrip() + "…"
    between = "   " if len(title) + 3 + len(report.counts) <= width else "\n"
    return Text.assemble((title, "bold"), between, (report.counts, "dim"))


def _heading(title: str) -> Text:
    return Text.assemble("\n", (title, "bold underline"))


def _grid() -> Table:
    return Table.grid(padding=(0, 2), pad_edge=False)


def _claim(claim: v.ClaimView) -> Group:
    rows = _grid()
    rows.add_column(width=2)
    rows.add_column(no_wrap=True, style="bold")
    rows.add_column(ratio=2)
    rows.add_column(ratio=1)
    rows.add_column(ratio=3)
    for stance in claim.stances:
        s = stance.statement
        via = f"via {s.via_label}" if s.via else ""
        rows.add_row("", stance.stance, Text(s.speaker.long_label), Text(via), _quote(s))
    sources = f"  {v.plural(claim.sources, 'independent source')}" if claim.sources else ""
    return Group(Text.assemble("  ", (claim.summary, "bold"), (sources, "dim")), rows)


def _outlet(outlet: OutletView) -> Group:
    """Whom the outlet quotes and how often, then the claims no other outlet carries."""
    rows = _grid()
    rows.add_column(width=2)
    rows.add_column(ratio=3)
    rows.add_column(justify="right")
    rows.add_column(ratio=1, style="dim")
    for quoted in outlet.speakers:
        rows.add_row("", Text(quoted.speaker.long_label), str(quoted.count), "only here" if quoted.only_here else "")
    if outlet.more_speakers:
        rows.add_row("", Text(f"+ {v.plural(outlet.more_speakers, 'more speaker')}", style="dim"), "", "")
    parts: list[RenderableType] = [Text.assemble("\n  ", (outlet.name, "bold"), "  ", (outlet.counts, "dim")), rows]
    if outlet.only_here:
        parts.append(Text(f"    only in {outlet.name}:", style="dim"))
        claims = _grid()
        claims.add_column(width=4)
        claims.add_column(no_wrap=True, style="bold")
        claims.add_column(ratio=1)
        for claim in outlet.only_here:
            claims.add_row("", claim.status, Text(claim.summary))
        parts.append(claims)
    return Group(*parts)


def _quote(statement: v.StatementView) -> Text:
    words = statement.content
    if len(words) > CLAIM_QUOTE_LIMIT:
        words = words[: CLAIM_QUOTE_LIMIT - 1].rstrip() + "…"
    return Text(f"“{words}”", style="italic")


def _speakers(speakers: tuple[v.SpeakerView, ...]) -> Table:
    table = _grid()
    table.add_column(width=0)
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    table.add_column()
    table.add_column(justify="right")
    table.add_column()
    for speaker in speakers:
        via = f"via {', '.join(speaker.channels)}" if speaker.channels else ""
        table.add_row(
            "", Text(speaker.label), Text(speaker.role or ""), Text(speaker.side or ""),
            str(speaker.count), Text(via),
        )
    return table


def _speaker_statements(group: v.SpeakerStatements) -> Group:
    rows = _grid()
    rows.add_column(width=2)
    rows.add_column(no_wrap=True)
    rows.add_column(no_wrap=True, style="dim")
    rows.add_column(ratio=1)
    for s in group.statements:
        content = Text(f"“{s.content}”")
        if s.via:
            content.append(f"  via {s.via_label}", style="dim")
        rows.add_row("", Text(s.cue), s.kind, content)
    title = Text.assemble("  ", (group.speaker.long_label, "bold"), f" ({group.speaker.count})")
    return Group(title, rows)


def _failures(report: v.ReportView) -> Table:
    table = _grid()
    table.add_column(width=0)
    table.add_column(no_wrap=True, style="bold red")
    table.add_column()
    table.add_column(ratio=1)
    for failure in report.failures:
        table.add_row("", failure.code, Text(failure.source), Text(v.failure_reason(failure)))
    return table


def _warnings(report: v.ReportView) -> Table:
    table = _grid()
    table.add_column(width=0)
    table.add_column(style="bold")
    table.add_column(ratio=1)
    for article, warning in report.warnings:
        table.add_row("", Text(article), Text(warning))
    return table
