"""Server-rendered SVG charts: geometry computed here, drawn by small templates.

No JavaScript and no external assets; every chart comes with a data table.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from commitments.cache import cached_public_data
from commitments.models import Commitment, StatusUpdate, UpdateStatus

WIDTH, HEIGHT = 600, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 12, 12, 12, 28


# The commitment page's chart is drawn small (its text stays at least 11 CSS px when a
# 375 px phone shows it about 340 px wide) and scaled up, at most to 600 px, on a wide screen.
CHART_WIDTH, CHART_HEIGHT = 360, 240
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 8, 8, 26, 30
CHART_FONT = 13  # user units; also in site.css (.progress-chart text)
Y_TICKS = 5  # at most about this many intervals on the value axis


@dataclass
class ProgressChart:
    points: str  # polyline of published values
    dots: list[tuple[float, float]]
    expected: tuple[float, float, float, float] | None  # line from baseline to target
    target_y: float
    today_x: float
    x_labels: list[tuple[float, str, str]]  # (x, text, text-anchor), never overlapping
    rows: list[dict]
    thinned: bool = False  # past MAX_PROGRESS_POINTS figures: the last of each month
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    y_ticks: list[tuple[float, Decimal]] = field(default_factory=list)  # gridlines
    x_ticks: list[float] = field(default_factory=list)  # 1 January of each year
    target: Decimal | None = None
    expected_label: tuple[float, float] | None = None  # where "Expected" is written
    today_anchor: str = "start"
    from_parts: bool = False  # the values are the sum of the parts' figures
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_RIGHT
    top: int = CHART_TOP
    bottom: int = CHART_HEIGHT - CHART_BOTTOM


def nice_step(span: Decimal, intervals: int = Y_TICKS) -> Decimal:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) that cuts `span` into about `intervals` parts."""
    raw = span / intervals
    if raw <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (raw.adjusted())
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def text_width(text: str) -> float:
    """A generous estimate of a label's width in user units (no font metrics on a server)."""
    return len(text) * CHART_FONT * 0.62


def place_labels(
    candidates: list[tuple[float, str]], left: float, right: float, gap: float = 8
) -> list[tuple[float, str, str]]:
    """(x, text, anchor) for the labels that fit, in the order of `candidates` (the most
    wanted first), none overlapping another or the edges; left to right. A label is centred
    on its x, or anchored at its start or end near an edge."""
    placed, spans = [], []
    for x, text in candidates:
        width = text_width(text)
        anchor, start = "middle", x - width / 2
        if start < left:
            anchor, start = "start", max(x, left)
        if start + width > right:
            anchor, start = "end", min(x, right) - width
        if start < left or any(
            start < end + gap and start + width + gap > begin for begin, end in spans
        ):
            continue
        spans.append((start, start + width))
        placed.append((round(start if anchor == "start" else x, 1), text, anchor))
    return sorted(placed)


