"""Numbers as people write them: Indian (5 lakh, 7,50,000, ₹5.96 lakh crore) or international
(500,000; ₹5.96 trillion). Yen and dollars always use their customary large units.

Pure functions of (value, system); the template filters in templatetags/tracker.py use them.
"""

from decimal import ROUND_DOWN, Decimal, InvalidOperation

INDIAN = "indian"
INTERNATIONAL = "international"
SYSTEMS = {INDIAN: "Indian (lakh, crore)", INTERNATIONAL: "International (million, billion)"}

CURRENCY_SYMBOLS = {"INR": "₹", "JPY": "¥", "USD": "$"}
MONEY_UNITS = set(CURRENCY_SYMBOLS)

LAKH = Decimal(10) ** 5
CRORE = Decimal(10) ** 7
INDIAN_WORDS = [(LAKH * CRORE, "lakh crore"), (CRORE, "crore"), (LAKH, "lakh")]
INTERNATIONAL_WORDS = [
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
]


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _trim(number: Decimal) -> str:
    """Plain digits without trailing zeros: 12.5000 → '12.5', 500000.00 → '500000'."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def plain_digits(value) -> str:
    """A stored number as a form shows it for editing: 6000.0000 → '6000', 12.5000 → '12.5'."""
    number = to_decimal(value)
    return "" if number is None else _trim(number)


def group_digits(value, system: str = INDIAN) -> str:
    """All the digits, grouped: 750000 → '7,50,000' (Indian) or '750,000' (international)."""
    number = to_decimal(value)
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    whole, _, fraction = _trim(abs(number)).partition(".")
    if system == INDIAN and len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        pairs = []
        while len(head) > 2:
            pairs.insert(0, head[-2:])
            head = head[:-2]
        grouped = ",".join([head, *pairs, tail])
    else:
        grouped = f"{int(whole):,}"
    return f"{sign}{grouped}" + (f".{fraction}" if fraction else "")


def _in_words(number: Decimal, words, exact: bool, system: str) -> str | None:
    """'5 lakh' / '5.96 trillion': the largest unit that fits, to at most two decimals,
    rounded down so a figure is never shown larger than it is. With `exact`, only whole
    multiples qualify (so 7,50,000 stays in digits)."""
    size = abs(number)
    for unit, word in words:
        if size >= unit:
            amount = size / unit
            if exact and amount != amount.to_integral_value():
                return None
            rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            return f"{'-' if number < 0 else ''}{group_digits(rounded, system)} {word}"
    return None


def format_count(value, system: str = INDIAN) -> str:
    """A count of people or things: '5 lakh', '7,50,000', '1 crore' — or '500,000'."""
    number = to_decimal(value)
    if number is None:
        return ""
    if system == INDIAN:
        words = _in_words(number, INDIAN_WORDS[1:], exact=True, system=INDIAN)
        if words:
            return words
    return group_digits(number, system)


def format_money(value, currency: str, system: str = INDIAN) -> str:
    """'₹5.96 lakh crore' / '₹5.96 trillion', '¥10 trillion', '$1.5 billion', '₹75,000'."""
    number = to_decimal(value)
    if number is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    if currency == "INR" and system == INDIAN:
        words = _in_words(number, INDIAN_WORDS, exact=False, system=INDIAN)
        digits_system = INDIAN
    else:
        words = _in_words(number, INTERNATIONAL_WORDS, exact=False, system=INTERNATIONAL)
        digits_system = INTERNATIONAL if currency != "INR" else system
    sign = "-" if number < 0 else ""
    text = words.lstrip("-") if words else group_digits(abs(number), digits_system)
    return f"{sign}{symbol}{text}"


def format_quantity(value, unit: str, system: str = INDIAN, unit_label: str = "") -> str:
    """A value in a commitment's unit: money by its currency, people and counts as counts."""
    number = to_decimal(value)
    if number is None:
        return ""
    if unit in MONEY_UNITS:
        return format_money(number, unit, system)
    if unit == "percent":
        return f"{group_digits(number, system)} %"
    if unit == "people":
        return f"{format_count(number, system)} people"
    if unit == "count":
        return format_count(number, system)
    label = unit_label or unit
    return f"{format_count(number, system)} {label}".strip()
