"""Quotation finding: every quote style, running and unclosed quotes, apostrophes."""

from readouts.extract.quotes import find_quotes


def inner_texts(text):
    return [[text[s:e] for s, e in q.inner] for q in find_quotes(text)]


def test_every_quote_style_is_found():
    text = ('He said “curly one” and "straight one" and «guillemets» and „low high“ '
            "and ``tex style'' and ‘single one’ today.")
    found = [parts[0] for parts in inner_texts(text)]
    assert found == ["curly one", "straight one", "guillemets", "low high", "tex style", "single one"]


def test_apostrophes_do_not_open_or_close_single_quotes():
    text = "It’s Putin’s view that the leaders’ talks went well, he said."
    assert find_quotes(text) == []


def test_a_quote_running_into_the_next_paragraph_is_one_quote():
    text = "She said: “We will win this fight.\n\n“And we will win it soon,” she added."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert [text[s:e] for s, e in quotes[0].inner] == ["We will win this fight.", "And we will win it soon,"]


def test_an_unclosed_phrase_ends_at_its_paragraph_and_the_rest_still_parses():
    text = "Putin spoke of the “fight against cyber crime.\n\n“I had a long talk,” Putin said."
    quotes = find_quotes(text)
    assert [q.closed for q in quotes] == [False, True]
    assert text[slice(*quotes[1].inner[0])] == "I had a long talk,"


def test_an_odd_number_of_straight_quotes_does_not_swallow_the_document():
    text = 'He called it "a sham.\n\nOfficials said "no deal" was possible.'
    assert [parts[0] for parts in inner_texts(text)] == ["a sham.", "no deal"]
