"""Numbers as Japanese and Hindi readers write them (issue 15's rules, in commitments/numbers.py
next to the English ones): 万・億・兆 and लाख・करोड़, at the edges."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commitments.numbers import JAPANESE_UNITS, format_count_in, format_money_in


@pytest.mark.parametrize(
    ("value", "japanese", "hindi"),
    [
        (0, "0", "0"),
        (9_999, "9,999", "9,999"),
        (10_000, "1万", "10,000"),
        (50_000, "5万", "50,000"),
        (99_999, "9万9999", "99,999"),
        (1_00_000, "10万", "1 लाख"),
        (5_00_000, "50万", "5 लाख"),
        (7_50_000, "75万", "7,50,000"),
        (1_23_456, "12万3456", "1,23,456"),
        (99_99_999, "999万9999", "99,99,999"),
        (1_00_00_000, "1000万", "1 करोड़"),
        (10**8, "1億", "10 करोड़"),
        (150_000_000, "1億5000万", "15 करोड़"),
        (10**12, "1兆", "1,00,000 करोड़"),
        (-50_000, "-5万", "-50,000"),
        ("12.5", "12.5", "12.5"),
        ("123456.5", "12万3456.5", "1,23,456.5"),
        (None, "", ""),
        ("not a number", "", ""),
    ],
)
def test_counts(value, japanese, hindi):
    assert format_count_in(value, "ja") == japanese
    assert format_count_in(value, "hi") == hindi


@pytest.mark.parametrize(
    ("value", "currency", "japanese", "hindi"),
    [
        (10 * 10**12, "JPY", "10兆円", "¥10 लाख करोड़"),
        (5_960_000_000_000, "INR", "5.96兆ルピー", "₹5.96 लाख करोड़"),
        (1_234_567_890_000, "JPY", "1.23兆円", "¥1.23 लाख करोड़"),
        (1_500_000_000, "USD", "15億ドル", "$150 करोड़"),
        (75_000, "INR", "7.5万ルピー", "₹75,000"),
        (9_999, "JPY", "9,999円", "¥9,999"),
        (0, "JPY", "0円", "¥0"),
        (-10 * 10**12, "JPY", "-10兆円", "-¥10 लाख करोड़"),
    ],
)
def test_money(value, currency, japanese, hindi):
    assert format_money_in(value, currency, "ja") == japanese
    assert format_money_in(value, currency, "hi") == hindi


def test_english_is_unchanged():
    assert format_count_in(500_000, "en") == "5 lakh"
    assert format_count_in(500_000, "en", "international") == "500,000"
    assert format_money_in(10 * 10**12, "JPY", "en") == "¥10 trillion"


@given(st.integers(min_value=10**4, max_value=10**16))
def test_japanese_money_is_never_shown_larger_than_it_is(value):
    shown = format_money_in(value, "JPY", "ja").removesuffix("円")
    for unit, word in JAPANESE_UNITS:
        if shown.endswith(word):
            amount = Decimal(shown.removesuffix(word)) * unit
            assert amount <= value < amount + unit / 100
            return
    raise AssertionError(shown)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_japanese_counts_are_exact(value):
    shown = format_count_in(value, "ja")
    sign = -1 if shown.startswith("-") else 1
    rest, total = shown.lstrip("-").replace(",", ""), 0
    for unit, word in JAPANESE_UNITS:
        if word in rest:
            head, rest = rest.split(word)
            total += int(head) * int(unit)
    total += int(rest or 0)
    assert sign * total == value