def progress_chart(commitment: Commitment) -> ProgressChart | None:
    """Published progress over time against the expected line and the target, with a value
    axis, direct labels and a labelled "today" (or the day of an as-of view). Its size does
    not grow with the update log: `progress_points` reads (as_of, value) pairs and keeps at
    most about MAX_PROGRESS_POINTS of them; for a roll-up they are the sums of its parts."""
    if commitment.target_value is None:
        return None
    points = commitment.progress_points()
    today = commitment.reference_day
    start = commitment.announced_on
    end = max([commitment.deadline or today, today, *[p.day for p in points]])
    if end <= start:
        end = start + datetime.timedelta(days=1)
    baseline = commitment.baseline_value or Decimal(0)
    values = [baseline, commitment.target_value, *[p.value for p in points]]
    step = nice_step(max(values) - min([*values, Decimal(0)]))
    low = (min([*values, Decimal(0)]) / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (max(values) / step).to_integral_value(rounding="ROUND_CEILING") * step
    if high == low:
        high = low + step
    left, right = CHART_LEFT, CHART_WIDTH - CHART_RIGHT
    top, bottom = CHART_TOP, CHART_HEIGHT - CHART_BOTTOM

    def x(day):
        share = (day - start).days / (end - start).days
        return round(left + share * (right - left), 1)

    def y(value):
        share = float((Decimal(value) - low) / (high - low))
        return round(bottom - share * (bottom - top), 1)

    dots = [(x(p.day), y(p.value)) for p in points]
    expected = expected_label = None
    if commitment.deadline:
        expected = (x(start), y(baseline), x(commitment.deadline), y(commitment.target_value))
        # Written beside the dashed line, two thirds of the way along it.
        label_x = expected[0] + (expected[2] - expected[0]) * 0.66
        label_y = expected[1] + (expected[3] - expected[1]) * 0.66
        expected_label = (round(label_x - 6, 1), round(label_y - 6, 1))
    y_ticks = []
    tick = low
    while tick <= high:
        y_ticks.append((y(tick), tick))
        tick += step
    new_years = [
        datetime.date(year, 1, 1)
        for year in range(start.year + 1, end.year + 1)
        if datetime.date(year, 1, 1) <= end
    ]
    # The years first; the month the line starts in where it leaves room.
    x_labels = place_labels(
        [*[(x(day), str(day.year)) for day in new_years], (x(start), f"{start:%b %Y}")],
        left,
        right,
    )
    today_x = x(today)
    # "Today" is written at the foot of its line, on the side with room for it.
    today_anchor = "end" if today_x + 4 + text_width("Today") > right else "start"
    from_parts = bool(getattr(commitment, "progress_from_parts", False))
    rows = [
        {"day": point.day, "value": point.value, "expected": commitment.expected_on(point.day)}
        for point in points
    ]
    return ProgressChart(
        points=" ".join(f"{px},{py}" for px, py in dots),
        dots=dots,
        expected=expected,
        target_y=y(commitment.target_value),
        today_x=today_x,
        x_labels=x_labels,
        rows=rows,
        thinned=getattr(commitment, "progress_points_thinned", False),
        y_ticks=y_ticks,
        x_ticks=[x(day) for day in new_years],
        target=commitment.target_value,
        expected_label=expected_label,
        today_anchor=today_anchor,
        from_parts=from_parts,
    )


def month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last day of each month from `start`'s month to the month before `end`'s, then `end`."""
    days = []
    year, month = start.year, start.month
    while True:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
        if last >= end:
            break
        days.append(last)
        year, month = following.year, following.month
    days.append(end)
    return days


def portfolio_over_time(today: datetime.date | None = None) -> dict | None:
    """How many public commitments were in each status at each month end since the first
    announcement, from the dated, published updates. It reads every published update, so it
    is kept in the cache until public data changes (or the day does)."""
    today = today or timezone.localdate()
    return cached_public_data(f"portfolio:{today.isoformat()}", lambda: _portfolio(today))


def _portfolio(today: datetime.date) -> dict | None:
    rows = list(
        StatusUpdate.objects.published()
        .filter(as_of__lte=today)
        .oldest_first()
        .values_list("commitment_id", "as_of", "status")
    )
    if not rows:
        return None
    months = month_ends(rows[0][1], today)
    statuses = list(UpdateStatus)
    table = []
    current, index = {}, 0
    for month_end in months:
        while index < len(rows) and rows[index][1] <= month_end:
            commitment_id, _, status = rows[index]
            current[commitment_id] = status
            index += 1
        counts = {status.value: 0 for status in statuses}
        for status in current.values():
            counts[status] += 1
        table.append({"month_end": month_end, "counts": counts, "total": len(current)})

    largest = max(row["total"] for row in table) or 1
    bar_width = (WIDTH - PAD_LEFT - PAD_RIGHT) / len(table)
    bars = []
    for i, row in enumerate(table):
        bottom = HEIGHT - PAD_BOTTOM
        segments = []
        for status in statuses:
            n = row["counts"][status.value]
            if not n:
                continue
            height = n / largest * (HEIGHT - PAD_TOP - PAD_BOTTOM)
            bottom -= height
            segments.append(
                {"status": status.value, "y": round(bottom, 1), "height": round(height, 1)}
            )
        bars.append(
            {
                "x": round(PAD_LEFT + i * bar_width + bar_width * 0.15, 1),
                "width": round(bar_width * 0.7, 1),
                "segments": segments,
                "label": row["month_end"].strftime("%b %y"),
                "label_x": round(PAD_LEFT + (i + 0.5) * bar_width, 1),
            }
        )
    return {
        "bars": bars,
        "table": table,
        "statuses": statuses,
        "width": WIDTH,
        "height": HEIGHT,
        "label_y": HEIGHT - 8,
        "label_every": max(1, len(bars) // 8),
    }
