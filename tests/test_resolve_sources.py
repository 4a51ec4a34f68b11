"""Who a source is: spokespeople and lawyers of a principal, unnamed sources, bodies, documents."""

from __future__ import annotations

from readouts.model import Article, Attribution
from readouts.resolve import resolve


def _att(text: str, speaker: str, content: str, *, after: int = 0) -> Attribution:
    start = text.index(content, after)
    speaker_start = text.index(speaker, max(0, start - 200))
    return Attribution(
        "a1", speaker, (speaker_start, speaker_start + len(speaker)), "said", None,
        ((start, start + len(content)),), "indirect",
    )


def _speakers(nlp, text: str, mentions: list[tuple[str, str]]):
    article = Article(id="a1", text=text)
    actors, _, statements = resolve([article], [nlp(text)], [_att(text, s, c) for s, c in mentions])
    by_id = {a.id: a for a in actors}
    return [by_id.get(s.speaker) for s in statements]


def test_a_spokesperson_without_a_name_speaks_for_the_principal(nlp):
    text = (
        "Senator Maria Okafor of Ohio voted against the farm bill on Monday. "
        "A spokeswoman for Okafor said the senator would offer her own bill. "
        "The spokeswoman added that talks with the House would resume."
    )
    first, second = _speakers(nlp, text, [
        ("A spokeswoman for Okafor", "the senator would offer her own bill"),
        ("The spokeswoman", "talks with the House would resume"),
    ])
    assert first.kind == "anonymous"
    assert first.name == "spokeswoman for Maria Okafor"
    assert second.id == first.id


def test_a_principal_named_before_the_role_noun_or_as_its_owner(nlp):
    text = (
        "Gov. Daniel Whitcombe signed the water compact in Denver. "
        "A Whitcombe spokesman said the state would sue if needed. "
        "Whitcombe's lawyer said the lawsuit was ready."
    )
    spokesman, lawyer = _speakers(nlp, text, [
        ("A Whitcombe spokesman", "the state would sue if needed"),
        ("Whitcombe's lawyer", "the lawsuit was ready"),
    ])
    assert spokesman.name == "spokesman for Daniel Whitcombe"
    assert lawyer.name == "lawyer for Daniel Whitcombe"
    assert lawyer.kind == "anonymous"


def test_an_owner_written_with_a_pronoun_or_an_office(nlp):
    text = (
        "Representative Alan Pruitt returned to Tulsa on Friday. "
        "His lawyer said the charges would be dropped. "
        "A spokesman for Mr. Pruitt's office said he had done nothing wrong."
    )
    lawyer, spokesman = _speakers(nlp, text, [
        ("His lawyer", "the charges would be dropped"),
        ("A spokesman for Mr. Pruitt's office", "he had done nothing wrong"),
    ])
    assert lawyer.name == "lawyer for Alan Pruitt"
    assert spokesman.name == "spokesman for Alan Pruitt"


def test_a_campaign_speaks_as_the_candidates_own_body(nlp):
    text = "Mayor Helen Castro is running again. Castro's campaign said the poll was wrong."
    (campaign,) = _speakers(nlp, text, [("Castro's campaign", "the poll was wrong")])
    assert (campaign.kind, campaign.name) == ("organization", "campaign of Helen Castro")


def test_a_named_spokesperson_stays_a_person(nlp):
    text = "Okafor's spokesman, Tom Reyes, said the vote was close."
    (speaker,) = _speakers(nlp, text, [("Okafor's spokesman, Tom Reyes,", "the vote was close")])
    assert (speaker.kind, speaker.name) == ("person", "Tom Reyes")


def test_unnamed_sources_keep_the_words_that_say_which_source(nlp):
    text = (
        "A suspect was held in Reno. Two law enforcement sources said he had a record. "
        "A separate law enforcement source said the van was his. "
        "Officials in Nevada said the roads were closed. "
        "Current and former Pentagon officials said the plan was old."
    )
    sources, source, officials, pentagon = _speakers(nlp, text, [
        ("Two law enforcement sources", "he had a record"),
        ("A separate law enforcement source", "the van was his"),
        ("Officials in Nevada", "the roads were closed"),
        ("Current and former Pentagon officials", "the plan was old"),
    ])
    assert {sources.kind, source.kind, officials.kind, pentagon.kind} == {"anonymous"}
    assert sources.name == "law enforcement sources"
    assert source.name == "law enforcement source"
    assert officials.name == "Officials in Nevada"
    assert pentagon.name.startswith("Current and former")


def test_a_name_with_a_particle_is_one_name(nlp):
    text = (
        "State Senator Rosa de la Vega opposed the plan. "
        "Ms. de la Vega said it would fail. Lawyer Mark diNapoli said it was legal."
    )
    vega, dinapoli = _speakers(nlp, text, [
        ("Ms. de la Vega", "it would fail"),
        ("Lawyer Mark diNapoli", "it was legal"),
    ])
    assert vega.name == "Rosa de la Vega"
    assert dinapoli.name == "Mark diNapoli"


