"""Is a measurable commitment on pace, and when will it be reached at this rate?

Pure functions of dates and Decimals, so the edges can be tested one by one:

* Expected value: a straight line from the baseline on the announced date to the target on
  the deadline; before the announcement it is the baseline, after the deadline the target.
* Pace: the actual gain (progress − baseline) against the expected gain. Within ±tolerance of
  the expected gain (default 10 %) is *on pace*; more is *ahead*, less *behind*. In the first
  days after the announcement (default 30) it is *too early to tell*; past the deadline,
  anything short of the target is *behind*. Decreasing targets
  (baseline above target) work the same way, in their direction.
* Projection: a least-squares straight line through the published progress values, with the
  baseline on the announced date as the first point, extended to the target. Fewer than two
  points is *not enough data*; a line that does not move towards the target never reaches it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Pace(models.TextChoices):
    AHEAD = "ahead", _("Ahead of pace")
    ON_PACE = "on_pace", _("On pace")
    BEHIND = "behind", _("Behind pace")
    TOO_EARLY = "too_early", _("Too early to tell")


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: Decimal


@dataclass(frozen=True)
class Projection:
    """`day` when the line reaches the target; otherwise `reason` says why there is none."""

    day: datetime.date | None = None
    reason: str = ""
    already_reached: bool = False


def expected_value(
    baseline: Decimal,
    target: Decimal,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> Decimal:
    if today <= start or end <= start:
        return baseline if today < end else target
    if today >= end:
        return target
    elapsed = Decimal((today - start).days) / Decimal((end - start).days)
    return baseline + (target - baseline) * elapsed


def pace(
    *,
    baseline: Decimal,
    target: Decimal,
    start: datetime.date,
    end: datetime.date | None,
    today: datetime.date,
    progress: Decimal | None,
    tolerance: Decimal = Decimal("0.10"),
    too_early_days: int = 30,
) -> Pace | None:
    """None when there is nothing to compare: no deadline or no progress figure."""
    if end is None or progress is None:
        return None
    if (today - start).days < too_early_days:
        return Pace.TOO_EARLY
    direction = 1 if target >= baseline else -1
    expected_gain = (expected_value(baseline, target, start, end, today) - baseline) * direction
    actual_gain = (progress - baseline) * direction
    if today > end and (progress - target) * direction < 0:
        return Pace.BEHIND  # past the deadline, short of the target: no tolerance left
    band = abs(expected_gain) * tolerance
    if actual_gain > expected_gain + band:
        return Pace.AHEAD
    if actual_gain < expected_gain - band:
        return Pace.BEHIND
    return Pace.ON_PACE


@dataclass(frozen=True)
class PaceFigures:
    """What pace reads of a commitment, for a caller holding plain values, not a model."""

    baseline_value: Decimal | None
    target_value: Decimal | None
    announced_on: datetime.date
    deadline: datetime.date | None


def compute_pace_for(commitment, progress: Decimal | None, today: datetime.date) -> Pace | None:
    """The pace of a commitment with the site's tolerance settings, as of `today`."""
    if commitment.target_value is None:
        return None
    return pace(
        baseline=commitment.baseline_value or Decimal(0),
        target=commitment.target_value,
        start=commitment.announced_on,
        end=commitment.deadline,
        today=today,
        progress=progress,
        tolerance=settings.PACE_TOLERANCE,
        too_early_days=settings.PACE_TOO_EARLY_DAYS,
    )


def project_completion(points: list[Point], target: Decimal) -> Projection:
    """Where a least-squares line through the points meets the target."""
    by_day = {}
    for point in sorted(points, key=lambda p: p.day):
        by_day[point.day] = point.value  # the latest value of a day counts
    if len(by_day) < 2:
        return Projection(
            reason=gettext("Not enough data: it takes at least two progress figures.")
        )
    first_day = min(by_day)
    direction = 1 if target >= by_day[first_day] else -1
    latest_value = by_day[max(by_day)]
    if (latest_value - target) * direction >= 0:
        return Projection(day=max(by_day), already_reached=True)
    xs = [Decimal((day - first_day).days) for day in by_day]
    ys = list(by_day.values())
    n = Decimal(len(xs))
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return Projection(reason=gettext("Not enough data: the figures are all from one day."))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    if slope * direction <= 0:
        return Projection(
            reason=gettext("Not at this rate: progress is not moving towards the target.")
        )
    intercept = mean_y - slope * mean_x
    days = (target - intercept) / slope
    try:
        day = first_day + datetime.timedelta(days=int(days.to_integral_value()))
    except OverflowError:
        return Projection(reason=gettext("Not in the foreseeable future at this rate."))
    return Projection(day=day)
