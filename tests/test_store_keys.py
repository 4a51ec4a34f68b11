"""Identity keys of the corpus: canonical article URLs, text hashes and transliteration-aware names."""

from __future__ import annotations

import pytest

from readouts.store.keys import article_key, canonical_url, channel_key, name_key


@pytest.mark.parametrize(
    "variants",
    [
        ("Sergey Lavrov", "Sergei Lavrov", "Serguei Lavrov", "SERGEY LAVROV"),
        ("Dmitry Peskov", "Dmitriy Peskov", "Dmitri Peskov"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"),
        ("Alexei Navalny", "Aleksei Navalny", "Alexey Navalny"),
        ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
        ("Mikhail Khodorkovsky", "Mikhail Hodorkovsky"),
        ("Emmanuel Macron", "Emmanuel  Macron", "Emmanuel Macron."),
        ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
    ],
)
def test_spelling_variants_share_one_key(variants):
    assert len({name_key(v) for v in variants}) == 1


@pytest.mark.parametrize("one, other", [("Sergey Lavrov", "Sergey Ryabkov"), ("Maria Zakharova", "Mario Zakharov")])
def test_different_people_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def test_channel_key_ignores_case_and_punctuation_only():
    assert channel_key("NBC News") == channel_key("nbc  news") == "nbc news"
    assert channel_key("@NBCNews") == "nbcnews"


def test_canonical_url_drops_tracking_and_fragment():
    canonical = canonical_url("HTTPS://www.Example.com/a/b/?utm_source=rss&id=3#top")
    assert canonical.startswith("https://www.example.com/a/b") and canonical.endswith("?id=3")
    assert "utm_source" not in canonical and "#" not in canonical
    assert canonical_url("notes.txt") is None
    assert canonical_url("ftp://example.com/a") is None
    assert canonical_url(None) is None


def test_article_key_folds_scheme_and_www_and_falls_back_to_text_hash():
    assert article_key("https://www.example.com/a/?utm_medium=x", "one") == article_key("http://example.com/a", "two")
    by_text = article_key(None, "same text")
    assert by_text.startswith("sha256:") and by_text == article_key("", "same text")
    assert by_text != article_key(None, "same text.")
