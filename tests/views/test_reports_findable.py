"""Readers find the progress report: the main navigation, /reports/, and a briefing for the
usual periods on the dashboard and on every sector and party page (issue 13, part 3)."""

import datetime
import re

import pytest

from commitments.reports import preset_periods

pytestmark = pytest.mark.usefixtures("seeded")


def test_preset_periods_are_the_last_full_month_and_quarter_and_since_the_announcement():
    periods = preset_periods(datetime.date(2026, 1, 15))
    assert periods == [
        ("December 2025", datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
        ("Q4 2025", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("Since the announcement", datetime.date(2025, 8, 29), datetime.date(2026, 1, 15)),
    ]
    assert preset_periods(datetime.date(2026, 5, 31))[1][1:] == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )


def test_reports_are_in_the_main_navigation_and_at_slash_reports(client):
    nav = client.get("/about/").content.decode().split('aria-label="Main"', 1)[1]
    assert 'href="/reports/progress/">Reports</a>' in nav.split("</nav>", 1)[0]
    response = client.get("/reports/")
    assert (response.status_code, response["Location"]) == (302, "/reports/progress/")


@pytest.mark.parametrize(
    "url, scope",
    [
        ("/", ""),
        ("/sectors/space/", "sector=space&"),
        ("/parties/isro/", "party=isro&"),
        ("/events/india-japan-annual-summit-2025/", "event=india-japan-annual-summit-2025&"),
    ],
)
def test_each_scope_offers_its_briefing(client, url, scope):
    html = client.get(url).content.decode()
    links = re.findall(r'href="/reports/progress/\?([^"]+)"', html)
    pdfs = [link for link in links if link.endswith("format=pdf")]
    assert len(pdfs) == 3
    assert all(link.startswith(scope.replace("&", "&amp;")) or not scope for link in pdfs)
    assert f"{scope.replace('&', '&amp;')}from=2025-08-29&amp;to=" in html  # since the summit
    first = pdfs[0].replace("&amp;", "&")
    response = client.get(f"/reports/progress/?{first}")
    assert response["Content-Type"] == "application/pdf"


def test_an_as_of_view_does_not_offer_todays_briefing(client):
    assert "briefing-heading" not in client.get("/?as_of=2025-09-30").content.decode()


def test_an_event_page_lists_what_was_pledged_there(client):
    from tests.factories import make_commitment, make_event

    response = client.get("/events/india-japan-annual-summit-2025/")
    html = response.content.decode()
    assert "Event: 15th India–Japan Annual Summit" in html
    assert "Tokyo, Japan · 29 August 2025 to 30 August 2025" in html
    assert response.context["table"].paginator.count == 18
    detail = client.get("/commitments/chandrayaan-5/").content.decode()
    assert 'href="/events/india-japan-annual-summit-2025/"' in detail
    quiet = make_event(slug="no-public-pledges")
    make_commitment(event=quiet)  # nothing published about it
    assert client.get("/events/no-public-pledges/").status_code == 404
