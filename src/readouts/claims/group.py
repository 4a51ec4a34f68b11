"""Groups a story's statements by proposition; reads Statements, Actors and Articles, produces Claims.

How a story's statements become claims:

1. Each statement is described by the content terms of what it says (its own
   speaker's name left out). A short content ("Russia's involvement") borrows
   the terms of the words around it in its paragraph, which names what is denied.
2. Statements about statements ("Lavrov's comment is not accurate": the content
   names another speaker of the story and a reference word or a refutation,
   in at most a dozen words) are set aside and later join the claim of the
   statement they point at: of that speaker's statements shortly before in the
   same article, the one whose claim has most independent sources.
3. The others are clustered by average-linkage over TF-IDF cosine similarity
   (IDF from the story itself); a statement and the one it duplicates
   (``same_as``) always share a cluster.
4. Each cluster gets an anchor (the statement pointed at, else the clearest
   supporting statement) whose content becomes the summary, and every member a
   stance toward it from its speech act, cue rules and the stance model.

Which clusters become claims: those voiced by two or more independent sources
(different speakers; a duplicate counts with its original, one speaker through
several channels counts once), plus accounts from a single speaker relayed by
two or more different channels (kept as ``single-source``: the spread is news,
the corroboration is not). Everything a lone speaker said once stays out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


from readouts.claims.cluster import average_linkage, tfidf_matrix
from readouts.claims.stance import predict_stance
from readouts.claims.text import cue_positions, is_shouting, terms, words
from readouts.model import Actor, Article, Channel, Claim, Stance, Statement
from readouts.resources import load_list

GROUP_THRESHOLD = 0.2
MIN_SHARED_TERMS = 2
SHORT_CONTENT_TERMS = 4  # fewer content terms than this: borrow the sentence around it
SUMMARY_CHARS = 140
ACT_STANCE = {"deny": "denies", "reject": "disputes"}
CONTEXT_CHARS = 160
REFERENCE_WINDOW = 800  # characters before a referring statement where its target is looked for
REFERRING_MAX_WORDS = 12  # words at the start of a statement where "Lavrov's comment is not accurate" is looked for
STATUS_ORDER = {"contested": 0, "corroborated": 1, "single-source": 2}


@dataclass
class Member:
    """One statement inside the grouping, with what grouping needs to know about it."""

    statement: Statement
    source: str  # independence key: duplicates and one speaker share it
    terms: list[str]
    side: str | None
    channel: str | None


def group_claims(
    statements: Sequence[Statement],
    actors: Sequence[Actor],
    channels: Sequence[Channel],
    articles: Sequence[Article],
) -> list[Claim]:
    """The story's claims, contested first, with ids ``c1, c2, ...``."""
    if len(statements) < 2:
        return []
    members = _members(statements, actors, articles)
    references = _references(members, actors)
    clustered = [m for m in members if m.statement.id not in references]
    groups = _cluster(clustered, _name_terms(actors))
    by_id = {m.statement.id: m for m in members}
    for referring, candidates in list(references.items()):
        group = _most_discussed(candidates, groups)
        if group is not None:
            group.append(by_id[referring])
            references[referring] = next(m.statement.id for m in group if m.statement.id in candidates)
        else:
            del references[referring]
    drafts = [_draft(group, references) for group in groups if _worth_keeping(group)]
    drafts.sort(key=lambda d: (STATUS_ORDER[d[0].status], -d[1], -d[0].sources, d[2]))
    return [
        Claim(id=f"c{i}", summary=claim.summary, status=claim.status, stances=claim.stances, sources=claim.sources)
        for i, (claim, _, _) in enumerate(drafts, 1)
    ]


def _members(statements: Sequence[Statement], actors: Sequence[Actor], articles: Sequence[Article]) -> list[Member]:
    actor_by_id = {a.id: a for a in actors}
    text_by_article = {a.id: a.text for a in articles}
    by_id = {s.id: s for s in statements}
    members = []
    for statement in statements:
        root = _root(statement, by_id)
        speaker = actor_by_id.get(statement.speaker or "")
        own_name = set(terms(" ".join(_names(speaker)))) if speaker else set()
        content_terms = [t for t in terms(statement.content) if t not in own_name]
        if len(set(content_terms)) < SHORT_CONTENT_TERMS:
            context = _context_around(statement, text_by_article.get(statement.article, ""))
            content_terms += [t for t in terms(context) if t not in own_name]
        members.append(
            Member(
                statement=statement,
                source=root.speaker or f"unnamed:{root.id}",
                terms=content_terms,
                side=speaker.affiliation if speaker else None,
                channel=statement.via[0] if statement.via else None,
            )
        )
    return members


