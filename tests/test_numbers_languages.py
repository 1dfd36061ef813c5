"""Numbers and deadlines as each reader writes them, through what the pages use: the number
tags of templatetags/tracker.py (which read the active language) and
Commitment.deadline_label. The rules themselves are in commitments/numbers.py."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from commitments.models import Commitment, TargetUnit

LANGUAGES = {"en": "en-gb", "ja": "ja", "hi": "hi"}


def render(source: str, language: str, **context) -> str:
    with translation.override(LANGUAGES[language]):
        return Template("{% load tracker %}" + source).render(Context(context))


def commitment(unit: str, label: str = "") -> Commitment:
    return Commitment(target_unit=unit, target_unit_label=label)


def count(value, language, system="indian") -> str:
    return render("{% count v %}", language, v=value, number_system=system)


def amount(value, unit, language, system="indian", label="") -> str:
    return render(
        "{% amount v c %}", language, v=value, c=commitment(unit, label), number_system=system
    )


@pytest.mark.parametrize(
    ("value", "en", "ja", "hi"),
    [
        (0, "0", "0", "0"),
        (9_999, "9,999", "9,999", "9,999"),
        (10_000, "10,000", "1万", "10,000"),
        (50_000, "50,000", "5万", "50,000"),
        (99_999, "99,999", "9万9999", "99,999"),
        (5_00_000, "5 lakh", "50万", "5 लाख"),
        (99_99_999, "99,99,999", "999万9999", "99,99,999"),
        (1_00_00_000, "1 crore", "1000万", "1 करोड़"),
        (10**8, "10 crore", "1億", "10 करोड़"),
        (10**12, "1,00,000 crore", "1兆", "1,00,000 करोड़"),
        (-50_000, "-50,000", "-5万", "-50,000"),
        (Decimal("12.5"), "12.5", "12.5", "12.5"),
        (Decimal("123456.75"), "1,23,456.75", "12万3456.75", "1,23,456.75"),
    ],
)
def test_count_tag(value, en, ja, hi):
    assert (count(value, "en"), count(value, "ja"), count(value, "hi")) == (en, ja, hi)


def test_english_keeps_the_readers_number_system_and_the_others_ignore_it():
    assert count(5_00_000, "en", "international") == "500,000"
    assert count(5_00_000, "ja", "international") == "50万"
    assert count(5_00_000, "hi", "international") == "5 लाख"
    assert amount(10 * 10**12, "JPY", "en", "international") == "¥10 trillion"
    assert amount(5_960_000_000_000, "INR", "en", "international") == "₹5.96 trillion"
    assert amount(5_960_000_000_000, "INR", "hi", "international") == "₹5.96 लाख करोड़"


@pytest.mark.parametrize(
    ("value", "unit", "en", "ja", "hi"),
    [
        (10 * 10**12, "JPY", "¥10 trillion", "10兆円", "¥10 लाख करोड़"),
        (1_234_567_890_000, "JPY", "¥1.23 trillion", "1.23兆円", "¥1.23 लाख करोड़"),
        (5_960_000_000_000, "INR", "₹5.96 lakh crore", "5.96兆ルピー", "₹5.96 लाख करोड़"),
        (10**8, "JPY", "¥100 million", "1億円", "¥10 करोड़"),
        (9_999, "JPY", "¥9,999", "9,999円", "¥9,999"),
        (1_500_000_000, "USD", "$1.5 billion", "15億ドル", "$150 करोड़"),
        (-10 * 10**12, "JPY", "-¥10 trillion", "-10兆円", "-¥10 लाख करोड़"),
        (5_00_000, "people", "5 lakh people", "50万人", "5 लाख लोग"),
        (50_000, "people", "50,000 people", "5万人", "50,000 लोग"),
        (1_23_456, "count", "1,23,456", "12万3456", "1,23,456"),
        (Decimal("42.5"), "percent", "42.5 %", "42.5%", "42.5%"),
        (1_00_000, "other", "1 lakh hectares", "10万 hectares", "1 लाख hectares"),
    ],
)
def test_amount_tag(value, unit, en, ja, hi):
    shown = [amount(value, unit, language, label="hectares") for language in ("en", "ja", "hi")]
    assert shown == [en, ja, hi]


@pytest.mark.parametrize(
    ("language", "money", "count_axis"),
    [
        ("en", "¥2.5 trillion", "5 lakh"),
        ("ja", "2.5兆円", "50万"),
        ("hi", "¥2.5 लाख करोड़", "5 लाख"),
    ],
)
def test_chart_axis_labels(language, money, count_axis):
    source = "{% axis_value v c %}"
    assert render(source, language, v=Decimal("2.5e12"), c=commitment("JPY")) == money
    assert render(source, language, v=500_000, c=commitment("people")) == count_axis


@pytest.mark.parametrize(
    ("percent", "en", "ja", "hi"),
    [(42, "42 %", "42%", "42%"), (Decimal("42.99"), "42 %", "42%", "42%"), (0, "0 %", "0%", "0%")],
)
def test_percent_filter_rounds_down(percent, en, ja, hi):
    shown = [render("{{ p|percent }}", language, p=percent) for language in ("en", "ja", "hi")]
    assert shown == [en, ja, hi]


def test_money_tag():
    source = "{% money v 'JPY' %}"
    assert render(source, "ja", v=10 * 10**12) == "10兆円"
    assert render(source, "hi", v=10 * 10**12) == "¥10 लाख करोड़"


@pytest.mark.parametrize(
    ("deadline", "precision", "en", "ja", "hi"),
    [
        (datetime.date(2030, 12, 31), "year", "by 2030", "2030年まで", "2030 तक"),
        (datetime.date(2030, 3, 31), "month", "by March 2030", "2030年3月まで", "मार्च 2030 तक"),
        (datetime.date(2030, 8, 31), "month", "by August 2030", "2030年8月まで", "अगस्त 2030 तक"),
        (
            datetime.date(2030, 3, 31),
            "day",
            "31 March 2030",
            "2030年3月31日まで",
            "31 मार्च 2030 तक",
        ),
        (datetime.date(2030, 3, 1), "day", "1 March 2030", "2030年3月1日まで", "1 मार्च 2030 तक"),
        (None, "", "", "", ""),
    ],
)
def test_deadline_label(deadline, precision, en, ja, hi):
    item = Commitment(deadline=deadline, deadline_precision=precision)
    shown = []
    for language in ("en", "ja", "hi"):
        with translation.override(LANGUAGES[language]):
            shown.append(item.deadline_label)
    assert shown == [en, ja, hi]


@pytest.mark.parametrize(
    ("precision", "en", "ja", "hi"),
    [
        ("year", "2030", "2030年", "2030"),
        ("month", "March 2030", "2030年3月", "मार्च 2030"),
        ("day", "31 March 2030", "2030年3月31日", "31 मार्च 2030"),
    ],
)
def test_deadline_when_is_the_date_alone(precision, en, ja, hi):
    item = Commitment(deadline=datetime.date(2030, 3, 31), deadline_precision=precision)
    shown = []
    for language in ("en", "ja", "hi"):
        with translation.override(LANGUAGES[language]):
            shown.append(item.deadline_when)
    assert shown == [en, ja, hi]


# Never shown larger than it is: read the shown text back and compare.

JAPANESE_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4}
HINDI_UNITS = {"लाख करोड़": 10**12, "करोड़": 10**7, "लाख": 10**5}


def japanese_value(shown: str) -> Decimal:
    match = re.fullmatch(r"(-?)([\d,.]+)(兆|億|万)?円", shown)
    assert match, shown
    sign, digits, word = match.groups()
    number = Decimal(digits.replace(",", "")) * JAPANESE_UNITS.get(word, 1)
    return -number if sign else number


def hindi_value(shown: str) -> Decimal:
    match = re.fullmatch(r"(-?)₹([\d,.]+)(?: (लाख करोड़|करोड़|लाख))?", shown)
    assert match, shown
    sign, digits, word = match.groups()
    number = Decimal(digits.replace(",", "")) * HINDI_UNITS.get(word, 1)
    return -number if sign else number


money_values = st.decimals(
    min_value=0, max_value=Decimal(10) ** 16, places=2, allow_nan=False, allow_infinity=False
)


@given(money_values)
def test_japanese_money_is_never_shown_larger_than_it_is(value):
    shown = japanese_value(amount(value, TargetUnit.JPY, "ja"))
    assert shown <= value
    assert value - shown < max(value / 100, Decimal(1))  # and not much smaller


@given(money_values)
def test_hindi_money_is_never_shown_larger_than_it_is(value):
    shown = hindi_value(amount(value, TargetUnit.INR, "hi"))
    assert shown <= value
    assert value - shown < max(value / 100, Decimal(1))


@given(st.integers(min_value=0, max_value=10**15))
def test_japanese_and_hindi_people_are_never_shown_larger(value):
    japanese = amount(value, TargetUnit.PEOPLE, "ja").removesuffix("人")
    total, rest = 0, japanese.replace(",", "")
    for word, unit in JAPANESE_UNITS.items():
        if word in rest:
            head, rest = rest.split(word)
            total += int(head) * unit
    assert total + int(rest or 0) == value  # counts are exact in Japanese
    hindi = amount(value, TargetUnit.PEOPLE, "hi").removesuffix(" लोग")
    head, _, word = hindi.partition(" ")
    assert Decimal(head.replace(",", "")) * HINDI_UNITS.get(word, 1) == value


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("prefix", "target", "deadline"),
    [
        ("", "¥10 trillion", "by 2035"),
        ("/ja", "10兆円", "2035年まで"),
        ("/hi", "¥10 लाख करोड़", "2035 तक"),
    ],
)
def test_the_investment_commitments_page(client, prefix, target, deadline):
    response = client.get(f"{prefix}/commitments/japanese-investment-10-trillion-yen/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{target} {deadline}" in content
