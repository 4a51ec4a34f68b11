"""Tests for cleaning: unchanged plain text with debris spans, HTML main text and metadata, language warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readouts.clean import clean
from readouts.errors import EmptyInputError, NoTextError
from readouts.ingest import read_sources
from readouts.model import RawDocument

INPUTS = Path(__file__).parent / "fixtures" / "inputs"
SEED_DEBRIS = [
    "Tyler Durden's picture",
    "* * *",
    "ZeroHedge",
    "Click above logo for original story.",
    "Be the first to comment",
    "Leave a Reply",
    "Your email address will not be published.",
]
CUE = re.compile(r"\b(said|says|told|added|according to|put it|reported)\b|[“”\"]", re.IGNORECASE)


def line_spans(text: str, line: str) -> list[tuple[int, int]]:
    """Where ``line`` stands alone on a line of ``text`` (surrounding spaces left out)."""
    return [m.span(1) for m in re.finditer(rf"(?m)^[ \t]*({re.escape(line)})[ \t]*$", text)]


def covered(article, start: int, end: int) -> bool:
    """True when [start, end) lies inside one debris span."""
    return any(s <= start and end <= e for s, e in article.boilerplate)


@pytest.fixture(scope="module")
def seed_article(seed_text):
    return clean(RawDocument(id="seed", source="seed", text=seed_text))


def test_seed_text_is_kept_unchanged(seed_article, seed_text):
    assert seed_article.text == seed_text
    assert seed_article.language == "en" and seed_article.warnings == ()
    assert seed_article.title == "Putin Reveals What He Discussed With Trump In Two-Hour Long First Meeting"


def test_seed_debris_lines_are_boilerplate(seed_article, seed_text):
    for line in SEED_DEBRIS:
        spans = line_spans(seed_text, line)
        assert spans, f"{line!r} is not a line of the seed"
        for start, end in spans:
            assert covered(seed_article, start, end), f"{line!r} at {start} is not boilerplate"


def test_seed_signature_names_the_outlet(seed_article):
    assert seed_article.outlet == "ZeroHedge"
    given = clean(RawDocument(id="s", source="s", text=seed_article.text, outlet="Some Blog"))
    assert given.outlet == "Some Blog"  # what the input says wins over the guess


def test_no_seed_sentence_is_boilerplate(seed_article, seed_text):
    offset = 0
    checked = 0
    for line in seed_text.splitlines(keepends=True):
        if CUE.search(line) or len(line.split()) > 8:
            assert not seed_article.in_boilerplate(offset, offset + len(line.rstrip())), line
            checked += 1
        offset += len(line)
    assert checked > 40
    for start, end in seed_article.boilerplate:
        assert "\n" not in seed_text[start:end] and len(seed_text[start:end]) <= 60


def test_own_article_debris_and_crlf_offsets():
    text = (INPUTS / "grain-corridor.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    article = clean(RawDocument(id="g", source="g", text=text))
    assert article.text == text
    marked = sorted(text[s:e] for s, e in article.boilerplate)
    assert marked == ["Editor's picture", "Leave a Reply", "Read the rest here."]
    quote = text.index('"We have agreed')
    assert not article.in_boilerplate(quote, quote + 20)
    assert article.title == "Grain Corridor Talks Resume After Two-Week Pause"


def test_debris_phrase_inside_a_sentence_is_not_debris():
    text = ("The senator said she would leave a reply to the committee on Friday.\n\n"
            "Read the rest here, the spokesman told reporters, pointing at the report.\n")
    assert clean(RawDocument(id="x", source="x", text=text)).boilerplate == ()


def test_html_page_gives_main_text_and_metadata():
    [raw] = read_sources([str(INPUTS / "summit-page.html")])
    article = clean(raw)
    assert article.text.startswith("Harbour Talks End Without Deal\n\nNegotiators from the two port cities")
    assert '"We are closer than we have ever been, but closer is not finished," said Mayor Elena Brandt' in article.text
    assert "\n• who pays for the shared patrol boat\n" in article.text
    assert "on Thursday evening without signing the fishing agreement" in article.text
    for left_out in ("Home", "Privacy policy", "All rights reserved", "Great reporting", "quota tables are a disaster", "Leave a Reply"):
        assert left_out not in article.text
    assert (article.title, article.byline, article.published, article.outlet) == (
        "Harbour Talks End Without Deal", "Maria Keller", "2024-03-14", "The Coastal Ledger")
    assert article.language == "en"


def test_raw_metadata_wins_over_the_page():
    html = (INPUTS / "summit-page.html").read_text(encoding="utf-8")
    article = clean(RawDocument(id="p", source="p", html=html, title="Given title", outlet="Reuters"))
    assert (article.title, article.outlet, article.byline) == ("Given title", "Reuters", "Maria Keller")


def test_broken_html_is_read_as_far_as_it_goes():
    broken = "<html><body><div><p>The mayor said the bridge <b>would reopen in June.<p>Second paragraph"
    article = clean(RawDocument(id="b", source="b", html=broken))
    assert "The mayor said the bridge would reopen in June." in article.text


def test_html_without_text_and_empty_text_are_refused():
    with pytest.raises(NoTextError, match="page.html"):
        clean(RawDocument(id="n", source="page.html", html="<html><body><script>load()</script></body></html>"))
    with pytest.raises(EmptyInputError, match="blank"):
        clean(RawDocument(id="e", source="blank", text=" \n\t\n"))


@pytest.mark.parametrize(
    ("name", "code", "language"),
    [("ministertreffen.txt", "de", "German"), ("sommet-portuaire.md", "fr", "French")],
)
def test_other_languages_get_a_warning(name, code, language):
    article = clean(RawDocument(id=name, source=name, text=(INPUTS / name).read_text(encoding="utf-8")))
    assert article.language == code
    [warning] = article.warnings
    assert language in warning and "only extracted from English" in warning


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Министр иностранных дел заявил журналистам, что переговоры были трудными.", "ru"),
        ("外相は木曜日、ロシア側との協議は難しかったと述べた。", "ja"),
        ("外交部长周四表示，与俄方的会谈很艰难。", "zh"),
        ("قال وزير الخارجية إن المحادثات كانت صعبة", "ar"),
        ("The minister said the café talks were « très utiles » before leaving.", "en"),
    ],
)
def test_language_by_script_and_stopwords(text, code):
    assert clean(RawDocument(id="t", source="t", text=text)).language == code


OTHER_LANGUAGE_NEWS = {
    "pl": ("Polish", "Premier Donald Tusk powiedział w poniedziałek, że rząd nie zgodzi się na nowe warunki "
                     "porozumienia. Według ministra finansów rozmowy będą kontynuowane w przyszłym tygodniu."),
    "tr": ("Turkish", "Cumhurbaşkanı Erdoğan, yeni anlaşmanın önümüzdeki hafta imzalanacağını söyledi. Dışişleri "
                      "Bakanı ise görüşmelerin olumlu bir havada geçtiğini açıkladı."),
    "sv": ("Swedish", "Statsministern sade på måndagen att regeringen inte kommer att acceptera villkoren. "
                      "Enligt finansministern fortsätter förhandlingarna nästa vecka."),
    "id": ("Indonesian", "Presiden Joko Widodo mengatakan pemerintah akan menandatangani perjanjian itu minggu "
                         "depan. Menurut menteri luar negeri, pembicaraan berjalan dengan baik dan akan dilanjutkan."),
    "ro": ("Romanian", "Președintele a declarat luni că guvernul nu va accepta noile condiții ale acordului. "
                       "Potrivit ministrului de finanțe, negocierile vor continua săptămâna viitoare."),
}


@pytest.mark.parametrize("code", sorted(OTHER_LANGUAGE_NEWS))
def test_latin_script_languages_are_told_apart_and_get_a_coded_warning(code):
    name, text = OTHER_LANGUAGE_NEWS[code]
    article = clean(RawDocument(id=code, source=f"{code}.txt", text=text))
    assert article.language == code
    [warning] = article.warnings
    assert warning.startswith("[R111] ") and name in warning


@pytest.mark.parametrize("text", [
    "TILLERSON: U.S., RUSSIA, JORDAN REACHED CEASEFIRE IN SW SYRIA",
    "OK.",
    "The minister said the talks would continue next week, according to Reuters.",
])
def test_short_flashes_and_plain_english_stay_english(text):
    article = clean(RawDocument(id="t", source="t", text=text))
    assert article.language == "en" and article.warnings == ()
