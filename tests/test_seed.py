"""The seed article end to end: speakers with sides, every flash with its channel, nothing from debris."""

from __future__ import annotations

import re

import pytest

import readouts

# The channel each bullet of the seed reaches the article through, in order of appearance,
# as the text itself says: "Or as Interfax put it:", "courtesy of Bloomberg:" (with ": RTRS"
# bullets naming their own agency), "as reported by Interfax:".
EXPECTED_FLASH_CHANNELS = (
    ["Interfax"]
    + ["Bloomberg"] * 5
    + ["Reuters"] * 2
    + ["Bloomberg", "Reuters"]
    + ["Bloomberg"] * 2
    + ["Interfax"] * 17
)
EXPECTED_FLASH_SPEAKERS = (
    ["Lavrov"]
    + ["Tillerson"] * 10
    + ["Lavrov"] * 18
)


@pytest.fixture(scope="module")
def ledger(seed_text):
    return readouts.analyze_text(seed_text, id="seed")


def _bullet_lines(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"(?m)^\s*•\s*(.+)$", text):
        spans.append((m.start(1), m.end(1)))
    return spans


def _actor_by_surname(ledger, surname: str):
    found = [a for a in ledger.actors if a.name.split()[-1] == surname]
    assert found, f"no actor named {surname}: {[a.name for a in ledger.actors]}"
    return found[0]


@pytest.mark.parametrize(
    "surname, full_name, side",
    [
        ("Putin", "Vladimir Putin", "Russia"),
        ("Trump", "Donald Trump", "United States"),
        ("Tillerson", "Rex Tillerson", "United States"),
        ("Lavrov", "Sergey Lavrov", "Russia"),
    ],
)
def test_named_speakers_have_full_name_and_side(ledger, surname, full_name, side):
    actor = _actor_by_surname(ledger, surname)
    assert actor.name == full_name
    assert actor.affiliation == side
    assert any(s.speaker == actor.id for s in ledger.statements)


def test_roles_from_titles(ledger):
    assert _actor_by_surname(ledger, "Tillerson").role == "Secretary of State"
    assert _actor_by_surname(ledger, "Lavrov").role == "Foreign Minister"


def test_anonymous_administration_official(ledger):
    anonymous = [a for a in ledger.actors if a.kind == "anonymous"]
    official = [a for a in anonymous if "official" in (a.descriptor or a.name)]
    assert official, f"anonymous actors: {anonymous}"
    assert official[0].affiliation == "United States"
    said = [s for s in ledger.statements if s.speaker == official[0].id]
    assert any("not accurate" in s.content for s in said)


def test_every_flash_line_attributed_with_its_channel(ledger, seed_text):
    bullets = _bullet_lines(seed_text)
    assert len(bullets) == len(EXPECTED_FLASH_CHANNELS)
    for (start, end), channel, speaker in zip(bullets, EXPECTED_FLASH_CHANNELS, EXPECTED_FLASH_SPEAKERS):
        line = seed_text[start:end]
        inside = [
            s
            for s in ledger.statements
            if all(start <= a and b <= end for a, b in s.content_spans)
        ]
        assert inside, f"flash not attributed: {line}"
        statement = inside[0]
        assert statement.via, f"no channel for: {line}"
        assert ledger.channel(statement.via[0]).name == channel, line
        assert ledger.actor(statement.speaker).name.endswith(speaker), line


def test_flash_content_is_readable(ledger, seed_text):
    start, end = _bullet_lines(seed_text)[1]
    flash = next(s for s in ledger.statements if s.content_spans[0][0] >= start and s.content_spans[-1][1] <= end)
    assert flash.content != flash.content.upper()
    assert "Russia" in flash.content or "Jordan" in flash.content


def test_nothing_from_debris_or_editor(ledger, seed_text):
    article = ledger.articles[0]
    debris = ["Tyler Durden's picture", "Leave a Reply", "Be the first to comment",
              "Your email address will not be published.", "Click above logo for original story."]
    for line in debris:
        at = seed_text.index(line)
        assert article.in_boilerplate(at, at + len(line)), line
    editor = [
        "the question on everyone’s mind was what did the two discuss",
        "We now await the howls of outrage from the US media",
        "Until now, Putin and Trump had only spoken on the phone",
    ]
    for statement in ledger.statements:
        for a, b in statement.content_spans:
            assert not article.in_boilerplate(a, b), statement
            for sentence in editor:
                at = seed_text.index(sentence)
                assert not (a < at + len(sentence) and at < b), (sentence, statement.content)


def test_quotes_and_reported_speech(ledger):
    by_content = {s.content: s for s in ledger.statements}

    def speaker_of(fragment: str) -> str:
        matches = [s for c, s in by_content.items() if fragment in c]
        assert matches, f"no statement holds {fragment!r}"
        return ledger.actor(matches[0].speaker).name

    assert speaker_of("We again returned to the issues of fighting terrorism") == "Vladimir Putin"
    assert speaker_of("Trump repeatedly pressed Putin") == "Rex Tillerson"
    assert speaker_of("A cease-fire has been entered into") == "Rex Tillerson"
    assert speaker_of("Spasibo") == "Donald Trump"
    assert speaker_of("It’s an honor to be with you") == "Donald Trump"
    assert speaker_of("I’m delighted to be able to meet you personally") == "Vladimir Putin"


def test_split_quote_is_one_statement(ledger):
    split = [s for s in ledger.statements if "We’ve had some very, very good talks" in s.content]
    assert split and len(split[0].content_spans) >= 1


def test_repeated_flash_linked_as_one_source(ledger):
    repeated = [s for s in ledger.statements if "ANTI-RUSSIAN CAMPAIGN" in s.content.upper()]
    assert len(repeated) == 2
    assert repeated[1].same_as == repeated[0].id
