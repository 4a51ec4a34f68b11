"""Finds or creates the corpus-wide rows of actors and channels; reads ledger actors/channels, produces row ids.

One person is one ``actors`` row across every article: a ledger actor joins an
existing row when its normalised name equals a row's identity key or one of its
aliases, or when one of its aliases equals a row's identity key. Anonymous
sources are never merged across articles: "an official" in two stories is not
known to be one person. Channels join on their plain name or an alias.
"""

from __future__ import annotations

from readouts.model import Actor, Channel
from readouts.store.database import Database
from readouts.store.keys import channel_key, name_key

_FIND_ACTOR = "SELECT id FROM actors WHERE identity_key = ?"
_FIND_ACTOR_BY_ALIAS = "SELECT actor_id AS id FROM actor_aliases WHERE alias_key = ? ORDER BY actor_id LIMIT 1"
_FIND_CHANNEL = "SELECT id FROM channels WHERE name_key = ?"
_FIND_CHANNEL_BY_ALIAS = "SELECT channel_id AS id FROM channel_aliases WHERE alias_key = ? ORDER BY channel_id LIMIT 1"


class Identities:
    """Row ids of the actors and channels met while writing one ledger; counts the rows it created."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.created_actors = 0
        self.created_channels = 0
        self._actors: dict[tuple[str, str], int] = {}
        self._channels: dict[str, int] = {}
        self._principals: set[tuple[int, int]] = set()

    def actor_id(self, actor: Actor, article_key: str) -> int:
        scope = article_key if actor.kind == "anonymous" else ""
        cached = self._actors.get((actor.id, scope))
        if cached is None:
            cached = self._actor_row(actor, scope)
            self._actors[(actor.id, scope)] = cached
        return cached

    def link_principal(self, actor_id: int, principal_id: int) -> None:
        """The actor's row points at its principal's; a principal an earlier article gave stays."""
        if actor_id == principal_id or (actor_id, principal_id) in self._principals:
            return
        self._principals.add((actor_id, principal_id))
        self.db.execute(
            "UPDATE actors SET principal_id = ? WHERE id = ? AND principal_id IS NULL", (principal_id, actor_id)
        )

    def channel_id(self, channel: Channel) -> int:
        cached = self._channels.get(channel.id)
        if cached is None:
            cached = self._channel_row(channel)
            self._channels[channel.id] = cached
        return cached

    def _actor_row(self, actor: Actor, scope: str) -> int:
        if scope:
            key = f"anonymous:{name_key(actor.name)}|{name_key(actor.affiliation or '')}|{scope}"
            found = self.db.value(_FIND_ACTOR, (key,))
        else:
            key = name_key(actor.name)
            found = self._known_actor(key, actor.aliases)
        if found is None:
            found = self.db.value(
                "INSERT INTO actors (identity_key, name, kind, role, affiliation, descriptor)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (key, actor.name, actor.kind, actor.role, actor.affiliation, actor.descriptor),
            )
            self.created_actors += 1
        else:
            self._fill_gaps(found, actor)
        self._add_aliases("actor_aliases", "actor_id", found, (actor.name, *actor.aliases), name_key)
        return int(found)

    def _known_actor(self, key: str, aliases: tuple[str, ...]) -> int | None:
        found = self.db.value(_FIND_ACTOR, (key,)) or self.db.value(_FIND_ACTOR_BY_ALIAS, (key,))
        for alias in aliases:
            if found is not None:
                break
            found = self.db.value(_FIND_ACTOR, (name_key(alias),))
        return found

    def _fill_gaps(self, actor_id: int, actor: Actor) -> None:
        # A later article may know the role or side an earlier one did not; known values are kept.
        self.db.execute(
            "UPDATE actors SET role = COALESCE(role, ?), affiliation = COALESCE(affiliation, ?),"
            " descriptor = COALESCE(descriptor, ?) WHERE id = ?"
            " AND (role IS NULL OR affiliation IS NULL OR descriptor IS NULL)",
            (actor.role, actor.affiliation, actor.descriptor, actor_id),
        )

    def _channel_row(self, channel: Channel) -> int:
        key = channel_key(channel.name)
        found = self.db.value(_FIND_CHANNEL, (key,)) or self.db.value(_FIND_CHANNEL_BY_ALIAS, (key,))
        if found is None:
            found = self.db.value(
                "INSERT INTO channels (name_key, name, kind) VALUES (?, ?, ?) RETURNING id",
                (key, channel.name, channel.kind),
            )
            self.created_channels += 1
        self._add_aliases("channel_aliases", "channel_id", found, (channel.name, *channel.aliases), channel_key)
        return int(found)

    def _add_aliases(self, table: str, owner: str, owner_id: int, names, keyer) -> None:
        for alias in dict.fromkeys(n.strip() for n in names if n and n.strip()):
            self.db.execute(
                f"INSERT INTO {table} ({owner}, alias, alias_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (owner_id, alias, keyer(alias)),
            )
