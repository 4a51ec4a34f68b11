"""Resolution on the seed article: its speakers, their sides and the channels their words came through."""

from __future__ import annotations

import pytest

from readouts.model import Article, Attribution, ChannelMention
from readouts.resolve import resolve


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


@pytest.fixture(scope="module")
def seed_ledger(seed_text, nlp):
    """Attributions the seed yields for a few representative sentences, found by their words."""
    text = seed_text

    def att(speaker, content, kind="direct", after=0, channels=()):
        content_span = _span(text, content, after)
        speaker_span = _span(text, speaker, max(0, content_span[0] - 250))
        mentions = tuple(ChannelMention(c, _span(text, c, max(0, content_span[0] - 250)), how) for c, how in channels)
        return Attribution("seed", speaker, speaker_span, "said", None, (content_span,), kind, channels=mentions)

    pushback = text.index("Pushback")
    last_flash = text.index("the only line that matters")
    atts = [
        att("Putin", "We again returned to the issues of fighting terrorism and cybersecurity"),
        att("Secretary of State Rex Tillerson", "Trump repeatedly pressed Putin on the matter", "indirect"),
        att("Russia\u2019s Sergey Lavrov", "Trump accepted Putin\u2019s assurance of no election hacking.", "mixed"),
        att("LAVROV", "TRUMP ACKNOWLEDGES ANTI-RUSSIAN CAMPAIGN IN U.S. ALREADY LOOKING ODD", "flash"),
        att("one administration official", "not accurate", "mixed"),
        att("one official", "not accurate", "mixed", after=pushback, channels=[("@NBCNews", "handle")]),
        att("U.S. Secretary of State Rex Tillerson", "A cease-fire has been entered into",
            channels=[("reporters", "told")]),
        att("he", "first indication of the U.S. and Russia being able to work together in Syria", "mixed"),
        att("the US leader", "Spasibo [thank you]"),
        att("TILLERSON", "U.S., RUSSIA, JORDAN REACHED CEASEFIRE IN SW SYRIA", "flash"),
        att("TILLERSON", "IT IS NOT CLEAR U.S. OR RUSSIA WILL EVER COME TO A RESOLUTION", "flash"),
        att("LAVROV", "TRUMP ACCEPTED PUTIN\u2019S ASSURANCE OF NO ELECTION HACKING", "flash"),
        att("LAVROV", "TRUCE IN SOUTHERN SYRIA TO BE EFFECTIVE FROM MIDNIGHT JULY 9", "flash"),
        att("LAVROV", "TRUMP ACKNOWLEDGES ANTI-RUSSIAN CAMPAIGN IN U.S. ALREADY LOOKING ODD", "flash", after=last_flash),
    ]
    article = Article(id="seed", text=text, outlet="ZeroHedge")
    actors, channels, statements = resolve([article], [nlp(text)], atts)
    return {a.id: a for a in actors}, {c.id: c for c in channels}, statements


def test_seed_names_its_five_speakers_with_roles_and_sides(seed_ledger):
    actors, _, _ = seed_ledger
    people = {a.name: (a.role, a.affiliation) for a in actors.values() if a.kind == "person"}
    assert people["Vladimir Putin"][1] == "Russia"
    assert people["Donald Trump"][1] == "United States"
    assert people["Rex Tillerson"] == ("Secretary of State", "United States")
    assert people["Sergey Lavrov"] == ("Foreign Minister", "Russia")
    anonymous = [a for a in actors.values() if a.kind == "anonymous"]
    assert [(a.id, a.affiliation) for a in anonymous] == [("administration-official", "United States")]


def test_seed_speakers_of_representative_sentences(seed_ledger):
    _, _, statements = seed_ledger
    speakers = {s.content: s.speaker for s in statements}
    assert speakers["Spasibo [thank you]"] == "donald-trump"
    assert speakers["first indication of the U.S. and Russia being able to work together in Syria"] == "rex-tillerson"
    assert speakers["U.S., RUSSIA, JORDAN REACHED CEASEFIRE IN SW SYRIA"] == "rex-tillerson"
    assert speakers["TRUCE IN SOUTHERN SYRIA TO BE EFFECTIVE FROM MIDNIGHT JULY 9"] == "sergey-lavrov"


def test_seed_flashes_come_through_their_blocks_agency(seed_ledger):
    _, channels, statements = seed_ledger
    via = {s.content: s.via for s in statements}
    assert via["U.S., RUSSIA, JORDAN REACHED CEASEFIRE IN SW SYRIA"][0] == "bloomberg"
    assert via["IT IS NOT CLEAR U.S. OR RUSSIA WILL EVER COME TO A RESOLUTION"][0] == "reuters"
    assert via["TRUCE IN SOUTHERN SYRIA TO BE EFFECTIVE FROM MIDNIGHT JULY 9"][0] == "interfax"
    assert via["A cease-fire has been entered into"][0] == "reporters"
    assert all(s.via[-1] == "zerohedge" for s in statements)
    assert channels["interfax"].kind == "agency"


def test_seed_repeats_are_linked_not_counted_twice(seed_ledger):
    _, _, statements = seed_ledger
    acknowledges = [s for s in statements if s.content.startswith("TRUMP ACKNOWLEDGES")]
    assert acknowledges[1].same_as == acknowledges[0].id
    accepted = [s for s in statements if "assurance of no election hacking" in s.content.lower()]
    assert accepted[1].same_as == accepted[0].id
    officials = [s for s in statements if s.speaker == "administration-official"]
    assert officials[1].same_as == officials[0].id


def test_seed_end_to_end_through_the_pipeline(seed_text):
    import readouts

    ledger = readouts.analyze_text(seed_text, id="seed")
    actors = {a.id: a for a in ledger.actors}
    for actor_id in ("vladimir-putin", "donald-trump", "rex-tillerson", "sergey-lavrov"):
        assert actor_id in actors
    assert actors["administration-official"].affiliation == "United States"
    flashes = [s for s in ledger.statements if s.kind == "flash"]
    by_speaker = {s.speaker for s in flashes}
    assert by_speaker <= {"rex-tillerson", "sergey-lavrov"}
    spasibo = next(s for s in ledger.statements if "Spasibo" in s.content)
    assert spasibo.speaker == "donald-trump"
    channel_ids = {c.id for c in ledger.channels}
    assert {"bloomberg", "interfax", "reuters"} <= channel_ids
    assert len({a.id for a in ledger.actors}) == len(ledger.actors)
