"""Numbers as people write them: Indian (5 lakh, 7,50,000, ₹5.96 lakh crore) or international
(500,000; ₹5.96 trillion). Yen and dollars always use their customary large units.

Pure functions of (value, system, language); the template tags in templatetags/tracker.py,
the charts' axis labels and the reports all call the same four: format_count_in,
format_money_in, format_amount (a value in a commitment's unit) and format_percent.

In Japanese (`language="ja"`) large amounts and counts are written with 万・億・兆
(10兆円, 50万人, 1億5000万), and in Hindi (`language="hi"`) with लाख and करोड़ (5 लाख,
₹5.96 लाख करोड़), whatever the number system: that is how readers of those languages write
them. English keeps the reader's choice of number system. Babel's CLDR data was not used: its
compact forms round (CLDR gives "50万" but also "12万" for 123,456) and know no "never
larger than it is"; see docs/languages-numbers.md.
"""

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

INDIAN = "indian"
INTERNATIONAL = "international"
SYSTEMS = {
    INDIAN: gettext_lazy("Indian (lakh, crore)"),
    INTERNATIONAL: gettext_lazy("International (million, billion)"),
}

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
    """A value in a commitment's unit, in English (format_amount for any language)."""
    return format_amount(value, unit, ENGLISH, system, unit_label)


# Japanese and Hindi ---------------------------------------------------------------------------

JAPANESE_UNITS = [(Decimal(10) ** 12, "兆"), (Decimal(10) ** 8, "億"), (Decimal(10) ** 4, "万")]
HINDI_WORDS = [(LAKH * CRORE, "लाख करोड़"), (CRORE, "करोड़"), (LAKH, "लाख")]
JAPANESE_CURRENCY_WORDS = {"JPY": "円", "INR": "ルピー", "USD": "ドル"}
ENGLISH = "en"
JAPANESE = "ja"
HINDI = "hi"
# "42 %" in English as the tracker has always written it; CLDR's ja and hi patterns are "#,##0%".
PERCENT_PATTERNS = {ENGLISH: "{} %", JAPANESE: "{}%", HINDI: "{}%"}
# A number of people: "5 lakh people", "50万人", "5 लाख लोग".
PEOPLE_PATTERNS = {ENGLISH: "{} people", JAPANESE: "{}人", HINDI: "{} लोग"}


def _japanese_count(number: Decimal) -> str:
    """Exact, in 兆・億・万 parts: 500000 → '50万', 123456 → '12万3456', 150000000 →
    '1億5000万'; under 10,000 plain digits with a comma (9,999); decimals kept (12.5)."""
    sign = "-" if number < 0 else ""
    whole_part = int(abs(number))
    fraction = _trim(abs(number) - whole_part)
    fraction = fraction[1:] if fraction != "0" else ""  # '.5' or ''
    if whole_part < 10**4:
        return f"{sign}{group_digits(whole_part, INTERNATIONAL)}{fraction}"
    parts = []
    rest = whole_part
    for unit, word in JAPANESE_UNITS:
        amount, rest = divmod(rest, int(unit))
        if amount:
            parts.append(f"{amount}{word}")
    if rest:
        parts.append(str(rest))
    return f"{sign}{''.join(parts)}{fraction}"


def _japanese_amount(number: Decimal) -> str:
    """Money in the largest unit that fits, to at most two decimals, rounded down:
    10,000,000,000,000 → '10兆', 1,234,567,890,000 → '1.23兆', 75,000 → '7.5万'."""
    size = abs(number)
    sign = "-" if number < 0 else ""
    for unit, word in JAPANESE_UNITS:
        if size >= unit:
            amount = (size / unit).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            return f"{sign}{_trim(amount)}{word}"
    return f"{sign}{group_digits(size, INTERNATIONAL)}"


def format_count_in(value, language: str, system: str = INDIAN) -> str:
    """A count as a reader of `language` writes it: '50万' (ja), '5 लाख' (hi), else English."""
    number = to_decimal(value)
    if number is None:
        return ""
    if language == JAPANESE:
        return _japanese_count(number)
    if language == HINDI:
        words = _in_words(number, HINDI_WORDS[1:], exact=True, system=INDIAN)
        return words or group_digits(number, INDIAN)
    return format_count(number, system)


def format_money_in(value, currency: str, language: str, system: str = INDIAN) -> str:
    """Money as a reader of `language` writes it: '10兆円', '5.96兆ルピー' (ja);
    '₹5.96 लाख करोड़', '¥10 लाख करोड़' (hi); else English."""
    number = to_decimal(value)
    if number is None:
        return ""
    if language == JAPANESE:
        word = JAPANESE_CURRENCY_WORDS.get(currency, f" {currency}")
        return f"{_japanese_amount(number)}{word}"
    if language == HINDI:
        symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
        words = _in_words(number, HINDI_WORDS, exact=False, system=INDIAN)
        text = words.lstrip("-") if words else group_digits(abs(number), INDIAN)
        return f"{'-' if number < 0 else ''}{symbol}{text}"
    return format_money(number, currency, system)


def format_percent(value, language: str = ENGLISH, system: str = INDIAN) -> str:
    """A percent as the number it is given (the caller rounds): '42 %' (en), '42%' (ja, hi),
    '12.5%'; decimals with a point in every language."""
    number = to_decimal(value)
    if number is None:
        return ""
    digits_system = {JAPANESE: INTERNATIONAL, HINDI: INDIAN}.get(language, system)
    pattern = PERCENT_PATTERNS.get(language, PERCENT_PATTERNS[ENGLISH])
    return pattern.format(group_digits(number, digits_system))


def format_amount(
    value, unit: str, language: str = ENGLISH, system: str = INDIAN, unit_label: str = ""
) -> str:
    """A value in a commitment's unit, as a reader of `language` writes it: money by its
    currency ('10兆円', '₹5.96 लाख करोड़', '¥10 trillion'), people and counts as counts
    ('50万人', '5 लाख लोग', '5 lakh people'), percents ('42%'); any other unit is the
    editor's own label after the count."""
    number = to_decimal(value)
    if number is None:
        return ""
    if unit in MONEY_UNITS:
        return format_money_in(number, unit, language, system)
    if unit == "percent":
        return format_percent(number, language, system)
    counted = format_count_in(number, language, system)
    if unit == "people":
        return PEOPLE_PATTERNS.get(language, PEOPLE_PATTERNS[ENGLISH]).format(counted)
    if unit == "count":
        return counted
    label = unit_label or unit
    return f"{counted} {label}".strip()
