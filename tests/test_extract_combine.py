"""The production extractor: tagger and rules merged, speakers from transcript turns and quote bylines, nesting."""

from __future__ import annotations

import pytest

from readouts.extract import extract, extract_rules
from readouts.extract.bylines import with_written_speaker
from readouts.extract.learned import learned_attributions, model_path
from readouts.model import Article, Attribution

pytestmark = pytest.mark.skipif(
    not (model_path() / "adapter.npz").is_file(),
    reason="the trained attribution model is not installed (python train/train.py)",
)


def run(nlp, text):
    article = Article("t", text)
    return article, extract(article, nlp(text))


def words(article, att):
    return " ".join(article.text[s:e] for s, e in att.content_spans)


def test_one_statement_per_content_with_the_rules_cue(nlp):
    text = "The minister said on Tuesday that the talks would resume next month."
    article, found = run(nlp, text)
    assert len(found) == 1
    att = found[0]
    assert "talks would resume next month" in words(article, att) and "minister" not in words(article, att)
    assert att.speaker_text == "The minister" and att.cue == "said" and att.kind == "indirect"
    assert att.rule.startswith("learned+")


def test_a_relayed_quote_keeps_the_speaker_and_the_channel(nlp):
    text = ("Putin denied Russia’s involvement, and according to a parallel comment from Russia’s "
            "Sergey Lavrov, “Trump accepted Putin’s assurance of no election hacking.”\n\nOr as Interfax put it:\n")
    article, found = run(nlp, text)
    att = next(a for a in found if "Trump accepted Putin’s assurance" in words(article, a))
    assert "Lavrov" in att.speaker_text and att.cue == "according to"


def test_a_transcript_turn_gives_the_speaker(nlp):
    text = ('"WALLACE: Let’s start with breaking news on the debate story.\n\n'
            '"PENCE: Well, look, the question really should be why the campaign invited him to the debate.\n')
    article, found = run(nlp, text)
    pence = [a for a in found if a.speaker_text == "PENCE"]
    assert pence and pence[0].cue == ":" and words(article, pence[0]).startswith("Well, look")


def test_a_name_tagged_into_the_turn_is_cut_out_of_the_content():
    text = '"WALLACE: Do you really see those two as equivalent?\n'
    tagged = Attribution(article="t", speaker_text=None, speaker_span=None, cue="", cue_span=None,
                         content_spans=((0, len(text) - 1),), kind="direct")
    att = with_written_speaker(text, tagged)
    assert att.speaker_text == "WALLACE" and text[slice(*att.cue_span)] == ":"
    assert text[att.start:att.end] == "Do you really see those two as equivalent?"


def test_a_quote_byline_after_a_dash_is_the_speaker(nlp):
    text = ("“Donald Trump scares me. Hearing his hateful words makes me afraid for our young people.” ― Krystal Correa\n"
            "“The most unqualified child to ever run for president.” ― Francisco Herrero\n")
    article, found = run(nlp, text)
    speakers = [a.speaker_text for a in found]
    assert "Krystal Correa" in speakers and "Francisco Herrero" in speakers
    assert all(a.kind == "direct" for a in found)


def test_a_claim_nested_in_another_statement_is_kept(nlp):
    text = "Officials rejected Moscow's claim that the convoy carried only aid."
    article, found = run(nlp, text)
    inner = [a for a in found if a.cue == "claim"]
    assert inner and inner[0].speaker_text == "Moscow"
    assert words(article, inner[0]) == "that the convoy carried only aid"


def test_the_merge_adds_what_either_side_alone_misses(nlp):
    text = ("The senator said that the bill would pass next week. "
            "The plant will close in March, company officials said. "
            "Critics called for an inquiry into the spending.")
    article = Article("t", text)
    doc = nlp(text)
    merged = {words(article, a) for a in extract(article, doc)}
    alone = [{words(article, a) for a in extract_rules(article, doc)},
             {words(article, a) for a in learned_attributions(article, doc)}]
    for side in alone:
        covered = [c for c in side if any(c in m or m in c for m in merged)]
        assert len(covered) >= len(side) - 1
    assert len(merged) >= max(len(s) for s in alone)


def test_channel_of_a_heading_stays_in_its_paragraph():
    import readouts

    text = ("And the Mexican side, as reported by AFP:\n\n"
            "  • ORTEGA: CANADA TO SUSPEND STEEL QUOTAS FROM JULY 1\n\n"
            "Analysts said the meeting achieved little.\n")
    ledger = readouts.analyze_text(text)
    analysts = next(s for s in ledger.statements if "achieved little" in s.content)
    flash = next(s for s in ledger.statements if "quotas" in s.content.lower())
    assert [ledger.channel(c).name for c in flash.via] == ["Agence France-Presse"]
    assert analysts.via == ()
