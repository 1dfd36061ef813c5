"""Pace and projection maths at the edges."""

import datetime
from decimal import Decimal as D

import pytest

from commitments.progress import Pace, Point, expected_value, pace, project_completion

START = datetime.date(2025, 8, 29)
END = datetime.date(2030, 12, 31)  # "in the next five years": year precision


def pace_of(progress, today, baseline=D(0), target=D(500000), end=END, **kwargs):
    return pace(
        baseline=baseline,
        target=target,
        start=START,
        end=end,
        today=today,
        progress=None if progress is None else D(progress),
        **kwargs,
    )


def test_expected_value_is_a_straight_line():
    assert expected_value(D(0), D(100), START, START + datetime.timedelta(days=100), START) == 0
    midway = START + datetime.timedelta(days=50)
    assert expected_value(D(0), D(100), START, START + datetime.timedelta(days=100), midway) == 50
    after = END + datetime.timedelta(days=1)
    assert expected_value(D(0), D(100), START, END, after) == 100
    assert expected_value(D(0), D(100), START, END, START - datetime.timedelta(days=9)) == 0


def test_announced_today_is_too_early():
    assert pace_of(0, START) == Pace.TOO_EARLY
    assert pace_of(0, START + datetime.timedelta(days=29)) == Pace.TOO_EARLY
    assert pace_of(0, START + datetime.timedelta(days=30)) != Pace.TOO_EARLY


def test_no_deadline_or_no_progress_gives_no_pace():
    today = START + datetime.timedelta(days=400)
    assert pace_of(1000, today, end=None) is None
    assert pace_of(None, today) is None


def test_on_pace_within_tolerance_ahead_and_behind():
    halfway = START + (END - START) / 2
    expected = expected_value(D(0), D(500000), START, END, halfway)
    assert pace_of(expected, halfway) == Pace.ON_PACE
    assert pace_of(expected * D("1.09"), halfway) == Pace.ON_PACE
    assert pace_of(expected * D("0.91"), halfway) == Pace.ON_PACE
    assert pace_of(expected * D("1.11"), halfway) == Pace.AHEAD
    assert pace_of(expected * D("0.89"), halfway) == Pace.BEHIND
    assert pace_of(expected * D("0.95"), halfway, tolerance=D("0.01")) == Pace.BEHIND


def test_deadline_passed():
    after = END + datetime.timedelta(days=10)
    assert pace_of(499000, after) == Pace.BEHIND
    assert pace_of(500000, after) == Pace.ON_PACE
    assert pace_of(600000, after) == Pace.AHEAD  # progress beyond the target


def test_decreasing_target_baseline_above_target():
    # Cut emissions from 100 to 40 units by 2030.
    halfway = START + (END - START) / 2
    kwargs = {"baseline": D(100), "target": D(40)}
    assert pace_of(70, halfway, **kwargs) == Pace.ON_PACE
    assert pace_of(50, halfway, **kwargs) == Pace.AHEAD
    assert pace_of(95, halfway, **kwargs) == Pace.BEHIND


def test_projection_needs_two_points():
    only = project_completion([Point(START, D(0))], D(100))
    assert only.day is None
    assert "Not enough data" in only.reason
    same_day = project_completion([Point(START, D(0)), Point(START, D(5))], D(100))
    assert "Not enough data" in same_day.reason


def test_projection_extends_the_line():
    points = [Point(START, D(0)), Point(START + datetime.timedelta(days=100), D(10000))]
    projection = project_completion(points, D(50000))
    assert projection.day == START + datetime.timedelta(days=500)


def test_projection_of_a_stalled_or_reversing_commitment():
    points = [Point(START, D(10)), Point(START + datetime.timedelta(days=100), D(5))]
    assert "Not at this rate" in project_completion(points, D(100)).reason


def test_projection_when_the_target_is_already_reached():
    points = [Point(START, D(0)), Point(START + datetime.timedelta(days=40), D(120))]
    projection = project_completion(points, D(100))
    assert projection.already_reached
    assert projection.day == START + datetime.timedelta(days=40)


def test_projection_for_a_decreasing_target():
    points = [Point(START, D(100)), Point(START + datetime.timedelta(days=100), D(90))]
    projection = project_completion(points, D(40))
    assert projection.day == START + datetime.timedelta(days=600)


@pytest.mark.parametrize("slope_days", [1, 7, 365])
def test_projection_with_several_points_is_least_squares(slope_days):
    points = [Point(START + datetime.timedelta(days=slope_days * i), D(i * 10)) for i in range(5)]
    projection = project_completion(points, D(100))
    assert projection.day == START + datetime.timedelta(days=slope_days * 10)
