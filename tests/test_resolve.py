"""Resolution of speakers and channels on short hand-written articles."""

from __future__ import annotations

from readouts.model import Article, Attribution, ChannelMention
from readouts.resolve import resolve
from readouts.resolve.mentions import parse_mention
from readouts.resolve.statements import content_words, mostly_same


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def _att(text, speaker, content, *, after=0, kind="direct", channels=(), display=None):
    content_span = _span(text, content, after)
    speaker_span = _span(text, speaker, max(0, content_span[0] - 150)) if speaker else None
    mentions = tuple(ChannelMention(c, _span(text, c, max(0, content_span[0] - 200)), how) for c, how in channels)
    return Attribution("a1", speaker, speaker_span, "said", None, (content_span,), kind,
                       channels=mentions, display=display)


def _run(nlp, text, atts, outlet=None):
    article = Article(id="a1", text=text, outlet=outlet)
    actors, channels, statements = resolve([article], [nlp(text)], atts)
    by_id = {a.id: a for a in actors}
    return by_id, {c.id: c for c in channels}, statements


def test_parse_mention_splits_side_title_and_name():
    parts = parse_mention("U.S. Secretary of State Rex Tillerson")
    assert parts.name == "Rex Tillerson"
    assert parts.sides == ["United States"]
    assert [t.role for t in parts.person_titles] == ["Secretary of State"]
    assert parse_mention("LAVROV").name == "Lavrov"
    assert parse_mention("one administration official").is_anonymous
    assert not parse_mention("the US leader").is_anonymous


