"""Template tags for numbers, in the reader's number system (see commitments.numbers)."""

from decimal import Decimal

from django import template
from django.conf import settings

from commitments import numbers

register = template.Library()


def _system(context) -> str:
    return context.get("number_system") or settings.NUMBER_SYSTEM


@register.filter
def quantity(value):
    """A stored number in plain grouped digits: 500000.0000 → 500,000; 12.5000 → 12.5."""
    if value is None or value == "":
        return ""
    return numbers.group_digits(Decimal(value), numbers.INTERNATIONAL)


@register.simple_tag(takes_context=True)
def amount(context, value, commitment):
    """A value in the commitment's unit: '5 lakh people', '¥10 trillion', '₹5.96 lakh crore'."""
    return numbers.format_quantity(
        value, commitment.target_unit, _system(context), commitment.target_unit_label
    )


@register.simple_tag(takes_context=True)
def money(context, value, currency):
    return numbers.format_money(value, currency, _system(context))


@register.simple_tag(takes_context=True)
def count(context, value):
    return numbers.format_count(value, _system(context))
