"""The badge's short name keeps whole words: "Chandrayaan-5 joint lunar…", never "lun…"."""

from hypothesis import given
from hypothesis import strategies as st

from commitments.badges import MAX_NAME, short_name


def test_short_titles_are_kept_whole():
    assert short_name("Joint Crediting Mechanism") == "Joint Crediting Mechanism"


def test_a_title_one_character_too_long_loses_its_last_word():
    assert short_name("Chandrayaan-5 joint lunar mission") == "Chandrayaan-5 joint lunar…"


def test_long_titles_are_cut_between_words():
    title = "Action plan to send 5 lakh Indians to Japan in five years"
    assert short_name(title) == "Action plan to send 5 lakh…"


def test_a_single_long_word_is_cut_where_it_must_be():
    assert short_name("x" * 50) == "x" * (MAX_NAME - 1) + "…"


def test_punctuation_before_the_cut_is_dropped():
    title = "Economic security, supply chains, critical minerals and semiconductors"
    assert short_name(title) == "Economic security, supply…"


words = st.text(alphabet="abcdefghij", min_size=1, max_size=12)


@given(st.lists(words, min_size=1, max_size=12))
def test_the_short_name_is_a_run_of_whole_leading_words(parts):
    title = " ".join(parts)
    name = short_name(title)
    assert len(name) <= MAX_NAME
    if name == title:
        return
    kept = name.removesuffix("…").split(" ")
    if len(parts[0]) >= MAX_NAME:
        assert kept == [parts[0][: MAX_NAME - 1]]
    else:
        assert kept == parts[: len(kept)]
