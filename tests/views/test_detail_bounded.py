"""The public detail page costs the same with 1 or 1,000 published updates (issue 12): one
page of the timeline (`?updates=N`), a thinned chart and projection."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments.models import (
    MAX_PROGRESS_POINTS,
    TIMELINE_PAGE_SIZE,
    Commitment,
    StatusUpdate,
    thin_points,
)
from commitments.progress import Point
from tests.factories import SUMMIT_DAY, make_commitment, make_editor, make_source
from tests.test_public_cache import shared_cache  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def with_updates(count: int, **fields) -> Commitment:
    """A measurable commitment with `count` published updates, one a day from the summit
    (progress rising by one each), all citing one shared source, made in bulk."""
    fields.setdefault("target_value", Decimal(5000))
    fields.setdefault("target_unit", "count")
    fields.setdefault("baseline_value", Decimal(0))
    fields.setdefault("deadline", SUMMIT_DAY + datetime.timedelta(days=4000))
    fields.setdefault("deadline_precision", "day")
    commitment = make_commitment(**fields)
    editor = make_editor()
    now = timezone.now()
    updates = StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=commitment,
            as_of=SUMMIT_DAY + datetime.timedelta(days=day),
            status=StatusUpdate.Status.IN_PROGRESS,
            progress_value=Decimal(day + 1),
            summary=f"Update number {day + 1}.",
            state=StatusUpdate.State.PUBLISHED,
            author=editor,
            reviewer=editor,
            submitted_at=now,
            reviewed_at=now,
        )
        for day in range(count)
    )
    source = make_source(title="The shared source")
    through = StatusUpdate.sources.through
    through.objects.bulk_create(
        through(statusupdate_id=update.pk, source_id=source.pk) for update in updates
    )
    commitment.refresh_standing()
    return commitment


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries.captured_queries)


def test_the_same_queries_and_about_the_same_size_with_1_or_1000_updates(client):
    small, full, busy = with_updates(1), with_updates(20), with_updates(1000)
    small_response, small_queries = get(client, small.get_absolute_url())
    full_response, full_queries = get(client, full.get_absolute_url())
    busy_response, busy_queries = get(client, busy.get_absolute_url())
    assert busy_queries == full_queries == small_queries
    # One update shows one entry and a page shows 20, so the size is compared with a full
    # page: 1,000 updates add only the navigation and a few thinned chart points.
    assert len(busy_response.content) <= 1.5 * len(full_response.content)
    content = busy_response.content.decode()
    assert content.count('class="timeline-entry"') == TIMELINE_PAGE_SIZE
    assert "Update number 1000." in content and "Update number 980." not in content
    assert "Page 1 of 50 (1000 updates)" in content
    assert "Older updates" in content and "Newer updates" not in content
    # The oldest update on the page shows the figure before it (the 21st newest).
    assert "(was 980)" in content
    assert small_response.content.decode().count('class="timeline-entry"') == 1
    assert "Older updates" not in small_response.content.decode()


def test_page_two_shows_the_21st_to_40th_newest(client):
    commitment = with_updates(1000)
    response, _ = get(client, f"{commitment.get_absolute_url()}?updates=2")
    content = response.content.decode()
    shown = [pair[0].summary for pair in response.context["timeline"].object_list]
    assert shown == [f"Update number {n}." for n in range(980, 960, -1)]
    assert "Page 2 of 50" in content
    assert "Older updates" in content and "Newer updates" in content
    assert f'href="{commitment.get_absolute_url()}#timeline-heading" rel="prev"' in content
    assert "?updates=3#timeline-heading" in content


def test_the_last_page_ends_with_the_first_update(client):
    commitment = with_updates(45)
    response, _ = get(client, f"{commitment.get_absolute_url()}?updates=3")
    pairs = response.context["timeline"].object_list
    assert [update.summary for update, _ in pairs] == [
        f"Update number {n}." for n in (5, 4, 3, 2, 1)
    ]
    assert pairs[-1][1] is None
    assert "Older updates" not in response.content.decode()


@pytest.mark.parametrize(
    ("number", "shown"),
    [("abc", 1), ("-1", 3), ("0", 3), ("99999", 3), ("1.5", 1), ("2.0", 1), ("", 1), ("1e9", 1)],
)
def test_a_bad_page_number_shows_the_first_or_the_last_page(client, number, shown):
    commitment = with_updates(45)
    response, _ = get(client, f"{commitment.get_absolute_url()}?updates={number}")
    assert response.context["timeline"].number == shown


@pytest.mark.usefixtures("shared_cache")
def test_each_timeline_page_is_cached_on_its_own(client, django_assert_num_queries):
    url = with_updates(45).get_absolute_url()
    first, second = client.get(url).content, client.get(f"{url}?updates=2").content
    assert "Update number 25." in second.decode() and "Update number 25." not in first.decode()
    with django_assert_num_queries(0):
        assert client.get(f"{url}?updates=2").content == second
        assert client.get(url).content == first


def test_the_chart_and_projection_read_a_bounded_number_of_points(client):
    commitment = with_updates(1000)
    points = Commitment.objects.get(pk=commitment.pk).progress_points()
    assert len(points) <= MAX_PROGRESS_POINTS
    assert points[0] == Point(SUMMIT_DAY, Decimal(0))  # the baseline stays
    assert points[-1].value == Decimal(1000)  # so does the latest figure
    response, _ = get(client, commitment.get_absolute_url())
    assert len(response.context["chart"].dots) == len(points)
    assert response.context["projection"].day is not None
    assert "(the last figure of each month)" in response.content.decode()


def test_thinning_keeps_the_last_figure_of_each_month():
    day = datetime.date(2025, 1, 1)
    points = [Point(day, Decimal(0))] + [
        Point(day + datetime.timedelta(days=n), Decimal(n)) for n in range(1, 400)
    ]
    thinned = thin_points(points)
    assert thinned[0] == points[0]
    assert thinned[-1] == points[-1]
    assert [p.day.month for p in thinned[1:4]] == [1, 2, 3]
    assert thinned[1].day == datetime.date(2025, 1, 31)
    assert thin_points(points[:50]) == points[:50]
    many = [Point(day, Decimal(0))] + [
        Point(day + datetime.timedelta(days=31 * n), Decimal(n)) for n in range(1, 1000)
    ]
    thinned = thin_points(many)
    assert len(thinned) <= MAX_PROGRESS_POINTS
    assert thinned[-1] == many[-1]


@pytest.mark.parametrize(
    "path",
    [
        "{url}?as_of=2026-06-01",  # the detail page as it stood on a day
        "{url}history/",  # the change log
        "/api/commitments/{slug}/",  # the API's detail
        "{url}badge.svg",
    ],
)
def test_every_view_of_one_commitment_is_bounded_by_what_it_shows(client, path):
    """The same queries, and at most 1.5 times the size, with 100 (a full page of each) or
    1,000 published updates."""
    full, busy = with_updates(100), with_updates(1000)
    full_response, full_queries = get(
        client, path.format(url=full.get_absolute_url(), slug=full.slug)
    )
    busy_response, busy_queries = get(
        client, path.format(url=busy.get_absolute_url(), slug=busy.slug)
    )
    assert busy_queries == full_queries
    assert len(busy_response.content) <= 1.5 * len(full_response.content)


def test_the_api_detail_names_where_the_rest_of_the_updates_are(client):
    busy = with_updates(1000)
    data = client.get(f"/api/commitments/{busy.slug}/").json()
    assert len(data["updates"]) == 20
    assert data["updates"][0]["summary"] == "Update number 1000."
    assert data["updates_count"] == 1000
    assert data["updates_url"] == f"http://testserver/api/updates/?commitment={busy.slug}"
    listed = client.get(data["updates_url"]).json()
    assert listed["count"] == 1000
