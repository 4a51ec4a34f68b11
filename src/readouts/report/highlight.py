"""Reads an article's text and marked spans, produces escaped HTML with the spans as properly nested elements.

Spans may overlap in any way (a cue inside a quote, a statement crossing a
debris line, two statements sharing words). Elements must nest, so when an
inner element outlives the one it sits in, it is closed there and reopened
just after: one span can come out as several elements, only the first of which
carries the ``id`` that links point to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# Outer to inner when two spans start and end at the same place.
LAYERS = {"debris": 0, "content": 1, "speaker": 2, "cue": 3}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    tag: str = "span"
    classes: str = ""
    title: str = ""
    anchor: str | None = None
    data: tuple[tuple[str, str], ...] = field(default=())

    def open_tag(self, first: bool) -> Markup:
        attrs = Markup(' class="{}"').format(self.classes if first else f"{self.classes} cont")
        if first and self.anchor:
            attrs += Markup(' id="{}"').format(self.anchor)
        if self.title:
            attrs += Markup(' title="{}"').format(self.title)
        for name, value in self.data:
            attrs += Markup(' data-{}="{}"').format(name, value)
        return Markup("<{}{}>").format(Markup(self.tag), attrs)

    def close_tag(self) -> Markup:
        return Markup("</{}>").format(Markup(self.tag))


def clip(marks: Iterable[Mark], length: int) -> list[Mark]:
    """Marks cut to the text and without empty ones, in opening order (outer first)."""
    kept = []
    for mark in marks:
        start, end = max(0, mark.start), min(length, mark.end)
        if start < end:
            kept.append(_with_bounds(mark, start, end))
    return sorted(kept, key=lambda m: (m.start, -m.end, LAYERS.get(m.layer, 9)))


def mark_up(text: str, marks: Sequence[Mark]) -> Markup:
    """``text`` escaped, with every mark wrapped around its characters."""
    ordered = clip(marks, len(text))
    boundaries = sorted({m.start for m in ordered} | {m.end for m in ordered})
    out: list[str] = []
    stack: list[Mark] = []
    position = 0
    next_mark = 0
    for boundary in boundaries:
        out.append(escape(text[position:boundary]))
        position = boundary
        stack = _close_ending(stack, boundary, out)
        while next_mark < len(ordered) and ordered[next_mark].start == boundary:
            out.append(ordered[next_mark].open_tag(first=True))
            stack.append(ordered[next_mark])
            next_mark += 1
    out.append(escape(text[position:]))
    return Markup("").join(out)


def _close_ending(stack: list[Mark], boundary: int, out: list[str]) -> list[Mark]:
    """Close every mark ending here; marks opened inside them that go on are closed and reopened."""
    ending = [i for i, m in enumerate(stack) if m.end == boundary]
    if not ending:
        return stack
    deepest = ending[0]
    for mark in reversed(stack[deepest:]):
        out.append(mark.close_tag())
    going_on = [m for m in stack[deepest:] if m.end != boundary]
    for mark in going_on:
        out.append(mark.open_tag(first=False))
    return stack[:deepest] + going_on


def _with_bounds(mark: Mark, start: int, end: int) -> Mark:
    if (start, end) == (mark.start, mark.end):
        return mark
    return Mark(start, end, mark.layer, mark.tag, mark.classes, mark.title, mark.anchor, mark.data)
