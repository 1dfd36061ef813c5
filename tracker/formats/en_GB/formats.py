# Named date formats the templates use (|date:"DATE_FORMAT" …), one module per language, so a
# date reads the way each reader writes it: 29 August 2025, 2025年8月29日, 29 अगस्त 2025.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
