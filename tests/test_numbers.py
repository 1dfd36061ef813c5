"""Numbers written the way they are read in India and internationally."""

from decimal import Decimal

import pytest

from commitments.numbers import (
    format_count,
    format_money,
    format_quantity,
    group_digits,
)


@pytest.mark.parametrize(
    ("value", "indian", "international"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (999, "999", "999"),
        (1000, "1,000", "1,000"),
        (50000, "50,000", "50,000"),
        (100000, "1,00,000", "100,000"),
        (750000, "7,50,000", "750,000"),
        (9999999, "99,99,999", "9,999,999"),
        (10000000, "1,00,00,000", "10,000,000"),
        (123456789012, "1,23,45,67,89,012", "123,456,789,012"),
        (-750000, "-7,50,000", "-750,000"),
        (Decimal("1234567.50"), "12,34,567.5", "1,234,567.5"),
        (Decimal("0.25"), "0.25", "0.25"),
        (Decimal("500000.0000"), "5,00,000", "500,000"),
    ],
)
def test_group_digits(value, indian, international):
    assert group_digits(value, "indian") == indian
    assert group_digits(value, "international") == international


@pytest.mark.parametrize(
    ("value", "indian", "international"),
    [
        (0, "0", "0"),
        (50000, "50,000", "50,000"),
        (100000, "1 lakh", "100,000"),
        (500000, "5 lakh", "500,000"),
        (750000, "7,50,000", "750,000"),
        (9999999, "99,99,999", "9,999,999"),
        (10000000, "1 crore", "10,000,000"),
        (250000000, "25 crore", "250,000,000"),
        (-500000, "-5 lakh", "-500,000"),
        (Decimal("12.5"), "12.5", "12.5"),
        (10**20, "1,00,00,00,00,00,000 crore", "100,000,000,000,000,000,000"),
    ],
)
def test_format_count(value, indian, international):
    assert format_count(value, "indian") == indian
    assert format_count(value, "international") == international


@pytest.mark.parametrize(
    ("value", "currency", "indian", "international"),
    [
        (0, "INR", "₹0", "₹0"),
        (75000, "INR", "₹75,000", "₹75,000"),
        (100000, "INR", "₹1 lakh", "₹100,000"),
        (150000, "INR", "₹1.5 lakh", "₹150,000"),
        (9999999, "INR", "₹99.99 lakh", "₹9.99 million"),  # rounded down, never up
        (10000000, "INR", "₹1 crore", "₹10 million"),
        (5960000000000, "INR", "₹5.96 lakh crore", "₹5.96 trillion"),
        (-2500000, "INR", "-₹25 lakh", "-₹2.5 million"),
        (10**13, "JPY", "¥10 trillion", "¥10 trillion"),
        (10**12, "JPY", "¥1 trillion", "¥1 trillion"),
        (5 * 10**11, "JPY", "¥500 billion", "¥500 billion"),
        (750000, "JPY", "¥750,000", "¥750,000"),
        (1500000000, "USD", "$1.5 billion", "$1.5 billion"),
        (Decimal("2500000.75"), "USD", "$2.5 million", "$2.5 million"),
        (10**18, "JPY", "¥1,000,000 trillion", "¥1,000,000 trillion"),
    ],
)
def test_format_money(value, currency, indian, international):
    assert format_money(value, currency, "indian") == indian
    assert format_money(value, currency, "international") == international


def test_format_quantity_by_unit():
    assert format_quantity(500000, "people") == "5 lakh people"
    assert format_quantity(500000, "people", "international") == "500,000 people"
    assert format_quantity(10**13, "JPY") == "¥10 trillion"
    assert format_quantity(40, "percent") == "40 %"
    assert format_quantity(120, "other", unit_label="MW") == "120 MW"
    assert format_quantity(None, "people") == ""
    assert format_quantity("not a number", "people") == ""
