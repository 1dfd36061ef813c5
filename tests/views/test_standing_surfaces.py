"""The disagreements issue 12 found, each fixed by reading one standing (standing.py)."""

import datetime
import json
from decimal import Decimal

import pytest

from commitments.models import Commitment
from tests.factories import (
    SUMMIT_DAY,
    make_commitment,
    make_editor,
    make_published_update,
    make_sector,
)

pytestmark = pytest.mark.django_db


def days_after(n: int) -> datetime.date:
    return SUMMIT_DAY + datetime.timedelta(days=n)


@pytest.fixture
def family():
    """The 5 lakh people exchange (no figure of its own) and its 50,000 professionals part,
    in another sector, with 6,000 published; and a commitment at 10 % on its own figure."""
    editor = make_editor()
    people = make_sector(name="People", slug="people")
    skills = make_sector(name="Skills", slug="skills")
    parent = make_commitment(
        title="5 lakh people exchanged",
        sector=people,
        target_value=Decimal(500000),
        target_unit="people",
    )
    part = make_commitment(
        title="50,000 skilled professionals",
        sector=skills,
        target_value=Decimal(50000),
        target_unit="people",
        parent=parent,
        counts_toward_parent=True,
    )
    other = make_commitment(
        title="A commitment at 0.5 %",
        sector=people,
        target_value=Decimal(1000),
        target_unit="count",
    )
    make_published_update(parent, by=editor, as_of=days_after(10), status="in_progress")
    make_published_update(part, by=editor, as_of=days_after(20), progress_value=Decimal(6000))
    make_published_update(other, by=editor, as_of=days_after(20), progress_value=Decimal(5))
    return parent, part, other


def test_the_list_sorted_by_progress_uses_the_parts_figure(client, family):
    parent, part, other = family
    html = client.get("/commitments/?sort=-progress").content.decode()
    order = [html.index(c.title) for c in (part, parent, other)]
    assert order == sorted(order)  # 12 %, 1.2 %, 0.5 %


def test_the_report_counts_parts_outside_its_sector(client, family):
    parent, part, _ = family
    report = json.loads(client.get("/reports/progress/?sector=people&format=json").content)
    row = next(item for item in report["commitments"] if item["slug"] == parent.slug)
    assert Decimal(str(row["progress"])) == 6000
    assert Decimal(str(row["percent"])) == Decimal("1.20")
    assert part.slug not in {item["slug"] for item in report["commitments"]}


def test_the_detail_page_stands_on_the_as_of_day(client):
    editor = make_editor()
    commitment = make_commitment(
        title="Chandrayaan-5", target_value=Decimal(100), target_unit="percent"
    )
    make_published_update(
        commitment,
        by=editor,
        as_of=days_after(5),
        status="announced",
        progress_value=Decimal(10),
        summary="Agreement signed in Tokyo.",
    )
    make_published_update(
        commitment,
        by=editor,
        as_of=days_after(90),
        status="delayed",
        progress_value=Decimal(35),
        summary="Launch window moved to 2029.",
    )
    day = days_after(30)
    url = commitment.get_absolute_url()
    then = client.get(f"{url}?as_of={day.isoformat()}")
    html = then.content.decode()
    assert then.context["commitment"].current_status == "announced"
    assert "as it stood on 28 September 2025" in html
    assert 'class="progress-label">10 %<' in html
    assert "Agreement signed in Tokyo." in html
    assert "Launch window moved to 2029." not in html  # dated after the day
    assert "?as_of=2025-09-28" in html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    today = client.get(url).content.decode()
    assert 'class="progress-label">35 %<' in today
    assert "Launch window moved to 2029." in today


def test_a_day_before_any_update_shows_today_with_a_note(client):
    commitment = make_commitment()
    make_published_update(commitment, as_of=days_after(40), summary="First news.")
    response = client.get(f"{commitment.get_absolute_url()}?as_of={days_after(10)}")
    html = response.content.decode()
    assert response.context["as_of"] is None
    assert "Nothing was published about this commitment by 8 September 2025" in html
    assert "First news." in html
    unknown = client.get(f"/commitments/no-such-thing/?as_of={days_after(10)}")
    assert unknown.status_code == 404


def test_the_dashboard_total_matches_status_and_sector_counts_and_the_list(client, family):
    for day in (SUMMIT_DAY - datetime.timedelta(days=28), days_after(15), days_after(25)):
        dashboard = client.get(f"/?as_of={day.isoformat()}").context
        counts = sum(row["count"] for row in dashboard["by_status"])
        listed = client.get(f"/commitments/?as_of={day.isoformat()}").context["table"]
        assert dashboard["total"] == counts == listed.paginator.count
        sectors = Commitment.objects.standing_on(day).values_list("sector", flat=True)
        assert len(dashboard["by_sector"]) == len(set(sectors))