def _root(statement: Statement, by_id: dict[str, Statement]) -> Statement:
    """The statement a duplicate points at, following ``same_as`` links (cycles stop)."""
    seen = {statement.id}
    while statement.same_as and statement.same_as in by_id and statement.same_as not in seen:
        statement = by_id[statement.same_as]
        seen.add(statement.id)
    return statement


def _names(actor: Actor) -> list[str]:
    return [actor.name, *actor.aliases]


def _context_around(statement: Statement, text: str) -> str:
    """The words around a content, inside its paragraph (sentence splitting trips on "U.S.")."""
    if not text or not statement.content_spans:
        return ""
    start = min(s for s, _ in statement.content_spans)
    end = max(e for _, e in statement.content_spans)
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    return text[max(paragraph_start, start - CONTEXT_CHARS) : min(paragraph_end, end + CONTEXT_CHARS)]


def _most_discussed(candidates: list[str], groups: list[list[Member]]) -> list[Member] | None:
    """Of the groups holding a candidate target, the one with most independent sources (then the nearest)."""
    best, best_key = None, None
    for rank, target in enumerate(candidates):
        group = next((g for g in groups if any(m.statement.id == target for m in g)), None)
        if group is not None:
            key = (len({m.source for m in group}), -rank)
            if best_key is None or key > best_key:
                best, best_key = group, key
    return best


def _references(members: list[Member], actors: Sequence[Actor]) -> dict[str, list[str]]:
    """Statement id -> ids of the statements it may comment on, nearest first.

    "Lavrov's comment is not accurate" points at what the story just reported
    of Lavrov: his statements shortly before, in the same article.
    """
    reference_words = set(load_list("stance_reference.txt"))
    surnames = _speaker_surnames(members, actors)
    links: dict[str, str] = {}
    for member in members:
        # the reference opens the statement ("that Ortega's comment is not accurate and ..."):
        # its first words say whom it answers
        tokens = [re.sub(r"'s$", "", t) for t in words(member.statement.content)][:REFERRING_MAX_WORDS]
        if not (reference_words & set(tokens) or cue_positions(tokens, "refute") or cue_positions(tokens, "uncertain")):
            continue
        named = [actor_id for name, actor_id in surnames.items() if name in tokens and actor_id != member.statement.speaker]
        for actor_id in named:
            targets = _recent(member, actor_id, members)
            if targets:
                links[member.statement.id] = [m.statement.id for m in targets]
                break
    return links


def _speaker_surnames(members: list[Member], actors: Sequence[Actor]) -> dict[str, str]:
    """Last words of the names of actors who speak in the story (people only), lowercased."""
    speaking = {m.statement.speaker for m in members}
    found = {}
    for actor in actors:
        if actor.id in speaking and actor.kind == "person":
            for name in _names(actor):
                found[name.split()[-1].lower()] = actor.id
    return found


def _recent(member: Member, actor_id: str, members: list[Member]) -> list[Member]:
    """The speaker's statements shortly before ``member`` in its article, nearest first (else the first after)."""
    here = member.statement
    candidates = [m for m in members if m.statement.speaker == actor_id and m.statement.article == here.article]
    before = [m for m in candidates if _start(here) - REFERENCE_WINDOW <= _start(m.statement) < _start(here)]
    if before:
        return sorted(before, key=lambda m: -_start(m.statement))
    return sorted(candidates, key=lambda m: _start(m.statement))[:1]


def _start(statement: Statement) -> int:
    return min((s for s, _ in statement.content_spans), default=0)


def _name_terms(actors: Sequence[Actor]) -> frozenset[str]:
    """Terms of the story's people's names: who a statement is about is not what it says of them."""
    return frozenset(t for actor in actors if actor.kind == "person" for name in _names(actor) for t in terms(name))


def _cluster(members: list[Member], names: frozenset[str] = frozenset()) -> list[list[Member]]:
    """Originals are clustered; each relayed copy (``same_as``) then joins its original's group."""
    ids = {m.statement.id for m in members}
    originals = [m for m in members if m.statement.same_as not in ids]
    if not originals:
        return []
    vectors = tfidf_matrix([m.terms for m in originals])
    similarity = vectors @ vectors.T
    # One shared word is chance ("long" in "two-hour long" and "long-term"): need two, and
    # names do not count (every statement of a summit story names both leaders).
    sets = [set(m.terms) - names for m in originals]
    for i, a in enumerate(sets):
        for j in range(i + 1, len(sets)):
            if len(a & sets[j]) < MIN_SHARED_TERMS:
                similarity[i, j] = similarity[j, i] = 0.0
    labels = average_linkage(similarity, GROUP_THRESHOLD)
    groups: dict[int, list[Member]] = {}
    for label, member in zip(labels, originals):
        groups.setdefault(label, []).append(member)
    group_of = {m.statement.id: groups[label] for label, m in zip(labels, originals)}
    by_id = {m.statement.id: m for m in members}
    for member in members:
        if member.statement.same_as in ids:
            original = _root(member.statement, {k: v.statement for k, v in by_id.items()})
            group_of.get(original.id, groups.setdefault(-1 - len(groups), [])).append(member)
    return list(groups.values())


