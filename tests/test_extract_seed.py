"""Extraction on the seed article: flashes, quotes, reported speech, channels, debris, editor lines."""

from __future__ import annotations

import pytest

from readouts.extract import extract
from readouts.extract.flash import flash_lines
from readouts.model import Article


@pytest.fixture(scope="module")
def seed(seed_text, nlp):
    article = Article("seed", seed_text)
    return article, extract(article, nlp(seed_text))


def content(article, att):
    return " ".join(article.text[s:e] for s, e in att.content_spans)


def find(found, article, words, speaker=None):
    hits = [a for a in found if words in content(article, a)
            and (speaker is None or (a.speaker_text and speaker in a.speaker_text))]
    assert hits, f"nothing says {words!r} (speaker {speaker!r})"
    return hits[0]


def test_every_flash_line_is_attributed_with_its_wire_code(seed):
    article, found = seed
    flashes = [a for a in found if a.kind == "flash"]
    lines = flash_lines(article.text)
    bullets = [ln for ln in article.text.splitlines() if ln.strip().startswith("•")]
    assert len(lines) == len(bullets) > 20
    for start, end in lines:
        on_line = [a for a in flashes if start <= a.start < end]
        assert len(on_line) == 1, article.text[start:end]
        att = on_line[0]
        assert att.speaker_text in ("TILLERSON", "LAVROV")
        line = article.text[start:end].rstrip()
        for code in ("RTRS", "IFX"):
            if line.endswith(": " + code):
                assert [(c.text, c.how) for c in att.channels] == [(code, "wire_code")]


def test_flash_display_is_readable_and_speaker_points_at_the_capitals(seed):
    article, found = seed
    att = find(found, article, "TRUMP ACCEPTED PUTIN’S ASSURANCE OF NO ELECTION HACKING", "LAVROV")
    assert att.display == "Trump accepted Putin’s assurance of no election hacking"
    assert article.text[slice(*att.speaker_span)] == "LAVROV"
    says = find(found, article, "NEITHER LEADER WANTED TO STOP MEETING", "TILLERSON")
    assert says.cue == "SAYS" and says.rule == "flash_says"
    repeat = find(found, article, "U.S. AIMS AT IMPLEMENTATION OF MINSK AGREEMENTS", "LAVROV")
    assert not content(article, repeat).endswith("LAVROV")


def test_direct_quotes_of_putin_trump_and_tillerson(seed):
    article, found = seed
    assert find(found, article, "We again returned to the issues", "Putin").kind == "direct"
    assert find(found, article, "It’s an honor to be with you", "Trump").kind == "direct"
    assert find(found, article, "A cease-fire has been entered into", "Tillerson").kind == "direct"
    assert find(found, article, "Spasibo", "the US leader").cue == "added"
    split = find(found, article, "I’m delighted to be able to meet you", "Putin")
    assert "And I hope" in content(article, split) and len(split.content_spans) == 2


def test_reported_and_mixed_speech(seed):
    article, found = seed
    tillerson = find(found, article, "Trump repeatedly pressed Putin", "Tillerson")
    assert tillerson.kind == "indirect" and tillerson.cue == "said"
    lavrov = find(found, article, "Trump accepted Putin’s assurance of no election hacking.", "Lavrov")
    assert lavrov.cue == "according to"
    official = find(found, article, "Lavrov’s comment is “not accurate", "one administration official")
    assert official.kind == "mixed" and official.cue == "has said"


def test_local_channels(seed):
    article, found = seed
    interfax = find(found, article, "I had a very lengthy conversation")
    assert ("Interfax news agency", "according_to") in [(c.text, c.how) for c in interfax.channels]
    reporters = find(found, article, "A cease-fire has been entered into")
    assert ("reporters", "told") in [(c.text, c.how) for c in reporters.channels]
    nbc = [a for a in found if a.speaker_text == "one official" and a.cue == "tells"]
    assert nbc and ("@NBCNews", "handle") in [(c.text, c.how) for c in nbc[0].channels]


def test_nothing_from_the_editor_or_from_debris(seed_text, nlp):
    debris = [seed_text.index("Tyler Durden's picture"), seed_text.index("ZeroHedge\nClick")]
    boilerplate = ((debris[0], debris[0] + len("Tyler Durden's picture")), (debris[1], len(seed_text)))
    article = Article("seed", seed_text, boilerplate=boilerplate)
    found = extract(article, nlp(seed_text))
    for att in found:
        for s, e in list(att.content_spans) + [x for x in (att.cue_span, att.speaker_span) if x]:
            assert not article.in_boilerplate(s, e)
    editor = seed_text.index("the question on everyone’s mind")
    assert not [a for a in found if a.start <= editor < a.end or (a.cue_span and a.cue_span[0] > editor
                and a.cue_span[0] < editor + 70)]
