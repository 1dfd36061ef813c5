"""Measurable targets on the public pages: progress, pace, projection, rollup, numbers."""

import datetime

from commitments.models import Commitment
from tests.factories import TODAY, make_commitment, make_editor, make_published_update, make_source


def publish_progress(commitment, value, as_of, editor):
    return make_published_update(
        commitment,
        by=editor,
        status="in_progress",
        progress_value=value,
        as_of=as_of,
        summary=f"{value} so far",
        sources=[make_source()],
    )


def test_the_fifty_thousand_page_tells_where_it_stands(client, seeded):
    """The issue's 'done when': seed data plus a few sample updates."""
    editor = make_editor()
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    publish_progress(skilled, 4000, datetime.date(2026, 2, 28), editor)
    publish_progress(skilled, 9000, datetime.date(2026, 8, 31), editor)
    content = client.get(skilled.get_absolute_url()).content.decode()
    assert "9,000 people" in content
    assert "18 %" in content  # 9,000 of 50,000
    assert "Behind pace" in content
    # 50,000 × 456 days since the announcement ÷ 1,950 days to the deadline
    assert (
        "a straight line from the announcement to the target would be at 11,692 people by today"
        in content
    )
    # The least-squares line through 0, 4,000 and 9,000 gains some 24.5 a day.
    assert "Reached around <strong>April 2031</strong>, after the deadline." in content
    assert "The figures as a table" in content
    assert "least-squares" in content  # the method is stated
    # The parent shows it as a counting part, and takes its figure from its parts.
    parent = client.get("/commitments/five-lakh-indians-to-japan/").content.decode()
    assert "One part counts toward this target" in parent
    assert "Counts toward this target: 9,000 people of 50,000 people" in parent
    assert "the sum of its parts" in parent


def test_without_figures_the_page_says_not_enough_data(client, seeded):
    content = client.get("/commitments/fifty-thousand-skilled-professionals/").content.decode()
    assert "No progress figure published yet." in content
    assert "Not enough data" in content


def test_yen_target_in_its_customary_unit_with_the_stated_conversion(client, seeded):
    content = client.get("/commitments/japanese-investment-10-trillion-yen/").content.decode()
    assert "¥10 trillion" in content
    assert "¥10 trillion (about ₹5.96 lakh crore)" in content  # the source's wording
    assert "About ₹5.96 lakh crore, at the rate stated in" in content


def test_visitors_can_switch_to_international_numbers(client, seeded):
    url = "/commitments/five-lakh-indians-to-japan/"
    assert "5 lakh people" in client.get(url).content.decode()
    response = client.post("/preferences/numbers/", {"system": "international", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies["numbers"].value == "international"
    content = client.get(url).content.decode()
    assert "500,000 people" in content
    money = client.get("/commitments/japanese-investment-10-trillion-yen/").content.decode()
    assert "About ₹5.96 trillion" in money


def test_a_nonsense_number_system_is_ignored(client, seeded):
    client.cookies["numbers"] = "roman"
    page = client.get("/commitments/five-lakh-indians-to-japan/")
    assert "5 lakh people" in page.content.decode()
    response = client.post("/preferences/numbers/", {"system": "roman", "next": "//evil.example"})
    assert response["Location"] == "/"
    assert "numbers" not in response.cookies


def test_the_site_default_number_system_is_a_setting(client, seeded, settings):
    settings.NUMBER_SYSTEM = "international"
    assert (
        "500,000 people" in client.get("/commitments/five-lakh-indians-to-japan/").content.decode()
    )


def test_pace_badges_on_the_list_and_behind_pace_on_the_dashboard(client, db):
    today = TODAY
    editor = make_editor()
    behind = make_commitment(
        title="Slow railway",
        announced_on=today - datetime.timedelta(days=200),
        deadline=today + datetime.timedelta(days=200),
        deadline_precision="day",
        target_value=100,
        target_unit="count",
    )
    publish_progress(behind, 10, today - datetime.timedelta(days=1), editor)
    ahead = make_commitment(
        title="Fast railway",
        announced_on=today - datetime.timedelta(days=200),
        deadline=today + datetime.timedelta(days=200),
        deadline_precision="day",
        target_value=100,
        target_unit="count",
    )
    publish_progress(ahead, 90, today - datetime.timedelta(days=1), editor)
    listing = client.get("/commitments/").content.decode()
    assert "Behind pace" in listing
    assert "Ahead of pace" in listing
    dashboard = client.get("/")
    assert [c.title for c in dashboard.context["behind"]] == ["Slow railway"]


def test_overdue_beside_the_status_everywhere(client, db):
    today = TODAY
    missed = make_commitment(
        title="Missed",
        slug="missed",
        announced_on=today - datetime.timedelta(days=400),
        deadline=today - datetime.timedelta(days=1),
        deadline_precision="day",
    )
    make_published_update(missed, as_of=today - datetime.timedelta(days=300))
    assert "Overdue" in client.get("/commitments/").content.decode()
    assert "Overdue" in client.get("/commitments/missed/").content.decode()
    assert [c.slug for c in client.get("/").context["overdue"]] == ["missed"]


def test_portfolio_over_time_counts_statuses_at_month_ends(client, seeded):
    editor = make_editor()
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(
        chandrayaan, by=editor, status="in_progress", as_of=datetime.date(2025, 10, 15)
    )
    portfolio = client.get("/").context["portfolio"]
    by_month = {row["month_end"]: row["counts"] for row in portfolio["table"]}
    assert by_month[datetime.date(2025, 8, 31)]["announced"] == 18
    assert by_month[datetime.date(2025, 9, 30)]["in_progress"] == 0
    assert by_month[datetime.date(2025, 10, 31)]["in_progress"] == 1
    assert by_month[datetime.date(2025, 10, 31)]["announced"] == 17


def test_behind_pace_on_the_dashboard_is_capped_counted_in_order_and_follows_as_of(client, db):
    """The dashboard loads only the commitments it shows; the count covers them all; an
    as-of view uses the figures of that day."""
    from commitments.views.public import DASHBOARD_LIST_LENGTH

    today = TODAY
    editor = make_editor()
    start = today - datetime.timedelta(days=200)
    slow = []
    for n in range(DASHBOARD_LIST_LENGTH + 3):
        commitment = make_commitment(
            title=f"Slow {n:02d}",
            announced_on=start,
            deadline=today + datetime.timedelta(days=100 + n),
            deadline_precision="day",
            target_value=100,
            target_unit="count",
        )
        publish_progress(commitment, 5, today - datetime.timedelta(days=1), editor)
        slow.append(commitment)
    response = client.get("/")
    shown = [c.title for c in response.context["behind"]]
    assert shown == [f"Slow {n:02d}" for n in range(DASHBOARD_LIST_LENGTH)]
    assert response.context["behind_count"] == DASHBOARD_LIST_LENGTH + 3
    # A figure that catches up takes a commitment off the list.
    publish_progress(slow[0], 60, today, editor)
    response = client.get("/")
    assert "Slow 00" not in [c.title for c in response.context["behind"]]
    assert response.context["behind_count"] == DASHBOARD_LIST_LENGTH + 2
    # On a past day, the figures of that day: Slow 00 was behind then.
    then = client.get(f"/?as_of={today - datetime.timedelta(days=1):%Y-%m-%d}")
    assert then.context["behind"][0].title == "Slow 00"
    assert then.context["behind_count"] == DASHBOARD_LIST_LENGTH + 3