def _worth_keeping(group: list[Member]) -> bool:
    sources = {m.source for m in group}
    relays = {m.channel for m in group if m.channel}
    return len(sources) >= 2 or (len(group) >= 2 and len(relays) >= 2)


def _draft(group: list[Member], references: dict[str, list[str] | str]) -> tuple[Claim, int, int]:
    """The claim of one group, with sort keys: whether support crosses sides, first position."""
    anchor = _anchor(group, references)
    stances = [Stance(m.statement.id, _stance(m, anchor)) for m in group]
    stance_of = {s.statement: s.stance for s in stances}
    supporters = {m.source for m in group if stance_of[m.statement.id] == "supports"}
    opponents = {m.source for m in group if stance_of[m.statement.id] in ("disputes", "denies")}
    sources = {m.source for m in group}
    if supporters and opponents and (opponents - supporters):
        status = "contested"
    elif len(supporters) >= 2:
        status = "corroborated"
    else:
        status = "single-source"
    sides = {m.side for m in group if m.side and stance_of[m.statement.id] == "supports"}
    ordered = sorted(stances, key=lambda s: _order_key(s, group))
    claim = Claim(id="", summary=summarize(anchor.statement.content), status=status,
                  stances=tuple(ordered), sources=len(sources))
    return claim, len(sides), min(_start(m.statement) for m in group)


def _order_key(stance: Stance, group: list[Member]) -> tuple[int, int]:
    rank = {"supports": 0, "disputes": 1, "denies": 2, "hedges": 3, "discusses": 4}
    member = next(m for m in group if m.statement.id == stance.statement)
    return rank[stance.stance], _start(member.statement)


def _anchor(group: list[Member], references: dict[str, list[str] | str]) -> Member:
    """The statement the claim is about: the clearest supporting one, by the speaker others point at if any."""
    pointed = Counter(t for r, t in references.items() if any(m.statement.id == r for m in group))
    candidates = [m for m in group if _cue_stance(m.statement) is None] or group
    if pointed:
        target = next(m for m in group if m.statement.id == pointed.most_common(1)[0][0])
        candidates = [m for m in candidates if m.source == target.source] or [target]
    term_counts = Counter(t for m in group for t in set(m.terms))
    # Central (shares most terms with the group), then readable, then early.
    return max(
        candidates,
        key=lambda m: (
            sum(term_counts[t] - 1 for t in set(m.terms)) / (len(set(m.terms)) or 1),
            not is_shouting(m.statement.content),
            -_start(m.statement),
        ),
    )


def _cue_stance(statement: Statement) -> str | None:
    """A stance fixed by the speech act or by cue words, before any model."""
    if statement.act in ACT_STANCE:
        return ACT_STANCE[statement.act]
    tokens = words(statement.content)
    if cue_positions(tokens, "uncertain"):
        return "hedges"
    if cue_positions(tokens, "refute"):
        return "disputes"
    if cue_positions(tokens, "deny"):
        # "Putin denied role" said by someone else reports a denial; it denies nothing itself.
        return "discusses"
    return None


def _stance(member: Member, anchor: Member) -> str:
    if member is anchor:
        return "supports"
    if member.source == anchor.source and member.statement.act not in ACT_STANCE:
        return "supports"  # a speaker repeating themself, even through another channel
    fixed = _cue_stance(member.statement)
    if fixed:
        return fixed
    label = predict_stance(anchor.statement.content, member.statement.content)
    # An attributed assertion close enough to be grouped, with no hedge, backs the claim.
    if label in ("discusses", "unrelated") and not cue_positions(words(member.statement.content), "hedge"):
        return "supports"
    return label if label != "unrelated" else "discusses"


def summarize(content: str, limit: int = SUMMARY_CHARS) -> str:
    """Readable one-line form of a content: quotes and debris trimmed, capitals calmed, cut at a word."""
    text = " ".join(content.split()).strip(" \"“”‘’'`,;:–—-")
    text = text.replace("…", "...")
    if is_shouting(text):
        text = text.capitalize()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " ..."
    return text[:1].upper() + text[1:]
