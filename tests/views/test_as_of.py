"""`?as_of=`: the dashboard and the list as they stood on a past day."""

import datetime

import pytest

from commitments.models import Commitment
from tests.factories import make_editor, make_published_update

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def history(db, seeded):
    editor = make_editor()
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    make_published_update(
        skilled,
        by=editor,
        status="in_progress",
        progress_value=4000,
        as_of=datetime.date(2026, 2, 28),
    )
    make_published_update(
        skilled, by=editor, status="delayed", progress_value=9000, as_of=datetime.date(2026, 8, 31)
    )
    return skilled


def slugs(response):
    return [row.record.slug for row in response.context["table"].paginated_rows]


def test_list_as_of_a_past_day(client, history):
    response = client.get("/commitments/?as_of=2026-03-31&status=in_progress")
    assert slugs(response) == ["fifty-thousand-skilled-professionals"]
    content = response.content.decode()
    assert "as it stood on 31 March 2026" in content
    assert "28 Feb 2026" in content  # the last update then
    today = client.get("/commitments/?status=in_progress")
    assert slugs(today) == []
    assert slugs(client.get("/commitments/?status=delayed")) == [
        "fifty-thousand-skilled-professionals"
    ]


def test_before_anything_was_announced_the_list_is_empty(client, history):
    response = client.get("/commitments/?as_of=2025-08-01")
    assert slugs(response) == []
    assert "No commitment here had been made public by 1 August 2025." in (
        response.content.decode()
    )


def test_dashboard_as_of(client, history):
    response = client.get("/?as_of=2026-03-31")
    counts = {row["status"].value: row["count"] for row in response.context["by_status"]}
    assert counts["in_progress"] == 1
    assert counts["delayed"] == 0
    assert counts["announced"] == 17
    assert "as it stood on 31 March 2026" in response.content.decode()
    # The updates of 2026 were published today, after 31 March 2026: not "recent" then.
    recent = {u.as_of for u in response.context["recent_updates"]}
    assert recent == {datetime.date(2025, 8, 29)}


def test_export_as_of(client, history):
    content = client.get("/commitments/?as_of=2026-03-31&_export=csv").content.decode()
    row = next(line for line in content.splitlines() if line.startswith('"50,000'))
    assert ",In progress," in row
    assert ",4000," in row


@pytest.mark.parametrize("value", ["garbage", "2026-02-30", "2999-01-01", "x" * 500])
def test_a_bad_as_of_is_explained_and_today_shown(client, history, value):
    for url in (f"/?as_of={value}", f"/commitments/?as_of={value}"):
        response = client.get(url)
        assert response.status_code == 200
        assert "data is shown" in response.content.decode()
    assert slugs(client.get(f"/commitments/?as_of={value}&status=delayed")) == [
        "fifty-thousand-skilled-professionals"
    ]


def test_report_uses_the_same_standing(client, history):
    report = client.get("/reports/progress/?from=2026-04-01&to=2026-11-30").context["report"]
    skilled = next(c for c in report.commitments if c.slug.startswith("fifty"))
    assert report.at_start[skilled.pk].status == "in_progress"
    assert report.at_end[skilled.pk].status == "delayed"
    listed = client.get("/commitments/?as_of=2026-03-31&status=in_progress")
    assert slugs(listed) == [skilled.slug]


def test_as_of_pages_are_fixed_cost(client, history, django_assert_max_num_queries):
    urls = ["/?as_of=2026-03-31", "/commitments/?as_of=2026-03-31&sort=-progress"]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(60) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    editor = make_editor()
    for slug in ("chandrayaan-5", "mou-space", "joint-crediting-mechanism"):
        commitment = Commitment.objects.get(slug=slug)
        for day in range(1, 6):
            make_published_update(commitment, by=editor, as_of=datetime.date(2026, 1, day))
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
