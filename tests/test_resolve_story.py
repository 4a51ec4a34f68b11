"""Speaker resolution across the articles of one story, on short hand-written articles."""

from __future__ import annotations

import pytest

from readouts.model import Article, Attribution
from readouts.resolve import resolve
from readouts.resolve.names import person_name, same_person


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def _att(article_id, text, speaker, content, kind="indirect", speaker_after=0):
    content_span = _span(text, content)
    speaker_span = _span(text, speaker, speaker_after) if speaker else None
    return Attribution(article_id, speaker, speaker_span, "said", None, (content_span,), kind)


def _story(nlp, *articles_and_atts):
    """articles_and_atts: (text, [(speaker, content, kind, speaker_after), ...]) per article."""
    articles, docs, atts = [], [], []
    for n, (text, mentions) in enumerate(articles_and_atts, start=1):
        article = Article(id=f"a{n}", text=text)
        articles.append(article)
        docs.append(nlp(text))
        atts.extend(_att(article.id, text, *m) for m in mentions)
    actors, _, statements = resolve(articles, docs, atts)
    return {a.id: a for a in actors}, statements


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Robert S. Mueller III", "Robert Mueller", True),
        ("Vincente Fox", "Vicente Fox", True),
        ("Joseph R. Biden Jr.", "Joe Biden", True),
        ("Counsel Robert Bauer", "Robert F. Bauer", True),
        ("Lt. Gov. Timothy Murray", "Tim Murray", True),
        ("Dick Cheney", "Liz Cheney", False),
        ("Dan Smith", "Don Smith", False),
        ("Robert Mueller", "Robert Muller", False),
    ],
)
def test_two_writings_of_one_name(first, second, same):
    assert same_person(person_name(first), person_name(second)) is same


def test_one_person_across_articles_with_initials_suffixes_and_misspellings(nlp):
    a1 = "Special counsel Robert S. Mueller III said on Friday that the inquiry would go on."
    a2 = "Robert Mueller said the inquiry was nearly done. Former Mexican President Vicente Fox said he agreed."
    a3 = "Mueller declined to say more. Vincente Fox, a critic of the wall, said it would never be built."
    actors, statements = _story(
        nlp,
        (a1, [("Special counsel Robert S. Mueller III", "the inquiry would go on", "indirect", 0)]),
        (a2, [("Robert Mueller", "the inquiry was nearly done", "indirect", 0),
              ("Former Mexican President Vicente Fox", "he agreed", "indirect", 0)]),
        (a3, [("Mueller", "to say more", "indirect", 0),
              ("Vincente Fox, a critic of the wall,", "it would never be built", "indirect", 0)]),
    )
    speakers = [s.speaker for s in statements]
    assert speakers[0] == speakers[1] == speakers[3]
    assert speakers[2] == speakers[4]
    assert speakers[0] != speakers[2]
    fox = actors[speakers[2]]
    assert fox.affiliation == "Mexico" and fox.kind == "person"
    assert len([a for a in actors.values() if a.kind == "person"]) == 2


def test_people_sharing_a_surname_stay_apart(nlp):
    text = "Dick Cheney said the vote was close. Liz Cheney said she would run again."
    actors, statements = _story(
        nlp, (text, [("Dick Cheney", "the vote was close", "indirect", 0),
                     ("Liz Cheney", "she would run again", "indirect", 0)])
    )
    assert [actors[s.speaker].name for s in statements] == ["Dick Cheney", "Liz Cheney"]


def test_dates_party_tags_and_relative_pronouns_are_not_speakers(nlp):
    text = (
        "BuzzFeed Thursday reported that the memo was real. "
        "Sen. Lindsey Graham, R-S.C., said the memo was a fake. "
        "The senators, who met on Friday, said the talks had failed."
    )
    actors, statements = _story(
        nlp,
        (text, [("BuzzFeed Thursday", "the memo was real", "indirect", 0),
                ("R-S.C.", "the memo was a fake", "indirect", 0),
                ("who", "the talks had failed", "indirect", 0)]),
    )
    buzzfeed, graham, senators = (actors[s.speaker] for s in statements)
    assert buzzfeed.name == "BuzzFeed" and buzzfeed.kind == "organization"
    assert (graham.name, graham.kind, graham.role, graham.affiliation) == (
        "Lindsey Graham", "person", "Senator", "United States")
    assert senators.kind == "group" and senators.name == "senators"
    names = {a.name for a in actors.values()}
    assert not names & {"Friday", "Thursday", "who", "R-S.C."}


