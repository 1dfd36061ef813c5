"""Properties of search (Hypothesis): however a reader types a commitment's title (words in
any order, any case, accents added or dropped), it is found."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commitments import search
from commitments.models import Commitment

ACCENTS = ["\u0301", "\u0300", "\u0302", "\u0304", "\u0308"]  # ´ ` ^ ¯ ¨


def accented(word: str, marks: list[int]) -> str:
    """`word` with combining accents put on some of its Latin letters."""
    out = []
    for i, char in enumerate(word):
        out.append(char)
        if char.isascii() and char.isalpha() and marks[i % len(marks)] < len(ACCENTS):
            out.append(ACCENTS[marks[i % len(marks)]])
    return unicodedata.normalize("NFC", "".join(out))


@st.composite
def retyped(draw, text: str) -> str:
    words = search.fold(text).split()
    words = draw(st.permutations(words))
    marks = draw(st.lists(st.integers(0, 2 * len(ACCENTS)), min_size=1, max_size=5))
    cased = [
        draw(st.sampled_from([word, word.upper(), word.title(), accented(word, marks)]))
        for word in words
    ]
    separator = draw(st.sampled_from([" ", "  ", ", ", " - "]))
    return separator.join(cased)


@pytest.fixture(scope="module")
def titles(django_db_setup, django_db_blocker):
    import json
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "india_japan_2025.json"
    return [
        (row["fields"]["slug"], row["fields"]["title"])
        for row in json.loads(fixture.read_text())
        if row["model"] == "commitments.commitment"
    ]


@pytest.mark.usefixtures("seeded")
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_retyping_of_a_title_finds_its_commitment_first(titles, data):
    slug, title = data.draw(st.sampled_from(titles))
    query = data.draw(retyped(title))
    results = list(search.search(Commitment.objects.public(), query).values_list("slug", flat=True))
    assert slug in results, query
    # Every word of the title is in its title: nothing ranks above it but a title that holds
    # them all too.
    best = search.search(Commitment.objects.public(), query).first()
    assert best.search_title_hits == len(search.words(query))


@given(text=st.text(max_size=30))
def test_fold_is_stable_and_never_fails(text):
    once = search.fold(text)
    assert search.fold(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(
    word=st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    marks=st.lists(st.integers(0, 9), min_size=1),
)
def test_accents_fold_away_from_latin_letters(word, marks):
    assert search.fold(accented(word, marks)) == word
    assert search.fold(word.upper()) == word
