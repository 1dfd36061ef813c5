# Hindi dates with Hindi month names: 29 अगस्त 2025 (see tracker/formats/en_GB/formats.py).
# The short form keeps the full month name: Hindi has no customary abbreviations.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