def test_surname_and_capitals_take_the_full_name_and_the_title(nlp):
    text = (
        "Russian Foreign Minister Sergey Lavrov met reporters in Moscow on Friday.\n\n"
        "\u201cWe are ready to talk,\u201d Lavrov said.\n\n"
        "  \u2022 LAVROV: TALKS WILL CONTINUE NEXT WEEK\n"
    )
    atts = [
        _att(text, "Lavrov", "We are ready to talk,"),
        _att(text, "LAVROV", "TALKS WILL CONTINUE NEXT WEEK", kind="flash"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    assert statements[0].speaker == statements[1].speaker == "sergey-lavrov"
    lavrov = actors["sergey-lavrov"]
    assert (lavrov.role, lavrov.affiliation) == ("Foreign Minister", "Russia")
    assert {"Lavrov", "LAVROV"} <= set(lavrov.aliases)


def test_appositive_gives_role_and_side(nlp):
    text = "Anna Petrova, Ukraine's deputy foreign minister, said the report was false."
    actors, _, statements = _run(nlp, text, [_att(text, "Anna Petrova", "the report was false", kind="indirect")])
    petrova = actors[statements[0].speaker]
    assert petrova.name == "Anna Petrova"
    assert petrova.affiliation == "Ukraine"
    assert petrova.role == "Deputy Foreign Minister"


def test_role_noun_goes_to_the_holder_of_that_role_for_that_side(nlp):
    text = (
        "Japanese Prime Minister Shinzo Abe met US President Donald Trump in Tokyo.\n\n"
        "\u201cThank you,\u201d the US leader said.\n\n"
        "\u201cWelcome,\u201d the Japanese leader replied."
    )
    atts = [
        _att(text, "the US leader", "Thank you,"),
        _att(text, "the Japanese leader", "Welcome,"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    assert [s.speaker for s in statements] == ["donald-trump", "shinzo-abe"]
    assert actors["shinzo-abe"].affiliation == "Japan"


def test_pronouns_follow_gender_and_number(nlp):
    text = (
        "Prime Minister Theresa May spoke after Emmanuel Macron left the room. "
        "\u201cWe have a deal,\u201d she said.\n\n"
        "The Kremlin rejected the plan. \u201cThis is not acceptable,\u201d it said."
    )
    atts = [
        _att(text, "she", "We have a deal,"),
        _att(text, "The Kremlin", "the plan", kind="indirect"),
        _att(text, "it", "This is not acceptable,"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    assert statements[0].speaker == "theresa-may"
    assert statements[1].speaker == statements[2].speaker == "kremlin"
    assert actors["kremlin"].kind == "organization"
    assert actors["kremlin"].affiliation == "Russia"


def test_he_takes_the_nearest_speaker_outside_quotes(nlp):
    text = (
        "\u201cPresident Putin and I agree,\u201d U.S. Secretary of State Rex Tillerson told reporters. "
        "This is a \u201cfirst indication,\u201d he said."
    )
    atts = [
        _att(text, "U.S. Secretary of State Rex Tillerson", "President Putin and I agree,",
             channels=[("reporters", "told")]),
        _att(text, "he", "first indication,"),
    ]
    actors, channels, statements = _run(nlp, text, atts)
    assert statements[1].speaker == "rex-tillerson"
    assert statements[0].via[0] == "reporters"
    assert channels["reporters"].kind == "press"


def test_anonymous_sources_get_a_descriptor_and_a_side(nlp):
    text = (
        "Pushback came from the Trump administration: one official said the account was wrong.\n\n"
        "A senior Russian diplomat said talks would go on.\n\n"
        "Sources familiar with the matter said a deal was close."
    )
    atts = [
        _att(text, "one official", "the account was wrong", kind="indirect"),
        _att(text, "A senior Russian diplomat", "talks would go on", kind="indirect"),
        _att(text, "Sources familiar with the matter", "a deal was close", kind="indirect"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    official, diplomat, sources = (actors[s.speaker] for s in statements)
    assert official.id == "administration-official"
    assert (official.kind, official.affiliation) == ("anonymous", "United States")
    assert (diplomat.kind, diplomat.affiliation) == ("anonymous", "Russia")
    assert "senior" in diplomat.descriptor
    assert sources.kind == "anonymous" and "familiar with the matter" in sources.descriptor


def test_organizations_and_papers_speak_as_bodies(nlp):
    text = "The State Department said the visit was off. The Post said it had seen the letter."
    atts = [
        _att(text, "The State Department", "the visit was off", kind="indirect"),
        _att(text, "The Post", "it had seen the letter", kind="indirect"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    department, paper = (actors[s.speaker] for s in statements)
    assert (department.kind, department.affiliation) == ("organization", "United States")
    assert (paper.kind, paper.name) == ("organization", "The Washington Post")


def test_bullets_inherit_the_channel_of_their_lead_in_line(nlp):
    text = (
        "Some details from the minister, courtesy of Bloomberg:\n\n"
        "  \u2022 TILLERSON: CEASEFIRE TO START ON SUNDAY\n"
        "  \u2022 TILLERSON SAYS TALKS WERE LONG: RTRS\n\n"
        "About the mood:\n\n"
        "  \u2022 TILLERSON: BOTH MEN GOT ON WELL\n\n"
        "That was all for the day.\n\n"
        "  \u2022 TILLERSON: NO COMMENT ON SANCTIONS\n"
    )
    atts = [
        _att(text, "TILLERSON", "CEASEFIRE TO START ON SUNDAY", kind="flash"),
        _att(text, "TILLERSON", "TALKS WERE LONG", kind="flash"),
        _att(text, "TILLERSON", "BOTH MEN GOT ON WELL", kind="flash"),
        _att(text, "TILLERSON", "NO COMMENT ON SANCTIONS", kind="flash"),
    ]
    _, channels, statements = _run(nlp, text, atts, outlet="ZeroHedge")
    assert [s.via for s in statements] == [
        ("bloomberg", "zerohedge"),
        ("reuters", "zerohedge"),
        ("bloomberg", "zerohedge"),
        ("zerohedge",),
    ]
    assert channels["zerohedge"].kind == "outlet"


def test_handles_match_the_table_or_become_social_accounts(nlp):
    text = "One source tells @NBCNews the meeting ran long. Another tells @smallwire_xyz it ended early."
    atts = [
        _att(text, "One source", "the meeting ran long", kind="indirect", channels=[("@NBCNews", "handle")]),
        _att(text, "Another", "it ended early", kind="indirect", channels=[("@smallwire_xyz", "handle")]),
    ]
    _, channels, statements = _run(nlp, text, atts)
    assert statements[0].via == ("nbc-news",)
    assert channels["nbc-news"].kind == "broadcaster"
    social = channels[statements[1].via[0]]
    assert (social.kind, social.name) == ("social", "@smallwire_xyz")


def test_via_lists_the_nearest_channel_first(nlp):
    text = "Ivan Ivanov told TASS, according to Reuters, that the deal was done."
    att = _att(text, "Ivan Ivanov", "the deal was done", kind="indirect",
               channels=[("Reuters", "according_to"), ("TASS", "told")])
    att = Attribution(att.article, att.speaker_text, att.speaker_span, att.cue, _span(text, "told"),
                      att.content_spans, att.kind, channels=att.channels)
    _, _, statements = _run(nlp, text, [att], outlet="Example Daily")
    assert statements[0].via == ("tass", "reuters", "example-daily")


def test_the_same_statement_twice_is_linked_once(nlp):
    text = (
        "Lavrov said \u201cTrump accepted Putin\u2019s assurance of no election hacking.\u201d\n\n"
        "  \u2022 TRUMP ACCEPTED PUTIN\u2019S ASSURANCE OF NO ELECTION HACKING: LAVROV\n"
        "  \u2022 TRUMP NOTED SANCTIONS BILL: LAVROV\n"
    )
    atts = [
        _att(text, "Lavrov", "Trump accepted Putin\u2019s assurance of no election hacking."),
        _att(text, "LAVROV", "TRUMP ACCEPTED PUTIN\u2019S ASSURANCE OF NO ELECTION HACKING", kind="flash",
             display="Trump accepted Putin\u2019s assurance of no election hacking"),
        _att(text, "LAVROV", "TRUMP NOTED SANCTIONS BILL", kind="flash"),
    ]
    _, _, statements = _run(nlp, text, atts)
    assert [s.id for s in statements] == ["s1", "s2", "s3"]
    assert statements[1].same_as == "s1"
    assert statements[2].same_as is None
    assert statements[1].content.startswith("Trump accepted")


def test_overlap_needs_shared_words_on_both_sides():
    assert mostly_same(content_words("not accurate"), content_words("Lavrov's \u201cnot accurate\u201d"))
    assert not mostly_same(content_words("not accurate"), content_words(" ".join(["word"] * 3 + [f"w{i}" for i in range(20)]) + " not accurate"))
    assert not mostly_same(content_words("talks went well"), content_words("talks went badly today"))


def test_actor_ids_are_unique_slugs(nlp):
    text = (
        "A senior U.S. official said the talks were useful. "
        "A senior Russian official said the talks were hard."
    )
    atts = [
        _att(text, "A senior U.S. official", "the talks were useful", kind="indirect"),
        _att(text, "A senior Russian official", "the talks were hard", kind="indirect"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    ids = [s.speaker for s in statements]
    assert len(set(ids)) == 2
    assert {actors[i].affiliation for i in ids} == {"United States", "Russia"}
    assert all(i.startswith("senior-official") for i in ids)


def test_compound_titles_and_sides_named_earlier_in_the_sentence(nlp):
    text = (
        "Mexico\u2019s Economy Secretary Luis Ortega met Canadian Trade Minister Claire Dubois.\n\n"
        "\u201cA joint office will open,\u201d the minister said.\n\n"
        "Pushback from Ottawa: one official said the date was wrong."
    )
    atts = [
        _att(text, "the minister", "A joint office will open,"),
        _att(text, "one official", "the date was wrong", kind="indirect"),
    ]
    actors, _, statements = _run(nlp, text, atts)
    dubois = actors[statements[0].speaker]
    assert (dubois.name, dubois.role, dubois.affiliation) == ("Claire Dubois", "Trade Minister", "Canada")
    official = actors[statements[1].speaker]
    assert (official.kind, official.affiliation) == ("anonymous", "Canada")
    assert parse_mention("Martin Luther King").person_titles == []


def _pronoun_after(text, pronoun, content):
    """A quote and the pronoun right after it (``"...," he said``): the pronoun found after the quote."""
    content_span = _span(text, content)
    start = text.index(f" {pronoun} ", content_span[1]) + 1
    return Attribution("a1", pronoun, (start, start + len(pronoun)), "said", None, (content_span,), "direct")


def test_he_takes_the_subject_of_the_sentence_before_over_a_nearer_name(nlp):
    text = (
        "Governor Daniel Whitcombe said the budget would pass.\n\n"
        "Tom Okafor, an economist who advised Mr. Whitcombe in 2015, was among the skeptics. "
        "\u201cThe numbers do not add up,\u201d he said."
    )
    atts = [
        _att(text, "Governor Daniel Whitcombe", "the budget would pass", kind="indirect"),
        _pronoun_after(text, "he", "The numbers do not add up,"),
    ]
    _, _, statements = _run(nlp, text, atts)
    assert statements[1].speaker == "tom-okafor"


def test_he_takes_the_main_clause_subject_not_a_subordinate_one(nlp):
    text = (
        "Mayor Helen Castro is running again. Senator Paul Brandt spoke to the press.\n\n"
        "Governor Daniel Whitcombe denounced the inquiry on the day that Mr. Brandt stood on the "
        "courthouse steps.\n\n"
        "\u201cThis is a witch hunt,\u201d he wrote."
    )
    atts = [_pronoun_after(text, "he", "This is a witch hunt,")]
    _, _, statements = _run(nlp, text, atts)
    assert statements[0].speaker == "daniel-whitcombe"


def test_a_name_in_the_last_paragraph_of_a_long_quote_is_not_he(nlp):
    text = (
        "Lawyer Joseph Varga said the charges were weak. He added: \u201cThis was a raid for show.\n\n"
        "Not a Carl Hooper.\u201d\n\n"
        "\u201cMake no mistake,\u201d he said."
    )
    atts = [
        _att(text, "Lawyer Joseph Varga", "the charges were weak", kind="indirect"),
        _att(text, "He", "This was a raid for show."),
        _pronoun_after(text, "he", "Make no mistake,"),
    ]
    _, _, statements = _run(nlp, text, atts)
    assert statements[1].speaker == statements[2].speaker == "joseph-varga"
