"""The commitment page of issue 14 in a real browser: it fits every width from 320 px with
no serious axe finding, its chart's text stays legible on a phone, its links are tap-sized,
and "Copy" copies the feed's address."""

import datetime

import pytest
from playwright.sync_api import expect

from commitments.models import Commitment
from tests.browser.test_public_journey import assert_accessible, assert_fits_width
from tests.factories import make_editor, make_published_update

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [320, 375, 768, 1280]
PAGES = {
    "roll-up": "/commitments/five-lakh-indians-to-japan/",
    "part": "/commitments/fifty-thousand-skilled-professionals/",
    "as-of": "/commitments/fifty-thousand-skilled-professionals/?as_of=2026-06-01",
}


@pytest.fixture
def site(live_server, seeded):
    """The issue's example: one published figure, 6,000 of the 50,000 skilled professionals,
    with an earlier one so the chart has a line."""
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    editor = make_editor()
    make_published_update(skilled, by=editor, progress_value=2500, as_of=datetime.date(2026, 3, 31))
    make_published_update(
        skilled,
        by=editor,
        progress_value=6000,
        as_of=datetime.date(2026, 11, 10),
        summary="6,000 skilled professionals have taken up posts in Japan under the plan.",
    )
    return live_server.url


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_the_commitment_page_fits_and_passes_axe(page, site, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + path)
    assert_fits_width(page, width)
    assert_accessible(page)
    # Freshness is above the fold, in the page's header.
    box = page.locator(".freshness").bounding_box()
    assert box is not None and box["y"] + box["height"] < 900 + 200
    # Links of the new blocks are at least 24 px tall (WCAG 2.2 target size).
    for selector in (".page-actions a", ".share-links a", ".cite-downloads a", ".parts-list a"):
        for link in page.locator(selector).all():
            assert link.bounding_box()["height"] >= 24, selector


@pytest.mark.parametrize("width", [375, 1280])
def test_the_chart_text_is_legible(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + PAGES["roll-up"])
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.progress-chart svg text')].map(text => {
            const svg = text.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(text).fontSize) * scale;
        })"""
    )
    assert len(sizes) >= 8  # axis values, year ticks, Target, Expected, Today
    assert min(sizes) >= 11, sizes
    meter = page.locator(".progress-meter .progress-bar").bounding_box()
    assert meter["width"] >= 150 and meter["height"] >= 16


def test_copy_copies_the_feed_address(page, site):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site + PAGES["part"])
    field = page.locator("#feed-address")
    address = field.input_value()
    assert address.endswith("/commitments/fifty-thousand-skilled-professionals/feed.atom")
    page.get_by_role("button", name="Copy the feed's address").click()
    expect(page.locator(".follow-block .copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address