def test_a_lone_day_names_no_one(nlp):
    text = "Friday said the deal was off, according to a garbled wire."
    _, statements = _story(nlp, (text, [("Friday", "the deal was off", "indirect", 0)]))
    assert statements[0].speaker is None


def test_first_person_takes_the_speaker_of_the_quote_around_it(nlp):
    text = (
        "\u201cI think the talks went well, and I said so,\u201d Claire Dubois told reporters.\n\n"
        "I said it before: the columnist has no stake here."
    )
    quote = "I think the talks went well, and I said so,"
    inner_i = text.index("I said so")
    atts = [
        Attribution("a1", "Claire Dubois", _span(text, "Claire Dubois"), "told", None,
                    (_span(text, quote),), "direct"),
        Attribution("a1", "I", (inner_i, inner_i + 1), "said", None, (_span(text, "so,"),), "indirect"),
        Attribution("a1", "I", _span(text, "I said it"), "said", None,
                    (_span(text, "the columnist has no stake here"),), "indirect"),
    ]
    article = Article(id="a1", text=text)
    actors, _, statements = resolve([article], [nlp(text)], atts)
    assert [s.speaker for s in statements] == ["claire-dubois", "claire-dubois", None]
    assert "I" not in {a.name for a in actors}


def test_a_document_speaks_as_itself_and_a_paper_through_its_report(nlp):
    text = (
        "The report found that the agency had ignored warnings. "
        "A Washington Post report said the warnings were sent twice. "
        "The memo said nothing about money."
    )
    actors, statements = _story(
        nlp,
        (text, [("The report", "the agency had ignored warnings", "indirect", 0),
                ("A Washington Post report", "the warnings were sent twice", "indirect", 0),
                ("The memo", "nothing about money", "indirect", 0)]),
    )
    report, post, memo = (actors[s.speaker] for s in statements)
    assert (report.name, report.kind, report.descriptor) == ("the report", "document", "document")
    assert post.name == "The Washington Post"
    assert memo.name == "the memo"


def test_a_country_nested_in_reported_speech_is_an_organization(nlp):
    text = (
        "Mexico's Economy Secretary Luis Ortega said Canada had agreed to suspend the quotas, "
        "according to Reuters. Ottawa denied it."
    )
    actors, statements = _story(
        nlp,
        (text, [("Mexico's Economy Secretary Luis Ortega", "Canada had agreed to suspend the quotas", "indirect", 0),
                ("Canada", "to suspend the quotas", "indirect", text.index("Canada"))]),
    )
    ortega, canada = (actors[s.speaker] for s in statements)
    assert (ortega.name, ortega.affiliation) == ("Luis Ortega", "Mexico")
    assert (canada.name, canada.kind, canada.affiliation) == ("Canada", "organization", "Canada")


def test_appositives_and_trailing_phrases_do_not_become_names(nlp):
    text = (
        "Kevin Rennie, a former Republican state lawmaker, said the record was clear. "
        "President Barack Obama on Saturday said the bill would pass. "
        "Colorado's attorney general, John Suthers, said the suit was filed."
    )
    actors, statements = _story(
        nlp,
        (text, [("Kevin Rennie, a former Republican state lawmaker,", "the record was clear", "indirect", 0),
                ("President Barack Obama on Saturday", "the bill would pass", "indirect", 0),
                ("Colorado's attorney general, John Suthers,", "the suit was filed", "indirect", 0)]),
    )
    assert [actors[s.speaker].name for s in statements] == ["Kevin Rennie", "Barack Obama", "John Suthers"]


def test_comment_from_a_named_person_is_theirs():
    import readouts

    text = ("Putin denied Russia’s involvement, and according to a parallel comment from Russia’s "
            "Sergey Lavrov, “Trump accepted Putin’s assurance of no election hacking.”")
    ledger = readouts.analyze_text(text)
    quoted = next(s for s in ledger.statements if "assurance" in s.content)
    assert ledger.actor(quoted.speaker).name == "Sergey Lavrov"
