from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def quantity(value):
    """A stored number as people write it: 500000.0000 → 500,000; 12.5000 → 12.5."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"
