"""Name folding: the words an officer could type to find a name, in Latin or Arabic script."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custodia.registry.names import fold, name_tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ibrahim", "ibrahim"),
        ("IBRAHIM", "ibrahim"),
        ("Ibrāhīm", "ibrahim"),
        ("Ḥusayn", "husayn"),
        ("Müller", "muller"),
        ("İbrahim", "ibrahim"),
        ("ﬁras", "firas"),
        ("إبراهيم", "ابراهيم"),
        ("أحمد", "احمد"),
        ("آمنة", "امنة"),
        ("إِبْرَاهِيم", "ابراهيم"),
        ("عبـــدالله", "عبدالله"),
    ],
    ids=[
        "plain",
        "upper",
        "macrons",
        "dot-below",
        "umlaut",
        "turkish-dotted-i",
        "ligature",
        "alef-hamza-below",
        "alef-hamza-above",
        "alef-madda",
        "harakat",
        "tatweel",
    ],
)
def test_fold_ignores_case_accents_and_arabic_marks(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokens_of_a_latin_name_drop_the_article() -> None:
    assert name_tokens("Ibrahim bin Awwad al-Badri") == {"ibrahim", "bin", "awwad", "badri"}
    assert name_tokens("Abu Bakr el-Baghdadi") == {"abu", "bakr", "baghdadi"}
    assert name_tokens("Abd ar-Rahman ad-Dulaimi") == {"abd", "rahman", "dulaimi"}


def test_tokens_of_an_arabic_name_keep_the_word_with_and_without_the_article() -> None:
    assert name_tokens("إبراهيم بن عواد البدري") == {"ابراهيم", "بن", "عواد", "البدري", "بدري"}


def test_punctuation_splits_words() -> None:
    assert name_tokens("O'Neil, John-Paul (Abu Yahya)") == {
        "o",
        "neil",
        "john",
        "paul",
        "abu",
        "yahya",
    }


def test_a_name_of_only_punctuation_has_no_tokens() -> None:
    assert name_tokens(" - , . ") == set()


@settings(max_examples=300)
@given(text=st.text())
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300)
@given(words=st.lists(st.text(min_size=1), min_size=1, max_size=5))
def test_every_word_of_a_name_finds_the_name(words: list[str]) -> None:
    """Typing any word of the name, as written, gives search tokens that are prefixes of
    the name's own tokens."""
    name = " ".join(words)
    tokens = name_tokens(name)
    for word in name.split():
        for typed in name_tokens(word):
            assert any(token.startswith(typed) for token in tokens), (word, typed, tokens)


@settings(max_examples=200)
@given(
    name=st.text(
        # Turkish dotless ı is a letter of its own, not an accented i: left out here.
        alphabet=st.characters(
            categories=["Lu", "Ll"], max_codepoint=0x17F, exclude_characters="ı"
        ),
        min_size=1,
        max_size=30,
    )
)
def test_case_does_not_matter(name: str) -> None:
    assert name_tokens(name.upper()) == name_tokens(name.lower()) == name_tokens(name)
