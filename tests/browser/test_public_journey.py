"""A reader's journey through the public pages, at desktop and phone widths, scanned by axe."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from commitments.models import Commitment
from tests.factories import make_editor, make_published_update, make_source

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": 1280, "phone": 375}
axe = Axe()


def assert_accessible(page):
    results = axe.run(page)
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page.url}:\n" + "\n".join(serious)


def assert_fits_width(page, width):
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"


def open_filters(page):
    """On a phone the filter panel starts folded unless a filter is in use."""
    panel = page.locator("details.filter-panel")
    if not panel.evaluate("details => details.open"):
        page.get_by_text("Filter and sort").click()


@pytest.fixture
def site(live_server, seeded):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(
        chandrayaan,
        by=make_editor(),
        status="in_progress",
        summary="Mission design review completed.",
        as_of=datetime.date(2026, 3, 2),
        sources=[
            make_source(
                title="Chandrayaan-5 design review",
                publisher="ISRO",
                url="https://isro.example/chandrayaan-5-review",
                archive_url="https://archive.example/chandrayaan-5-review",
            )
        ],
    )
    return live_server.url


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_reader_journey(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What was promised, and how it is going"
    )
    assert_accessible(page)
    assert_fits_width(page, width)

    page.get_by_role("link", name="Announced", exact=True).first.click()
    expect(page).to_have_url(site + "/commitments/?status=announced")
    expect(page.get_by_role("heading", name="17 commitments")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, width)

    # Sort: by the column header on a desktop, by the "Sort by" menu on a phone.
    if width >= 960:
        page.get_by_role("link", name="Deadline").click()
    else:
        open_filters(page)
        page.get_by_label("Sort by").select_option("deadline")
        page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(site + "/commitments/?status=announced&sort=deadline")
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("by 2030")

    page.goto(site + "/commitments/")
    open_filters(page)
    page.get_by_label("Search", exact=True).fill("Chandrayaan")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name=re.compile(r"^1 commitment matches"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Chandrayaan-5 joint lunar mission").click()
    expect(page).to_have_url(site + "/commitments/chandrayaan-5/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chandrayaan-5 joint lunar mission")
    timeline = page.locator(".timeline-entry")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text("Mission design review completed.")
    expect(timeline.first).to_contain_text("In progress")
    source = timeline.first.get_by_role("link", name="Chandrayaan-5 design review")
    expect(source).to_have_attribute("href", "https://isro.example/chandrayaan-5-review")
    expect(timeline.last).to_contain_text("A Shared Past, a Forward-Looking Future")
    assert_accessible(page)
    assert_fits_width(page, width)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(
    "path",
    [
        "/about/",
        "/sectors/space/",
        "/parties/japan/",
        "/commitments/no-such-pledge/",
        "/events/india-japan-annual-summit-2025/",
        "/commitments/chandrayaan-5/?as_of=2026-01-01",
        "/reports/progress/?from=2025-08-29&to=2026-11-28",
    ],
)
def test_other_pages_pass_axe(page, site, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, width)


def test_skip_link_and_visible_focus(page, site):
    page.goto(site + "/commitments/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/commitments/#main")


def test_switching_the_number_system(page, site):
    page.goto(site + "/commitments/five-lakh-indians-to-japan/")
    expect(page.locator(".target-facts")).to_contain_text("5 lakh people")
    page.get_by_label("Numbers").select_option("international")
    page.get_by_role("button", name="Switch").click()
    expect(page).to_have_url(site + "/commitments/five-lakh-indians-to-japan/")
    expect(page.locator(".target-facts")).to_contain_text("500,000 people")
    page.goto(site + "/commitments/japanese-investment-10-trillion-yen/")
    expect(page.locator(".target-facts")).to_contain_text("About ₹5.96 trillion")
    assert_accessible(page)
