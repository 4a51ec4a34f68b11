"""Reported speech, split quotes, flashes and channels on short real-shaped texts."""

from __future__ import annotations

from readouts.extract import extract
from readouts.extract.flash import find_flashes, readable
from readouts.model import Article


def run(nlp, text):
    article = Article("t", text)
    return [(a, " ".join(text[s:e] for s, e in a.content_spans)) for a in extract(article, nlp(text))]


def test_said_that_and_content_before_the_cue(nlp):
    found = run(nlp, "The senator said that the bill would pass next week. "
                     "The plant will close in March, company officials said.")
    by_content = {c: a for a, c in found}
    assert any("the bill would pass next week" in c and a.speaker_text == "The senator" for c, a in by_content.items())
    assert any("The plant will close in March" in c and a.speaker_text == "company officials"
               for c, a in by_content.items())


def test_according_to_a_person_and_to_a_channel(nlp):
    found = run(nlp, "According to the mayor, the road will reopen on Monday.\n\n"
                     "The talks collapsed, according to Interfax news agency.")
    mayor = [a for a, c in found if "road will reopen" in c]
    assert mayor and mayor[0].speaker_text == "the mayor" and mayor[0].cue == "According to"
    agency = [a for a, c in found if "talks collapsed" in c]
    assert agency and agency[0].speaker_text is None
    assert [(m.text, m.how) for m in agency[0].channels] == [("Interfax news agency", "according_to")]


def test_split_quote_is_one_statement_with_two_spans(nlp):
    found = run(nlp, '"We are not going to leave," he said, "until the job is done."')
    quotes = [a for a, c in found if "We are not going to leave" in c]
    assert len(quotes) == 1
    assert quotes[0].kind == "direct" and quotes[0].speaker_text == "he"
    assert len(quotes[0].content_spans) == 2 and "until the job is done" in [c for a, c in found if a is quotes[0]][0]


def test_mixed_quote_and_told_outlet(nlp):
    found = run(nlp, 'The minister told Reuters that the phone talks were "obviously not enough."')
    att = [a for a, c in found if "phone talks" in c][0]
    assert att.kind == "mixed" and att.speaker_text == "The minister"
    assert ("Reuters", "told") in [(m.text, m.how) for m in att.channels]


def test_noun_cue_with_possessive_speaker(nlp):
    found = run(nlp, "Officials rejected Moscow's claim that the convoy carried only aid.")
    att = [a for a, c in found if "the convoy carried only aid" in c and a.cue == "claim"]
    assert att and att[0].speaker_text == "Moscow"


def test_flash_shapes_and_agency_codes():
    text = ("Intro line in plain case about the talks of Merkel with Ireland.\n"
            "• MERKEL: EU WILL NOT REOPEN THE BREXIT DEAL\n"
            "• GERMANY READY TO HELP IRELAND – MERKEL: RTRS\n"
            "• MERKEL SAYS TALKS WITH LONDON WILL GO ON: IFX\n"
            "• MARKETS FALL SHARPLY IN EARLY TRADE\n")
    found = find_flashes(Article("f", text))
    assert [(a.speaker_text, a.cue, [m.text for m in a.channels]) for a in found] == [
        ("MERKEL", ":", []), ("MERKEL", "–", ["RTRS"]), ("MERKEL", "SAYS", ["IFX"])]
    assert found[1].display == "Germany ready to help Ireland"
    assert all(a.kind == "flash" for a in found)


def test_readable_keeps_acronyms_and_names_the_article_uses():
    casing = {"trump": "Trump", "nato": "NATO"}
    assert readable("TRUMP SAYS NATO AND U.S. AGREE", casing) == "Trump says NATO and U.S. agree"


def test_speech_acts_come_from_the_cue_lexicon(nlp):
    found = run(nlp, "The Kremlin denied that Russian hackers had targeted the vote. "
                     "The minister warned that sanctions would follow.")
    acts = {a.cue: a.act for a, _ in found}
    assert acts.get("denied") == "deny" and acts.get("warned") == "warn"
    flashes = find_flashes(Article("f", "Putin and the Kremlin.\n• KREMLIN DENIES ANY ELECTION MEDDLING BY RUSSIA\n"))
    assert [(a.speaker_text, a.act) for a in flashes] == [("KREMLIN", "deny")]


def test_question_about_speech_reports_nothing(nlp):
    from readouts.extract import extract
    from readouts.model import Article

    text = "The question was simple: did the two governments agree to lift the steel quotas or not?"
    assert extract(Article(id="q", text=text), nlp(text)) == []
