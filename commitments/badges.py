"""An embeddable SVG status badge: short name, status in words and colour, percent done."""

from django.template.loader import render_to_string

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


def badge_svg(commitment) -> str:
    left = short_name(commitment.title)
    right = commitment.get_current_status_display()
    if commitment.is_overdue:
        right += ", overdue"
    if commitment.progress_percent_display is not None:
        right += f" · {commitment.progress_percent_display} %"
    left_width = int(len(left) * CHAR_WIDTH) + 12
    right_width = int(len(right) * CHAR_WIDTH) + 12
    return render_to_string(
        "commitments/badge.svg",
        {
            "width": left_width + right_width,
            "left_width": left_width,
            "right_width": right_width,
            "right_x": left_width + 6,
            "colour": COLOURS.get(commitment.current_status, "#4b5563"),
            "label": f"{commitment.title}: {right}",
            "left": left,
            "right": right,
        },
    )
