"""Server-rendered SVG charts: geometry computed here, drawn by small templates.

No JavaScript and no external assets; every chart comes with a data table.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from commitments.cache import cached_public_data
from commitments.models import Commitment, StatusUpdate, UpdateStatus

WIDTH, HEIGHT = 600, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 12, 12, 12, 28


@dataclass
class ProgressChart:
    points: str  # polyline of published values
    dots: list[tuple[float, float]]
    expected: tuple[float, float, float, float] | None  # line from baseline to target
    target_y: float
    today_x: float
    x_labels: list[tuple[float, str]]
    rows: list[dict]
    thinned: bool = False  # past MAX_PROGRESS_POINTS figures: the last of each month
    width: int = WIDTH
    height: int = HEIGHT


def progress_chart(commitment: Commitment) -> ProgressChart | None:
    """Published progress over time against the expected line and the target. Its size
    does not grow with the update log: `progress_points` reads (as_of, value) pairs and
    keeps at most about MAX_PROGRESS_POINTS of them."""
    if commitment.target_value is None:
        return None
    points = commitment.progress_points()
    today = timezone.localdate()
    start = commitment.announced_on
    end = max([commitment.deadline or today, today, *[p.day for p in points]])
    if end <= start:
        end = start + datetime.timedelta(days=1)
    baseline = commitment.baseline_value or Decimal(0)
    values = [baseline, commitment.target_value, *[p.value for p in points]]
    low, high = min([*values, Decimal(0)]), max(values)
    if high == low:
        high = low + 1

    def x(day):
        share = (day - start).days / (end - start).days
        return round(PAD_LEFT + share * (WIDTH - PAD_LEFT - PAD_RIGHT), 1)

    def y(value):
        share = float((Decimal(value) - low) / (high - low))
        return round(HEIGHT - PAD_BOTTOM - share * (HEIGHT - PAD_TOP - PAD_BOTTOM), 1)

    dots = [(x(p.day), y(p.value)) for p in points]
    expected = None
    if commitment.deadline:
        expected = (x(start), y(baseline), x(commitment.deadline), y(commitment.target_value))
    years = range(start.year, end.year + 1)
    x_labels = [(x(max(start, datetime.date(year, 1, 1))), str(year)) for year in years]
    rows = [
        {"day": point.day, "value": point.value, "expected": commitment.expected_on(point.day)}
        for point in points
    ]
    return ProgressChart(
        points=" ".join(f"{px},{py}" for px, py in dots),
        dots=dots,
        expected=expected,
        target_y=y(commitment.target_value),
        today_x=x(today),
        x_labels=x_labels,
        rows=rows,
        thinned=getattr(commitment, "progress_points_thinned", False),
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
