"""Server-rendered SVG charts: geometry computed here, drawn by small templates.

No JavaScript and no external assets; every chart comes with a data table.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Value, Window
from django.db.models.functions import Lag
from django.template.loader import render_to_string
from django.utils import timezone, translation

from commitments.cache import cached_public_data
from commitments.models import OLDEST_FIRST, Commitment, StatusUpdate, UpdateStatus

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
    # The markup is in the reader's language: one cached copy per language.
    key = f"portfolio:{translation.get_language()}:{today.isoformat()}"
    return cached_public_data(key, lambda: _with_markup(today))


def _with_markup(today: datetime.date) -> dict | None:
    """The figures, and the chart and table drawn from them (`html`): a few hundred SVG
    shapes are drawn once per public generation and day, not on every request."""
    portfolio = _portfolio(today)
    if portfolio is not None:
        portfolio["html"] = render_to_string(
            "includes/status_over_time.html", {"portfolio": portfolio}
        )
    return portfolio


def _portfolio(today: datetime.date) -> dict | None:
    # Only the updates that changed a commitment's status (or gave it its first one) move
    # the counts: the database drops the others (a window over each commitment's updates,
    # in the order that decides its status), so progress figures cost nothing here.
    rows = list(
        StatusUpdate.objects.published()
        .filter(as_of__lte=today)
        .annotate(
            previous_status=Window(
                Lag("status", default=Value("")),
                partition_by=[F("commitment_id")],
                order_by=list(OLDEST_FIRST),
            )
        )
        .exclude(previous_status=F("status"))
        .oldest_first()
        .values_list("commitment_id", "as_of", "status")
    )
    if not rows:
        return None
    months = month_ends(rows[0][1], today)
    statuses = list(UpdateStatus)
    table = []
    current, index = {}, 0
    counts = {status.value: 0 for status in statuses}
    for month_end in months:
        while index < len(rows) and rows[index][1] <= month_end:
            commitment_id, _, status = rows[index]
            if commitment_id in current:
                counts[current[commitment_id]] -= 1
            current[commitment_id] = status
            counts[status] += 1
            index += 1
        table.append({"month_end": month_end, "counts": dict(counts), "total": len(current)})

    return {
        "table": table,
        "statuses": statuses,
        "layouts": [stacked_chart(table, statuses, layout) for layout in STACKED_LAYOUTS],
    }


@dataclass(frozen=True)
class StackedLayout:
    """One drawing of the status-over-time chart. Its text is `FONT` user units; the page
    shows the narrow drawing in narrow boxes and the wide one from `min_box` CSS px, so the
    text never renders below about 11 px."""

    name: str
    width: int
    height: int
    left: int  # room for the y-axis values
    right: int  # room for the direct labels beside the last bar
    top: int
    bottom: int  # room for the month and year under the bars
    max_labels: int  # time labels at most
    named: bool  # direct labels name the status (wide) or give the count only (narrow)


STACKED_LAYOUTS = (
    StackedLayout("wide", 560, 270, 40, 150, 16, 40, 8, True),
    StackedLayout("narrow", 300, 270, 34, 34, 16, 40, 3, False),
)
FONT = 13  # user units: .dash-chart text in site.css
LINE = 15  # the least distance between two direct labels


def nice_ticks(largest: int, most: int = 4) -> list[int]:
    """0 and round steps (1, 2, 5, 10, 20, 25, 50…) up to at least `largest`, at most
    `most` steps."""
    largest = max(largest, 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if step == int(step) and largest / step <= most:
                step = int(step)
                top = -(-largest // step) * step
                return list(range(0, top + 1, step))
        magnitude *= 10


def _spread(positions: list[float], low: float, high: float, gap: float) -> list[float]:
    """Label positions moved apart by at least `gap`, kept within low–high, order kept."""
    placed = []
    for y in positions:
        placed.append(max(y, placed[-1] + gap) if placed else max(y, low))
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return [round(y, 1) for y in placed]


def stacked_chart(table: list[dict], statuses, layout: StackedLayout) -> dict:
    """Geometry of stacked bars (one a month end) with a y-axis, thinned time labels that
    cannot collide, and direct labels for the latest month."""
    ticks = nice_ticks(max(row["total"] for row in table))
    top_value = ticks[-1] or 1
    plot_left, plot_right = layout.left, layout.width - layout.right
    plot_top, plot_bottom = layout.top, layout.height - layout.bottom
    plot_height = plot_bottom - plot_top

    def y(value):
        return round(plot_bottom - value / top_value * plot_height, 1)

    bar_width = (plot_right - plot_left) / len(table)
    every = -(-len(table) // layout.max_labels)  # ceil: at most max_labels labels
    labelled = set(range(len(table) - 1, -1, -every))  # the latest month always
    bars, previous_year = [], None
    for i, row in enumerate(table):
        bottom, segments = 0, []
        for status in statuses:
            n = row["counts"][status.value]
            if n:
                segments.append(
                    {
                        "status": status.value,
                        "label": status.label,
                        "count": n,
                        "y": y(bottom + n),
                        "height": round(y(bottom) - y(bottom + n), 1),
                        "middle": round((y(bottom) + y(bottom + n)) / 2, 1),
                    }
                )
                bottom += n
        label = year = ""
        if i in labelled:
            label = row["month_end"].strftime("%b")
            if row["month_end"].year != previous_year:
                year = str(row["month_end"].year)
                previous_year = row["month_end"].year
        bars.append(
            {
                "x": round(plot_left + i * bar_width + bar_width * 0.15, 1),
                "width": round(max(bar_width * 0.7, 1), 1),
                "center": round(plot_left + (i + 0.5) * bar_width, 1),
                "segments": segments,
                "label": label,
                "year": year,
            }
        )
    last = bars[-1]
    spots = _spread(
        [segment["middle"] + FONT / 3 for segment in reversed(last["segments"])],
        plot_top + FONT,
        plot_bottom,
        LINE,
    )
    direct = [
        {**segment, "text_y": spot}
        for segment, spot in zip(reversed(last["segments"]), spots, strict=True)
    ]
    return {
        "name": layout.name,
        "width": layout.width,
        "height": layout.height,
        "plot_left": plot_left,
        "plot_right": round(plot_right, 1),
        "plot_top": plot_top,
        "plot_bottom": plot_bottom,
        "y_ticks": [
            {"value": value, "y": y(value), "label_y": round(y(value) + FONT / 3, 1)}
            for value in ticks
        ],
        "y_label_x": plot_left - 6,
        "bars": bars,
        "month_y": plot_bottom + FONT + 4,
        "year_y": plot_bottom + 2 * FONT + 6,
        "direct": direct,
        "direct_x": round(last["x"] + last["width"] + 6, 1),
        "named": layout.named,
    }
