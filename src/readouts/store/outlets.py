"""Tells a statement's channels from the outlet that published its article; reads channel rows, produces id sets.

The extractor records the publishing outlet as a channel when the article names
it (a byline, a ``(Reuters) -`` header): every statement of that article then
"came through" it. Pages that list what a speaker used, or through whom a
statement came, leave it out: the outlet is shown as the outlet.
"""

from __future__ import annotations

from collections.abc import Iterable

from readouts.store.database import Database
from readouts.store.keys import channel_key


def outlet_key(name: str | None) -> str:
    """``The New York Times`` and ``New York Times`` are one outlet."""
    key = channel_key(name or "")
    return key[4:] if key.startswith("the ") else key


def channel_keys(db: Database, ids: Iterable[int]) -> dict[int, set[str]]:
    """Each channel's name and alias keys, in the form ``outlet_key`` gives."""
    wanted = sorted(set(ids))
    keys: dict[int, set[str]] = {i: set() for i in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.rows(
            f"SELECT id, name AS name FROM channels WHERE id IN ({marks})"
            f" UNION ALL SELECT channel_id AS id, alias AS name FROM channel_aliases WHERE channel_id IN ({marks})",
            [*chunk, *chunk],
        ):
            keys[row["id"]].add(outlet_key(row["name"]))
    return keys


def is_outlet(keys: dict[int, set[str]], channel_id: int, outlet: str | None) -> bool:
    """True when the channel is the article's own outlet."""
    return bool(outlet) and outlet_key(outlet) in keys.get(channel_id, set())