def test_a_document_speaks_for_its_author(nlp):
    text = (
        "Twelve senators sent a letter to the mining board on Tuesday. "
        "The letter said the permits broke state law. "
        "A statement from Governor Lena Marsh's office said the board would reply. "
        "Court papers released by county prosecutors said the permits were forged."
    )
    letter, statement, papers = _speakers(nlp, text, [
        ("The letter", "the permits broke state law"),
        ("A statement from Governor Lena Marsh's office", "the board would reply"),
        ("Court papers released by county prosecutors", "the permits were forged"),
    ])
    assert letter.kind == "group" and "senators" in letter.name
    assert (statement.kind, statement.name) == ("person", "Lena Marsh")
    assert papers.kind == "group" and "prosecutors" in papers.name


def test_a_document_no_one_wrote_is_a_document_and_a_charge_is_not_its_subjects_word(nlp):
    text = (
        "Builder Omar Haddad was charged on Monday. "
        "Haddad's indictment said he paid inspectors. The audit said the bridge was safe."
    )
    indictment, audit_report = _speakers(nlp, text, [
        ("Haddad's indictment", "he paid inspectors"),
        ("The audit", "the bridge was safe"),
    ])
    assert indictment.kind == "document"
    assert indictment.name == "the indictment"
    assert (audit_report.kind, audit_report.name) == ("document", "the audit")


def test_a_body_keeps_its_whole_name_and_the_company_is_the_one_named_before(nlp):
    text = (
        "The Federation of Dairy Farmers said milk prices would rise. "
        "Dairy giant Morrow Foods closed two plants in the state on Friday. "
        "The company said demand had fallen."
    )
    federation, company = _speakers(nlp, text, [
        ("The Federation of Dairy Farmers", "milk prices would rise"),
        ("The company", "demand had fallen"),
    ])
    assert (federation.kind, federation.name) == ("organization", "Federation of Dairy Farmers")
    assert company.kind == "organization" and company.name != "company"


def test_plural_things_are_no_group_of_sources(nlp):
    text = (
        "Farm exports fell in May. Export totals showed a deficit. "
        "Grain farmers said the tariffs hurt them. Leaked memos said the plan was old."
    )
    totals, farmers, memos = _speakers(nlp, text, [
        ("Export totals", "a deficit"),
        ("Grain farmers", "the tariffs hurt them"),
        ("Leaked memos", "the plan was old"),
    ])
    assert totals.kind == "unknown"
    assert farmers.kind == "group"
    assert memos.kind == "document"


def test_a_named_spokesperson_speaks_for_the_principal(nlp):
    text = (
        "Senator Rosa Delgado said the pipeline permit would be denied. "
        "Carl Hooper, a spokesman for Ms. Delgado, said the letter went out on Friday. "
        "Delgado aide Nina Petrov said the senator had not changed her mind."
    )
    senator, hooper, petrov = _speakers(nlp, text, [
        ("Senator Rosa Delgado", "the pipeline permit would be denied"),
        ("Carl Hooper, a spokesman for Ms. Delgado,", "the letter went out on Friday"),
        ("Delgado aide Nina Petrov", "the senator had not changed her mind"),
    ])
    assert (hooper.kind, hooper.name, hooper.principal) == ("person", "Carl Hooper", senator.id)
    assert (petrov.name, petrov.principal) == ("Nina Petrov", senator.id)
    assert senator.principal is None


def test_a_later_mention_keeps_the_principal_an_earlier_one_gave(nlp):
    text = (
        "Mayor Helen Castro's lawyer, Owen Marsh, declined to comment on Monday. "
        "Castro said the audit was unfair. "
        "On Tuesday Marsh said the audit would be appealed."
    )
    castro, marsh = _speakers(nlp, text, [
        ("Castro", "the audit was unfair"),
        ("Marsh", "the audit would be appealed"),
    ])
    assert marsh.name == "Owen Marsh" and marsh.principal == castro.id


def test_an_unnamed_spokesperson_points_at_the_principal(nlp):
    text = (
        "Governor Daniel Whitcombe said the water compact was fair. "
        "A Whitcombe spokesman said the state would sue if needed."
    )
    governor, spokesman = _speakers(nlp, text, [
        ("Governor Daniel Whitcombe", "the water compact was fair"),
        ("A Whitcombe spokesman", "the state would sue if needed"),
    ])
    assert spokesman.kind == "anonymous" and spokesman.principal == governor.id
    assert governor.principal is None


def test_a_principal_who_never_speaks_is_no_actor_to_point_at(nlp):
    text = "Governor Daniel Whitcombe was in Denver. A Whitcombe spokesman said the state would sue."
    (spokesman,) = _speakers(nlp, text, [("A Whitcombe spokesman", "the state would sue")])
    assert spokesman.name == "spokesman for Daniel Whitcombe" and spokesman.principal is None


def test_people_speaking_for_no_one_have_no_principal(nlp):
    text = (
        "Dr. Lena Ortiz, an economist at the university, said prices would rise. "
        "Representative Alan Pruitt said the tariff was a mistake."
    )
    ortiz, pruitt = _speakers(nlp, text, [
        ("Dr. Lena Ortiz, an economist at the university,", "prices would rise"),
        ("Representative Alan Pruitt", "the tariff was a mistake"),
    ])
    assert (ortiz.name, ortiz.principal) == ("Lena Ortiz", None)
    assert (pruitt.name, pruitt.principal) == ("Alan Pruitt", None)
