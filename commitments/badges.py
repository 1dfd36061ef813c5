"""An embeddable SVG status badge: short name, status in words and colour, percent done."""

import unicodedata

from django.template.loader import render_to_string
from django.utils.translation import gettext

from commitments.languages import translated

COLOURS = {
    "announced": "#6a3d9a",
    "in_progress": "#1d4ed8",
    "delayed": "#8a4b00",
    "stalled": "#a4262c",
    "partially_achieved": "#00727f",
    "achieved": "#1e6b2e",
    "abandoned": "#3f3f46",
}
CHAR_WIDTH = 6.6  # Verdana 11px, close enough for a badge
WIDE_CHAR_WIDTH = 11.0  # a Japanese character at 11px is about square
MAX_NAME = 32


def short_name(title: str) -> str:
    """The title, or as many of its first words as fit in MAX_NAME characters with an ellipsis:
    never a word cut in half, unless the first word alone is too long."""
    title = " ".join(title.split())
    if len(title) <= MAX_NAME:
        return title
    cut = title[: MAX_NAME - 1]
    if title[MAX_NAME - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def text_width(text: str) -> int:
    """An estimate of the text's width at 11px: Japanese characters are about square."""
    return int(
        sum(
            WIDE_CHAR_WIDTH if unicodedata.east_asian_width(char) in "WF" else CHAR_WIDTH
            for char in text
            if not unicodedata.combining(char)
        )
    )


def badge_svg(commitment) -> str:
    """The badge in the active language: its title where translated, its status in words."""
    title = translated(commitment, "title")
    left = short_name(title)
    right = str(commitment.get_current_status_display())
    if commitment.is_overdue:
        right = gettext("%(status)s, overdue") % {"status": right}
    if commitment.progress_percent_display is not None:
        right = gettext("%(status)s · %(percent)s %%") % {
            "status": right,
            "percent": commitment.progress_percent_display,
        }
    left_width = text_width(left) + 12
    right_width = text_width(right) + 12
    return render_to_string(
        "commitments/badge.svg",
        {
            "width": left_width + right_width,
            "left_width": left_width,
            "right_width": right_width,
            "right_x": left_width + 6,
            "colour": COLOURS.get(commitment.current_status, "#4b5563"),
            "label": gettext("%(title)s: %(status)s") % {"title": title, "status": right},
            "left": left,
            "right": right,
        },
    )
