"""Claim grouping; reads Statements, produces Claims.

The story-level grouping of statements into claims with stances is not built
yet: every ledger currently carries an empty ``claims`` list, and reports say
so rather than inventing conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence

from readouts.model import Actor, Article, Channel, Claim, Statement


def group_claims(
    statements: Sequence[Statement],
    actors: Sequence[Actor],
    channels: Sequence[Channel],
    articles: Sequence[Article],
) -> list[Claim]:
    return []
