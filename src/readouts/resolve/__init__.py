"""Resolves speakers and channels; reads Articles, their parses and Attributions, produces Actors, Channels, Statements."""

from __future__ import annotations

from collections.abc import Sequence

from readouts.model import Actor, Article, Attribution, Channel, Statement
from readouts.resolve.cast import Cast
from readouts.resolve.channels import ChannelBook, bullet_lines, via_names
from readouts.resolve.people import record_mentions, register_full_names
from readouts.resolve.speakers import ArticleContext, is_first_person, quote_speaker, resolve_speaker
from readouts.resolve.statements import build_statement, link_repeats

__all__ = ["resolve"]


def resolve(
    articles: Sequence[Article], docs: Sequence, attributions: Sequence[Attribution]
) -> tuple[list[Actor], list[Channel], list[Statement]]:
    """Actors, channels and statements of one story; ``docs[i]`` is the parse of ``articles[i].text``."""
    cast = Cast()
    for article, doc in zip(articles, docs):
        register_full_names(cast, article, doc)
    for article, doc in zip(articles, docs):
        record_mentions(cast, article, doc)

    by_id = {a.id: a for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    contexts = {
        a.id: ArticleContext(a, d, quoted=_content_spans(a.id, attributions)) for a, d in zip(articles, docs)
    }
    bullets = {a.id: bullet_lines(a.text) for a in articles}
    book = ChannelBook()

    ordered = sorted(attributions, key=lambda t: (order.get(t.article, len(order)), t.start, t.end))
    resolved = []
    for att in ordered:
        ctx = contexts.get(att.article)
        key = resolve_speaker(cast, ctx, att) if ctx is not None else None
        via = via_names(book, att, by_id.get(att.article), bullets.get(att.article, []))
        resolved.append((att, key, via))
    resolved = _first_person_speakers(resolved)

    actors, actor_ids = cast.actors({key for _, key, _ in resolved if key})
    channels, channel_ids = book.channels({name for _, _, via in resolved for name in via})
    statements = [
        build_statement(
            n, att, by_id.get(att.article), actor_ids.get(key) if key else None,
            tuple(channel_ids[name] for name in via),
        )
        for n, (att, key, via) in enumerate(resolved, start=1)
    ]
    return actors, channels, link_repeats(statements)


def _first_person_speakers(resolved: list) -> list:
    """``I`` / ``we`` inside a quote speak as the quote's speaker; outside any quote, as no one."""
    spoken = [(att, key) for att, key, _ in resolved]
    return [
        (att, quote_speaker(att, spoken) if key is None and is_first_person(att) else key, via)
        for att, key, via in resolved
    ]


def _content_spans(article_id: str, attributions: Sequence[Attribution]) -> list[tuple[int, int]]:
    return [span for att in attributions if att.article == article_id for span in att.content_spans]
